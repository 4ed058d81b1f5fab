package io.famfs.meta.corruption;

import static io.famfs.meta.format.FormatError.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.famfs.meta.device.Device;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.FormatError;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogAppender;
import io.famfs.meta.log.LogReader;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.log.ReadResult;
import io.famfs.meta.replay.FileFlag;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Replayer;
import io.famfs.meta.replay.SkipReason;
import io.famfs.meta.replay.SkippedEntry;
import io.famfs.meta.testing.TestDevice;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One test per class of damage (famfs-format.md 1.2-1.4, 3): each asserts the exact {@link FormatError}, the index
 * for entry errors, and that the namespace before a bad entry is the replay of the undamaged log's prefix. Golden
 * images a1-basic and a3-nested are damaged in place and restored (checked after every test); hostile entries are
 * written by hand, with correct CRCs, into small logs.
 */
class CorruptionTest {
    private static final long DATA = 10 * Raw.MiB; // first data offset with an 8 MiB log

    private static GoldenImage a1;
    private static GoldenImage a3;

    @BeforeAll
    static void load() {
        a1 = GoldenImage.load("a1-basic", true);
        a3 = GoldenImage.load("a3-nested", true);
    }

    @AfterAll
    static void unload() {
        try {
            if (a1 != null) {
                a1.close();
            }
        } finally {
            if (a3 != null) {
                a3.close();
            }
        }
    }

    @AfterEach
    void imagesWereRestored() {
        try {
            a1.assertPristine();
            a3.assertPristine();
        } finally {
            a1.restore();
            a3.restore();
        }
    }

    private static List<GoldenImage> images() {
        return List.of(a1, a3);
    }

    // ---- assertions ----

    private static Outcome run(GoldenImage g) {
        return Outcome.openAndReplay(g.device, ReadMode.STOP_AT_BAD);
    }

    /** Damages the image with {@code damage}, opens and replays it, then copies the golden bytes back. */
    private static Outcome damaged(GoldenImage g, Consumer<MemorySegment> damage) {
        try {
            damage.accept(g.seg);
            return run(g);
        } finally {
            g.restore();
        }
    }

    private static void assertOpenError(Outcome o, FormatError expected, String what) {
        assertNull(o.other(), () -> what + ": " + o);
        assertNotNull(o.openError(), () -> what + ": expected " + expected + " at open, got " + o);
        assertEquals(expected, o.openError().error(), () -> what + ": " + o);
        assertEquals(FormatException.NO_INDEX, o.openError().index(), () -> what + ": " + o);
    }

    /** Replay stopped at entry {@code index} with {@code expected}, holding exactly the prefix before it. */
    private static void assertEntryError(GoldenImage g, Outcome o, FormatError expected, long index, String what) {
        assertNull(o.other(), () -> what + ": " + o);
        assertNull(o.openError(), () -> what + ": expected " + expected + " at " + index + ", got " + o);
        assertTrue(o.result().stopped(), () -> what + ": expected " + expected + " at " + index + ", got " + o);
        assertEquals(expected, o.result().stoppedBy().error(), () -> what + ": " + o);
        assertEquals(index, o.result().stoppedBy().index(), () -> what + ": " + o);
        assertEquals(index, o.result().end(), () -> what + ": " + o);
        assertEquals(index, o.namespace().nextIndex(), () -> what + ": " + o);
        assertEquals(g.prefix.get((int) index), Canon.of(o.namespace()), () -> what + ": namespace vs prefix " + index);
    }

    /** A full replay of next_index {@code k}: the namespace of the undamaged prefix [0, k). */
    private static void assertReplayOfPrefix(GoldenImage g, Outcome o, long k, String what) {
        assertNull(o.other(), () -> what + ": " + o);
        assertNull(o.error(), () -> what + ": expected a replay of " + k + " entries, got " + o);
        assertEquals(k, o.result().end(), () -> what + ": " + o);
        assertEquals(g.prefix.get((int) k), Canon.of(o.namespace()), () -> what + ": namespace vs prefix " + k);
    }

    /** The rule for unprotected bytes: the undamaged replay, or a typed {@link FormatException}. */
    private static void assertUnchangedOrTyped(GoldenImage g, Outcome o, String what) {
        assertNull(o.other(), () -> what + ": " + o);
        if (o.error() == null) {
            assertEquals(g.n, o.result().end(), () -> what + ": " + o);
            assertEquals(g.full(), Canon.of(o.namespace()), () -> what + ": namespace changed");
        }
    }

    // ---- CRC-covered ranges ----

    @Test
    void aFlippedByteInTheSuperblockCrcRangeIsRefused() {
        for (GoldenImage g : images()) {
            for (int off = 0; off < Raw.SB_CRC; off++) {
                for (int mask : new int[] {0x01, 0x80, 0xff}) {
                    // version 48 = 0x30: these masks never make 47, which would pass the version check
                    FormatError expected = off < 8 ? SB_BAD_MAGIC : off < 16 ? SB_UNSUPPORTED_VERSION : SB_CRC_MISMATCH;
                    String what = g.golden.name() + " sb byte " + off + " ^ 0x" + Integer.toHexString(mask);
                    assertOpenError(g.withXor(off, mask, () -> run(g)), expected, what);
                }
            }
        }
    }

    @Test
    void aFlippedByteInTheLogHeaderCrcRangeIsRefused() {
        for (GoldenImage g : images()) {
            for (int off = 0; off < Raw.H_CRC; off++) {
                for (int mask : new int[] {0x01, 0x80, 0xff}) {
                    FormatError expected = off < 8 ? LOG_BAD_MAGIC : LOG_CRC_MISMATCH;
                    String what = g.golden.name() + " header byte " + off + " ^ 0x" + Integer.toHexString(mask);
                    assertOpenError(g.withXor(Raw.LOG + off, mask, () -> run(g)), expected, what);
                }
            }
        }
    }

    @Test
    void aFlippedByteInAnEntryStopsReplayAtThatIndex() {
        // a1: every entry (mkdir, simple file, interleaved file); a3: first, first interleaved, middle, last
        long firstInterleaved = firstLogIndex(a3, "interleaved");
        assertEquals(19, firstInterleaved, "a3 case.json");
        record Pick(GoldenImage g, long... indices) {}
        List<Pick> picks = List.of(new Pick(a1, 0, 1, 2), new Pick(a3, 0, firstInterleaved, a3.n / 2, a3.n - 1));
        for (Pick pick : picks) {
            GoldenImage g = pick.g();
            for (long i : pick.indices()) {
                long base = Raw.entryOffset(i);
                for (int off = 0; off < Raw.E_CRC; off++) {
                    int mask = off % 3 == 0 ? 0xff : off % 3 == 1 ? 0x01 : 0x80;
                    FormatError expected = off < 8 ? ENTRY_SEQNUM_MISMATCH : ENTRY_CRC_MISMATCH;
                    String what = g.golden.name() + " entry " + i + " byte " + off;
                    assertEntryError(g, g.withXor(base + off, mask, () -> run(g)), expected, i, what);
                }
            }
        }
    }

    @Test
    void everyByteOfEveryStoredCrcIsCompared() {
        for (GoldenImage g : images()) {
            for (int b = 0; b < 8; b++) {
                for (int mask : new int[] {0x01, 0x80}) {
                    String m = " ^ 0x" + Integer.toHexString(mask);
                    assertOpenError(
                            g.withXor(Raw.SB_CRC + b, mask, () -> run(g)),
                            SB_CRC_MISMATCH,
                            g.golden.name() + " sb crc byte " + b + m);
                    assertOpenError(
                            g.withXor(Raw.LOG + Raw.H_CRC + b, mask, () -> run(g)),
                            LOG_CRC_MISMATCH,
                            g.golden.name() + " header crc byte " + b + m);
                    for (long i : new long[] {0, g.n - 1}) {
                        long at = Raw.entryOffset(i) + Raw.E_CRC + b;
                        assertEntryError(
                                g,
                                g.withXor(at, mask, () -> run(g)),
                                ENTRY_CRC_MISMATCH,
                                i,
                                g.golden.name() + " entry " + i + " crc byte " + b + m);
                    }
                }
            }
            // the stored CRCs are u64 whose high half is 0; a value with the right low half is still refused
            for (long high : new long[] {1L << 32, 1L << 63, 0xffffffffL << 32}) {
                long sbCrc = Raw.u64(g.seg, Raw.SB_CRC);
                assertEquals(Raw.crc32(g.seg, 0, Raw.SB_CRC), sbCrc);
                assertOpenError(
                        g.withU64(Raw.SB_CRC, sbCrc | high, () -> run(g)),
                        SB_CRC_MISMATCH,
                        g.golden.name() + " sb crc | " + Long.toHexString(high));
                long hCrc = Raw.u64(g.seg, Raw.LOG + Raw.H_CRC);
                assertEquals(Raw.crc32(g.seg, Raw.LOG, Raw.H_CRC), hCrc);
                assertOpenError(
                        g.withU64(Raw.LOG + Raw.H_CRC, hCrc | high, () -> run(g)),
                        LOG_CRC_MISMATCH,
                        g.golden.name() + " header crc | " + Long.toHexString(high));
                long last = g.n - 1;
                long eCrcAt = Raw.entryOffset(last) + Raw.E_CRC;
                long eCrc = Raw.u64(g.seg, eCrcAt);
                assertEquals(Raw.crc32(g.seg, Raw.entryOffset(last), Raw.E_CRC), eCrc);
                assertEntryError(
                        g,
                        g.withU64(eCrcAt, eCrc | high, () -> run(g)),
                        ENTRY_CRC_MISMATCH,
                        last,
                        g.golden.name() + " entry crc | " + Long.toHexString(high));
            }
        }
    }

    // ---- magic, version ----

    @Test
    void aWrongMagicIsRefusedEvenWithAMatchingCrc() {
        for (GoldenImage g : images()) {
            String name = g.golden.name();
            assertOpenError(damaged(g, s -> Raw.putU64(s, 0, 0)), SB_BAD_MAGIC, name + " sb magic 0 (killed)");
            for (long magic : new long[] {0, Raw.LOG_MAGIC, Raw.SB_MAGIC ^ 1L << 40}) {
                assertOpenError(
                        damaged(g, s -> {
                            Raw.putU64(s, 0, magic);
                            Raw.resealSuperblock(s);
                        }),
                        SB_BAD_MAGIC,
                        name + " sb magic 0x" + Long.toHexString(magic) + ", CRC resealed");
            }
            for (long magic : new long[] {0, Raw.SB_MAGIC, Raw.LOG_MAGIC ^ 1L << 63}) {
                assertOpenError(
                        damaged(g, s -> Raw.putU64(s, Raw.LOG, magic)),
                        LOG_BAD_MAGIC,
                        name + " log magic 0x" + Long.toHexString(magic));
                assertOpenError(
                        damaged(g, s -> {
                            Raw.putU64(s, Raw.LOG, magic);
                            Raw.resealHeader(s);
                        }),
                        LOG_BAD_MAGIC,
                        name + " log magic 0x" + Long.toHexString(magic) + ", CRC resealed");
            }
        }
    }

    @Test
    void onlyVersions48And47AreRead() {
        for (GoldenImage g : images()) {
            String name = g.golden.name();
            for (long version : new long[] {0, 46, 49, 1L << 63, -1}) {
                String v = Long.toUnsignedString(version);
                assertOpenError(
                        damaged(g, s -> Raw.putU64(s, Raw.SB_VERSION, version)),
                        SB_UNSUPPORTED_VERSION,
                        name + " version " + v);
                assertOpenError(
                        damaged(g, s -> {
                            Raw.putU64(s, Raw.SB_VERSION, version);
                            Raw.resealSuperblock(s);
                        }),
                        SB_UNSUPPORTED_VERSION,
                        name + " version " + v + ", CRC resealed");
            }
            // 47 passes the version check, so the CRC (which covers the version) decides
            assertOpenError(damaged(g, s -> Raw.putU64(s, Raw.SB_VERSION, 47)), SB_CRC_MISMATCH, name + " version 47");
            // a sealed 47 in the current layout is read (read-only) and replays like 48
            try {
                Raw.putU64(g.seg, Raw.SB_VERSION, 47);
                Raw.resealSuperblock(g.seg);
                FamfsVolume v47 = FamfsVolume.open(g.device);
                assertFalse(v47.writable(), name + ": v47 must not be appendable");
                assertReplayOfPrefix(g, run(g), g.n, name + " sealed version 47");
            } finally {
                g.restore();
            }
            // ... but only in that layout
            assertOpenError(
                    damaged(g, s -> {
                        Raw.putU64(s, Raw.SB_VERSION, 47);
                        Raw.putU64(s, Raw.SB_ALLOC_UNIT, 4097);
                        Raw.resealSuperblock(s);
                    }),
                    UNSUPPORTED_V47_LAYOUT,
                    name + " sealed 47, alloc unit 4097");
            assertOpenError(
                    damaged(g, s -> {
                        Raw.putU64(s, Raw.SB_VERSION, 47);
                        Raw.resealSuperblock(s);
                        Raw.putU64(s, Raw.LOG, 0);
                    }),
                    UNSUPPORTED_V47_LAYOUT,
                    name + " sealed 47, no log magic");
            assertOpenError(
                    damaged(g, s -> {
                        Raw.putU64(s, Raw.SB_ALLOC_UNIT, 4097);
                        Raw.resealSuperblock(s);
                    }),
                    SB_BAD_ALLOC_UNIT,
                    name + " sealed 48, alloc unit 4097");
        }
    }

    // ---- next_index ----

    @Test
    void nextIndexBeyondLastIndexPlusOneIsRefused() {
        for (GoldenImage g : images()) {
            for (long next : new long[] {g.lastIndex + 2, g.lastIndex + 1000, 1L << 63, -1}) {
                assertOpenError(
                        g.withU64(Raw.LOG + Raw.H_NEXT_INDEX, next, () -> run(g)),
                        LOG_NEXT_INDEX_OUT_OF_RANGE,
                        g.golden.name() + " next_index " + Long.toUnsignedString(next));
            }
            // last_index + 1 is in range; the zeroed slot at the old next_index is then the first bad entry
            assertEquals(0, Raw.u64(g.seg, Raw.entryOffset(g.n)), "slot next_index is zero");
            assertEntryError(
                    g,
                    g.withU64(Raw.LOG + Raw.H_NEXT_INDEX, g.lastIndex + 1, () -> run(g)),
                    ENTRY_SEQNUM_MISMATCH,
                    g.n,
                    g.golden.name() + " next_index last_index + 1");
        }
    }

    @Test
    void aFullLogWithNextIndexLastIndexPlusOneIsValid() {
        try (GoldenImage a2 = GoldenImage.load("a2-full-log", false)) {
            assertEquals(a2.lastIndex + 1, a2.n, "a2 next_index");
            Outcome o = run(a2);
            assertNull(o.other(), o::toString);
            assertNull(o.error(), o::toString);
            assertEquals(a2.lastIndex + 1, o.result().end());
            assertEquals(a2.expectedPaths(), Canon.paths(o.namespace()));
            assertEquals(11_520 + 3_900, o.namespace().nodes().size());
            assertOpenError(
                    a2.withU64(Raw.LOG + Raw.H_NEXT_INDEX, a2.lastIndex + 2, () -> run(a2)),
                    LOG_NEXT_INDEX_OUT_OF_RANGE,
                    "a2 next_index last_index + 2");
            a2.assertPristine();
        }
    }

    @Test
    void aLowerNextIndexReplaysTheShorterPrefix() {
        for (GoldenImage g : images()) {
            for (long k : new long[] {0, 1, 2, g.n / 2, g.n - 1}) {
                assertReplayOfPrefix(
                        g,
                        g.withU64(Raw.LOG + Raw.H_NEXT_INDEX, k, () -> run(g)),
                        k,
                        g.golden.name() + " next_index " + k);
            }
        }
    }

    // ---- dd_size, short devices ----

    @Test
    void aBadDdSizeIsRefused() {
        for (GoldenImage g : images()) {
            long[] bad = {
                4 * Raw.GiB - 2 * Raw.MiB, g.mapping + 2 * Raw.MiB, g.mapping + 1, 1L << 63, -1, 0, Raw.LOG + g.logLen
            };
            for (long size : bad) {
                assertOpenError(
                        g.withU64(Raw.SB_DD_SIZE, size, () -> run(g)),
                        SB_BAD_DEV_SIZE,
                        g.golden.name() + " dd_size " + Long.toUnsignedString(size));
            }
        }
    }

    @Test
    void aSmallerValidDdSizeOnlyFlagsFilesOutOfBounds() {
        for (GoldenImage g : images()) {
            for (long size : new long[] {4 * Raw.GiB, 6 * Raw.GiB + 2 * Raw.MiB, g.mapping - 2 * Raw.MiB}) {
                String what = g.golden.name() + " dd_size " + size;
                Outcome o = g.withU64(Raw.SB_DD_SIZE, size, () -> run(g));
                assertNull(o.other(), () -> what + ": " + o);
                assertNull(o.error(), () -> what + ": " + o);
                assertEquals(g.n, o.result().end(), what);
                assertEquals(g.expectedPaths(), Canon.paths(o.namespace()), what);
                assertEquals(g.prefixNoFlags.get((int) g.n), Canon.withoutFlags(o.namespace()), what);
                int outOfBounds = 0;
                for (JsonNode f : g.golden.json().get("files")) {
                    String path = f.get("relpath").asText();
                    boolean beyond = maxExtentEnd(f) > size;
                    outOfBounds += beyond ? 1 : 0;
                    FileNode node = (FileNode) o.namespace().get(path);
                    assertEquals(
                            beyond,
                            node.flags().contains(FileFlag.OUT_OF_BOUNDS),
                            () -> what + ": " + path + " flags " + node.flags());
                }
                if (size == 4 * Raw.GiB) {
                    assertTrue(outOfBounds > 0, what + ": some file must lie beyond 4 GiB");
                }
            }
        }
    }

    @Test
    void aDeviceShorterThanTheMetadataIsRefused() throws IOException {
        long metadata = Raw.LOG + a1.logLen;
        long[] lengths = {metadata - 1, metadata / 2, Raw.SB_REGION, 2 * Raw.SB_LENGTH, Raw.SB_LENGTH, 199, 1, 0};
        for (long length : lengths) {
            try (TestDevice d = a1.golden.device()) {
                truncate(d, length);
                try (Device dev = d.open(false)) {
                    assertEquals(length, dev.length());
                    assertOpenError(
                            Outcome.openAndReplay(dev, ReadMode.STOP_AT_BAD),
                            DEVICE_TOO_SMALL,
                            "a1 truncated to " + length + " bytes");
                }
            }
        }
        // exactly the metadata: it holds the log, but dd_size (8 GiB) is beyond the mapping
        try (TestDevice d = a1.golden.device()) {
            truncate(d, metadata);
            try (Device dev = d.open(false)) {
                assertOpenError(
                        Outcome.openAndReplay(dev, ReadMode.STOP_AT_BAD),
                        SB_BAD_DEV_SIZE,
                        "a1 truncated to 2 MiB + log_len");
            }
        }
    }

    private static void truncate(TestDevice d, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(d.path().toFile(), "rw")) {
            f.setLength(length);
        }
    }

    // ---- unprotected bytes ----

    @Test
    void unprotectedBytesLeaveTheReplayUnchanged() {
        for (GoldenImage g : images()) {
            List<long[]> ranges = new ArrayList<>();
            ranges.add(new long[] {Raw.SB_FLAGS, Raw.SB_PAD}); // ts_sb_flags
            ranges.add(new long[] {Raw.SB_PAD, Raw.SB_DD_SIZE}); // padding
            ranges.add(new long[] {Raw.SB_DD_UUID, Raw.SB_DD_DAXDEV}); // dd_uuid
            ranges.add(new long[] {Raw.SB_DD_DAXDEV, Raw.SB_LENGTH}); // dd_daxdev
            ranges.add(new long[] {Raw.SB_LENGTH, Raw.SB_LENGTH + 64}); // rest of the superblock region
            ranges.add(new long[] {Raw.SB_REGION - 64, Raw.SB_REGION});
            ranges.add(new long[] {Raw.LOG + Raw.H_NEXT_SEQNUM, Raw.LOG + Raw.H_NEXT_INDEX}); // next_seqnum
            ranges.add(new long[] {Raw.entryOffset(g.n), Raw.entryOffset(g.n + 1)}); // slot next_index
            ranges.add(new long[] {Raw.entryOffset(g.n + 1), Raw.entryOffset(g.n + 1) + 16});
            ranges.add(new long[] {Raw.entryOffset(g.lastIndex), Raw.entryOffset(g.lastIndex + 1)}); // last slot
            ranges.add(new long[] {Raw.entryOffset(g.lastIndex + 1), Raw.LOG + g.logLen}); // tail after the slots
            for (long off : new long[] {1 << 12, 1 << 20}) {
                ranges.add(new long[] {off, off + 1});
            }
            long tail = Raw.LOG + g.logLen - Raw.entryOffset(g.lastIndex + 1);
            assertEquals(g.logLen == 8 * Raw.MiB ? 80 : 208, tail, "bytes after the last slot");
            for (long[] r : ranges) {
                for (long off = r[0]; off < r[1]; off++) {
                    for (int mask : new int[] {0x01, 0xff}) {
                        long at = off;
                        String what = g.golden.name() + " unprotected byte " + at + " ^ 0x" + Integer.toHexString(mask);
                        assertUnchangedOrTyped(g, g.withXor(at, mask, () -> run(g)), what);
                    }
                }
            }
            // whole fields at once
            for (long value : new long[] {0, 1, 3, -1}) {
                assertUnchangedOrTyped(g, damaged(g, s -> s.set(Raw.U32, Raw.SB_FLAGS, (int) value)), "sb flags");
                assertUnchangedOrTyped(
                        g, g.withU64(Raw.LOG + Raw.H_NEXT_SEQNUM, value, () -> run(g)), "next_seqnum " + value);
            }
            assertUnchangedOrTyped(
                    g,
                    damaged(
                            g,
                            s -> s.asSlice(Raw.SB_DD_UUID, Raw.SB_LENGTH - Raw.SB_DD_UUID)
                                    .fill((byte) 0xff)),
                    "dd_uuid and dd_daxdev all 0xff (no NUL)");
            assertUnchangedOrTyped(
                    g,
                    damaged(
                            g,
                            s -> s.asSlice(Raw.entryOffset(g.n), Raw.LOG + g.logLen - Raw.entryOffset(g.n))
                                    .fill((byte) 0x5a)),
                    "the whole unused log");
        }
    }

    // ---- hostile entries with valid CRCs ----

    static Stream<Arguments> hostileFmaps() {
        long ext = 12 * Raw.MiB;
        return Stream.of(
                Arguments.of("nextents 17", fileAt("h").simple().u32(EntryBytes.FMAP_NEXTENTS, 17)),
                Arguments.of(
                        "nextents 2^32-1", fileAt("h").simple(ext, 2 * Raw.MiB).u32(EntryBytes.FMAP_NEXTENTS, -1)),
                Arguments.of(
                        "niext 2",
                        fileAt("h").interleaved(2 * Raw.MiB, ext, 2 * Raw.MiB).u32(EntryBytes.FMAP_NEXTENTS, 2)),
                Arguments.of(
                        "niext 2^32-1", fileAt("h").interleaved(2 * Raw.MiB).u32(EntryBytes.FMAP_NEXTENTS, -1)),
                Arguments.of("nstrips 17", fileAt("h").interleaved(2 * Raw.MiB).u64(EntryBytes.IEXT_NSTRIPS, 17)),
                Arguments.of(
                        "nstrips 2^63", fileAt("h").interleaved(2 * Raw.MiB).u64(EntryBytes.IEXT_NSTRIPS, 1L << 63)),
                Arguments.of(
                        "nstrips 2^64-1", fileAt("h").interleaved(2 * Raw.MiB).u64(EntryBytes.IEXT_NSTRIPS, -1)),
                Arguments.of(
                        "extent type 2", fileAt("h").simple(ext, 2 * Raw.MiB).u32(EntryBytes.FMAP_EXT_TYPE, 2)),
                Arguments.of(
                        "extent type 2^32-1",
                        fileAt("h").simple(ext, 2 * Raw.MiB).u32(EntryBytes.FMAP_EXT_TYPE, -1)));
    }

    private static EntryBytes fileAt(String path) {
        return EntryBytes.file(path.getBytes(StandardCharsets.UTF_8), 2 * Raw.MiB, 0644, 0, 0);
    }

    /** Entries 0 mkdir d, 1 file d/f (appended), 2 {@code hostile} (hand-written, sealed), 3 mkdir after. */
    private static void writeLogAround(Device dev, EntryBytes hostile) {
        FamfsVolume volume = FamfsVolume.open(dev);
        LogAppender appender = new LogAppender(volume);
        assertEquals(0, appender.append(MkdirEntry.create("d", 0755, 1, 2)));
        assertEquals(
                1,
                appender.append(
                        FileEntry.create("d/f", 3 * Raw.MiB, 0640, 3, 4, SimpleFmap.of(Extent.of(DATA, 4 * Raw.MiB)))));
        hostile.writeAt(dev.segment(), 2);
        Raw.publish(dev.segment(), 3);
        assertEquals(3, appender.append(MkdirEntry.create("after", 0700, 0, 0)));
        long at = Raw.entryOffset(2);
        assertEquals(2, Raw.u64(dev.segment(), at), "hand-written seqnum");
        assertEquals(
                Raw.crc32(dev.segment(), at, Raw.E_CRC),
                Raw.u64(dev.segment(), at + Raw.E_CRC),
                "hand-written entry carries a valid CRC");
        assertEquals(4, Raw.u64(dev.segment(), Raw.LOG + Raw.H_NEXT_INDEX));
    }

    /** The replay of entries [0, k) of the (undamaged) log. */
    private static String prefixOf(FamfsVolume volume, long k) {
        Namespace ns = Namespace.forVolume(volume);
        ReadResult r = new LogReader(volume).read(0, k, ReadMode.STOP_AT_BAD, ns::apply);
        assertFalse(r.stopped(), () -> "prefix [0, " + k + ") is bad: " + r.stoppedBy());
        return Canon.of(ns);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFmaps")
    void aCrcValidEntryThatCannotBeDecodedIsMalformed(String label, EntryBytes hostile) {
        try (TestDevice d = TestDevice.formatted();
                Device dev = d.open(true)) {
            writeLogAround(dev, hostile);
            FamfsVolume volume = FamfsVolume.open(dev);

            Replayer.Replay stop = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD);
            assertTrue(stop.result().stopped(), label);
            assertEquals(ENTRY_MALFORMED, stop.result().stoppedBy().error(), label);
            assertEquals(2, stop.result().stoppedBy().index(), label);
            assertEquals(2, stop.result().end(), label);
            assertEquals(2, stop.namespace().nextIndex(), label);
            assertEquals(prefixOf(volume, 2), Canon.of(stop.namespace()), label);
            assertEquals(Set.of("D d", "F d/f"), Canon.paths(stop.namespace()), label);

            Replayer.Replay skip = Replayer.replayAll(volume, ReadMode.SKIP_BAD);
            assertFalse(skip.result().stopped(), label);
            assertEquals(1, skip.result().skipped().size(), label);
            assertEquals(1, skip.namespace().badEntries().size(), label);
            FormatException bad = skip.namespace().badEntries().getFirst();
            assertEquals(ENTRY_MALFORMED, bad.error(), label);
            assertEquals(2, bad.index(), label);
            assertEquals(Set.of("D d", "F d/f", "D after"), Canon.paths(skip.namespace()), label);
            assertEquals(4, skip.namespace().nextIndex(), label);
        }
    }

    static Stream<Arguments> badPaths() {
        byte[] noNul = new byte[EntryBytes.RELPATH_FIELD];
        Arrays.fill(noNul, (byte) 'a');
        List<Arguments> cases = new ArrayList<>();
        Object[][] paths = {
            {"no NUL in 80 bytes", noNul},
            {"absolute", bytes("/abs")},
            {"a/../b", bytes("a/../b")},
            {"a//b", bytes("a//b")},
            {"0x7f byte", new byte[] {'a', 0x7f, 'b'}},
            {"invalid UTF-8 (C3 28)", new byte[] {'a', (byte) 0xc3, '('}},
            {"invalid UTF-8 (FF)", new byte[] {(byte) 0xff}},
            {"empty", new byte[0]},
            {"a/.", bytes("a/.")},
            {"trailing slash", bytes("a/")},
        };
        for (Object[] p : paths) {
            cases.add(Arguments.of("file " + p[0], true, p[1]));
            cases.add(Arguments.of("mkdir " + p[0], false, p[1]));
        }
        return cases.stream();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPaths")
    void anEntryWithABadPathIsSkippedAndReplayGoesOn(String label, boolean file, byte[] path) {
        try (TestDevice d = TestDevice.formatted();
                Device dev = d.open(true)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            LogAppender appender = new LogAppender(volume);
            appender.append(MkdirEntry.create("a", 0755, 0, 0));
            EntryBytes bad = file
                    ? EntryBytes.file(path, 2 * Raw.MiB, 0644, 0, 0).simple(12 * Raw.MiB, 2 * Raw.MiB)
                    : EntryBytes.mkdir(path, 0755, 0, 0);
            bad.writeAt(dev.segment(), 1);
            Raw.publish(dev.segment(), 2);
            appender.append(FileEntry.create("z", 1, 0644, 0, 0, SimpleFmap.of(Extent.of(DATA, 2 * Raw.MiB))));

            Replayer.Replay r = Replayer.replayAll(FamfsVolume.open(dev), ReadMode.STOP_AT_BAD);
            assertFalse(r.result().stopped(), () -> label + ": " + r.result().stoppedBy());
            assertEquals(3, r.result().end(), label);
            assertEquals(1, r.namespace().skipped().size(), label);
            SkippedEntry skipped = r.namespace().skipped().getFirst();
            assertEquals(1, skipped.index(), label);
            assertEquals(SkipReason.BAD_PATH, skipped.reason(), label);
            assertEquals(Set.of("D a", "F z"), Canon.paths(r.namespace()), label);
            assertTrue(r.namespace().badEntries().isEmpty(), label);
        }
    }

    /**
     * famfs's logplay skips a file "with an extent at offset 0" by reading the simple-extent array: a simple extent at
     * 0, or, for an interleaved file, the slot that overlays ie_chunk_size (a chunk size of 0). An interleaved file
     * with a strip at 0 is created by famfs; ours creates it too and flags it (the strip is inside the superblock).
     */
    @Test
    void filesFamfsSkipsForAnExtentAtOffsetZeroAreSkipped() {
        try (TestDevice d = TestDevice.formatted();
                Device dev = d.open(true)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            LogAppender appender = new LogAppender(volume);
            appender.append(MkdirEntry.create("a", 0755, 0, 0));
            EntryBytes.file(bytes("a/zero"), 4 * Raw.MiB, 0644, 0, 0)
                    .simple(DATA, 2 * Raw.MiB, 0, 2 * Raw.MiB)
                    .writeAt(dev.segment(), 1);
            EntryBytes.file(bytes("a/strip0"), 4 * Raw.MiB, 0644, 0, 0)
                    .interleaved(2 * Raw.MiB, DATA + 2 * Raw.MiB, 2 * Raw.MiB, 0, 2 * Raw.MiB)
                    .writeAt(dev.segment(), 2);
            EntryBytes.file(bytes("a/chunk0"), 4 * Raw.MiB, 0644, 0, 0)
                    .interleaved(0, DATA + 4 * Raw.MiB, 2 * Raw.MiB, DATA + 6 * Raw.MiB, 2 * Raw.MiB)
                    .writeAt(dev.segment(), 3);
            Raw.publish(dev.segment(), 4);
            appender.append(MkdirEntry.create("a/b", 0755, 0, 0));

            Replayer.Replay r = Replayer.replayAll(FamfsVolume.open(dev), ReadMode.STOP_AT_BAD);
            assertFalse(r.result().stopped(), () -> String.valueOf(r.result().stoppedBy()));
            assertEquals(5, r.result().end());
            assertEquals(
                    List.of(SkipReason.EXTENT_AT_OFFSET_ZERO, SkipReason.EXTENT_AT_OFFSET_ZERO),
                    r.namespace().skipped().stream().map(SkippedEntry::reason).toList());
            assertEquals(
                    List.of(1L, 3L),
                    r.namespace().skipped().stream().map(SkippedEntry::index).toList());
            assertEquals(Set.of("D a", "F a/strip0", "D a/b"), Canon.paths(r.namespace()));
            FileNode strip0 = (FileNode) r.namespace().get("a/strip0");
            assertTrue(strip0.flags().contains(FileFlag.OUT_OF_BOUNDS), strip0::toString);
        }
    }

    // ---- SKIP_BAD (fsck) and healing ----

    @Test
    void skipBadRecordsABadMiddleEntryAndAppliesTheRest() {
        try (TestDevice d = TestDevice.formatted();
                Device dev = d.open(true)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            LogAppender appender = new LogAppender(volume);
            appender.append(MkdirEntry.create("a", 0755, 0, 0));
            appender.append(MkdirEntry.create("b", 0755, 0, 0));
            appender.append(FileEntry.create("a/f", 1, 0644, 0, 0, SimpleFmap.of(Extent.of(DATA, 2 * Raw.MiB))));
            appender.append(MkdirEntry.create("c", 0755, 0, 0));
            long at = Raw.entryOffset(1) + EntryBytes.MKDIR_RELPATH;
            dev.segment().set(ValueLayout.JAVA_BYTE, at, (byte) 'x'); // "b" -> "x", CRC now stale

            Replayer.Replay stop = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD);
            assertEquals(ENTRY_CRC_MISMATCH, stop.result().stoppedBy().error());
            assertEquals(1, stop.result().stoppedBy().index());
            assertEquals(Set.of("D a"), Canon.paths(stop.namespace()));
            assertTrue(stop.namespace().badEntries().isEmpty());

            Replayer.Replay skip = Replayer.replayAll(volume, ReadMode.SKIP_BAD);
            assertFalse(skip.result().stopped());
            assertEquals(4, skip.result().end());
            assertEquals(4, skip.namespace().nextIndex());
            assertEquals(Set.of("D a", "F a/f", "D c"), Canon.paths(skip.namespace()));
            assertEquals(1, skip.namespace().badEntries().size());
            assertEquals(
                    ENTRY_CRC_MISMATCH, skip.namespace().badEntries().getFirst().error());
            assertEquals(1, skip.namespace().badEntries().getFirst().index());
            assertEquals(1, skip.result().skipped().size());
            assertEquals(1, skip.result().skipped().getFirst().index());
        }
    }

    @Test
    void skipBadOnGoldenImagesMatchesTheReplayWithoutThatEntry() {
        long file = a3.golden.json().get("files").get(50).get("log_index").asLong();
        long shards = dirLogIndex(a3, "models/llm/weights/shards");
        for (long k : new long[] {file, shards}) {
            FamfsVolume pristine = FamfsVolume.open(a3.device);
            Namespace expected = Namespace.forVolume(pristine);
            new LogReader(pristine).read(0, a3.n, ReadMode.STOP_AT_BAD, (index, entry) -> {
                if (index != k) {
                    expected.apply(index, entry);
                }
            });
            expected.skipBad(new FormatException(ENTRY_CRC_MISMATCH, k, "expected"));
            Outcome o = a3.withXor(
                    Raw.entryOffset(k) + 200, 0x10, () -> Outcome.openAndReplay(a3.device, ReadMode.SKIP_BAD));
            String what = "a3 SKIP_BAD, entry " + k + " bad";
            assertNull(o.other(), () -> what + ": " + o);
            assertNull(o.error(), () -> what + ": " + o);
            assertEquals(a3.n, o.result().end(), what);
            assertEquals(a3.n, o.namespace().nextIndex(), what);
            assertEquals(
                    List.of(k),
                    o.result().skipped().stream().map(FormatException::index).toList(),
                    what);
            assertEquals(Canon.of(expected), Canon.of(o.namespace()), what);
        }
        // the directory case loses its subtree: its children are skipped with PARENT_MISSING
        Outcome dir = a3.withXor(
                Raw.entryOffset(shards) + 200, 0x10, () -> Outcome.openAndReplay(a3.device, ReadMode.SKIP_BAD));
        assertNull(dir.namespace().get("models/llm/weights/shards"));
        assertTrue(dir.namespace().skipped().stream().anyMatch(s -> s.reason() == SkipReason.PARENT_MISSING));
    }

    @Test
    void aBadEntryThatHealsIsPickedUpByTheNextIncrementalReplay() {
        for (GoldenImage g : images()) {
            long k = g.n / 2;
            long at = Raw.entryOffset(k) + 17;
            byte old = g.get(at);
            FamfsVolume volume = FamfsVolume.open(g.device);
            Namespace ns = Namespace.forVolume(volume);
            Replayer replayer = new Replayer(volume, ns);
            try {
                g.set(at, (byte) (old ^ 0x40));
                ReadResult first = replayer.replay(ReadMode.STOP_AT_BAD);
                assertTrue(first.stopped());
                assertEquals(ENTRY_CRC_MISMATCH, first.stoppedBy().error());
                assertEquals(k, first.stoppedBy().index());
                assertEquals(k, ns.nextIndex());
                assertEquals(g.prefix.get((int) k), Canon.of(ns));

                ReadResult again = replayer.replay(ReadMode.STOP_AT_BAD); // still bad: same stop, nothing added
                assertEquals(k, again.from());
                assertEquals(k, again.stoppedBy().index());
                assertEquals(g.prefix.get((int) k), Canon.of(ns));
            } finally {
                g.set(at, old);
            }
            ReadResult healed = replayer.replay(ReadMode.STOP_AT_BAD);
            assertEquals(k, healed.from(), g.golden.name());
            assertFalse(healed.stopped(), g.golden.name());
            assertEquals(g.n, healed.end(), g.golden.name());
            assertEquals(g.n, ns.nextIndex());
            assertEquals(g.full(), Canon.of(ns), g.golden.name());
        }
    }

    // ---- case.json helpers ----

    private static long firstLogIndex(GoldenImage g, String extentType) {
        for (JsonNode f : g.golden.json().get("files")) {
            if (f.get("extent_type").asText().equals(extentType)) {
                return f.get("log_index").asLong();
            }
        }
        throw new AssertionError("no " + extentType + " file in " + g.golden.name());
    }

    private static long dirLogIndex(GoldenImage g, String relpath) {
        for (JsonNode dir : g.golden.json().get("directories")) {
            if (dir.get("relpath").asText().equals(relpath)) {
                return dir.get("log_index").asLong();
            }
        }
        throw new AssertionError("no directory " + relpath + " in " + g.golden.name());
    }

    /** The highest end of any extent or strip of a case.json file. */
    private static long maxExtentEnd(JsonNode file) {
        long max = 0;
        List<JsonNode> extents = new ArrayList<>();
        file.path("extents").forEach(extents::add);
        for (JsonNode se : file.path("striped_extents")) {
            se.get("strips").forEach(extents::add);
        }
        for (JsonNode e : extents) {
            max = Math.max(max, e.get("offset").asLong() + e.get("length").asLong());
        }
        return max;
    }
}
