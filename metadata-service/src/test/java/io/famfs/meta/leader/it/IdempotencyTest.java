package io.famfs.meta.leader.it;

import static io.famfs.meta.leader.it.ApiSupport.MiB;
import static io.famfs.meta.leader.it.ApiSupport.assertMatches;
import static io.famfs.meta.leader.it.ApiSupport.logRegion;
import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.CreateFilesRequest;
import io.famfs.meta.proto.v1.CreateFilesResponse;
import io.famfs.meta.proto.v1.DirInfo;
import io.famfs.meta.proto.v1.LeaderGrpcClient;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.famfs.meta.proto.v1.MkdirResponse;
import io.famfs.meta.testing.TestDevice;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Request ids on a real leader: a retry with the same id gets the identical answer and writes nothing (REST and gRPC,
 * one file, a batch, mkdir, concurrent retries), an id reused for another kind of request is refused, and the stored
 * answers survive a graceful restart (SIGTERM) and a kill -9 taken after the answer arrived.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyTest {
    private SharedLeader shared;
    private TestDevice dev;
    private LeaderProcess leader;
    private ApiSupport api;

    @BeforeAll
    void start() {
        shared = SharedLeader.start();
        dev = shared.dev;
        leader = shared.leader;
        api = shared.api;
    }

    @AfterAll
    void stop() {
        if (shared != null) {
            shared.close();
        }
    }

    private void restart(boolean kill9) {
        shared.restart(kill9);
        leader = shared.leader;
        api = shared.api;
    }

    private static CreateFileRequest file(String path, long size, String id) {
        return CreateFileRequest.newBuilder()
                .setPath(path)
                .setSize(size)
                .setRequestId(id)
                .build();
    }

    private ApiSupport.Reply restCreate(CreateFileRequest r) {
        return api.post("/v1/files", r);
    }

    @Test
    void oneFileRetriedOverRestAndGrpc() {
        CreateFileRequest r = file("one-rest", 3 * MiB, "id-one-rest");
        ApiSupport.Reply first = restCreate(r);
        assertEquals(201, first.status(), first::toString);
        CreateFileResponse answer = first.as(CreateFileResponse.newBuilder());
        assertTrue(answer.getCreated());
        assertMatches(TestLog.of(dev.path()).get("one-rest"), answer.getFile());
        byte[] log = logRegion(dev.path());

        ApiSupport.Reply again = restCreate(r);
        assertEquals(201, again.status(), "the same answer, status included");
        assertEquals(answer, again.as(CreateFileResponse.newBuilder()));
        assertTrue(
                again.<CreateFileResponse>as(CreateFileResponse.newBuilder()).getCreated(),
                "the stored answer, not famfs's creat rule (which would say created=false)");
        assertEquals(answer, api.ok(LeaderGrpcClient.CreateFile, r), "the id is shared by REST and gRPC");
        assertArrayEquals(log, logRegion(dev.path()), "a retry wrote something");

        CreateFileRequest g = file("one-grpc", MiB, "id-one-grpc").toBuilder()
                .setMode(0600)
                .setUid(3)
                .build();
        CreateFileResponse grpcAnswer = api.ok(LeaderGrpcClient.CreateFile, g);
        log = logRegion(dev.path());
        for (int i = 0; i < 3; i++) {
            assertEquals(grpcAnswer, api.ok(LeaderGrpcClient.CreateFile, g));
        }
        assertArrayEquals(log, logRegion(dev.path()), "a retry wrote something");
        assertEquals(
                1,
                TestLog.of(dev.path()).entries.stream()
                        .filter(e -> e.path().equals("one-grpc"))
                        .count());
    }

    @Test
    void aBatchRetriedOverRestAndGrpc() {
        for (String via : List.of("rest", "grpc")) {
            CreateFilesRequest batch = CreateFilesRequest.newBuilder()
                    .setRequestId("id-batch-" + via)
                    .addFiles(CreateFileRequest.newBuilder()
                            .setPath("batch-" + via + "-1")
                            .setSize(1))
                    .addFiles(CreateFileRequest.newBuilder()
                            .setPath("batch-" + via + "-2")
                            .setSize(5 * MiB))
                    .build();
            CreateFilesResponse first = createFiles(via, batch);
            TestLog log = TestLog.of(dev.path());
            assertEquals(2, first.getResultsCount());
            assertMatches(log.get("batch-" + via + "-1"), first.getResults(0).getFile());
            assertMatches(log.get("batch-" + via + "-2"), first.getResults(1).getFile());
            byte[] bytes = logRegion(dev.path());
            assertEquals(first, createFiles("rest", batch));
            assertEquals(first, createFiles("grpc", batch));
            assertArrayEquals(bytes, logRegion(dev.path()), "a retried batch wrote something");
        }
    }

    private CreateFilesResponse createFiles(String via, CreateFilesRequest batch) {
        if (via.equals("grpc")) {
            return api.ok(LeaderGrpcClient.CreateFiles, batch);
        }
        ApiSupport.Reply reply = api.post("/v1/files/batch", batch);
        assertEquals(200, reply.status(), reply::toString);
        return reply.as(CreateFilesResponse.newBuilder());
    }

    @Test
    void mkdirRetriedOverRestAndGrpc() {
        MkdirRequest r = MkdirRequest.newBuilder()
                .setPath("mk/a/b")
                .setParents(true)
                .setRequestId("id-mkdir")
                .build();
        ApiSupport.Reply first = api.post("/v1/dirs", r);
        assertEquals(201, first.status(), first::toString);
        MkdirResponse answer = first.as(MkdirResponse.newBuilder());
        assertEquals(
                List.of("mk", "mk/a", "mk/a/b"),
                answer.getCreatedList().stream().map(DirInfo::getPath).toList());
        byte[] log = logRegion(dev.path());
        ApiSupport.Reply again = api.post("/v1/dirs", r);
        assertEquals(201, again.status(), again::toString);
        // without the id, mkdir -p of an existing directory would answer with nothing created
        assertEquals(answer, again.as(MkdirResponse.newBuilder()));
        assertEquals(answer, api.ok(LeaderGrpcClient.Mkdir, r));
        // the same id on a request that differs (here: without parents) is refused, not answered with the first
        String refused = api.fails(
                LeaderGrpcClient.Mkdir, r.toBuilder().setParents(false).build(), GrpcStatus.INVALID_ARGUMENT);
        assertTrue(refused.contains("different request"), refused);
        assertArrayEquals(log, logRegion(dev.path()), "a retried mkdir wrote something");
    }

    @Test
    void concurrentRetriesWriteOneEntry() throws Exception {
        CreateFileRequest r = file("concurrent", 2 * MiB, "id-concurrent");
        List<CompletableFuture<CreateFileResponse>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 16; i++) {
                boolean rest = i % 2 == 0;
                answers.add(CompletableFuture.supplyAsync(
                        () -> rest
                                ? restCreate(r).<CreateFileResponse>as(CreateFileResponse.newBuilder())
                                : api.ok(LeaderGrpcClient.CreateFile, r),
                        pool));
            }
            CreateFileResponse one = answers.getFirst().get();
            for (var a : answers) {
                assertEquals(one, a.get());
            }
            assertTrue(one.getCreated());
        }
        TestLog log = TestLog.of(dev.path());
        assertEquals(
                1,
                log.entries.stream().filter(e -> e.path().equals("concurrent")).count());
        assertMatches(log.get("concurrent"), answers.getLast().get().getFile());
    }

    @Test
    void anIdReusedForAnotherKindOfRequestIsRefused() {
        CreateFileResponse made = api.ok(LeaderGrpcClient.CreateFile, file("kind-file", 1, "id-kind"));
        assertTrue(made.getCreated());
        byte[] log = logRegion(dev.path());

        MkdirRequest mkdir = MkdirRequest.newBuilder()
                .setPath("kind-dir")
                .setRequestId("id-kind")
                .build();
        ApiSupport.Reply rest = api.post("/v1/dirs", mkdir);
        assertEquals(400, rest.status(), rest::toString);
        assertEquals("INVALID_ARGUMENT", rest.errorCode());
        assertTrue(
                rest.json().getJsonObject("error").getString("message").contains("another kind of request"),
                rest::toString);
        String message = api.fails(LeaderGrpcClient.Mkdir, mkdir, GrpcStatus.INVALID_ARGUMENT);
        assertTrue(message.contains("id-kind"), message);

        CreateFilesRequest batch = CreateFilesRequest.newBuilder()
                .setRequestId("id-kind")
                .addFiles(CreateFileRequest.newBuilder().setPath("kind-batch").setSize(1))
                .build();
        api.fails(LeaderGrpcClient.CreateFiles, batch, GrpcStatus.INVALID_ARGUMENT);
        ApiSupport.Reply restBatch = api.post("/v1/files/batch", batch);
        assertEquals(400, restBatch.status(), restBatch::toString);
        assertArrayEquals(log, logRegion(dev.path()), "a refused reuse wrote something");
        assertNull(TestLog.of(dev.path()).get("kind-dir"));
        // the id still stands for its first answer
        assertEquals(made, api.ok(LeaderGrpcClient.CreateFile, file("kind-file", 1, "id-kind")));
    }

    @Test
    void storedAnswersSurviveAGracefulRestartAndAKill9() {
        // answers given before a graceful stop
        CreateFileRequest one = file("restart-one", 3 * MiB, "id-restart-one");
        CreateFileResponse oneAnswer = restCreate(one).as(CreateFileResponse.newBuilder());
        CreateFilesRequest batch = CreateFilesRequest.newBuilder()
                .setRequestId("id-restart-batch")
                .addFiles(CreateFileRequest.newBuilder().setPath("restart-b1").setSize(MiB))
                .addFiles(CreateFileRequest.newBuilder().setPath("restart-b2").setSize(MiB))
                .build();
        CreateFilesResponse batchAnswer = api.ok(LeaderGrpcClient.CreateFiles, batch);
        MkdirRequest dir = MkdirRequest.newBuilder()
                .setPath("restart-d/e")
                .setParents(true)
                .setRequestId("id-restart-dir")
                .build();
        MkdirResponse dirAnswer = api.ok(LeaderGrpcClient.Mkdir, dir);
        byte[] log = logRegion(dev.path());

        restart(false);
        assertEquals(oneAnswer, api.ok(LeaderGrpcClient.CreateFile, one));
        assertEquals(batchAnswer, createFiles("rest", batch));
        assertEquals(dirAnswer, api.post("/v1/dirs", dir).as(MkdirResponse.newBuilder()));
        assertArrayEquals(log, logRegion(dev.path()), "a retry after a restart wrote something");

        // answers given just before a kill -9
        CreateFileRequest late = file("kill-one", MiB, "id-kill-one");
        CreateFileResponse lateAnswer = api.ok(LeaderGrpcClient.CreateFile, late);
        MkdirRequest lateDir = MkdirRequest.newBuilder()
                .setPath("kill-d")
                .setRequestId("id-kill-dir")
                .build();
        MkdirResponse lateDirAnswer = api.post("/v1/dirs", lateDir).as(MkdirResponse.newBuilder());
        log = logRegion(dev.path());

        restart(true);
        assertEquals(lateAnswer, restCreate(late).as(CreateFileResponse.newBuilder()));
        assertEquals(lateDirAnswer, api.ok(LeaderGrpcClient.Mkdir, lateDir));
        assertEquals(oneAnswer, restCreate(one).as(CreateFileResponse.newBuilder()));
        assertEquals(batchAnswer, createFiles("grpc", batch));
        assertEquals(dirAnswer, api.ok(LeaderGrpcClient.Mkdir, dir));
        assertArrayEquals(log, logRegion(dev.path()), "a retry after kill -9 wrote something");
        TestLog decoded = TestLog.of(dev.path());
        assertMatches(decoded.get("kill-one"), lateAnswer.getFile());
        assertMatches(decoded.get("kill-d"), lateDirAnswer.getDir());
        assertEquals(List.of(), decoded.problems());
    }
}
