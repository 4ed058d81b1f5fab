package io.famfs.meta.leader.alloc;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.Fmap;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.replay.SpaceMap;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hands out space (famfs-format.md 2.2, 2.3) from its own copy of the allocation bitmap rebuilt from the log: never
 * [0, 2 MiB + log_len), never past dd_size, never over anything an entry of the log holds (flagged files included),
 * always 2 MiB aligned. Space is reserved when allocated and given back with {@link #release} when the entry that
 * would use it is not written. The one home of the allocation policy. Not thread-safe: the log writer owns it.
 */
public final class Allocator {
    private final SpaceMap map;
    private final long units;
    private final SplittableRandom bucketOrder;
    private long cursor;

    /** Space handed out: the map to log, and the unit runs it holds (to give back). */
    public record Allocation(Fmap fmap, List<long[]> runs) {
        public long bytes() {
            long n = 0;
            for (long[] r : runs) {
                n += r[1];
            }
            return n * Famfs.ALLOC_UNIT;
        }
    }

    /**
     * An allocator over a copy of {@code space} (the namespace's bitmap); {@code seed} orders the bucket visits of
     * interleaved allocations (famfs seeds its shuffle with the time; tests give a fixed one).
     */
    public Allocator(SpaceMap space, long seed) {
        this.map = new SpaceMap(space);
        this.units = space.units();
        this.bucketOrder = new SplittableRandom(seed);
    }

    /**
     * Space for a file of {@code size} bytes: one simple extent of the size rounded up to 2 MiB, or, with interleave
     * parameters, strips in distinct buckets (a file smaller than a chunk falls back to contiguous, as famfs does).
     * NO_SPACE changes nothing.
     */
    public Allocation allocate(long size, InterleaveParams interleave) {
        if (size <= 0) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "file size must be > 0: " + size);
        }
        long need = Math.ceilDiv(size, Famfs.ALLOC_UNIT);
        if (interleave == null || interleave.contiguous() || size < interleave.chunkSize()) {
            return contiguous(need, size);
        }
        return interleaved(need, interleave, size);
    }

    private Allocation contiguous(long need, long size) {
        long start = map.findClearRun(need, cursor, units);
        if (start < 0) {
            start = map.findClearRun(need, 0, Math.min(units, cursor + need - 1));
        }
        if (start < 0) {
            throw noSpace(size, "no run of " + need + " free 2 MiB units");
        }
        map.setUnits(start, need);
        cursor = start + need;
        return new Allocation(
                SimpleFmap.of(Extent.of(start * Famfs.ALLOC_UNIT, need * Famfs.ALLOC_UNIT)),
                List.of(new long[] {start, need}));
    }

    private Allocation interleaved(long need, InterleaveParams p, long size) {
        long chunkUnits = p.chunkSize() / Famfs.ALLOC_UNIT;
        long stripeUnits = p.nstrips() * chunkUnits;
        long stripes = Math.ceilDiv(need, stripeUnits);
        long stripUnits = stripes * chunkUnits;
        long bucketUnits = units / p.nbuckets();
        int[] order = shuffledBuckets(p.nbuckets());
        List<Extent> strips = new ArrayList<>(p.nstrips());
        List<long[]> runs = new ArrayList<>(p.nstrips());
        for (int i = 0; i < order.length && strips.size() < p.nstrips(); i++) {
            long bucketStart = order[i] * bucketUnits;
            long start = map.findClearRun(stripUnits, bucketStart, bucketStart + bucketUnits);
            if (start >= 0) {
                map.setUnits(start, stripUnits);
                runs.add(new long[] {start, stripUnits});
                strips.add(Extent.of(start * Famfs.ALLOC_UNIT, stripUnits * Famfs.ALLOC_UNIT));
            }
        }
        if (strips.size() < p.nstrips()) {
            release(new Allocation(null, runs));
            throw noSpace(
                    size,
                    "only " + strips.size() + " of " + p.nbuckets() + " buckets have " + stripUnits
                            + " free units in a row for a strip, " + p.nstrips() + " needed");
        }
        return new Allocation(InterleavedFmap.of(p.chunkSize(), strips), runs);
    }

    /** Fisher-Yates over the bucket numbers. */
    private int[] shuffledBuckets(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = bucketOrder.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Gives back what {@link #allocate} reserved (its entry was not written). */
    public void release(Allocation allocation) {
        for (long[] run : allocation.runs()) {
            map.clearUnits(run[0], run[1]);
        }
    }

    /** Where the next contiguous search starts: with {@link #restore}, an op that fails leaves no trace at all. */
    public long position() {
        return cursor;
    }

    public void restore(long position) {
        cursor = position;
    }

    /** Bytes not reserved, of the bitmap's capacity. */
    public long freeBytes() {
        return map.freeBytes();
    }

    private static FamfsException noSpace(long size, String why) {
        return new FamfsException(ErrorCode.NO_SPACE, "no space for " + size + " bytes: " + why);
    }
}
