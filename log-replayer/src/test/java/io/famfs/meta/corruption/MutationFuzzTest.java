package io.famfs.meta.corruption;

import static io.famfs.meta.format.FormatError.*;
import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.format.FormatError;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.log.ReadMode;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Seeded single-byte mutations of golden images a1-basic and a3-nested: a byte XORed with a random non-zero value,
 * in place in the device mapped read-write once per case, then restored. Each mutation opens the volume and replays
 * it in STOP_AT_BAD; an oracle written from the format description (offset, old and new byte; never the code under
 * test) says what must happen. Any other exception, or a replay slower than {@link #REPLAY_LIMIT_SECONDS}, fails
 * with the offset, the values and the seed.
 *
 * <p>The seed is fixed ({@link #DEFAULT_SEED}) so every run is repeatable; {@code -Dfamfs.fuzz.seed=N} picks another
 * and {@code -Dfamfs.fuzz.seed=random} a random one. It is printed and appears in every
 * failure message.
 */
class MutationFuzzTest {
    private static final int MUTATIONS = 100_000;
    private static final long BUDGET_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final long REPLAY_LIMIT_SECONDS = 5;
    private static final int RESEALED_PER_CASE = 15_000;

    /** Where a mutation landed, for the coverage counts. */
    enum Region {
        SB_MAGIC,
        SB_VERSION,
        SB_CRC_COVERED,
        SB_CRC,
        SB_FLAGS_PADDING,
        SB_DD_SIZE,
        SB_DAXDEV,
        SB_REGION_REST,
        LOG_MAGIC,
        LOG_CRC_COVERED,
        LOG_CRC,
        LOG_NEXT_SEQNUM,
        LOG_NEXT_INDEX,
        ENTRY_SEQNUM,
        ENTRY_BODY,
        ENTRY_CRC,
        LOG_UNUSED
    }

    /**
     * What a mutation must give.
     *
     * @param error the exact typed error, or null for a replay
     * @param index the log index of an entry error (the namespace must then equal the prefix before it)
     * @param prefix for a replay: the next_index whose undamaged prefix the namespace must equal
     * @param typedErrorAllowed unprotected bytes: a typed error is acceptable instead of the replay
     * @param flagsMayChange a still-valid dd_size: compare without file flags
     */
    record Expect(
            Region region,
            FormatError error,
            long index,
            long prefix,
            boolean typedErrorAllowed,
            boolean flagsMayChange) {
        static Expect error(Region region, FormatError error) {
            return new Expect(region, error, FormatException.NO_INDEX, -1, false, false);
        }

        static Expect entryError(Region region, FormatError error, long index) {
            return new Expect(region, error, index, index, false, false);
        }

        static Expect replay(Region region, long prefix) {
            return new Expect(region, null, FormatException.NO_INDEX, prefix, false, false);
        }

        static Expect unprotected(Region region, long prefix) {
            return new Expect(region, null, FormatException.NO_INDEX, prefix, true, false);
        }

        static Expect replayFlagsMayChange(Region region, long prefix) {
            return new Expect(region, null, FormatException.NO_INDEX, prefix, false, true);
        }
    }

    static final long DEFAULT_SEED = 0x5eed_f00d_2026L;

    private static long seed() {
        String prop = System.getProperty("famfs.fuzz.seed");
        if (prop == null) {
            return DEFAULT_SEED;
        }
        return prop.equals("random") ? new SplittableRandom().nextLong() : Long.parseLong(prop);
    }

    @Test
    void singleByteMutationsGiveTheOracleOutcome() throws Exception {
        long seed = seed();
        System.out.println("MutationFuzzTest seed " + seed + " (rerun with -Dfamfs.fuzz.seed=" + seed + ")");
        long start = System.nanoTime();
        long deadline = start + BUDGET_NANOS;
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mutation-replay");
            t.setDaemon(true);
            return t;
        });
        int total = 0;
        Map<Region, Integer> regions = new EnumMap<>(Region.class);
        Map<FormatError, Integer> errors = new EnumMap<>(FormatError.class);
        try {
            List<String> cases = List.of("a1-basic", "a3-nested");
            for (int c = 0; c < cases.size(); c++) {
                String name = cases.get(c);
                int quota = (MUTATIONS - total) / (cases.size() - c);
                try (GoldenImage g = GoldenImage.load(name, true)) {
                    String slot = name + " slot next_index";
                    assertNotEquals(g.n, Raw.u64(g.seg, Raw.entryOffset(g.n)), slot + " must not look valid");
                    long caseStart = System.nanoTime();
                    int done = fuzz(
                            g,
                            new SplittableRandom(seed ^ name.hashCode()),
                            quota,
                            deadline,
                            worker,
                            seed,
                            regions,
                            errors);
                    total += done;
                    System.out.printf(
                            "MutationFuzzTest %s: %d mutations in %.1f s%n",
                            name, done, (System.nanoTime() - caseStart) / 1e9);
                    g.assertPristine();
                }
            }
        } finally {
            worker.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("MutationFuzzTest: %d mutations in %.1f s (seed %d)%n", total, seconds, seed);
        System.out.println("MutationFuzzTest regions: " + regions);
        System.out.println("MutationFuzzTest errors: " + errors);
        int count = total;
        assertTrue(
                count >= MUTATIONS,
                () -> "only " + count + " of " + MUTATIONS + " mutations within 5 minutes (seed " + seed + ")");
        for (Region r : Region.values()) {
            assertTrue(regions.getOrDefault(r, 0) > 0, () -> "no mutation in " + r + " (seed " + seed + ")");
        }
    }

    /**
     * Hostile but CRC-valid entries: 1 to 4 bytes of one used entry's [8, 536) changed, then the CRC resealed, so
     * the decoder sees them. The oracle decodes the type and fmap header itself: a FILE entry with an extent type
     * other than 0/1, more than 16 simple extents, more than one interleaved extent or more than 16 strips must stop
     * replay with ENTRY_MALFORMED at that index (namespace = the prefix before it); anything else must replay to the
     * end without error, whatever it creates.
     */
    @Test
    void crcValidEntryMutationsDecodeOrAreMalformed() throws Exception {
        long seed = seed();
        System.out.println("MutationFuzzTest resealed seed " + seed);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "resealed-replay");
            t.setDaemon(true);
            return t;
        });
        int malformed = 0;
        int decoded = 0;
        long start = System.nanoTime();
        try {
            for (String name : List.of("a1-basic", "a3-nested")) {
                SplittableRandom rnd = new SplittableRandom(seed ^ name.hashCode() ^ 0x5eal);
                try (GoldenImage g = GoldenImage.load(name, true)) {
                    for (int m = 0; m < RESEALED_PER_CASE; m++) {
                        long index = rnd.nextLong(g.n);
                        long base = Raw.entryOffset(index);
                        byte[] saved = g.seg.asSlice(base, Raw.ENTRY_LENGTH).toArray(ValueLayout.JAVA_BYTE);
                        StringBuilder changes = new StringBuilder();
                        int count = 1 + rnd.nextInt(4);
                        for (int c = 0; c < count; c++) {
                            int p = rnd.nextInt(100);
                            int within = p < 20
                                    ? 8 + rnd.nextInt(8)
                                    : p < 60 ? EntryBytes.FMAP_EXT_TYPE + rnd.nextInt(32) : 8 + rnd.nextInt(528);
                            int mask = 1 + rnd.nextInt(255);
                            g.set(base + within, (byte) (g.get(base + within) ^ mask));
                            changes.append(String.format(" [%d]^0x%02x", within, mask));
                        }
                        Raw.putU64(g.seg, base + Raw.E_CRC, Raw.crc32(g.seg, base, Raw.E_CRC));
                        byte[] hostile = g.seg.asSlice(base, Raw.ENTRY_LENGTH).toArray(ValueLayout.JAVA_BYTE);
                        boolean bad = malformed(hostile);
                        String what = String.format(
                                "%s entry %d resealed with%s, seed %d, expected %s",
                                name, index, changes, seed, bad ? "ENTRY_MALFORMED" : "a full replay");
                        Outcome o;
                        try {
                            Future<Outcome> f =
                                    worker.submit(() -> Outcome.openAndReplay(g.device, ReadMode.STOP_AT_BAD));
                            try {
                                o = f.get(REPLAY_LIMIT_SECONDS, TimeUnit.SECONDS);
                            } catch (TimeoutException e) {
                                f.cancel(true);
                                throw new AssertionError(
                                        what + ": replay took more than " + REPLAY_LIMIT_SECONDS + " s");
                            }
                        } finally {
                            MemorySegment.copy(saved, 0, g.seg, ValueLayout.JAVA_BYTE, base, saved.length);
                        }
                        if (bad) {
                            check(g, Expect.entryError(Region.ENTRY_BODY, ENTRY_MALFORMED, index), o, what);
                            malformed++;
                        } else {
                            if (o.other() != null) {
                                throw new AssertionError(what + ": unexpected " + o.other(), o.other());
                            }
                            assertNull(o.error(), () -> what + ", got " + o);
                            assertEquals(g.n, o.result().end(), () -> what + ", got " + o);
                            assertEquals(g.n, o.namespace().nextIndex(), () -> what + ", got " + o);
                            decoded++;
                        }
                    }
                    g.assertPristine();
                }
            }
        } finally {
            worker.shutdownNow();
        }
        System.out.printf(
                "MutationFuzzTest resealed: %d malformed, %d decoded in %.1f s (seed %d)%n",
                malformed, decoded, (System.nanoTime() - start) / 1e9, seed);
        int bad = malformed;
        int good = decoded;
        assertTrue(bad > 1000, () -> "only " + bad + " malformed entries (seed " + seed + ")");
        assertTrue(good > 1000, () -> "only " + good + " decodable entries (seed " + seed + ")");
    }

    /** The test's own decode of the fmap header of a FILE entry: true when it cannot be a famfs entry. */
    private static boolean malformed(byte[] entry) {
        MemorySegment s = MemorySegment.ofArray(entry);
        if (s.get(Raw.U32, 8) != EntryBytes.TYPE_FILE) {
            return false;
        }
        int extType = s.get(Raw.U32, EntryBytes.FMAP_EXT_TYPE);
        long count = Integer.toUnsignedLong(s.get(Raw.U32, EntryBytes.FMAP_NEXTENTS));
        return switch (extType) {
            case 0 -> count > 16;
            case 1 ->
                count > 1 || (count == 1 && Long.compareUnsigned(s.get(Raw.U64, EntryBytes.IEXT_NSTRIPS), 16) > 0);
            default -> true;
        };
    }

    private static int fuzz(
            GoldenImage g,
            SplittableRandom rnd,
            int quota,
            long deadline,
            ExecutorService worker,
            long seed,
            Map<Region, Integer> regions,
            Map<FormatError, Integer> errors)
            throws Exception {
        long metadataEnd = Raw.LOG + g.logLen;
        long entriesStart = Raw.entryOffset(0);
        long entriesEnd = Raw.entryOffset(g.n);
        int done = 0;
        while (done < quota && System.nanoTime() < deadline) {
            int pick = rnd.nextInt(100);
            long off;
            if (pick < 30) {
                off = rnd.nextLong(Raw.SB_LENGTH);
            } else if (pick < 42) {
                off = Raw.LOG + rnd.nextLong(Raw.HEADER_LENGTH);
            } else if (pick < 85) {
                off = rnd.nextLong(entriesStart, entriesEnd);
            } else if (pick < 90) {
                off = rnd.nextLong(entriesEnd, Raw.entryOffset(g.n + 2)); // the slots just past next_index
            } else {
                off = rnd.nextLong(metadataEnd);
            }
            int mask = 1 + rnd.nextInt(255);
            int oldByte = g.get(off) & 0xff;
            int newByte = oldByte ^ mask;
            Expect expect = oracle(g, off, newByte);
            g.set(off, (byte) newByte);
            Outcome outcome;
            long t0 = System.nanoTime();
            try {
                Future<Outcome> f = worker.submit(() -> Outcome.openAndReplay(g.device, ReadMode.STOP_AT_BAD));
                try {
                    outcome = f.get(REPLAY_LIMIT_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    throw new AssertionError(describe(g, off, oldByte, newByte, seed, expect)
                            + ": open + replay took more than " + REPLAY_LIMIT_SECONDS + " s");
                }
            } finally {
                g.set(off, (byte) oldByte);
            }
            long micros = (System.nanoTime() - t0) / 1000;
            check(g, expect, outcome, describe(g, off, oldByte, newByte, seed, expect) + " (" + micros + " us)");
            regions.merge(expect.region(), 1, Integer::sum);
            FormatError got = outcome.errorKind();
            if (got != null) {
                errors.merge(got, 1, Integer::sum);
            }
            done++;
        }
        return done;
    }

    private static String describe(GoldenImage g, long off, int oldByte, int newByte, long seed, Expect e) {
        String where = off >= Raw.entryOffset(0) && off < Raw.entryOffset(g.lastIndex + 1)
                ? String.format(
                        " (entry %d byte %d)",
                        (off - Raw.entryOffset(0)) / Raw.ENTRY_LENGTH, (off - Raw.entryOffset(0)) % Raw.ENTRY_LENGTH)
                : "";
        return String.format(
                "%s offset %d%s: 0x%02x -> 0x%02x, seed %d, expected %s",
                g.golden.name(), off, where, oldByte, newByte, seed, e);
    }

    private static void check(GoldenImage g, Expect e, Outcome o, String what) {
        if (o.other() != null) {
            throw new AssertionError(what + ": unexpected " + o.other(), o.other());
        }
        FormatException err = o.error();
        if (e.error() != null) {
            assertNotNull(err, () -> what + ", got " + o);
            assertEquals(e.error(), err.error(), () -> what + ", got " + o);
            assertEquals(e.index(), err.index(), () -> what + ", got " + o);
            if (e.error().isEntryError()) {
                assertEquals(e.index(), o.result().end(), () -> what + ", got " + o);
                assertEquals(
                        g.prefix.get((int) e.index()),
                        Canon.of(o.namespace()),
                        () -> what + ": namespace is not the prefix before the bad entry");
            }
            return;
        }
        if (err != null) {
            assertTrue(e.typedErrorAllowed(), () -> what + ", got " + o);
            return;
        }
        assertEquals(e.prefix(), o.result().end(), () -> what + ", got " + o);
        if (e.flagsMayChange()) {
            assertEquals(
                    g.prefixNoFlags.get((int) e.prefix()),
                    Canon.withoutFlags(o.namespace()),
                    () -> what + ": namespace changed beyond file flags");
        } else {
            assertEquals(g.prefix.get((int) e.prefix()), Canon.of(o.namespace()), () -> what + ": namespace changed");
        }
    }

    /**
     * The expected outcome of the byte at {@code off} becoming {@code newByte}, from famfs-format.md 1.2-1.4 and the
     * open order: superblock magic, version, CRC, ..., dd_size; header magic, CRC, ..., next_index; entries [0,
     * next_index): seqnum, then CRC. A single changed byte always changes a CRC-32.
     */
    static Expect oracle(GoldenImage g, long off, int newByte) {
        if (off < Raw.SB_REGION) {
            if (off < 8) {
                return Expect.error(Region.SB_MAGIC, SB_BAD_MAGIC);
            }
            if (off < 16) {
                long version = withByte(g.version, (int) (off - Raw.SB_VERSION), newByte);
                // 47 passes the version check; the CRC covers the version field
                return Expect.error(Region.SB_VERSION, version == 47 ? SB_CRC_MISMATCH : SB_UNSUPPORTED_VERSION);
            }
            if (off < Raw.SB_CRC) {
                return Expect.error(Region.SB_CRC_COVERED, SB_CRC_MISMATCH);
            }
            if (off < Raw.SB_FLAGS) {
                return Expect.error(Region.SB_CRC, SB_CRC_MISMATCH);
            }
            if (off < Raw.SB_DD_SIZE) {
                return Expect.unprotected(Region.SB_FLAGS_PADDING, g.n);
            }
            if (off < Raw.SB_DD_UUID) {
                long size = withByte(g.ddSize, (int) (off - Raw.SB_DD_SIZE), newByte);
                boolean bad = Raw.ucmp(size, 4 * Raw.GiB) < 0
                        || Raw.ucmp(size, g.mapping) > 0
                        || Raw.ucmp(size, Raw.LOG + g.logLen) < 0;
                return bad
                        ? Expect.error(Region.SB_DD_SIZE, SB_BAD_DEV_SIZE)
                        : Expect.replayFlagsMayChange(Region.SB_DD_SIZE, g.n);
            }
            if (off < Raw.SB_LENGTH) {
                return Expect.unprotected(Region.SB_DAXDEV, g.n);
            }
            return Expect.unprotected(Region.SB_REGION_REST, g.n);
        }
        long h = off - Raw.LOG;
        if (h < 8) {
            return Expect.error(Region.LOG_MAGIC, LOG_BAD_MAGIC);
        }
        if (h < Raw.H_CRC) {
            return Expect.error(Region.LOG_CRC_COVERED, LOG_CRC_MISMATCH);
        }
        if (h < Raw.H_NEXT_SEQNUM) {
            return Expect.error(Region.LOG_CRC, LOG_CRC_MISMATCH);
        }
        if (h < Raw.H_NEXT_INDEX) {
            return Expect.unprotected(Region.LOG_NEXT_SEQNUM, g.n);
        }
        if (h < Raw.HEADER_LENGTH) {
            long next = withByte(g.n, (int) (h - Raw.H_NEXT_INDEX), newByte);
            if (next < 0 || next > g.lastIndex + 1) {
                return Expect.error(Region.LOG_NEXT_INDEX, LOG_NEXT_INDEX_OUT_OF_RANGE);
            }
            if (next <= g.n) {
                return Expect.replay(Region.LOG_NEXT_INDEX, next);
            }
            // more entries published: slot n is never valid in these images (checked up front)
            return Expect.entryError(Region.LOG_NEXT_INDEX, ENTRY_SEQNUM_MISMATCH, g.n);
        }
        long e = off - Raw.entryOffset(0);
        long index = e / Raw.ENTRY_LENGTH;
        if (index < g.n) {
            long within = e % Raw.ENTRY_LENGTH;
            if (within < 8) {
                return Expect.entryError(Region.ENTRY_SEQNUM, ENTRY_SEQNUM_MISMATCH, index);
            }
            return within < Raw.E_CRC
                    ? Expect.entryError(Region.ENTRY_BODY, ENTRY_CRC_MISMATCH, index)
                    : Expect.entryError(Region.ENTRY_CRC, ENTRY_CRC_MISMATCH, index);
        }
        return Expect.unprotected(Region.LOG_UNUSED, g.n);
    }

    /** {@code value} (little-endian u64) with byte {@code b} replaced by {@code newByte}. */
    private static long withByte(long value, int b, int newByte) {
        long shift = 8L * b;
        return (value & ~(0xffL << shift)) | ((long) newByte << shift);
    }
}
