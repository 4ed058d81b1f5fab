package io.famfs.meta.replay;

/**
 * Checks stricter than famfs's: a file that fails one is still in the namespace (famfs creates it too), flagged with
 * its index and reason. fsck counts it; the agent refuses its fmap; the leader never allocates over it.
 */
public enum FileFlag {
    /** An extent or strip whose offset or length is not 2 MiB aligned, or a chunk size that is not. */
    MISALIGNED("extent not 2 MiB aligned"),
    /** An extent outside [2 MiB + log_len, dd_size), or on a daxdev other than 0. */
    OUT_OF_BOUNDS("extent outside the data area"),
    /** An extent over space an earlier file entry (or an earlier extent of the same file) holds. */
    OVERLAP("extent overlaps space already allocated"),
    /** Extents (or strips) that cover less than the file size; the kernel would refuse the map. */
    SHORT_MAP("extents shorter than the file size");

    private final String text;

    FileFlag(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public int bit() {
        return 1 << ordinal();
    }
}
