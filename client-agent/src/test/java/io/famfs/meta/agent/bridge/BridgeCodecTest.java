package io.famfs.meta.agent.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The attr and directory-page codecs and the UTF-8 helpers: bytes written are read back with decoders written here from
 * the doc's offsets, and each kind of bad input is refused.
 */
class BridgeCodecTest {

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void attrBytesMatchTheDoc() {
        BridgeAttr attr = new BridgeAttr(8, 04755, -2, 0x7fffffff, 0xfedcba9876543210L, 77);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            ByteBuffer out = ByteBuffer.allocate(40).order(order);
            out.position(4);
            attr.encode(out);
            assertEquals(36, out.position());
            ByteBuffer b = ByteBuffer.wrap(out.array(), 4, 32).slice().order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(8, b.getShort(0));
            assertEquals(0, b.getShort(2));
            assertEquals(04755, b.getInt(4));
            assertEquals(0xfffffffe, b.getInt(8));
            assertEquals(0x7fffffff, b.getInt(12));
            assertEquals(0xfedcba9876543210L, b.getLong(16));
            assertEquals(77, b.getLong(24));
            out.position(4);
            assertEquals(attr, BridgeAttr.decode(out));
            assertEquals(36, out.position());
        }
    }

    @Test
    void badAttrsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BridgeAttr(0, 0644, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new BridgeAttr(1, 0644, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new BridgeAttr(8, 0100644, 0, 0, 0, 0));
        ByteBuffer b = le(32).putShort(0, (short) 6);
        assertThrows(IllegalArgumentException.class, () -> BridgeAttr.decode(b));
        assertEquals(0, b.position(), "a refused decode does not advance");
        assertThrows(IllegalArgumentException.class, () -> BridgeAttr.decode(le(31).putShort(0, (short) 8)));
    }

    /** A page decoder written from the doc: header 16 bytes, entries cookie @0, kind @8, length @10, name @12. */
    private static List<String> decodeByHand(ByteBuffer page, long[] nextCookie) {
        nextCookie[0] = page.getLong(0);
        int count = page.getInt(8);
        assertEquals(0, page.getInt(12));
        List<String> out = new ArrayList<>();
        int at = 16;
        for (int i = 0; i < count; i++) {
            int n = page.getShort(at + 10);
            byte[] name = new byte[n];
            page.get(at + 12, name);
            assertEquals(0, page.get(at + 9));
            out.add(new String(name, StandardCharsets.UTF_8) + "/" + page.get(at + 8) + "/" + page.getLong(at));
            int end = at + (12 + n + 7) / 8 * 8;
            for (int q = at + 12 + n; q < end; q++) {
                assertEquals(0, page.get(q));
            }
            at = end;
        }
        assertEquals(page.limit(), at);
        return out;
    }

    @Test
    void pageBytesMatchTheDoc() {
        BridgeDirents page = new BridgeDirents(
                List.of(
                        new BridgeDirents.Entry("a", 8, 3),
                        new BridgeDirents.Entry("éé-bien", 4, 9),
                        new BridgeDirents.Entry("x".repeat(255), 8, Long.MAX_VALUE),
                        new BridgeDirents.Entry("twelve-bytes", 8, -5)),
                -5);
        ByteBuffer out = le(2000);
        page.encode(out);
        assertEquals(page.encodedLength(), out.position());
        assertEquals(16 + 16 + 24 + 272 + 24, out.position());
        long[] next = new long[1];
        assertEquals(
                List.of("a/8/3", "éé-bien/4/9", "x".repeat(255) + "/8/" + Long.MAX_VALUE, "twelve-bytes/8/-5"),
                decodeByHand(out.flip(), next));
        assertEquals(-5, next[0]);
        out.position(0);
        assertEquals(page, BridgeDirents.decode(out));
    }

    private static ByteBuffer page(long next, int count, byte[]... entries) {
        ByteBuffer b = le(4096);
        b.putLong(next).putInt(count).putInt(0);
        for (byte[] e : entries) {
            b.put(e);
        }
        return b.flip();
    }

    /** An entry's bytes, cut or zero-padded to {@code length}. */
    private static byte[] entry(long cookie, int kind, byte[] name, int length) {
        ByteBuffer b = le(Math.max(length, 12 + name.length));
        b.putLong(cookie)
                .put((byte) kind)
                .put((byte) 0)
                .putShort((short) name.length)
                .put(name);
        return Arrays.copyOf(b.array(), length);
    }

    @Test
    void badPagesAreRefused() {
        byte[] good = entry(1, 8, "ok".getBytes(StandardCharsets.UTF_8), 16);
        assertEquals(
                List.of(new BridgeDirents.Entry("ok", 8, 1)),
                BridgeDirents.decode(page(0, 1, good)).entries());

        List<ByteBuffer> bad = List.of(
                le(15), // shorter than the header
                page(0, 2, good), // count past the bytes
                page(0, 0x7fffffff, good), // a count that must not be allocated
                page(0, 1, good, new byte[8]), // bytes past the last entry
                page(0, 1, entry(1, 8, "ok".getBytes(StandardCharsets.UTF_8), 14)), // entry cut short
                page(0, 1, entry(1, 8, new byte[] {(byte) 0xc3, 0x28}, 16)), // not UTF-8
                page(0, 1, entry(1, 8, "a/b".getBytes(StandardCharsets.UTF_8), 16)), // a '/'
                page(0, 1, entry(1, 8, new byte[] {'a', 0}, 16)), // a NUL
                page(0, 1, entry(1, 8, "..".getBytes(StandardCharsets.UTF_8), 16)),
                page(0, 1, entry(1, 8, new byte[0], 16)), // empty name
                page(0, 1, entry(0, 8, "ok".getBytes(StandardCharsets.UTF_8), 16)), // cookie 0
                page(0, 1, entry(1, 2, "ok".getBytes(StandardCharsets.UTF_8), 16)), // kind
                page(7, 1, good), // next cookie not the last entry's
                page(7, 0)); // more to come, but no entry
        for (ByteBuffer b : bad) {
            assertThrows(IllegalArgumentException.class, () -> BridgeDirents.decode(b), b.toString());
            assertEquals(0, b.position(), "a refused decode does not advance");
        }
    }

    @Test
    void badEntriesAreRefused() {
        for (String name : new String[] {"", ".", "..", "a/b", "a\0b", "x".repeat(256), "é".repeat(128), "a\udc00"}) {
            assertThrows(IllegalArgumentException.class, () -> new BridgeDirents.Entry(name, 8, 1), name);
        }
        assertThrows(IllegalArgumentException.class, () -> new BridgeDirents.Entry("a", 8, 0));
        assertThrows(IllegalArgumentException.class, () -> new BridgeDirents.Entry("a", 10, 1));
        assertEquals(255, Wire.utf8Length(new BridgeDirents.Entry("é".repeat(127) + "x", 8, 1).name()));
    }

    @Test
    void builderKeepsToItsBudget() {
        assertThrows(IllegalArgumentException.class, () -> BridgeDirents.builder(511));
        assertThrows(
                IllegalStateException.class, () -> BridgeDirents.builder(512).build(true));
        BridgeDirents.Builder b = BridgeDirents.builder(512);
        int added = 0;
        while (b.add(new BridgeDirents.Entry("name-" + added, 8, added + 1))) { // 24 bytes each
            added++;
        }
        assertEquals((512 - 16) / 24, added);
        BridgeDirents page = b.build(true);
        assertEquals(added, page.nextCookie());
        assertTrue(page.encodedLength() <= 512);
        assertEquals(0, BridgeDirents.builder(512).build(false).nextCookie());
    }

    private static boolean jdkSaysUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void utf8CheckAgreesWithTheJdk() {
        SplittableRandom r = new SplittableRandom(7);
        int[] lead = {0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[r.nextInt(1, 7)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) (r.nextBoolean() ? lead[r.nextInt(lead.length)] : 0x80 | r.nextInt(0x40));
            }
            boolean expected = jdkSaysUtf8(b);
            valid += expected ? 1 : 0;
            assertEquals(
                    expected, Wire.isUtf8(b, 0, b.length), () -> HexFormat.of().formatHex(b));
        }
        assertTrue(valid > 1000, "the sample holds valid sequences too: " + valid);
    }

    @Test
    void utf8EncodingAgreesWithTheJdk() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int k = r.nextInt(0, 12); k > 0; k--) {
                s.appendCodePoint(
                        switch (r.nextInt(4)) {
                            case 0 -> r.nextInt(0, 0x80);
                            case 1 -> r.nextInt(0x80, 0x800);
                            case 2 -> r.nextBoolean() ? r.nextInt(0x800, 0xd800) : r.nextInt(0xe000, 0x10000);
                            default -> r.nextInt(0x10000, 0x110000);
                        });
            }
            byte[] expected = s.toString().getBytes(StandardCharsets.UTF_8);
            assertEquals(expected.length, Wire.utf8Length(s));
            ByteBuffer out = ByteBuffer.allocate(expected.length);
            Wire.putUtf8(out, s);
            assertArrayEquals(expected, out.array());
        }
        assertEquals(-1, Wire.utf8Length("a\ud800"));
        assertEquals(-1, Wire.utf8Length("\udc00a"));
        assertEquals(-1, Wire.utf8Length("\ud800\ud800"));
    }
}
