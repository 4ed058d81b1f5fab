package io.famfs.meta.replay;

import io.famfs.meta.format.MkdirEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A directory, with its children in log order. The root has no entry. */
public final class DirNode implements Node {
    private final MkdirEntry entry;
    private final List<Node> children = new ArrayList<>(4);

    DirNode(MkdirEntry entry) {
        this.entry = entry;
    }

    /** The MKDIR entry, or null for the root. */
    public MkdirEntry entry() {
        return entry;
    }

    @Override
    public String path() {
        return entry == null ? "" : entry.relpath();
    }

    @Override
    public long index() {
        return entry == null ? -1 : entry.seqnum();
    }

    @Override
    public int mode() {
        return entry == null ? 0755 : entry.mode();
    }

    @Override
    public int uid() {
        return entry == null ? 0 : entry.uid();
    }

    @Override
    public int gid() {
        return entry == null ? 0 : entry.gid();
    }

    public List<Node> children() {
        return Collections.unmodifiableList(children);
    }

    void add(Node child) {
        children.add(child);
    }

    @Override
    public String toString() {
        return "dir " + (entry == null ? "/" : path()) + " @" + index();
    }
}
