package io.famfs.meta.leader.it;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.leader.client.GrpcLeaderClient;
import io.famfs.meta.leader.client.LeaderClient;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.log.RawBytes;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.testing.TestDevice;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Another writer (as the famfs CLI on the same host would) appends an entry and moves the header under a running
 * leader: the leader refuses to append, goes not-ready with state OTHER_WRITER, writes nothing, and serves again only
 * after a restart (which replays the other writer's entry).
 */
class OtherWriterTest {

    /** A famfs mkdir entry (famfs-format.md 1.4), built here from bytes: seqnum, type 1, uid, gid, mode, relpath, CRC. */
    static byte[] mkdirEntry(long index, String relpath, int uid, int gid, int mode) {
        ByteBuffer e = ByteBuffer.allocate(RawBytes.ENTRY_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        e.putLong(0, index);
        e.putInt(8, 1);
        e.putInt(16, uid);
        e.putInt(20, gid);
        e.putInt(24, mode);
        e.put(28, relpath.getBytes(StandardCharsets.UTF_8));
        e.putLong(RawBytes.ENTRY_CRC, RawBytes.crc32(e.array(), 0, RawBytes.ENTRY_CRC));
        return e.array();
    }

    @Test
    void anotherWriterMovingTheHeaderStopsTheLeader() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestDevice dev = TestDevice.formatted()) {
            Path device = dev.path();
            try (LeaderProcess leader = LeaderProcess.start(device, dev.dir(), "--take-ownership")) {
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                rest.createFile(CreateFileRequest.newBuilder()
                        .setPath("mine")
                        .setSize(5 << 20)
                        .build());
                long n = TestLog.of(device).nextIndex;
                assertEquals(1, n);

                // the other writer: entry n, then next_seqnum and next_index
                RawBytes.write(device, RawBytes.entry(n), mkdirEntry(n, "theirs", 1000, 1000, 0755));
                RawBytes.putLe64(device, RawBytes.LOG + 32, n + 1);
                RawBytes.putLe64(device, RawBytes.LOG + RawBytes.HDR_NEXT_INDEX, n + 1);
                TestLog theirs = TestLog.of(device);
                assertEquals(List.of(), theirs.problems(), "the hand-built entry is a valid famfs entry");
                assertEquals("theirs", theirs.get("theirs").path());
                byte[] before = Probe.metadata(device);

                Probe.Answer refused = Probe.post(leader, "/v1/files", "{\"path\": \"next\", \"size\": 1}");
                assertEquals(503, refused.status(), refused::toString);
                assertEquals(
                        "UNAVAILABLE", refused.json().getJsonObject("error").getString("code"), refused::toString);
                assertTrue(
                        refused.json()
                                .getJsonObject("error")
                                .getString("message")
                                .contains("another writer"),
                        refused::toString);

                Probe.Ready ready = Probe.ready(leader);
                assertEquals(503, ready.status(), ready::body);
                assertEquals("OTHER_WRITER", ready.data().getString("state"), ready::body);
                assertTrue(ready.data().getString("reason").contains("next_index " + (n + 1)), ready::body);

                // it stays stopped: a gRPC create and a mkdir are refused too
                try (GrpcLeaderClient grpc =
                        GrpcLeaderClient.create(vertx, "127.0.0.1", leader.grpcPort(), leader.token())) {
                    ExecutionException e = assertThrows(
                            ExecutionException.class,
                            () -> grpc.createFile(CreateFileRequest.newBuilder()
                                            .setPath("next")
                                            .setSize(1)
                                            .build())
                                    .toCompletionStage()
                                    .toCompletableFuture()
                                    .get(30, TimeUnit.SECONDS));
                    assertEquals(ErrorCode.UNAVAILABLE, ((FamfsException) e.getCause()).code(), e::toString);
                }
                Probe.Answer mkdir = Probe.post(leader, "/v1/dirs", "{\"path\": \"d\"}");
                assertEquals(503, mkdir.status(), mkdir::toString);
                assertEquals(503, leader.readyStatus());
                assertArrayEquals(before, Probe.metadata(device), "the leader wrote after the header moved");
                assertEquals(143, leader.stop(), leader::output);
            }

            // a restart replays the other writer's entry and serves again
            try (LeaderProcess leader = LeaderProcess.start(device, dev.dir())) {
                assertEquals(200, leader.readyStatus(), leader::output);
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                assertTrue(rest.stat("theirs").hasDir());
                assertEquals(
                        2,
                        rest.createFile(CreateFileRequest.newBuilder()
                                        .setPath("theirs/next")
                                        .setSize(1)
                                        .build())
                                .getFile()
                                .getLogIndex());
                assertEquals(143, leader.stop(), leader::output);
            }
            TestLog log = TestLog.of(device);
            assertEquals(List.of(), log.problems());
            assertEquals(3, log.nextIndex);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }
}
