package io.famfs.meta.replay;

import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.Fmap;
import java.util.EnumSet;
import java.util.Set;

/** A file: its FILE entry (attributes and map as logged) and any {@link FileFlag}s replay raised. */
public final class FileNode implements Node {
    private final FileEntry entry;
    private final int flags;
    private final String flagDetail;

    FileNode(FileEntry entry, int flags, String flagDetail) {
        this.entry = entry;
        this.flags = flags;
        this.flagDetail = flagDetail;
    }

    public FileEntry entry() {
        return entry;
    }

    @Override
    public String path() {
        return entry.relpath();
    }

    @Override
    public long index() {
        return entry.seqnum();
    }

    @Override
    public int mode() {
        return entry.mode();
    }

    @Override
    public int uid() {
        return entry.uid();
    }

    @Override
    public int gid() {
        return entry.gid();
    }

    public long size() {
        return entry.size();
    }

    public Fmap fmap() {
        return entry.fmap();
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
        return "file " + path() + " @" + index() + (flagged() ? " " + flags() : "");
    }
}
