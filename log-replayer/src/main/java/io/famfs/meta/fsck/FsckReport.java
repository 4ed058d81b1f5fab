package io.famfs.meta.fsck;

import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.Superblock;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.SkippedEntry;
import java.util.List;

/**
 * What fsck found. The capacity figures are famfs's: allocated includes [0, 2 MiB + log_len), free is the bitmap
 * capacity minus allocated, space amplification is allocated / sum of file sizes as a C float, percent used is
 * allocated / dd_size.
 *
 * @param owner whether this host's system UUID is the superblock's
 * @param entriesUsed next_index
 * @param files valid FILE entries (famfs counts entries, not distinct paths)
 * @param directories valid MKDIR entries
 * @param badEntries the first bad entries (index and reason)
 * @param badEntryCount how many entries below next_index are bad
 * @param collisions allocation units marked twice (famfs's fsck exit code)
 * @param collidingEntries log indexes of the file entries whose extents hit already-allocated units
 */
public record FsckReport(
        Superblock superblock,
        boolean owner,
        long entriesUsed,
        long capacity,
        long logLen,
        long bitmapCapacity,
        long sumFileSizes,
        long allocatedBytes,
        long freeBytes,
        long files,
        long directories,
        List<FormatException> badEntries,
        long badEntryCount,
        long collisions,
        List<Long> collidingEntries,
        List<SkippedEntry> skipped,
        List<FileNode> flagged) {

    /** Bytes of log in use: the header and the used entries. */
    public long logSizeInUse() {
        return 48 + 544 * entriesUsed;
    }

    public float spaceAmplification() {
        return (float) allocatedBytes / (float) sumFileSizes;
    }

    public float percentUsed() {
        return (float) allocatedBytes * 100.0f / (float) superblock.devSize();
    }

    /** famfs's {@code %0.2f} of the space amplification ({@code inf} for an empty file system). */
    public String spaceAmplificationText() {
        return CFormat.fixed(spaceAmplification(), 2);
    }

    /** famfs's {@code %0.1f} of the percent used. */
    public String percentUsedText() {
        return CFormat.fixed(percentUsed(), 1);
    }

    /** True when the file system is consistent: no allocation collision. */
    public boolean clean() {
        return collisions == 0;
    }
}
