package io.famfs.meta.replay;

/** Why a valid log entry created nothing in the namespace (famfs would refuse or fail it too). */
public enum SkipReason {
    /** The relpath breaks {@link io.famfs.meta.format.RelPath}. famfs never writes one. */
    BAD_PATH,
    /**
     * famfs's logplay skips a file with an extent at device offset 0: a simple extent at 0, or an interleaved chunk
     * size of 0 (famfs's test reads the simple-extent slot that overlays it).
     */
    EXTENT_AT_OFFSET_ZERO,
    /** The parent directory is not in the namespace (directories must come before their children). */
    PARENT_MISSING,
    /** The parent is a file. */
    PARENT_NOT_DIRECTORY,
    /** A file entry for a path that is a directory. */
    PATH_IS_DIRECTORY,
    /** A mkdir entry for a path that is a file. */
    PATH_IS_FILE
}
