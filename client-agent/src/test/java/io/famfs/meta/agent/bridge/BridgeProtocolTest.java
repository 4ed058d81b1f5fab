package io.famfs.meta.agent.bridge;

import static io.famfs.meta.agent.bridge.Raw.frame;
import static io.famfs.meta.agent.bridge.Raw.readdir;
import static io.famfs.meta.agent.bridge.Raw.u32;
import static io.famfs.meta.agent.bridge.Raw.utf8;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server on a socket in a temporary folder, with {@link TreeHandler} behind it: every op through the client and
 * through hand-built frames decoded here from the protocol doc, pipelining, concurrent clients, paging, and each kind
 * of hostile frame (with a bystander connection that must keep working).
 */
class BridgeProtocolTest {
    // Offsets and values from docs/bridge-protocol.md, written out here rather than taken from the code under test.
    private static final int HELLO = 0, LOOKUP = 1, GETATTR = 2, READDIR = 3, GET_FMAP = 4, GET_DAXDEV = 5;
    private static final int ENOENT = 2, EIO = 5, E2BIG = 7, ENOTDIR = 20, EINVAL = 22, ENAMETOOLONG = 36;
    private static final int ENOSYS = 38, EPROTO = 71;

    @TempDir
    Path dir;

    private TreeHandler handler;
    private BridgeServer server;
    private BridgeClient bystander;

    @BeforeEach
    void start() throws IOException {
        handler = new TreeHandler();
        server = BridgeServer.start(dir.resolve("agent.sock"), handler);
        bystander = BridgeClient.connect(server.socket());
    }

    @AfterEach
    void stop() throws IOException {
        bystander.close();
        server.close();
    }

    /** The bystander connection, opened before the test's frames, still gets right answers. */
    private void bystanderStillServed() throws IOException {
        assertEquals(4096, bystander.getattr("dir/f").size());
        try (BridgeClient fresh = BridgeClient.connect(server.socket())) {
            assertEquals(BridgeAttrDescriptor.KIND_DIR, fresh.lookup("dir/sub").kind());
        }
    }

    // --- round trips, decoded by hand ---

    @Test
    void helloDecodedByHand() throws IOException {
        try (Raw raw = new Raw(server.socket())) {
            Raw.Reply r = raw.call(HELLO, 0x1122334455667788L, u32(1));
            assertEquals(HELLO, r.op());
            assertEquals(0x1122334455667788L, r.tag());
            assertEquals(0, r.errno());
            assertEquals(0, r.flags());
            assertEquals(0, r.reserved());
            ByteBuffer b = r.body();
            assertEquals(1, b.getInt(0)); // the version both use
            assertEquals(8192, b.getInt(4));
            assertEquals(1024 * 1024, b.getInt(8));
            assertEquals(0, b.getInt(12));
            assertArrayEquals(TreeHandler.IDENTITY, Arrays.copyOfRange(r.payload(), 16, r.payload().length));
            assertEquals(20 + 16 + TreeHandler.IDENTITY.length, r.length());

            // A newer client is answered with the version this server speaks; version 0 does not exist.
            assertEquals(1, raw.call(HELLO, 2, u32(9)).body().getInt(0));
            Raw.Reply zero = raw.call(HELLO, 3, u32(0));
            assertEquals(EPROTO, zero.errno());
            assertEquals(3, zero.tag());
        }
    }

    @Test
    void lookupAndGetattrDecodedByHand() throws IOException {
        try (Raw raw = new Raw(server.socket())) {
            for (int op : new int[] {LOOKUP, GETATTR}) {
                Raw.Reply r = raw.call(op, 42, utf8("dir/f"));
                assertEquals(0, r.errno());
                assertEquals(op, r.op());
                assertEquals(42, r.tag());
                assertEquals(52, r.length()); // 20 + a 32-byte attr
                ByteBuffer a = r.body();
                assertEquals(8, a.getShort(0)); // DT_REG
                assertEquals(0, a.getShort(2));
                assertEquals(0644, a.getInt(4));
                assertEquals(1000, a.getInt(8));
                assertEquals(1001, a.getInt(12));
                assertEquals(4096, a.getLong(16));
                assertEquals(1, a.getLong(24));
            }
            ByteBuffer root = raw.call(GETATTR, 1, new byte[0]).body();
            assertEquals(4, root.getShort(0)); // DT_DIR
            assertEquals(0755, root.getInt(4));
            assertEquals(-1L, root.getLong(24)); // UINT64_MAX: no entry made the root

            Raw.Reply missing = raw.call(LOOKUP, 7, utf8("dir/nope"));
            assertEquals(ENOENT, missing.errno());
            assertEquals(7, missing.tag());
            assertEquals("no such path: dir/nope", missing.text());
        }
    }

    @Test
    void readdirDecodedByHand() throws IOException {
        try (Raw raw = new Raw(server.socket())) {
            Raw.Reply r = raw.call(READDIR, 5, readdir(0, 0, 0, utf8("")));
            assertEquals(0, r.errno());
            ByteBuffer p = r.body();
            assertEquals(0, p.getLong(0)); // the end
            assertEquals(3, p.getInt(8));
            assertEquals(0, p.getInt(12));
            List<String> seen = new ArrayList<>();
            int at = 16;
            for (int i = 0; i < 3; i++) {
                long cookie = p.getLong(at);
                int kind = p.get(at + 8);
                int nameLength = p.getShort(at + 10);
                String name = new String(r.payload(), at + 12, nameLength, StandardCharsets.UTF_8);
                seen.add(name + ":" + kind + ":" + cookie);
                int size = (12 + nameLength + 7) / 8 * 8;
                for (int q = at + 12 + nameLength; q < at + size; q++) {
                    assertEquals(0, p.get(q), "padding");
                }
                at += size;
            }
            assertEquals(r.payload().length, at);
            assertEquals(List.of("dir:4:1", "top:8:2", "many:4:3"), seen);

            assertEquals(
                    ENOTDIR, raw.call(READDIR, 6, readdir(0, 0, 0, utf8("top"))).errno());
            assertEquals(
                    ENOENT, raw.call(READDIR, 7, readdir(0, 0, 0, utf8("nope"))).errno());
        }
    }

    @Test
    void fmapAndDaxdevDecodedByHand() throws IOException {
        try (Raw raw = new Raw(server.socket())) {
            Raw.Reply fmap = raw.call(GET_FMAP, 9, utf8("dir/f"));
            assertEquals(0, fmap.errno());
            assertArrayEquals(TreeHandler.fmapOf("dir/f"), fmap.payload());
            Raw.Reply dax = raw.call(GET_DAXDEV, 10, u32(0));
            assertEquals(0, dax.errno());
            assertEquals(300, dax.length());
            assertEquals("/dev/dax0.0", new String(dax.payload(), 24, 11, StandardCharsets.US_ASCII));
            assertEquals(ENOENT, raw.call(GET_DAXDEV, 11, u32(3)).errno());
        }
    }

    /** The examples in docs/bridge-protocol.md, byte for byte. */
    @Test
    void docExamples() throws IOException {
        HexFormat hex = HexFormat.ofDelimiter(" ");
        try (Raw raw = new Raw(server.socket())) {
            raw.send(hex.parseHex("11 00 00 00 02 00 00 00 01 00 00 00 00 00 00 00 64 69 72 2f 66"));
            assertEquals(
                    "34 00 00 00 02 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                            + " 08 00 00 00 a4 01 00 00 e8 03 00 00 e9 03 00 00 00 10 00 00 00 00 00 00"
                            + " 01 00 00 00 00 00 00 00",
                    hex.formatHex(raw.readBytes(56)));
            raw.send(hex.parseHex("10 00 00 00 01 00 00 00 02 00 00 00 00 00 00 00 6e 6f 70 65"));
            assertEquals(
                    "26 00 00 00 01 00 00 00 02 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00"
                            + " 6e 6f 20 73 75 63 68 20 70 61 74 68 3a 20 6e 6f 70 65",
                    hex.formatHex(raw.readBytes(42)));
        }
    }

    // --- the client ---

    @Test
    void clientDoesEveryOp() throws IOException {
        try (BridgeClient c = BridgeClient.connect(server.socket())) {
            BridgeClient.Hello hello = c.hello();
            assertEquals(1, hello.version());
            assertEquals(8192, hello.maxRequestFrame());
            assertEquals(1024 * 1024, hello.maxReplyFrame());
            assertArrayEquals(TreeHandler.IDENTITY, hello.identity());
            assertEquals(new BridgeAttr(BridgeAttrDescriptor.KIND_FILE, 0600, 0, 0, 3L << 30, 3), c.lookup("top"));
            assertEquals(new BridgeAttr(BridgeAttrDescriptor.KIND_DIR, 0755, 0, 0, 0, 2), c.getattr("dir/sub"));
            assertEquals(
                    List.of(new BridgeDirents.Entry("f", 8, 1), new BridgeDirents.Entry("sub", 4, 2)),
                    c.readdir("dir"));
            assertEquals(List.of(), c.readdir("dir/sub"));
            assertArrayEquals(TreeHandler.fmapOf("top"), c.getFmap("top"));
            assertArrayEquals(TreeHandler.daxdev0(), c.getDaxdev(0));

            BridgeException e = assertThrows(BridgeException.class, () -> c.getattr("dir/none"));
            assertEquals(ENOENT, e.errno());
            assertEquals("no such path: dir/none", e.detail());
            assertEquals(
                    ENOTDIR,
                    assertThrows(BridgeException.class, () -> c.readdir("top")).errno());
            assertEquals(
                    EINVAL,
                    assertThrows(BridgeException.class, () -> c.getFmap("dir")).errno());
            assertEquals(
                    ENOSYS,
                    assertThrows(BridgeException.class, () -> c.call(77, new byte[0]))
                            .errno());
            // After error replies the connection is still in step.
            assertEquals(4096, c.getattr("dir/f").size());
            assertArrayEquals(TreeHandler.fmapOf("dir/f"), c.call(GET_FMAP, utf8("dir/f")));
        }
        assertEquals(1, server.requests(HELLO));
        assertEquals(1, server.errors(GETATTR));
        assertEquals(1, server.errors(READDIR));
        assertEquals(1, server.errors(GET_FMAP));
        assertEquals(1, server.badFrames()); // op 77
    }

    @Test
    void clientRefusesWhatTheServerWouldWithoutSending() throws IOException {
        long before = handler.calls.get();
        try (BridgeClient c = BridgeClient.connect(server.socket())) {
            assertEquals(
                    ENAMETOOLONG,
                    assertThrows(BridgeException.class, () -> c.lookup("a".repeat(4097)))
                            .errno());
            assertEquals(
                    EINVAL,
                    assertThrows(BridgeException.class, () -> c.lookup("bad\ud800"))
                            .errno());
            assertEquals(
                    E2BIG,
                    assertThrows(BridgeException.class, () -> c.call(LOOKUP, new byte[8177]))
                            .errno());
            assertEquals(0, c.getattr("dir").size());
        }
        assertEquals(before + 1, handler.calls.get());
        assertEquals(1, server.requests(GETATTR));
        assertEquals(0, server.requests(LOOKUP));
    }

    @Test
    void readdirOfTenThousandEntriesFollowsCookies() throws IOException {
        try (BridgeClient c = BridgeClient.connect(server.socket())) {
            List<BridgeDirents.Entry> all = c.readdir("many");
            assertEquals(TreeHandler.MANY, all.size());
            for (int i = 0; i < TreeHandler.MANY; i++) {
                assertEquals(new BridgeDirents.Entry(TreeHandler.manyName(i), 8, i + 1), all.get(i));
            }

            // Small pages: each within its budget, each resuming where the last ended, together the whole directory.
            List<String> names = new ArrayList<>();
            long cookie = 0;
            int pages = 0;
            do {
                BridgeDirents page = c.readdirPage("many", cookie, 512);
                assertTrue(page.encodedLength() <= 512);
                assertFalse(page.entries().isEmpty());
                page.entries().forEach(e -> names.add(e.name()));
                cookie = page.nextCookie();
                pages++;
            } while (cookie != 0);
            assertTrue(pages > 500, "pages: " + pages);
            assertEquals(all.stream().map(BridgeDirents.Entry::name).toList(), names);

            // Any entry's cookie resumes right after it.
            BridgeDirents after = c.readdirPage("many", all.get(4999).cookie(), 0);
            assertEquals(TreeHandler.manyName(5000), after.entries().getFirst().name());
            assertEquals(5000, after.entries().size());
            assertEquals(0, after.nextCookie());
        }
        // Each small page was a request of its own.
        assertTrue(server.requests(READDIR) > 500);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        int n = 300;
        byte[][] frames = new byte[n][];
        for (int i = 0; i < n; i++) {
            frames[i] = switch (i % 4) {
                case 0 -> frame(GETATTR, 1000 + i, utf8("dir/f"));
                case 1 -> frame(LOOKUP, 1000 + i, utf8("nope" + i));
                case 2 -> frame(GET_FMAP, 1000 + i, utf8("top"));
                default -> frame(READDIR, 1000 + i, readdir(0, 0, 0, utf8("dir")));
            };
        }
        try (Raw raw = new Raw(server.socket())) {
            raw.send(frames); // all in one write, before reading any reply
            for (int i = 0; i < n; i++) {
                Raw.Reply r = raw.read();
                assertEquals(1000 + i, r.tag());
                switch (i % 4) {
                    case 0 -> assertEquals(4096, r.body().getLong(16));
                    case 1 -> assertEquals("no such path: nope" + i, r.text());
                    case 2 -> assertArrayEquals(TreeHandler.fmapOf("top"), r.payload());
                    default -> assertEquals(2, r.body().getInt(8));
                }
            }
        }
    }

    @Test
    void manyConcurrentClients() throws Exception {
        int clients = 32;
        int each = 300;
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    int ok = 0;
                    try (BridgeClient c = BridgeClient.connect(server.socket())) {
                        for (int i = 0; i < each; i++) {
                            int k = (id + i) % TreeHandler.MANY;
                            BridgeAttr a = c.getattr("many/" + TreeHandler.manyName(k));
                            assertEquals(k, a.size());
                            assertEquals(5 + k, a.logIndex());
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : done) {
                assertEquals(each, f.get());
            }
        }
        assertEquals((long) clients * each, server.requests(GETATTR));
        assertEquals(0, server.errors(GETATTR));
    }

    // --- hostile frames ---

    @Test
    void frameShorterThanItsHeaderClosesTheConnection() throws IOException {
        for (int length : new int[] {0, 1, 11}) {
            long before = handler.calls.get();
            try (Raw raw = new Raw(server.socket())) {
                ByteBuffer b = ByteBuffer.allocate(4 + length)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(length);
                raw.send(b.array());
                assertTrue(raw.closedByServer(), "length " + length);
            }
            assertEquals(before, handler.calls.get());
            bystanderStillServed();
        }
        assertEquals(3, server.badFrames());

        // Requests pipelined before such a frame are answered before the connection closes.
        try (Raw raw = new Raw(server.socket())) {
            raw.send(frame(GETATTR, 1, utf8("top")), frame(GETATTR, 2, utf8("dir")), new byte[4]);
            assertEquals(1, raw.read().tag());
            assertEquals(2, raw.read().tag());
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void frameLongerThanTheLimitGetsE2bigThenClose() throws IOException {
        try (Raw raw = new Raw(server.socket())) {
            byte[] head = ByteBuffer.allocate(16)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(8189) // 8193 bytes with the length field: one too many
                    .putShort((short) LOOKUP)
                    .putShort((short) 0)
                    .putLong(55)
                    .array();
            raw.send(head);
            Raw.Reply r = raw.read();
            assertEquals(E2BIG, r.errno());
            assertEquals(55, r.tag());
            assertEquals(LOOKUP, r.op());
            assertTrue(raw.closedByServer());
        }
        try (Raw raw = new Raw(server.socket())) {
            // The largest frame allowed is answered (its path is too long, but the frame is fine).
            Raw.Reply r = raw.call(LOOKUP, 56, utf8("a".repeat(8192 - 16)));
            assertEquals(ENAMETOOLONG, r.errno());
            assertEquals(0, raw.call(GETATTR, 57, utf8("top")).errno());
        }
        bystanderStillServed();
    }

    @Test
    void frameCutOffByCloseReachesNothing() throws IOException {
        long before = handler.calls.get();
        try (Raw raw = new Raw(server.socket())) {
            byte[] whole = frame(LOOKUP, 1, utf8("dir/f"));
            raw.send(Arrays.copyOf(whole, whole.length - 2));
            raw.channel.shutdownOutput();
            assertTrue(raw.closedByServer());
        }
        try (Raw raw = new Raw(server.socket())) {
            raw.send(new byte[] {20, 0}); // not even a whole length field
            raw.channel.shutdownOutput();
            assertTrue(raw.closedByServer());
        }
        assertEquals(before, handler.calls.get());
        assertEquals(2, server.badFrames());
        bystanderStillServed();
    }

    @Test
    void unknownOpGetsEnosysAndTheConnectionGoesOn() throws IOException {
        try (Raw raw = new Raw(server.socket())) {
            for (int op : new int[] {6, 99, 0xffff}) {
                Raw.Reply r = raw.call(op, op, utf8("dir"));
                assertEquals(ENOSYS, r.errno());
                assertEquals(op, r.op());
                assertEquals(op, r.tag());
            }
            assertEquals(0, raw.call(GETATTR, 1, utf8("dir")).errno());
        }
        assertEquals(3, server.badFrames());
    }

    @Test
    void badPathsGetEinvalOrEnametoolong() throws IOException {
        long before = handler.calls.get();
        byte[][] invalid = {
            {'a', 0, 'b'}, // NUL
            {(byte) 0xc3, '('}, // bad continuation
            {(byte) 0xc0, (byte) 0xaf}, // overlong '/'
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            {'d', 'i', 'r', (byte) 0xe2, (byte) 0x82}, // cut short
            utf8("/dir"),
            utf8("dir/"),
            utf8("dir//f"),
            utf8("./dir"),
            utf8("dir/.."),
            utf8(".")
        };
        try (Raw raw = new Raw(server.socket())) {
            long tag = 0;
            for (byte[] path : invalid) {
                for (int op : new int[] {LOOKUP, GETATTR, GET_FMAP}) {
                    Raw.Reply r = raw.call(op, ++tag, path);
                    assertEquals(EINVAL, r.errno(), Arrays.toString(path));
                    assertEquals(tag, r.tag());
                }
                assertEquals(
                        EINVAL, raw.call(READDIR, ++tag, readdir(0, 0, 0, path)).errno());
            }
            assertEquals(
                    ENAMETOOLONG,
                    raw.call(GETATTR, ++tag, utf8("a".repeat(4097))).errno());
            // 4096 bytes is a valid path: the handler answers it.
            assertEquals(
                    ENOENT, raw.call(GETATTR, ++tag, utf8("a".repeat(4096))).errno());
            // Names with dots that are not "." or "..", and non-ASCII, are fine.
            assertEquals(ENOENT, raw.call(GETATTR, ++tag, utf8(".hidden/..x/é")).errno());
        }
        assertEquals(before + 2, handler.calls.get());
        // Every refusal, the ENAMETOOLONG and the two ENOENT answers.
        assertEquals(
                invalid.length * 4 + 3,
                server.errors(LOOKUP) + server.errors(GETATTR) + server.errors(READDIR) + server.errors(GET_FMAP));
        bystanderStillServed();
    }

    @Test
    void badPayloadSizesAndFieldsGetEinval() throws IOException {
        long before = handler.calls.get();
        try (Raw raw = new Raw(server.socket())) {
            assertEquals(EINVAL, raw.call(GET_DAXDEV, 1, new byte[3]).errno());
            assertEquals(EINVAL, raw.call(GET_DAXDEV, 2, new byte[5]).errno());
            assertEquals(EINVAL, raw.call(GET_DAXDEV, 3, new byte[0]).errno());
            assertEquals(EINVAL, raw.call(GET_DAXDEV, 4, u32(0x80000000)).errno());
            assertEquals(EINVAL, raw.call(HELLO, 5, new byte[0]).errno());
            assertEquals(EINVAL, raw.call(HELLO, 6, new byte[8]).errno());
            assertEquals(EINVAL, raw.call(READDIR, 7, new byte[15]).errno());
            assertEquals(
                    EINVAL,
                    raw.call(READDIR, 8, readdir(0, 511, 0, utf8("dir"))).errno());
            assertEquals(
                    EINVAL, raw.call(READDIR, 9, readdir(0, 0, 1, utf8("dir"))).errno());
            raw.send(frame(GETATTR, 1, 10, utf8("dir")));
            Raw.Reply flagged = raw.read();
            assertEquals(EINVAL, flagged.errno());
            assertEquals("request flags must be 0, not 1", flagged.text());
            // The connection is still in step after every refusal.
            assertEquals(0, raw.call(GET_DAXDEV, 11, u32(0)).errno());
            assertEquals(
                    0, raw.call(READDIR, 12, readdir(0, 512, 0, utf8("dir"))).errno());
        }
        assertEquals(before + 2, handler.calls.get());
        bystanderStillServed();
    }

    @Test
    void handlerFailuresBecomeEio() throws IOException {
        try (BridgeClient c = BridgeClient.connect(server.socket())) {
            BridgeException bug = assertThrows(BridgeException.class, () -> c.getattr("boom"));
            assertEquals(EIO, bug.errno());
            assertFalse(bug.detail().contains("a bug in the handler"), "the exception's text is not sent");
            assertEquals(
                    EIO,
                    assertThrows(BridgeException.class, () -> c.lookup("null")).errno());
            assertEquals(
                    EIO,
                    assertThrows(BridgeException.class, () -> c.getFmap("huge")).errno());
            assertEquals(
                    EIO,
                    assertThrows(BridgeException.class, () -> c.getDaxdev(1)).errno());
            assertEquals(4096, c.getattr("dir/f").size());
        }
        assertEquals(1, server.errors(GETATTR));
        assertEquals(1, server.errors(LOOKUP));
        assertEquals(1, server.errors(GET_FMAP));
        assertEquals(1, server.errors(GET_DAXDEV));
    }

    @Test
    void countsPerOp() throws IOException {
        try (BridgeClient c = BridgeClient.connect(server.socket())) {
            c.getattr("dir");
            c.getattr("dir");
            assertThrows(BridgeException.class, () -> c.getattr("x"));
            c.readdir("dir");
        }
        assertEquals(3, server.requests(GETATTR));
        assertEquals(1, server.errors(GETATTR));
        assertEquals(1, server.requests(READDIR));
        assertEquals(0, server.errors(READDIR));
        assertEquals(0, server.requests(LOOKUP));
        assertThrows(IllegalArgumentException.class, () -> server.requests(6));
    }

    @Test
    void tagsAreEchoedWhateverTheirValue() throws IOException {
        Set<Long> tags = new HashSet<>(List.of(0L, 1L, -1L, Long.MIN_VALUE, 0x0123456789abcdefL));
        try (Raw raw = new Raw(server.socket())) {
            for (long tag : tags) {
                assertEquals(tag, raw.call(GETATTR, tag, utf8("top")).tag());
            }
        }
    }
}
