package io.famfs.meta.replay;

import io.famfs.meta.format.Famfs;

/**
 * The allocation bitmap: one bit per 2 MiB unit of [0, dd_size), LSB-first, rebuilt from the log (famfs-format.md
 * 2.1). The superblock and log, [0, 2 MiB + log_len), are set from the start. Marking a unit that is already set
 * counts one collision, as famfs's fsck counts them.
 */
public final class SpaceMap {
    private final long[] words;
    private final long units;
    private long allocatedUnits;
    private long collisions;

    public SpaceMap(long devSize, long reservedEnd) {
        this.units = ceilDiv(devSize, Famfs.ALLOC_UNIT);
        this.words = new long[(int) ceilDiv(units, 64)];
        mark(0, reservedEnd);
    }

    /**
     * Sets every unit that {@code [offset, offset + length)} touches, clipped to the device, and returns how many of
     * them were already set. Misaligned ranges mark every unit they touch, so that nothing they use is handed out.
     */
    public long mark(long offset, long length) {
        if (offset < 0 || length <= 0) {
            return 0;
        }
        long first = offset / Famfs.ALLOC_UNIT;
        long end = offset + length < 0 ? units : Math.min(units, ceilDiv(offset + length, Famfs.ALLOC_UNIT));
        long hits = 0;
        for (long u = first; u < end; ) {
            int w = (int) (u >>> 6);
            int bit = (int) (u & 63);
            int n = (int) Math.min(64 - bit, end - u);
            long mask = (n == 64 ? -1L : ((1L << n) - 1)) << bit;
            long already = words[w] & mask;
            hits += Long.bitCount(already);
            allocatedUnits += n - Long.bitCount(already);
            words[w] |= mask;
            u += n;
        }
        collisions += hits;
        return hits;
    }

    public boolean isSet(long unit) {
        return (words[(int) (unit >>> 6)] & (1L << (unit & 63))) != 0;
    }

    /** Number of 2 MiB units: ceil(dd_size / 2 MiB). */
    public long units() {
        return units;
    }

    /** Bitmap capacity in bytes, as famfs's fsck prints it. */
    public long capacityBytes() {
        return units * Famfs.ALLOC_UNIT;
    }

    /** Bytes in set units, the reserved region included. */
    public long allocatedBytes() {
        return allocatedUnits * Famfs.ALLOC_UNIT;
    }

    public long freeBytes() {
        return capacityBytes() - allocatedBytes();
    }

    /** Units marked while already set. */
    public long collisions() {
        return collisions;
    }

    private static long ceilDiv(long a, long b) {
        return Math.ceilDiv(a, b);
    }
}
