package io.famfs.meta.leader.it;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.leader.client.GrpcLeaderClient;
import io.famfs.meta.leader.client.LeaderClient;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.testing.TestDevice;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real leader process: it starts, takes creates over gRPC and REST, refuses a wrong token, and stops cleanly. */
class LeaderProcessTest {

    @Test
    void startsServesAndStopsGracefully() throws Exception {
        try (TestDevice dev = TestDevice.formatted();
                LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership")) {
            assertTrue(leader.output().contains("took ownership"), leader::output);
            assertEquals(200, leader.readyStatus());
            Vertx vertx = Vertx.vertx();
            try (GrpcLeaderClient grpc =
                    GrpcLeaderClient.create(vertx, "127.0.0.1", leader.grpcPort(), leader.token())) {
                CreateFileResponse a = grpc.createFile(CreateFileRequest.newBuilder()
                                .setPath("a")
                                .setSize(3 << 20)
                                .build())
                        .await(30, TimeUnit.SECONDS);
                assertTrue(a.getCreated());
                assertEquals("a", a.getFile().getPath());

                try (GrpcLeaderClient wrong = GrpcLeaderClient.create(vertx, "127.0.0.1", leader.grpcPort(), "nope")) {
                    var refused = assertThrows(
                            ExecutionException.class,
                            () -> wrong.createFile(CreateFileRequest.newBuilder()
                                            .setPath("b")
                                            .setSize(1)
                                            .build())
                                    .toCompletionStage()
                                    .toCompletableFuture()
                                    .get(30, TimeUnit.SECONDS));
                    assertEquals(
                            ErrorCode.UNAUTHENTICATED, ((FamfsException) refused.getCause()).code(), refused::toString);
                }
            } finally {
                vertx.close().await(30, TimeUnit.SECONDS);
            }
            LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
            assertTrue(rest.createFile(CreateFileRequest.newBuilder()
                            .setPath("c")
                            .setSize(1)
                            .build())
                    .getCreated());

            assertEquals(143, leader.stop(), leader::output);
            assertTrue(leader.output().contains("famfs-meta leader: stopped"), leader::output);
            // the leader runs in dev.dir(): a REST body handler with uploads on would have left a folder there
            assertFalse(java.nio.file.Files.exists(dev.dir().resolve("file-uploads")), "file-uploads made");

            TestLog log = TestLog.of(dev.path());
            assertEquals(2, log.nextIndex);
            assertEquals(3L << 20, log.get("a").size());
            assertEquals(1, log.get("c").size());
            assertEquals(java.util.List.of(), log.problems());
        }
    }
}
