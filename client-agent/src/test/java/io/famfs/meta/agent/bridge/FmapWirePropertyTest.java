package io.famfs.meta.agent.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Fmap;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.SimpleFmap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random valid layouts, each from its own seed (printed on failure): the kernel's view of the reply maps every file
 * offset into exactly one of the extents given, and no two offsets to the same device byte; a map one 2 MiB short is
 * refused.
 */
class FmapWirePropertyTest {
    private static final long MiB = 1L << 20;
    private static final long AU = 2 * MiB;
    private static final long FIRST_SEED = 0x5eedf4a5L;
    private static final int LAYOUTS = 500;

    @Test
    void everyOffsetMapsIntoTheGivenExtentsOnce() {
        for (int i = 0; i < LAYOUTS; i++) {
            long seed = FIRST_SEED + i;
            try {
                Random random = new Random(seed);
                if (random.nextBoolean()) {
                    checkSimple(random);
                } else {
                    checkInterleaved(random);
                }
            } catch (AssertionError | FmapRefusedException | RuntimeException e) {
                throw new AssertionError("layout seed " + seed + ": " + e, e);
            }
        }
    }

    private static void checkSimple(Random random) throws FmapRefusedException {
        int n = 1 + random.nextInt(16);
        long[] lengths = new long[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            lengths[i] = (1 + random.nextInt(8)) * AU;
            total += lengths[i];
        }
        // the last extent always holds part of the file
        long size = total - AU + 1 + random.nextLong(AU);
        List<Extent> given = place(random, lengths);

        checkMapping(size, new SimpleFmap(given), given);

        int shorter = random.nextInt(n);
        List<Extent> short1 = new ArrayList<>(given);
        Extent e = given.get(shorter);
        short1.set(shorter, Extent.of(e.offset(), e.length() - AU));
        FmapRefusedException refused =
                assertThrows(FmapRefusedException.class, () -> FmapWire.encode(size, new SimpleFmap(short1)));
        assertEquals(Errno.EINVAL, refused.errno());
    }

    private static void checkInterleaved(Random random) throws FmapRefusedException {
        int nstrips = 1 + random.nextInt(16);
        long chunk = (1 + random.nextInt(8)) * AU;
        long size = 1 + random.nextLong(nstrips * chunk * (1 + random.nextInt(6)));

        // what each strip must hold: deal the file out chunk by chunk
        long[] held = new long[nstrips];
        for (long off = 0; off < size; off += chunk) {
            held[(int) (off / chunk % nstrips)] += Math.min(chunk, size - off);
        }
        long[] exact = new long[nstrips];
        long[] lengths = new long[nstrips];
        for (int j = 0; j < nstrips; j++) {
            exact[j] = (held[j] + AU - 1) / AU * AU;
            lengths[j] = exact[j] + (random.nextInt(4) == 0 ? random.nextInt(3) * AU : 0);
        }
        List<Extent> given = place(random, lengths);

        checkMapping(size, InterleavedFmap.of(chunk, given), given);

        List<Extent> tight = new ArrayList<>();
        for (int j = 0; j < nstrips; j++) {
            tight.add(Extent.of(given.get(j).offset(), exact[j]));
        }
        checkMapping(size, InterleavedFmap.of(chunk, tight), tight);

        int shorter = random.nextInt(nstrips);
        if (exact[shorter] > 0) {
            List<Extent> short1 = new ArrayList<>(tight);
            short1.set(shorter, Extent.of(tight.get(shorter).offset(), exact[shorter] - AU));
            assertShortStripRefused(size, chunk, short1);
            if (nstrips > 1) {
                // the same 2 MiB given to another strip: the sum still covers the file, the short strip does not
                int longer = (shorter + 1 + random.nextInt(nstrips - 1)) % nstrips;
                short1.set(longer, Extent.of(tight.get(longer).offset(), exact[longer] + AU));
                assertShortStripRefused(size, chunk, short1);
            }
        }
    }

    private static void assertShortStripRefused(long size, long chunk, List<Extent> strips) {
        FmapRefusedException refused = assertThrows(
                FmapRefusedException.class, () -> FmapWire.encode(size, InterleavedFmap.of(chunk, strips)));
        assertEquals(Errno.EINVAL, refused.errno());
    }

    /** Walks [0, size) run by run as the kernel resolves it. */
    private static void checkMapping(long size, Fmap fmap, List<Extent> given) throws FmapRefusedException {
        byte[] reply = FmapWire.encode(size, fmap);
        V9Fmap f = V9Fmap.decode(reply);
        assertEquals(reply.length, f.declaredLength);
        assertEquals(size, f.fileSize);
        FmapWireTest.assertNonFieldBytesZero(reply, f);

        Random inRun = new Random(size);
        List<long[]> runs = new ArrayList<>();
        long off = 0;
        while (off < size) {
            V9Fmap.Resolved r = f.resolve(off);
            long length = Math.min(r.bytes(), size - off);
            assertTrue(length > 0, "empty run at " + off);
            int holders = 0;
            for (Extent e : given) {
                if (r.devOffset() >= e.offset() && r.devOffset() + length <= e.offset() + e.length()) {
                    holders++;
                }
            }
            assertEquals(1, holders, "extents holding file bytes [" + off + ", " + (off + length) + ")");
            // the run is linear: its last byte, and one inside it, resolve where the run says
            assertEquals(r.devOffset() + length - 1, f.resolve(off + length - 1).devOffset());
            long d = inRun.nextLong(length);
            assertEquals(r.devOffset() + d, f.resolve(off + d).devOffset());
            runs.add(new long[] {r.devOffset(), length});
            off += length;
        }

        runs.sort(Comparator.comparingLong(run -> run[0]));
        for (int i = 1; i < runs.size(); i++) {
            long[] before = runs.get(i - 1);
            assertTrue(
                    before[0] + before[1] <= runs.get(i)[0],
                    "device bytes at 0x" + Long.toHexString(runs.get(i)[0]) + " mapped twice");
        }
    }

    /** Extents of {@code lengths}, in that order, at disjoint 2 MiB-aligned device offsets in a shuffled order. */
    private static List<Extent> place(Random random, long[] lengths) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        long[] offsets = new long[lengths.length];
        long next = 4L << 30;
        for (int i : order) {
            next += random.nextInt(4) * AU;
            offsets[i] = next;
            next += lengths[i];
        }
        List<Extent> extents = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            extents.add(Extent.of(offsets[i], lengths[i]));
        }
        return extents;
    }
}
