package io.famfs.meta.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.util.JsonFormat;
import io.famfs.meta.agent.testing.AgentProcess;
import io.famfs.meta.agent.testing.Remake;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.leader.client.LeaderClient;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.log.RawBytes;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.FileInfo;
import io.famfs.meta.proto.v1.Interleave;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.famfs.meta.testing.TestDevice;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Real agent processes beside a real leader on one emulated device: the agent follows what the leader writes, keeps
 * serving with the leader killed, and purges and replays its view when the file system changes identity under it.
 * What the agent serves is checked against the leader's answers and against the tests' own decoder of the log.
 */
class AgentFollowsLogTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void followsTheLeaderAndKeepsServingWhileItIsDown() throws Exception {
        try (TestDevice dev = TestDevice.formatted(16 * Famfs.GiB, Famfs.DEFAULT_LOG_LEN);
                AgentProcess agent = AgentProcess.start(dev.path(), dev.dir(), "host-a")) {
            agent.awaitStatus(s -> "CURRENT".equals(s.getString("state")), WAIT, "CURRENT on an empty log");
            FileInfo plain;
            FileInfo striped;
            try (LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership")) {
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                rest.mkdir(MkdirRequest.newBuilder().setPath("d").build());
                plain = rest.createFile(CreateFileRequest.newBuilder()
                                .setPath("d/plain")
                                .setSize(5 << 20)
                                .setMode(0640)
                                .build())
                        .getFile();
                striped = rest.createFile(CreateFileRequest.newBuilder()
                                .setPath("d/striped")
                                .setSize(37 << 20)
                                .setInterleave(Interleave.newBuilder()
                                        .setNbuckets(8)
                                        .setNstrips(4)
                                        .setChunkSize(2 << 20))
                                .build())
                        .getFile();
                assertEquals(plain, awaitFmap(agent, "d/plain"));
                assertEquals(striped, awaitFmap(agent, "/d/striped"));

                JsonObject st = agent.awaitStatus(s -> s.getLong("applied") == 3, WAIT, "3 entries applied");
                assertEquals("CURRENT", st.getString("state"), st::encode);
                assertEquals(3, st.getLong("published"), st::encode);
                assertEquals(0, st.getLong("lag_entries"), st::encode);
                assertEquals(0, st.getLong("stale_resets"), st::encode);
                assertEquals("host-a", st.getString("host_id"), st::encode);
                assertEquals("Owner", st.getString("role"), "the agent shares the leader's host identity");
                assertEquals(
                        fsUuid(dev.path()).toString(),
                        st.getJsonObject("identity").getString("fs_uuid"),
                        st::encode);

                leader.kill9();
            }
            // the leader is gone: the agent keeps serving from shared memory
            assertEquals(striped, fmap(agent, "d/striped"));
            assertEquals(200, agent.get("/health/ready").status());
            assertTrue(agent.get("/metrics").body().contains("famfs_agent_lag_entries 0.0"));

            // and catches up when a leader writes again
            try (LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir())) {
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                FileInfo later = rest.createFile(CreateFileRequest.newBuilder()
                                .setPath("later")
                                .setSize(1)
                                .build())
                        .getFile();
                assertEquals(later, awaitFmap(agent, "later"));
            }
            assertEquals(143, agent.stop(), agent::output);
        }
    }

    @Test
    void answersBadRequestsWithClearErrors() throws Exception {
        try (TestDevice dev = TestDevice.formatted();
                AgentProcess agent = AgentProcess.start(dev.path(), dev.dir(), "host-b")) {
            agent.awaitStatus(s -> "CURRENT".equals(s.getString("state")), WAIT, "CURRENT");
            assertEquals(404, agent.get("/v1/fmap?path=nope").status());
            assertEquals(400, agent.get("/v1/fmap?path=" + enc("../etc/passwd")).status());
            assertEquals(400, agent.get("/v1/stat?path=" + enc("a//b")).status());
            assertEquals(400, agent.get("/v1/fmap?path=").status(), "the root is a directory, not a file");
            assertEquals(404, agent.get("/v1/nothing").status());
            AgentProcess.Reply list = agent.get("/v1/list");
            assertEquals(200, list.status(), list::toString);
        }
    }

    @Test
    void aReMadeFileSystemPurgesTheViewAndItIsReplayed() throws Exception {
        try (TestDevice dev = TestDevice.formatted()) {
            try (LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership")) {
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                rest.createFile(
                        CreateFileRequest.newBuilder().setPath("old").setSize(1).build());
            }
            try (AgentProcess agent = AgentProcess.start(dev.path(), dev.dir(), "host-c")) {
                awaitFmap(agent, "old");
                String before = agent.status().getJsonObject("identity").getString("fs_uuid");

                Remake.mkfs(dev);

                JsonObject st = agent.awaitStatus(
                        s -> s.getLong("stale_resets") >= 1 && "CURRENT".equals(s.getString("state")),
                        WAIT,
                        "a stale reset, then CURRENT");
                assertNotEquals(before, st.getJsonObject("identity").getString("fs_uuid"), st::encode);
                assertEquals(0, st.getLong("applied"), st::encode);
                assertTrue(
                        st.getString("last_stale_reason").contains("re-made")
                                || st.getString("last_stale_reason").contains("superblock"),
                        st::encode);
                assertEquals(404, agent.get("/v1/fmap?path=old").status());
                assertTrue(agent.output().contains("stale view:"), agent::output);
                assertTrue(
                        agent.get("/metrics").body().matches("(?s).*famfs_agent_stale_resets_total [1-9].*"),
                        "stale resets counted");

                try (LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership")) {
                    LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                    FileInfo fresh = rest.createFile(CreateFileRequest.newBuilder()
                                    .setPath("fresh")
                                    .setSize(1)
                                    .build())
                            .getFile();
                    assertEquals(fresh, awaitFmap(agent, "fresh"));
                }
            }
        }
    }

    @Test
    void aRewrittenLastEntryWithTheSameUuidIsStale() throws Exception {
        try (TestDevice dev = TestDevice.formatted()) {
            try (LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership")) {
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                rest.createFile(
                        CreateFileRequest.newBuilder().setPath("a").setSize(1).build());
                rest.createFile(CreateFileRequest.newBuilder()
                        .setPath("file-bbb")
                        .setSize(1)
                        .build());
            }
            try (AgentProcess agent = AgentProcess.start(dev.path(), dev.dir(), "host-d")) {
                awaitFmap(agent, "file-bbb");
                // entry 1 (file-bbb) becomes a valid entry for file-ccc: same uuid, same header, same entry count
                Path device = dev.path();
                byte[] entry = RawBytes.read(device, RawBytes.entry(1), RawBytes.ENTRY_LENGTH);
                int name = indexOf(entry, "file-bbb".getBytes(StandardCharsets.US_ASCII));
                System.arraycopy("file-ccc".getBytes(StandardCharsets.US_ASCII), 0, entry, name, 8);
                putLe64(entry, RawBytes.ENTRY_CRC, crc32(entry, RawBytes.ENTRY_CRC));
                RawBytes.write(device, RawBytes.entry(1), entry);

                JsonObject st = agent.awaitStatus(
                        s -> s.getLong("stale_resets") == 1 && "CURRENT".equals(s.getString("state")),
                        WAIT,
                        "one stale reset");
                assertTrue(st.getString("last_stale_reason").contains("entry 1 changed"), st::encode);
                assertEquals(2, st.getLong("applied"), st::encode);
                assertEquals(404, agent.get("/v1/fmap?path=file-bbb").status());
                assertEquals(200, agent.get("/v1/fmap?path=file-ccc").status());
                assertEquals(200, agent.get("/v1/fmap?path=a").status());
            }
        }
    }

    @Test
    void aCorruptEntryStopsTheViewUntilItIsRepaired() throws Exception {
        try (TestDevice dev = TestDevice.formatted()) {
            try (LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership")) {
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                for (String p : new String[] {"f0", "f1", "f2", "f3"}) {
                    rest.createFile(
                            CreateFileRequest.newBuilder().setPath(p).setSize(1).build());
                }
            }
            Path device = dev.path();
            byte[] good = RawBytes.read(device, RawBytes.entry(2), RawBytes.ENTRY_LENGTH);
            RawBytes.flipByte(device, RawBytes.entry(2) + 100);
            try (AgentProcess agent = AgentProcess.start(device, dev.dir(), "host-e")) {
                JsonObject st = agent.awaitStatus(s -> "BAD_ENTRY".equals(s.getString("state")), WAIT, "BAD_ENTRY");
                assertEquals(2, st.getLong("bad_index"), st::encode);
                assertEquals(2, st.getLong("applied"), st::encode);
                assertEquals(4, st.getLong("published"), st::encode);
                assertEquals(2, st.getLong("lag_entries"), st::encode);
                assertEquals(200, agent.get("/v1/fmap?path=f1").status(), "the valid prefix is served");
                assertEquals(404, agent.get("/v1/fmap?path=f3").status(), "nothing past the bad entry");
                assertEquals(503, agent.get("/health/ready").status());
                assertTrue(agent.output().contains("bad log entry 2"), agent::output);

                RawBytes.write(device, RawBytes.entry(2), good);
                st = agent.awaitStatus(s -> "CURRENT".equals(s.getString("state")), WAIT, "healed");
                assertEquals(4, st.getLong("applied"), st::encode);
                assertNull(st.getValue("bad_index"), st::encode);
                assertEquals(0, st.getLong("stale_resets"), st::encode);
                assertEquals(200, agent.get("/v1/fmap?path=f3").status());
            }
        }
    }

    // ---- helpers ----

    private static FileInfo awaitFmap(AgentProcess agent, String path) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        AgentProcess.Reply r;
        do {
            r = agent.get("/v1/fmap?path=" + enc(path));
            if (r.status() == 200) {
                return parse(r.body());
            }
            Thread.sleep(2);
        } while (System.nanoTime() < deadline);
        fail("the agent does not serve " + path + ": " + r + "\n" + agent.output());
        return null;
    }

    private static FileInfo fmap(AgentProcess agent, String path) throws Exception {
        AgentProcess.Reply r = agent.get("/v1/fmap?path=" + enc(path));
        assertEquals(200, r.status(), r::toString);
        return parse(r.body());
    }

    private static FileInfo parse(String json) throws Exception {
        FileInfo.Builder b = FileInfo.newBuilder();
        JsonFormat.parser().merge(json, b);
        return b.build();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The superblock's fs uuid (16 bytes at offset 48, big-endian), read from the file. */
    private static java.util.UUID fsUuid(Path device) {
        byte[] b = RawBytes.read(device, 48, 16);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b);
        return new java.util.UUID(bb.getLong(), bb.getLong());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 16; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static void putLe64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    private static long crc32(byte[] b, int len) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(b, 0, len);
        return c.getValue();
    }
}
