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

    /** A copy (the leader reserves space in its own copy before entries reach the namespace). */
    public SpaceMap(SpaceMap other) {
        this.units = other.units;
        this.words = other.words.clone();
        this.allocatedUnits = other.allocatedUnits;
        this.collisions = other.collisions;
    }

    /** Writes the bitmap and its counts (a part of {@link Namespace#writeSnapshot}). */
    void writeSnapshot(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeLong(units);
        out.writeLong(allocatedUnits);
        out.writeLong(collisions);
        out.writeInt(words.length);
        for (long w : words) {
            out.writeLong(w);
        }
    }

    /** Reads what {@link #writeSnapshot} wrote into this map of the same size. */
    void readSnapshot(java.io.DataInputStream in) throws java.io.IOException {
        if (in.readLong() != units) {
            throw new io.famfs.meta.error.FamfsException(
                    io.famfs.meta.error.ErrorCode.CORRUPT, "namespace snapshot: a bitmap of another device size");
        }
        allocatedUnits = in.readLong();
        collisions = in.readLong();
        if (in.readInt() != words.length) {
            throw new io.famfs.meta.error.FamfsException(
                    io.famfs.meta.error.ErrorCode.CORRUPT, "namespace snapshot: a bitmap of another length");
        }
        for (int i = 0; i < words.length; i++) {
            words[i] = in.readLong();
        }
    }

    /** Clears units {@code [first, first + count)} (a reservation given back). */
    public void clearUnits(long first, long count) {
        for (long u = first; u < first + count; u++) {
            long bit = 1L << (u & 63);
            int w = (int) (u >>> 6);
            if ((words[w] & bit) != 0) {
                words[w] &= ~bit;
                allocatedUnits--;
            }
        }
    }

    /** Sets units {@code [first, first + count)}, which must be clear (a reservation). */
    public void setUnits(long first, long count) {
        mark(first * Famfs.ALLOC_UNIT, count * Famfs.ALLOC_UNIT);
    }

    /**
     * The first unit of a run of {@code count} clear units inside {@code [from, to)}, or -1. First fit, a word at a
     * time over full stretches.
     */
    public long findClearRun(long count, long from, long to) {
        long end = Math.min(to, units);
        long u = Math.max(0, from);
        while (u + count <= end) {
            long start = nextClear(u, end);
            if (start < 0 || start + count > end) {
                return -1;
            }
            long stop = nextSet(start, Math.min(end, start + count));
            if (stop < 0) {
                return start;
            }
            u = stop + 1;
        }
        return -1;
    }

    /** The first clear unit in {@code [from, end)}, or -1. */
    private long nextClear(long from, long end) {
        long u = from;
        while (u < end) {
            int w = (int) (u >>> 6);
            long free = ~words[w] & (-1L << (u & 63));
            if (free != 0) {
                long found = ((long) w << 6) + Long.numberOfTrailingZeros(free);
                return found < end ? found : -1;
            }
            u = ((long) w + 1) << 6;
        }
        return -1;
    }

    /** The first set unit in {@code [from, end)}, or -1. */
    private long nextSet(long from, long end) {
        long u = from;
        while (u < end) {
            int w = (int) (u >>> 6);
            long set = words[w] & (-1L << (u & 63));
            if (set != 0) {
                long found = ((long) w << 6) + Long.numberOfTrailingZeros(set);
                return found < end ? found : -1;
            }
            u = ((long) w + 1) << 6;
        }
        return -1;
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
