package io.famfs.meta.format;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;

/**
 * A FAMFS_LOG_FILE entry: a file with its attributes and map.
 *
 * @param pathProblem why the relpath is unacceptable, or null (decoded entries carry what they carry)
 */
public record FileEntry(
        long seqnum,
        long size,
        int flags,
        int uid,
        int gid,
        int mode,
        String relpath,
        RelPath.Problem pathProblem,
        Fmap fmap)
        implements LogEntry {

    /** A new entry to append; the relpath must pass {@link RelPath}. */
    public static FileEntry create(String relpath, long size, int mode, int uid, int gid, Fmap fmap) {
        RelPath.require(relpath);
        if (size <= 0) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "file size must be > 0: " + size);
        }
        return new FileEntry(0, size, Famfs.FM_ALL_HOSTS_RW, uid, gid, mode, relpath, null, fmap);
    }

    @Override
    public int type() {
        return LogEntryDescriptor.TYPE_FILE;
    }
}
