package io.famfs.meta.agent.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.famfs.meta.format.Extent;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.Fmap;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Namespace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class FmapWireTest {
    static final long MiB = 1L << 20;
    static final long GiB = 1L << 30;

    // ---- simple maps ----

    @Test
    void oneSimpleExtentIsHeaderPlusOneRecord() throws Exception {
        byte[] reply = FmapWire.encode(3 * MiB, SimpleFmap.of(Extent.of(10 * MiB, 4 * MiB)));

        assertEquals(32 + 24, reply.length);
        V9Fmap f = V9Fmap.decode(reply);
        assertHeader(f, 0, 1, 3 * MiB);
        assertEquals(reply.length, f.declaredLength);
        assertEquals(List.of(new V9Fmap.Ext(0, 10 * MiB, 4 * MiB)), f.simple);
        assertNonFieldBytesZero(reply, f);
        assertEquals(new V9Fmap.Resolved(0, 10 * MiB, 4 * MiB), f.resolve(0));
        assertEquals(new V9Fmap.Resolved(0, 13 * MiB - 1, MiB + 1), f.resolve(3 * MiB - 1));
    }

    @Test
    void severalSimpleExtentsMapInOrder() throws Exception {
        long size = 11 * MiB + 5;
        byte[] reply = FmapWire.encode(
                size,
                SimpleFmap.of(
                        Extent.of(100 * MiB, 4 * MiB), Extent.of(20 * MiB, 2 * MiB), Extent.of(500 * MiB, 6 * MiB)));

        assertEquals(32 + 3 * 24, reply.length);
        V9Fmap f = V9Fmap.decode(reply);
        assertHeader(f, 0, 3, size);
        assertEquals(reply.length, f.declaredLength);
        assertEquals(
                List.of(
                        new V9Fmap.Ext(0, 100 * MiB, 4 * MiB),
                        new V9Fmap.Ext(0, 20 * MiB, 2 * MiB),
                        new V9Fmap.Ext(0, 500 * MiB, 6 * MiB)),
                f.simple);
        assertNonFieldBytesZero(reply, f);
        assertEquals(new V9Fmap.Resolved(0, 100 * MiB, 4 * MiB), f.resolve(0));
        assertEquals(new V9Fmap.Resolved(0, 104 * MiB - 1, 1), f.resolve(4 * MiB - 1));
        assertEquals(new V9Fmap.Resolved(0, 20 * MiB, 2 * MiB), f.resolve(4 * MiB));
        assertEquals(new V9Fmap.Resolved(0, 500 * MiB, 6 * MiB), f.resolve(6 * MiB));
        assertEquals(new V9Fmap.Resolved(0, 505 * MiB + 4, MiB - 4), f.resolve(size - 1));
    }

    @Test
    void thirtyTwoSimpleExtentsFit() throws Exception {
        byte[] reply = FmapWire.encodeSimple(128 * MiB, extents(32));

        assertEquals(32 + 32 * 24, reply.length);
        V9Fmap f = V9Fmap.decode(reply);
        assertHeader(f, 0, 32, 128 * MiB);
        assertNonFieldBytesZero(reply, f);
        assertEquals(new V9Fmap.Resolved(0, 2 * GiB + 31 * 8 * MiB + 3 * MiB, MiB), f.resolve(127 * MiB));
    }

    // ---- interleaved maps ----

    @Test
    void workedExampleOfThePatchDocumentation() throws Exception {
        // nstrips 4, chunk 2 MiB, 24 MiB: three stripes, 6 MiB per strip; strip offsets of our choosing
        long[] at = {0x40000000L, 0x80000000L, 0x1c0000000L, 0x100000000L};
        List<Extent> strips = new ArrayList<>();
        for (long a : at) {
            strips.add(Extent.of(a, 6 * MiB));
        }
        byte[] reply = FmapWire.encode(24 * MiB, InterleavedFmap.of(2 * MiB, strips));

        V9Fmap f = V9Fmap.decode(reply);
        assertEquals(new V9Fmap.Resolved(0, at[0], 2 * MiB), f.resolve(0));
        // 4 MiB: offset 0 in chunk 2, which is offset 0 in strip 2
        assertEquals(new V9Fmap.Resolved(0, at[2], 2 * MiB), f.resolve(4 * MiB));
        // 15 MiB: offset 1 MiB in chunk 7, which is offset 3 MiB in strip 3
        assertEquals(new V9Fmap.Resolved(0, at[3] + 3 * MiB, MiB), f.resolve(15 * MiB));
    }

    @Test
    void stripedFilesResolveChunkByChunk() throws Exception {
        Random random = new Random(42);
        for (int nstrips : new int[] {2, 3, 4, 7, 8, 16}) {
            for (long chunk : new long[] {2 * MiB, 4 * MiB, 6 * MiB, 16 * MiB}) {
                for (long size :
                        new long[] {1, chunk, nstrips * chunk - 1, nstrips * chunk, 3 * nstrips * chunk + chunk / 2 + 1
                        }) {
                    checkStriped(nstrips, chunk, size, random);
                }
            }
        }
    }

    private static void checkStriped(int nstrips, long chunk, long size, Random random) throws Exception {
        String where = nstrips + " strips, chunk " + chunk + ", size " + size;
        long stripLength = (size + nstrips * chunk - 1) / (nstrips * chunk) * chunk;
        List<Extent> strips = new ArrayList<>();
        for (int j = 0; j < nstrips; j++) {
            strips.add(Extent.of((nstrips - j) * GiB + 2 * MiB * j, stripLength)); // descending device order
        }
        byte[] reply = FmapWire.encode(size, InterleavedFmap.of(chunk, strips));

        assertEquals(32 + 24 + nstrips * 24, reply.length, where);
        V9Fmap f = V9Fmap.decode(reply);
        assertHeader(f, 1, 1, size);
        assertEquals(reply.length, f.declaredLength, where);
        V9Fmap.Iext ie = f.iexts.getFirst();
        assertEquals(nstrips, ie.nstrips(), where);
        assertEquals(chunk, ie.chunkSize(), where);
        assertEquals(size, ie.nbytes(), where);
        for (int j = 0; j < nstrips; j++) {
            Extent s = strips.get(j);
            assertEquals(new V9Fmap.Ext(0, s.offset(), s.length()), ie.strips().get(j), where);
        }
        assertNonFieldBytesZero(reply, f);

        // where each chunk lands, laid out one chunk after another, each strip filled from its start
        long chunks = (size + chunk - 1) / chunk;
        long[] chunkAt = new long[(int) chunks];
        long[] fill = new long[nstrips];
        for (int c = 0; c < chunks; c++) {
            int strip = c % nstrips;
            chunkAt[c] = strips.get(strip).offset() + fill[strip];
            fill[strip] += chunk;
        }
        List<Long> offsets = new ArrayList<>(List.of(0L, size - 1));
        for (long c = 1; c < chunks; c++) {
            offsets.add(c * chunk - 1);
            offsets.add(c * chunk);
        }
        for (int i = 0; i < 50; i++) {
            offsets.add((long) (random.nextDouble() * size));
        }
        for (long o : offsets) {
            long expected = chunkAt[(int) (o / chunk)] + o % chunk;
            assertEquals(new V9Fmap.Resolved(0, expected, chunk - o % chunk), f.resolve(o), where + ", offset " + o);
        }
    }

    @Test
    void unequalStripsThatHoldTheirShareAreSent() throws Exception {
        // 6 MiB in 2 MiB chunks over 2 strips: chunks 0 and 2 in strip 0, chunk 1 in strip 1
        byte[] reply = FmapWire.encode(
                6 * MiB, InterleavedFmap.of(2 * MiB, List.of(Extent.of(GiB, 4 * MiB), Extent.of(2 * GiB, 2 * MiB))));

        V9Fmap f = V9Fmap.decode(reply);
        assertEquals(new V9Fmap.Resolved(0, 2 * GiB + MiB, MiB), f.resolve(3 * MiB));
        assertEquals(new V9Fmap.Resolved(0, GiB + 2 * MiB, 2 * MiB), f.resolve(4 * MiB));
    }

    @Test
    void unequalStripsThatTheKernelWouldOverrunAreRefused() throws Exception {
        List<Extent> strips = List.of(Extent.of(GiB, 2 * MiB), Extent.of(2 * GiB, 4 * MiB));
        FmapRefusedException e = assertThrows(
                FmapRefusedException.class, () -> FmapWire.encode(6 * MiB, InterleavedFmap.of(2 * MiB, strips)));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("strip 0 holds"), e.getMessage());

        // Why: V9 checks only the sum, so it accepts this map and puts chunk 2 past the end of strip 0.
        byte[] equal = FmapWire.encode(
                6 * MiB, InterleavedFmap.of(2 * MiB, List.of(Extent.of(GiB, 4 * MiB), Extent.of(2 * GiB, 4 * MiB))));
        ByteBuffer.wrap(equal).order(ByteOrder.LITTLE_ENDIAN).putLong(32 + 24 + 16, 2 * MiB); // strip 0's se_len
        V9Fmap kernel = V9Fmap.decode(equal);
        assertEquals(GiB + 2 * MiB, kernel.resolve(4 * MiB).devOffset()); // strip 0 is [1 GiB, 1 GiB + 2 MiB)
    }

    @Test
    void aStripOneByteShortOfItsShareIsRefused() throws Exception {
        // 6 MiB + 1 in 4 MiB chunks over 2 strips: strip 1 holds chunk 1, 2 MiB + 1 bytes of it
        long size = 6 * MiB + 1;
        List<Extent> enough = List.of(Extent.of(GiB, 4 * MiB), Extent.of(2 * GiB, 4 * MiB));
        assertEquals(
                new V9Fmap.Resolved(0, 2 * GiB + 2 * MiB, 2 * MiB),
                V9Fmap.decode(FmapWire.encode(size, InterleavedFmap.of(4 * MiB, enough)))
                        .resolve(size - 1));

        List<Extent> strips = List.of(Extent.of(GiB, 6 * MiB), Extent.of(2 * GiB, 2 * MiB));
        assertRefused(
                Errno.EINVAL,
                "strip 1 holds 2097152 bytes but the chunk layout puts 2097153 bytes",
                () -> FmapWire.encode(size, InterleavedFmap.of(4 * MiB, strips)));
    }

    @Test
    void largestChunkSizeFitsTheU32() throws Exception {
        long chunk = (1L << 32) - 2 * MiB;
        byte[] reply = FmapWire.encode(1, InterleavedFmap.of(chunk, List.of(Extent.of(GiB, 2 * MiB))));

        assertEquals(
                0xffe00000,
                ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN).getInt(32 + 4));
        assertEquals(chunk, V9Fmap.decode(reply).iexts.getFirst().chunkSize());
    }

    // ---- refusals ----

    @Test
    void tooManyOrNoExtents() {
        assertRefused(Errno.E2BIG, "33 simple extents", () -> FmapWire.encodeSimple(64 * MiB, extents(33)));
        assertRefused(Errno.EINVAL, "no simple extents", () -> FmapWire.encode(MiB, new SimpleFmap(List.of())));
        assertRefused(
                Errno.EINVAL, "no interleaved extents", () -> FmapWire.encode(MiB, new InterleavedFmap(List.of())));
        List<InterleavedExtent> many = Collections.nCopies(33, new InterleavedExtent(2 * MiB, extents(1)));
        assertRefused(Errno.E2BIG, "33 interleaved extents", () -> FmapWire.encodeInterleaved(MiB, many));
        assertRefused(
                Errno.EINVAL,
                "interleaved extent 0 has no strips",
                () -> FmapWire.encode(MiB, InterleavedFmap.of(2 * MiB, List.of())));
    }

    @Test
    void replyOverOnePage() {
        // 32 + 10 * (24 + 16 * 24) = 4112 bytes
        List<InterleavedExtent> ten = Collections.nCopies(10, new InterleavedExtent(2 * MiB, extents(16)));
        assertRefused(Errno.E2BIG, "4112 bytes", () -> FmapWire.encodeInterleaved(MiB, ten));
    }

    @Test
    void moreThanOneInterleavedExtent() {
        List<InterleavedExtent> two = List.of(
                new InterleavedExtent(2 * MiB, List.of(Extent.of(GiB, 2 * MiB))),
                new InterleavedExtent(2 * MiB, List.of(Extent.of(2 * GiB, 2 * MiB))));
        assertRefused(Errno.EINVAL, "2 interleaved extents", () -> FmapWire.encodeInterleaved(MiB, two));
    }

    @Test
    void extentNotOnDaxdevZero() {
        assertRefused(
                Errno.EINVAL,
                "extent 1 is on daxdev 1",
                () -> FmapWire.encode(4 * MiB, SimpleFmap.of(Extent.of(GiB, 2 * MiB), new Extent(1, GiB, 2 * MiB))));
        assertRefused(
                Errno.EINVAL,
                "strip 0 is on daxdev 2",
                () -> FmapWire.encode(MiB, InterleavedFmap.of(2 * MiB, List.of(new Extent(2, GiB, 2 * MiB)))));
    }

    @Test
    void extentNotAligned() {
        assertRefused(
                Errno.EINVAL,
                "extent 0 offset 0x40100000 is not 2 MiB aligned",
                () -> FmapWire.encode(MiB, SimpleFmap.of(Extent.of(GiB + MiB, 2 * MiB))));
        assertRefused(
                Errno.EINVAL,
                "extent 0 length 0x300000 is not 2 MiB aligned",
                () -> FmapWire.encode(MiB, SimpleFmap.of(Extent.of(GiB, 3 * MiB))));
        assertRefused(
                Errno.EINVAL,
                "strip 1 offset 0x80001000 is not 2 MiB aligned",
                () -> FmapWire.encode(
                        MiB,
                        InterleavedFmap.of(
                                2 * MiB, List.of(Extent.of(GiB, 2 * MiB), Extent.of(2 * GiB + 4096, 2 * MiB)))));
        assertRefused(
                Errno.EINVAL,
                "strip 0 length 0x1000 is not 2 MiB aligned",
                () -> FmapWire.encode(MiB, InterleavedFmap.of(2 * MiB, List.of(Extent.of(GiB, 4096)))));
    }

    @Test
    void extentReachingTwoToTheSixtyThird() {
        assertRefused(
                Errno.EINVAL,
                "reaches 2^63",
                () -> FmapWire.encode(MiB, SimpleFmap.of(Extent.of(Long.MIN_VALUE, 2 * MiB))));
        assertRefused(
                Errno.EINVAL, "reaches 2^63", () -> FmapWire.encode(MiB, SimpleFmap.of(Extent.of(GiB, -2 * MiB))));
        assertRefused(
                Errno.EINVAL,
                "reaches 2^63",
                () -> FmapWire.encode(MiB, SimpleFmap.of(Extent.of(Long.MAX_VALUE - 2 * MiB + 1, 4 * MiB))));
        assertRefused(
                Errno.EINVAL,
                "strip 0 at 0x8000000000000000",
                () -> FmapWire.encode(MiB, InterleavedFmap.of(2 * MiB, List.of(Extent.of(Long.MIN_VALUE, 2 * MiB)))));
    }

    @Test
    void badChunkSize() {
        List<Extent> strips = List.of(Extent.of(GiB, 2 * MiB));
        assertRefused(Errno.EINVAL, "chunk size 0", () -> FmapWire.encode(MiB, InterleavedFmap.of(0, strips)));
        assertRefused(
                Errno.EINVAL,
                "chunk size 0x100000 is not 2 MiB aligned",
                () -> FmapWire.encode(MiB, InterleavedFmap.of(MiB, strips)));
        assertRefused(
                Errno.EINVAL,
                "chunk size 0x100000000 does not fit",
                () -> FmapWire.encode(MiB, InterleavedFmap.of(1L << 32, strips)));
        assertRefused(
                Errno.EINVAL,
                "chunk size 0xffffffffffe00000 does not fit",
                () -> FmapWire.encode(MiB, InterleavedFmap.of(-2 * MiB, strips)));
    }

    @Test
    void mapShorterThanTheFile() {
        assertRefused(
                Errno.EINVAL,
                "the extents cover 4194304 bytes, less than the file size 4194305",
                () -> FmapWire.encode(
                        4 * MiB + 1, SimpleFmap.of(Extent.of(GiB, 2 * MiB), Extent.of(2 * GiB, 2 * MiB))));
        assertRefused(
                Errno.EINVAL,
                "the strips cover 8388608 bytes, less than the file size 8388609",
                () -> FmapWire.encode(
                        8 * MiB + 1,
                        InterleavedFmap.of(2 * MiB, List.of(Extent.of(GiB, 4 * MiB), Extent.of(2 * GiB, 4 * MiB)))));
    }

    @Test
    void emptyOrNegativeFileSize() {
        assertRefused(Errno.EINVAL, "file size 0", () -> FmapWire.encode(0, SimpleFmap.of(Extent.of(GiB, 2 * MiB))));
        assertRefused(
                Errno.EINVAL,
                "file size 0",
                () -> FmapWire.encode(0, InterleavedFmap.of(2 * MiB, List.of(Extent.of(GiB, 2 * MiB)))));
        assertRefused(
                Errno.EINVAL,
                "file size 18446744073709551615",
                () -> FmapWire.encode(-1, SimpleFmap.of(Extent.of(GiB, 2 * MiB))));
    }

    // ---- files of the replayed view ----

    @Test
    void aReplayedFileIsEncodedAndAFlaggedOneRefused() throws Exception {
        Namespace ns = new Namespace(8 * GiB, 10 * MiB, 16);
        Fmap good = SimpleFmap.of(Extent.of(10 * MiB, 4 * MiB));
        ns.apply(0, FileEntry.create("good", 3 * MiB, 0644, 0, 0, good));
        // alone it is a valid map; it overlaps "good", so replay flags it
        ns.apply(1, FileEntry.create("twin", 2 * MiB, 0644, 0, 0, SimpleFmap.of(Extent.of(12 * MiB, 2 * MiB))));
        FileNode file = (FileNode) ns.get("good");
        FileNode twin = (FileNode) ns.get("twin");
        assertTrue(twin.flagged() && !file.flagged());

        assertArrayEquals(FmapWire.encode(3 * MiB, good), FmapWire.encode(file));
        FmapRefusedException e = assertThrows(FmapRefusedException.class, () -> FmapWire.encode(twin));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().startsWith("twin: replay flagged its map (extent overlaps"), e.getMessage());
    }

    // ---- GET_DAXDEV ----

    @Test
    void daxdevRecord() throws Exception {
        byte[] record = FmapWire.encodeDaxdev(0, "/dev/dax0.0");

        assertEquals(280, record.length);
        ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, b.getShort(0));
        byte[] name = "/dev/dax0.0".getBytes(StandardCharsets.US_ASCII);
        for (int i = 2; i < 280; i++) {
            int nameIndex = i - 24;
            byte expected = nameIndex >= 0 && nameIndex < name.length ? name[nameIndex] : 0;
            assertEquals(expected, record[i], "byte " + i);
        }
        assertEquals(
                (short) 0xffff,
                ByteBuffer.wrap(FmapWire.encodeDaxdev(65535, "/dev/dax1.0"))
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getShort(0));
        assertEquals(7, FmapWire.encodeDaxdev(7, "/dev/dax1.0")[0]);
    }

    @Test
    void daxdevNameUpTo255BytesOfUtf8() throws Exception {
        String longest = "/dev/" + "x".repeat(250);
        byte[] record = FmapWire.encodeDaxdev(0, longest);
        assertEquals('x', record[24 + 254]);
        assertEquals(0, record[24 + 255]);

        String accented = "é".repeat(127); // 254 bytes of UTF-8
        record = FmapWire.encodeDaxdev(0, accented);
        assertEquals(accented, new String(record, 24, 254, StandardCharsets.UTF_8));
        assertEquals(0, record[24 + 254]);
    }

    @Test
    void daxdevRefusals() {
        assertRefused(Errno.EINVAL, "index -1", () -> FmapWire.encodeDaxdev(-1, "/dev/dax0.0"));
        assertRefused(Errno.EINVAL, "index 65536", () -> FmapWire.encodeDaxdev(65536, "/dev/dax0.0"));
        assertRefused(Errno.ENAMETOOLONG, "256 bytes", () -> FmapWire.encodeDaxdev(0, "/dev/" + "x".repeat(251)));
        assertRefused(Errno.ENAMETOOLONG, "256 bytes", () -> FmapWire.encodeDaxdev(0, "é".repeat(128)));
        assertRefused(Errno.EINVAL, "empty", () -> FmapWire.encodeDaxdev(0, ""));
        assertRefused(Errno.EINVAL, "NUL", () -> FmapWire.encodeDaxdev(0, "/dev/dax0.0\0x"));
        assertRefused(Errno.EINVAL, "not valid Unicode", () -> FmapWire.encodeDaxdev(0, "/dev/dax\uD800"));
    }

    // ---- helpers ----

    /** {@code n} extents of 4 MiB, 4 MiB apart from 2 GiB. */
    static List<Extent> extents(int n) {
        List<Extent> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(Extent.of(2 * GiB + i * 8 * MiB, 4 * MiB));
        }
        return list;
    }

    static void assertHeader(V9Fmap f, long extType, long nextents, long fileSize) {
        assertEquals(0, f.fileType, "file_type");
        assertEquals(1, f.fmapVersion, "fmap_version");
        assertEquals(extType, f.extType, "ext_type");
        assertEquals(nextents, f.nextents, "nextents");
        assertEquals(fileSize, f.fileSize, "file_size");
    }

    /**
     * Every byte that is not a field of section 10's structs (reserved fields, and any padding) is zero. Field
     * positions are the doc's, not the encoder's constants.
     */
    static void assertNonFieldBytesZero(byte[] reply, V9Fmap f) {
        boolean[] field = new boolean[reply.length];
        mark(field, 0, 1); // file_type
        mark(field, 2, 2); // fmap_version
        mark(field, 4, 4); // ext_type
        mark(field, 8, 4); // nextents
        mark(field, 16, 8); // file_size
        int at = 32;
        if (f.extType == 0) {
            for (int i = 0; i < f.simple.size(); i++, at += 24) {
                markSimple(field, at);
            }
        } else {
            for (V9Fmap.Iext ie : f.iexts) {
                mark(field, at, 4); // ie_nstrips
                mark(field, at + 4, 4); // ie_chunk_size
                mark(field, at + 8, 8); // ie_nbytes
                at += 24;
                for (int j = 0; j < ie.nstrips(); j++, at += 24) {
                    markSimple(field, at);
                }
            }
        }
        for (int i = 0; i < reply.length; i++) {
            if (!field[i]) {
                assertEquals(0, reply[i], "reserved byte " + i);
            }
        }
    }

    private static void markSimple(boolean[] field, int at) {
        mark(field, at, 4); // se_devindex
        mark(field, at + 8, 8); // se_offset
        mark(field, at + 16, 8); // se_len
    }

    private static void mark(boolean[] field, int from, int length) {
        for (int i = from; i < from + length; i++) {
            field[i] = true;
        }
    }

    static void assertRefused(Errno errno, String reasonPart, Executable encode) {
        FmapRefusedException e = assertThrows(FmapRefusedException.class, encode);
        assertEquals(errno, e.errno(), e.getMessage());
        assertTrue(
                e.getMessage().contains(reasonPart), "reason \"" + e.getMessage() + "\" lacks \"" + reasonPart + "\"");
    }
}
