package io.famfs.meta.replay;

import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.Fmap;
import java.util.EnumSet;
import java.util.Set;

/** A file: a snapshot of its attributes and map as logged, and any {@link FileFlag}s replay raised. */
public final class FileNode implements Node {
    private final String path;
    private final long index;
    private final long size;
    private final int fmFlags;
    private final int mode;
    private final int uid;
    private final int gid;
    private final Fmap fmap;
    private final int flags;
    private final String flagDetail;

    FileNode(
            String path,
            long index,
            long size,
            int fmFlags,
            int mode,
            int uid,
            int gid,
            Fmap fmap,
            int flags,
            String flagDetail) {
        this.path = path;
        this.index = index;
        this.size = size;
        this.fmFlags = fmFlags;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        this.fmap = fmap;
        this.flags = flags;
        this.flagDetail = flagDetail;
    }

    /** The FILE entry as logged (seqnum = index). */
    public FileEntry entry() {
        return new FileEntry(index, size, fmFlags, uid, gid, mode, path, null, fmap);
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

    public long size() {
        return size;
    }

    public Fmap fmap() {
        return fmap;
    }

    public boolean flagged() {
        return flags != 0;
    }

    public Set<FileFlag> flags() {
        EnumSet<FileFlag> set = EnumSet.noneOf(FileFlag.class);
        for (FileFlag f : FileFlag.values()) {
            if ((flags & f.bit()) != 0) {
                set.add(f);
            }
        }
        return set;
    }

    /** Why the file is flagged, or null. */
    public String flagDetail() {
        return flagDetail;
    }

    @Override
    public String toString() {
        return "file " + path + " @" + index + (flagged() ? " " + flags() : "");
    }
}
