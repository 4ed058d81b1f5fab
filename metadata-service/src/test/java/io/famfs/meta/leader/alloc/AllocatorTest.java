package io.famfs.meta.leader.alloc;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.replay.SpaceMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The allocation policy on a bitmap alone: where space goes, that it never overlaps, and that failures change nothing. */
class AllocatorTest {
    private static final long MiB = 1L << 20;
    private static final long GiB = 1L << 30;
    private static final long AU = 2 * MiB;
    private static final long LOG_LEN = 8 * MiB;
    private static final long RESERVED = 2 * MiB + LOG_LEN;

    private static Allocator allocator(long devSize, long seed) {
        return new Allocator(new SpaceMap(devSize, RESERVED), seed);
    }

    private static Extent only(Allocator.Allocation a) {
        SimpleFmap f = assertInstanceOf(SimpleFmap.class, a.fmap());
        assertEquals(1, f.count());
        return f.extents().getFirst();
    }

    @Test
    void contiguousFilesStartAfterTheLogRoundUpAndFollowEachOther() {
        Allocator alloc = allocator(8 * GiB, 1);
        Extent a = only(alloc.allocate(3 * MiB, null));
        assertEquals(new Extent(0, RESERVED, 4 * MiB), a, "famfs puts the first file at 10 MiB, 4 MiB for 3 MiB");
        Extent b = only(alloc.allocate(1, InterleaveParams.CONTIGUOUS));
        assertEquals(new Extent(0, RESERVED + 4 * MiB, AU), b);
        Extent c = only(alloc.allocate(2 * MiB + 1, null));
        assertEquals(new Extent(0, RESERVED + 6 * MiB, 4 * MiB), c);
        assertEquals(8 * GiB - RESERVED - 10 * MiB, alloc.freeBytes());
    }

    @Test
    void neverHandsOutWhatTheLogHoldsNorThePastTheDevice() {
        SpaceMap space = new SpaceMap(4 * GiB, RESERVED);
        space.mark(RESERVED + 2 * MiB, 2 * MiB); // a file of the log at 12 MiB
        Allocator alloc = new Allocator(space, 1);
        assertEquals(new Extent(0, RESERVED, AU), only(alloc.allocate(AU, null)));
        // 4 MiB does not fit in the free unit before the file: it goes after it
        assertEquals(new Extent(0, RESERVED + 4 * MiB, 4 * MiB), only(alloc.allocate(4 * MiB, null)));
        // fill the device: the last extent ends exactly at dd_size
        long rest = alloc.freeBytes();
        Extent last = only(alloc.allocate(rest, null));
        assertEquals(4 * GiB, last.offset() + last.length());
        assertEquals(0, alloc.freeBytes());
        FamfsException e = assertThrows(FamfsException.class, () -> alloc.allocate(1, null));
        assertEquals(ErrorCode.NO_SPACE, e.code());
    }

    @Test
    void theCursorWrapsAroundToSpaceGivenBack() {
        Allocator alloc = allocator(4 * GiB, 1);
        Allocator.Allocation first = alloc.allocate(GiB, null);
        alloc.allocate(alloc.freeBytes(), null); // the rest of the device
        alloc.release(first);
        assertEquals(GiB, alloc.freeBytes());
        assertEquals(only(first), only(alloc.allocate(GiB, null)), "next-fit wraps to the start");
    }

    @Test
    void noSpaceChangesNothing() {
        Allocator alloc = allocator(4 * GiB, 1);
        long free = alloc.freeBytes();
        FamfsException e = assertThrows(FamfsException.class, () -> alloc.allocate(free + 1, null));
        assertEquals(ErrorCode.NO_SPACE, e.code());
        assertEquals(free, alloc.freeBytes());
        assertEquals(new Extent(0, RESERVED, free), only(alloc.allocate(free, null)));
    }

    @Test
    void stripesStayInsideDistinctBucketsWithFamfsSizes() {
        long devSize = 16 * GiB;
        InterleaveParams p = new InterleaveParams(8, 4, 2 * MiB).validate(devSize);
        Allocator alloc = allocator(devSize, 7);
        long size = 20 * MiB; // 10 units; a stripe is 4 chunks of 1 unit: 3 stripes, so strips of 3 units
        InterleavedFmap f =
                assertInstanceOf(InterleavedFmap.class, alloc.allocate(size, p).fmap());
        assertEquals(1, f.count());
        var ie = f.extents().getFirst();
        assertEquals(2 * MiB, ie.chunkSize());
        assertEquals(4, ie.nstrips());
        long bucket = devSize / 8;
        Set<Long> buckets = new HashSet<>();
        for (Extent s : ie.strips()) {
            assertEquals(6 * MiB, s.length(), "strip of 3 stripes of one chunk");
            assertEquals(0, s.offset() % AU);
            long b = s.offset() / bucket;
            assertEquals(b, (s.offset() + s.length() - 1) / bucket, "strip " + s + " leaves its bucket");
            assertTrue(buckets.add(b), "two strips in bucket " + b);
            assertTrue(s.offset() >= RESERVED);
        }
        assertEquals(devSize - RESERVED - 24 * MiB, alloc.freeBytes());
    }

    @Test
    void aFileSmallerThanAChunkFallsBackToContiguous() {
        InterleaveParams p = new InterleaveParams(4, 2, 8 * MiB).validate(8 * GiB);
        Allocator alloc = allocator(8 * GiB, 7);
        assertEquals(new Extent(0, RESERVED, 8 * MiB), only(alloc.allocate(7 * MiB, p)), "7 MiB rounds up to 8");
        assertInstanceOf(InterleavedFmap.class, alloc.allocate(8 * MiB, p).fmap());
    }

    @Test
    void theBucketOrderFollowsTheSeed() {
        InterleaveParams p = new InterleaveParams(16, 4, 2 * MiB).validate(16 * GiB);
        List<Long> first = stripStarts(allocator(16 * GiB, 42), p);
        assertEquals(first, stripStarts(allocator(16 * GiB, 42), p), "same seed, same layout");
        Set<List<Long>> layouts = new HashSet<>();
        for (long seed = 0; seed < 8; seed++) {
            layouts.add(stripStarts(allocator(16 * GiB, seed), p));
        }
        assertTrue(layouts.size() > 1, "every seed gave the same bucket order");
    }

    private static List<Long> stripStarts(Allocator alloc, InterleaveParams p) {
        InterleavedFmap f = (InterleavedFmap) alloc.allocate(8 * MiB, p).fmap();
        List<Long> starts = new ArrayList<>();
        f.extents().getFirst().strips().forEach(s -> starts.add(s.offset()));
        return starts;
    }

    @Test
    void tooFewBucketsWithRoomIsNoSpaceAndGivesBackTheStripsTaken() {
        long devSize = 4 * GiB;
        InterleaveParams p = new InterleaveParams(4, 4, 2 * MiB).validate(devSize);
        SpaceMap space = new SpaceMap(devSize, RESERVED);
        space.mark(3 * GiB, GiB); // bucket 3 is full
        Allocator alloc = new Allocator(space, 3);
        long free = alloc.freeBytes();
        FamfsException e = assertThrows(FamfsException.class, () -> alloc.allocate(8 * MiB, p));
        assertEquals(ErrorCode.NO_SPACE, e.code());
        assertTrue(e.getMessage().contains("3 of 4 buckets"), e.getMessage());
        assertEquals(free, alloc.freeBytes(), "the three strips found were given back");
        // with three strips it fits
        assertInstanceOf(
                InterleavedFmap.class,
                alloc.allocate(8 * MiB, new InterleaveParams(4, 3, 2 * MiB)).fmap());
    }

    @Test
    void aZeroSizeIsRefused() {
        Allocator alloc = allocator(4 * GiB, 1);
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                assertThrows(FamfsException.class, () -> alloc.allocate(0, null))
                        .code());
    }
}
