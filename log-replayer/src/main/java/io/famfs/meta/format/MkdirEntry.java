package io.famfs.meta.format;

/**
 * A FAMFS_LOG_MKDIR entry.
 *
 * @param pathProblem why the relpath is unacceptable, or null
 */
public record MkdirEntry(long seqnum, int uid, int gid, int mode, String relpath, RelPath.Problem pathProblem)
        implements LogEntry {

    /** A new entry to append; the relpath must pass {@link RelPath}. */
    public static MkdirEntry create(String relpath, int mode, int uid, int gid) {
        RelPath.require(relpath);
        return new MkdirEntry(0, uid, gid, mode, relpath, null);
    }

    @Override
    public int type() {
        return LogEntryDescriptor.TYPE_MKDIR;
    }
}
