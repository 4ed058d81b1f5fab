package io.famfs.meta.replay;

import io.famfs.meta.format.MkdirEntry;
import java.util.List;

/** A directory: a snapshot of its attributes; {@link #children()} reads the namespace when called. */
public final class DirNode implements Node {
    private final Namespace namespace;
    private final int id;
    private final String path;
    private final long index;
    private final int mode;
    private final int uid;
    private final int gid;

    DirNode(Namespace namespace, int id, String path, long index, int mode, int uid, int gid) {
        this.namespace = namespace;
        this.id = id;
        this.path = path;
        this.index = index;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
    }

    /** The MKDIR entry as logged (seqnum = index), or null for the root. */
    public MkdirEntry entry() {
        return id == 0 ? null : new MkdirEntry(index, uid, gid, mode, path, null);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public long index() {
        return index;
    }

    @Override
    public int mode() {
        return mode;
    }

    @Override
    public int uid() {
        return uid;
    }

    @Override
    public int gid() {
        return gid;
    }

    /** The directories and files in this directory, in log order. */
    public List<Node> children() {
        return namespace.children(id);
    }

    @Override
    public String toString() {
        return "dir " + (id == 0 ? "/" : path) + " @" + index;
    }
}
