package io.famfs.meta.log;

/** How the log reader treats an entry that is still bad after its re-read (famfs-format.md 2.1, 3). */
public enum ReadMode {
    /** Replay: stop at the first bad entry and report its index and reason, as famfs logplay does. */
    STOP_AT_BAD,
    /** fsck and the bitmap build: count the bad entry, skip it and go on. */
    SKIP_BAD
}
