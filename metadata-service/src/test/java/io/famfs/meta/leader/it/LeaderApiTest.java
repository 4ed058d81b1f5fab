package io.famfs.meta.leader.it;

import static io.famfs.meta.leader.it.ApiSupport.MiB;
import static io.famfs.meta.leader.it.ApiSupport.assertMatches;
import static io.famfs.meta.leader.it.ApiSupport.logRegion;
import static io.famfs.meta.leader.it.ApiSupport.take;
import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.leader.client.GrpcLeaderClient;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.proto.v1.CommittedEntry;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.CreateFilesRequest;
import io.famfs.meta.proto.v1.CreateFilesResponse;
import io.famfs.meta.proto.v1.DirInfo;
import io.famfs.meta.proto.v1.FileInfo;
import io.famfs.meta.proto.v1.Fmap;
import io.famfs.meta.proto.v1.Interleave;
import io.famfs.meta.proto.v1.LeaderGrpcClient;
import io.famfs.meta.proto.v1.ListResponse;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.famfs.meta.proto.v1.MkdirResponse;
import io.famfs.meta.proto.v1.PathRequest;
import io.famfs.meta.proto.v1.StatResponse;
import io.famfs.meta.proto.v1.UsageRequest;
import io.famfs.meta.proto.v1.UsageResponse;
import io.famfs.meta.testing.TestDevice;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.reflection.v1.ServiceResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every API call of a real leader process, over REST and over gRPC, checked against what the leader wrote (decoded by
 * the tests' own {@link TestLog}): creates (one, striped, a batch), mkdir, stat, list, fmap, usage, the entry streams,
 * famfs's creat rule, all-or-nothing batches, out of space, a full log; health, metrics, gRPC health and reflection.
 * One leader on an 8 GiB device serves the class; the full-log case gets its own device.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaderApiTest {
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

    private TestLog log() {
        return TestLog.of(dev.path());
    }

    private static CreateFileRequest file(String path, long size) {
        return CreateFileRequest.newBuilder().setPath(path).setSize(size).build();
    }

    private CreateFileResponse restCreate(CreateFileRequest r, int expectedStatus) {
        ApiSupport.Reply reply = api.post("/v1/files", r);
        assertEquals(expectedStatus, reply.status(), reply::toString);
        return reply.as(CreateFileResponse.newBuilder());
    }

    private CreateFileResponse grpcCreate(CreateFileRequest r) {
        return api.ok(LeaderGrpcClient.CreateFile, r);
    }

    // ---- create one file ----

    @Test
    void createsOneContiguousFileWithItsModeAndOwner() {
        for (String via : List.of("rest", "grpc")) {
            CreateFileRequest r = CreateFileRequest.newBuilder()
                    .setPath("contig-" + via)
                    .setSize(5 * MiB + 1)
                    .setMode(0600)
                    .setUid(1000)
                    .setGid(100)
                    .build();
            CreateFileResponse a = via.equals("rest") ? restCreate(r, 201) : grpcCreate(r);
            assertTrue(a.getCreated());
            FileInfo f = a.getFile();
            assertEquals(r.getPath(), f.getPath());
            assertEquals(r.getSize(), f.getSize());
            assertEquals(0600, f.getMode());
            assertEquals(1000, f.getUid());
            assertEquals(100, f.getGid());
            assertEquals(Fmap.Kind.SIMPLE, f.getFmap().getKind());
            assertEquals(1, f.getFmap().getExtentsCount(), f::toString);
            // one simple extent of the size rounded up to 2 MiB
            assertEquals(
                    Math.ceilDiv(r.getSize(), TestLog.AU) * TestLog.AU,
                    f.getFmap().getExtents(0).getLength());
            TestLog log = log();
            assertEquals(log.nextIndex - 1, f.getLogIndex(), "the newest entry");
            assertMatches(log.get(r.getPath()), f);
            assertEquals(List.of(), log.problems());
        }
    }

    @Test
    void modeDefaultsTo0644AndOwnerToRoot() {
        for (String via : List.of("rest", "grpc")) {
            CreateFileRequest r = file("default-mode-" + via, 1);
            CreateFileResponse a = via.equals("rest") ? restCreate(r, 201) : grpcCreate(r);
            assertEquals(0644, a.getFile().getMode());
            assertEquals(0, a.getFile().getUid());
            assertEquals(0, a.getFile().getGid());
            TestLog.Entry logged = log().get(r.getPath());
            assertEquals(0644, logged.mode());
            assertMatches(logged, a.getFile());
        }
    }

    @Test
    void createsAStripedFileWithExplicitInterleave() {
        int nbuckets = 8;
        int nstrips = 4;
        long chunk = 2 * MiB;
        long size = 20 * MiB + 5;
        for (String via : List.of("rest", "grpc")) {
            CreateFileRequest r = CreateFileRequest.newBuilder()
                    .setPath("striped-" + via)
                    .setSize(size)
                    .setInterleave(Interleave.newBuilder()
                            .setNbuckets(nbuckets)
                            .setNstrips(nstrips)
                            .setChunkSize(chunk))
                    .build();
            CreateFileResponse a = via.equals("rest") ? restCreate(r, 201) : grpcCreate(r);
            FileInfo f = a.getFile();
            assertEquals(Fmap.Kind.INTERLEAVED, f.getFmap().getKind());
            assertEquals(chunk, f.getFmap().getChunkSize());
            assertEquals(nstrips, f.getFmap().getExtentsCount());
            TestLog log = log();
            TestLog.Entry logged = log.get(r.getPath());
            assertTrue(logged.interleaved());
            assertMatches(logged, f);
            // famfs: each strip holds ceil(chunks / nstrips) chunks, in its own bucket
            long chunks = Math.ceilDiv(size, chunk);
            long stripLength = Math.ceilDiv(chunks, nstrips) * chunk;
            long bucket = (Math.ceilDiv(log.devSize, TestLog.AU) / nbuckets) * TestLog.AU;
            Set<Long> buckets = new HashSet<>();
            for (TestLog.Extent strip : logged.extents()) {
                assertEquals(stripLength, strip.length(), logged::toString);
                long b = strip.offset() / bucket;
                assertEquals(
                        b, (strip.offset() + strip.length() - 1) / bucket, () -> "strip leaves its bucket: " + strip);
                assertTrue(buckets.add(b), () -> "two strips in bucket " + b + ": " + logged);
            }
            assertEquals(List.of(), log.problems());
        }
        // smaller than a chunk: contiguous, as famfs does
        CreateFileResponse small = restCreate(
                CreateFileRequest.newBuilder()
                        .setPath("striped-small")
                        .setSize(MiB)
                        .setInterleave(Interleave.newBuilder()
                                .setNbuckets(nbuckets)
                                .setNstrips(nstrips)
                                .setChunkSize(4 * MiB))
                        .build(),
                201);
        assertEquals(Fmap.Kind.SIMPLE, small.getFile().getFmap().getKind());
        assertMatches(log().get("striped-small"), small.getFile());
    }

    // ---- batches ----

    @Test
    void createsABatchWithResultsInOrder() {
        for (String via : List.of("rest", "grpc")) {
            CreateFilesRequest batch = CreateFilesRequest.newBuilder()
                    .addFiles(file("batch-" + via + "-z", 3 * MiB))
                    .addFiles(CreateFileRequest.newBuilder()
                            .setPath("batch-" + via + "-a")
                            .setSize(1)
                            .setMode(0640)
                            .setUid(7)
                            .setGid(8))
                    .addFiles(CreateFileRequest.newBuilder()
                            .setPath("batch-" + via + "-m")
                            .setSize(8 * MiB)
                            .setInterleave(Interleave.newBuilder()
                                    .setNbuckets(4)
                                    .setNstrips(2)
                                    .setChunkSize(2 * MiB)))
                    .build();
            long before = log().nextIndex;
            CreateFilesResponse a;
            if (via.equals("rest")) {
                ApiSupport.Reply reply = api.post("/v1/files/batch", batch);
                assertEquals(200, reply.status(), reply::toString);
                a = reply.as(CreateFilesResponse.newBuilder());
            } else {
                a = api.ok(LeaderGrpcClient.CreateFiles, batch);
            }
            assertEquals(batch.getFilesCount(), a.getResultsCount());
            TestLog log = log();
            assertEquals(before + batch.getFilesCount(), log.nextIndex);
            for (int i = 0; i < batch.getFilesCount(); i++) {
                CreateFileResponse result = a.getResults(i);
                assertTrue(result.getCreated());
                assertEquals(batch.getFiles(i).getPath(), result.getFile().getPath(), "results in request order");
                assertEquals(before + i, result.getFile().getLogIndex(), "appended in request order");
                assertMatches(log.get(batch.getFiles(i).getPath()), result.getFile());
            }
            assertEquals(0640, a.getResults(1).getFile().getMode());
            assertEquals(
                    Fmap.Kind.INTERLEAVED, a.getResults(2).getFile().getFmap().getKind());
            assertEquals(List.of(), log.problems());
        }
    }

    @Test
    void aBatchIsAllOrNothing() {
        restCreate(file("aon-existing", 2 * MiB), 201);
        long free = usage().getFreeBytes();
        record Case(String name, CreateFileRequest bad, int http, String code, GrpcStatus grpc) {}
        List<Case> cases = List.of(
                new Case("invalid", file("aon-bad/../x", 1), 400, "INVALID_ARGUMENT", GrpcStatus.INVALID_ARGUMENT),
                new Case(
                        "conflicting", file("aon-existing", 4 * MiB), 409, "ALREADY_EXISTS", GrpcStatus.ALREADY_EXISTS),
                new Case("too large", file("aon-huge", free + 1), 507, "NO_SPACE", GrpcStatus.RESOURCE_EXHAUSTED));
        for (Case c : cases) {
            CreateFilesRequest batch = CreateFilesRequest.newBuilder()
                    .addFiles(file("aon-ok-1", MiB))
                    .addFiles(file("aon-ok-2", 3 * MiB))
                    .addFiles(c.bad())
                    .addFiles(file("aon-ok-3", MiB))
                    .build();
            byte[] before = logRegion(dev.path());
            ApiSupport.Reply reply = api.post("/v1/files/batch", batch);
            assertEquals(c.http(), reply.status(), () -> c.name() + ": " + reply);
            assertEquals(c.code(), reply.errorCode(), c.name());
            String message = api.fails(LeaderGrpcClient.CreateFiles, batch, c.grpc());
            if (c.grpc() == GrpcStatus.INVALID_ARGUMENT) {
                assertTrue(message.contains("files[2]"), () -> "the message names the member: " + message);
            }
            assertArrayEquals(before, logRegion(dev.path()), () -> c.name() + ": the log changed");
            assertEquals(404, api.get("/v1/stat", "aon-ok-1").status(), "no member of a failed batch exists");
        }
        // the members alone were fine: the same batch without the bad one goes through
        ApiSupport.Reply ok = api.post(
                "/v1/files/batch",
                CreateFilesRequest.newBuilder()
                        .addFiles(file("aon-ok-1", MiB))
                        .addFiles(file("aon-ok-2", 3 * MiB))
                        .addFiles(file("aon-ok-3", MiB))
                        .build());
        assertEquals(200, ok.status(), ok::toString);
        assertNotNull(log().get("aon-ok-3"));
    }

    @Test
    void outOfSpaceIsRefusedAndWritesNothing() {
        UsageResponse u = usage();
        byte[] before = logRegion(dev.path());
        CreateFileRequest tooBig = file("nospace-1", u.getFreeBytes() + 1);
        ApiSupport.Reply reply = api.post("/v1/files", tooBig);
        assertEquals(507, reply.status(), reply::toString);
        assertEquals("NO_SPACE", reply.errorCode());
        api.fails(LeaderGrpcClient.CreateFile, tooBig, GrpcStatus.RESOURCE_EXHAUSTED);
        assertArrayEquals(before, logRegion(dev.path()), "the log changed");
        // files that each fit (in the largest free run) but not all together: one more than there are such runs
        List<Long> runs = freeRuns(log());
        long largest = runs.getFirst();
        int fitting = (int) runs.stream().filter(r -> r == largest).count();
        CreateFilesRequest.Builder b = CreateFilesRequest.newBuilder();
        for (int i = 0; i <= fitting; i++) {
            b.addFiles(file("nospace-run-" + i, largest));
        }
        CreateFilesRequest tooMany = b.build();
        api.fails(LeaderGrpcClient.CreateFiles, tooMany, GrpcStatus.RESOURCE_EXHAUSTED);
        ApiSupport.Reply restMany = api.post("/v1/files/batch", tooMany);
        assertEquals(507, restMany.status(), restMany::toString);
        assertEquals("NO_SPACE", restMany.errorCode());
        assertArrayEquals(before, logRegion(dev.path()), "the log changed");
        assertEquals(u, usage(), "nothing stays reserved");
    }

    /** The runs of space no entry holds, past the log, longest first (from the tests' own decoder). */
    private static List<Long> freeRuns(TestLog log) {
        List<TestLog.Extent> taken = log.entries.stream()
                .flatMap(e -> e.extents().stream())
                .sorted(java.util.Comparator.comparingLong(TestLog.Extent::offset))
                .toList();
        List<Long> runs = new ArrayList<>();
        long at = Math.ceilDiv(TestLog.LOG_OFFSET + log.logLen, TestLog.AU) * TestLog.AU;
        for (TestLog.Extent x : taken) {
            runs.add(x.offset() - at);
            at = Math.max(at, x.offset() + x.length());
        }
        runs.add(log.devSize / TestLog.AU * TestLog.AU - at);
        runs.removeIf(r -> r <= 0);
        runs.sort(java.util.Comparator.reverseOrder());
        return runs;
    }

    // ---- famfs's creat rule ----

    @Test
    void identicalCreateIsSuccessWithoutANewEntryAndAnythingElseConflicts() {
        CreateFileRequest original = CreateFileRequest.newBuilder()
                .setPath("creat-rule")
                .setSize(3 * MiB)
                .setMode(0640)
                .setUid(10)
                .setGid(20)
                .build();
        FileInfo made = restCreate(original, 201).getFile();
        api.ok(
                LeaderGrpcClient.Mkdir,
                MkdirRequest.newBuilder().setPath("creat-rule-dir").build());
        byte[] before = logRegion(dev.path());

        CreateFileResponse again = restCreate(original, 200);
        assertFalse(again.getCreated());
        assertEquals(made, again.getFile());
        CreateFileResponse againGrpc = grpcCreate(original);
        assertFalse(againGrpc.getCreated());
        assertEquals(made, againGrpc.getFile());
        assertArrayEquals(before, logRegion(dev.path()), "an identical create wrote something");

        List<CreateFileRequest> conflicts = List.of(
                original.toBuilder().setSize(3 * MiB + 1).build(),
                original.toBuilder().setMode(0644).build(),
                original.toBuilder().clearMode().build(),
                original.toBuilder().setUid(11).build(),
                original.toBuilder().setGid(21).build(),
                original.toBuilder()
                        .setInterleave(Interleave.newBuilder()
                                .setNbuckets(4)
                                .setNstrips(2)
                                .setChunkSize(2 * MiB))
                        .build(),
                file("creat-rule-dir", 1));
        for (CreateFileRequest c : conflicts) {
            ApiSupport.Reply reply = api.post("/v1/files", c);
            assertEquals(409, reply.status(), () -> c + " -> " + reply);
            assertEquals("ALREADY_EXISTS", reply.errorCode());
            api.fails(LeaderGrpcClient.CreateFile, c, GrpcStatus.ALREADY_EXISTS);
        }
        assertArrayEquals(before, logRegion(dev.path()), "a conflicting create wrote something");
        assertEquals(
                1,
                log().entries.stream()
                        .filter(e -> e.path().equals("creat-rule"))
                        .count());
    }

    // ---- mkdir ----

    @Test
    void mkdirWithAndWithoutParents() {
        // without parents, REST
        ApiSupport.Reply made = api.post(
                "/v1/dirs", MkdirRequest.newBuilder().setPath("md-rest").build());
        assertEquals(201, made.status(), made::toString);
        MkdirResponse r = made.as(MkdirResponse.newBuilder());
        assertEquals("md-rest", r.getDir().getPath());
        assertEquals(0755, r.getDir().getMode(), "default directory mode");
        assertEquals(List.of(r.getDir()), r.getCreatedList());
        assertMatches(log().get("md-rest"), r.getDir());

        // with parents, gRPC, mode and owner honoured for the leaf
        MkdirResponse deep = api.ok(
                LeaderGrpcClient.Mkdir,
                MkdirRequest.newBuilder()
                        .setPath("md-grpc/b/c")
                        .setParents(true)
                        .setMode(0700)
                        .setUid(5)
                        .setGid(6)
                        .build());
        assertEquals(
                List.of("md-grpc", "md-grpc/b", "md-grpc/b/c"),
                deep.getCreatedList().stream().map(DirInfo::getPath).toList(),
                "parents first");
        assertEquals(0700, deep.getDir().getMode());
        TestLog log = log();
        for (DirInfo d : deep.getCreatedList()) {
            assertMatches(log.get(d.getPath()), d);
        }
        assertEquals(log.get("md-grpc/b").index() + 1, log.get("md-grpc/b/c").index());

        // an existing directory: 409 without parents, success with parents; nothing written either way
        byte[] before = logRegion(dev.path());
        for (String p : List.of("md-rest", "md-grpc/b")) {
            ApiSupport.Reply again =
                    api.post("/v1/dirs", MkdirRequest.newBuilder().setPath(p).build());
            assertEquals(409, again.status(), again::toString);
            assertEquals("ALREADY_EXISTS", again.errorCode());
            api.fails(
                    LeaderGrpcClient.Mkdir, MkdirRequest.newBuilder().setPath(p).build(), GrpcStatus.ALREADY_EXISTS);

            MkdirRequest withParents =
                    MkdirRequest.newBuilder().setPath(p).setParents(true).build();
            ApiSupport.Reply ok = api.post("/v1/dirs", withParents);
            assertEquals(200, ok.status(), ok::toString);
            MkdirResponse existed = ok.as(MkdirResponse.newBuilder());
            assertEquals(0, existed.getCreatedCount());
            assertMatches(log.get(p), existed.getDir());
            MkdirResponse existedGrpc = api.ok(LeaderGrpcClient.Mkdir, withParents);
            assertEquals(existed, existedGrpc);
        }
        // a file is in the way, with or without parents
        restCreate(file("md-file", 1), 201);
        before = logRegion(dev.path());
        for (boolean parents : new boolean[] {false, true}) {
            MkdirRequest onFile = MkdirRequest.newBuilder()
                    .setPath("md-file")
                    .setParents(parents)
                    .build();
            assertEquals(409, api.post("/v1/dirs", onFile).status());
            api.fails(LeaderGrpcClient.Mkdir, onFile, GrpcStatus.ALREADY_EXISTS);
        }
        assertArrayEquals(before, logRegion(dev.path()), "the log changed");

        // creat with parents makes the missing directories too
        CreateFileResponse nested =
                grpcCreate(file("md-creat/x/y", 1).toBuilder().setParents(true).build());
        log = log();
        assertFalse(log.get("md-creat").file());
        assertFalse(log.get("md-creat/x").file());
        assertMatches(log.get("md-creat/x/y"), nested.getFile());
        assertEquals(List.of(), log.problems());
    }

    // ---- reads ----

    @Test
    void statOfAFileADirectoryAndTheRoot() {
        FileInfo f = restCreate(file("st-file", 3 * MiB), 201).getFile();
        api.ok(
                LeaderGrpcClient.Mkdir,
                MkdirRequest.newBuilder().setPath("st-dir").build());
        TestLog log = log();

        StatResponse rest = stat("st-file");
        StatResponse grpc = api.ok(
                LeaderGrpcClient.Stat,
                PathRequest.newBuilder().setPath("st-file").build());
        assertEquals(rest, grpc);
        assertTrue(rest.hasFile());
        assertEquals(f, rest.getFile());
        assertMatches(log.get("st-file"), rest.getFile());

        StatResponse dir = stat("st-dir");
        assertEquals(
                dir,
                api.ok(
                        LeaderGrpcClient.Stat,
                        PathRequest.newBuilder().setPath("/st-dir").build()),
                "a leading '/' is the mount point");
        assertTrue(dir.hasDir());
        assertMatches(log.get("st-dir"), dir.getDir());

        for (String root : List.of("/", "")) {
            StatResponse r = stat(root);
            assertTrue(r.hasDir(), r::toString);
            assertEquals("", r.getDir().getPath());
            assertEquals(-1, r.getDir().getLogIndex(), "the root has no entry");
            assertEquals(
                    r,
                    api.ok(
                            LeaderGrpcClient.Stat,
                            PathRequest.newBuilder().setPath(root).build()));
        }
        ApiSupport.Reply missing = api.get("/v1/stat", "st-missing");
        assertEquals(404, missing.status());
        assertEquals("NOT_FOUND", missing.errorCode());
        api.fails(
                LeaderGrpcClient.Stat,
                PathRequest.newBuilder().setPath("st-missing").build(),
                GrpcStatus.NOT_FOUND);
    }

    private StatResponse stat(String path) {
        ApiSupport.Reply r = api.get("/v1/stat", path);
        assertEquals(200, r.status(), r::toString);
        return r.as(StatResponse.newBuilder());
    }

    @Test
    void listsADirectoryAndTheRoot() {
        api.ok(
                LeaderGrpcClient.Mkdir,
                MkdirRequest.newBuilder().setPath("ls/sub").setParents(true).build());
        restCreate(file("ls/a", 1), 201);
        restCreate(file("ls/b", 5 * MiB), 201);
        restCreate(file("ls/sub/deeper", 1), 201);
        TestLog log = log();

        for (String dir : List.of("ls", "")) {
            ApiSupport.Reply reply = api.get("/v1/list", dir.isEmpty() ? "/" : dir);
            assertEquals(200, reply.status(), reply::toString);
            ListResponse rest = reply.as(ListResponse.newBuilder());
            ListResponse grpc = api.ok(
                    LeaderGrpcClient.List, PathRequest.newBuilder().setPath(dir).build());
            assertEquals(rest, grpc);
            assertEquals(dir, rest.getDir().getPath());
            // the children are exactly the log's entries directly under dir
            String prefix = dir.isEmpty() ? "" : dir + "/";
            Set<String> expected = log.entries.stream()
                    .map(TestLog.Entry::path)
                    .filter(p -> p.startsWith(prefix)
                            && !p.substring(prefix.length()).contains("/"))
                    .collect(Collectors.toSet());
            Set<String> listed = new HashSet<>();
            for (StatResponse child : rest.getChildrenList()) {
                if (child.hasFile()) {
                    assertMatches(log.get(child.getFile().getPath()), child.getFile());
                    listed.add(child.getFile().getPath());
                } else {
                    assertMatches(log.get(child.getDir().getPath()), child.getDir());
                    listed.add(child.getDir().getPath());
                }
            }
            assertEquals(expected, listed);
            assertEquals(expected.size(), rest.getChildrenCount(), "no child twice");
        }
        assertEquals(Set.of("ls/a", "ls/b", "ls/sub"), childNames("ls"));

        ApiSupport.Reply ofFile = api.get("/v1/list", "ls/a");
        assertEquals(400, ofFile.status(), ofFile::toString);
        assertEquals("INVALID_ARGUMENT", ofFile.errorCode());
        api.fails(
                LeaderGrpcClient.List,
                PathRequest.newBuilder().setPath("ls/nope").build(),
                GrpcStatus.NOT_FOUND);
    }

    private Set<String> childNames(String dir) {
        ListResponse l = api.get("/v1/list", dir).as(ListResponse.newBuilder());
        return l.getChildrenList().stream()
                .map(c -> c.hasFile() ? c.getFile().getPath() : c.getDir().getPath())
                .collect(Collectors.toSet());
    }

    @Test
    void getsAFilesMap() {
        FileInfo contiguous = grpcCreate(file("fm-contig", 7 * MiB)).getFile();
        FileInfo striped = grpcCreate(CreateFileRequest.newBuilder()
                        .setPath("fm-striped")
                        .setSize(16 * MiB)
                        .setInterleave(Interleave.newBuilder()
                                .setNbuckets(8)
                                .setNstrips(8)
                                .setChunkSize(2 * MiB))
                        .build())
                .getFile();
        TestLog log = log();
        for (FileInfo made : List.of(contiguous, striped)) {
            ApiSupport.Reply reply = api.get("/v1/fmap", made.getPath());
            assertEquals(200, reply.status(), reply::toString);
            FileInfo rest = reply.as(FileInfo.newBuilder());
            FileInfo grpc = api.ok(
                    LeaderGrpcClient.GetFmap,
                    PathRequest.newBuilder().setPath(made.getPath()).build());
            assertEquals(made, rest);
            assertEquals(made, grpc);
            assertMatches(log.get(made.getPath()), rest);
        }
        assertEquals(8, striped.getFmap().getExtentsCount());
        api.ok(
                LeaderGrpcClient.Mkdir,
                MkdirRequest.newBuilder().setPath("fm-dir").build());
        assertEquals(400, api.get("/v1/fmap", "fm-dir").status(), "a directory has no map");
        api.fails(
                LeaderGrpcClient.GetFmap,
                PathRequest.newBuilder().setPath("fm-dir").build(),
                GrpcStatus.INVALID_ARGUMENT);
        assertEquals(404, api.get("/v1/fmap", "fm-missing").status());
    }

    private UsageResponse usage() {
        ApiSupport.Reply reply = api.get("/v1/usage");
        assertEquals(200, reply.status(), reply::toString);
        UsageResponse rest = reply.as(UsageResponse.newBuilder());
        assertEquals(rest, api.ok(LeaderGrpcClient.Usage, UsageRequest.getDefaultInstance()));
        return rest;
    }

    @Test
    void usageMatchesTheLog() {
        UsageResponse before = usage();
        assertUsageMatchesLog(before, log());
        restCreate(file("usage-file", 3 * MiB), 201);
        api.ok(
                LeaderGrpcClient.Mkdir,
                MkdirRequest.newBuilder().setPath("usage-dir").build());
        UsageResponse after = usage();
        assertUsageMatchesLog(after, log());
        assertEquals(before.getFiles() + 1, after.getFiles());
        assertEquals(before.getDirectories() + 1, after.getDirectories());
        assertEquals(before.getEntriesUsed() + 2, after.getEntriesUsed());
        assertEquals(before.getSumOfFileSizes() + 3 * MiB, after.getSumOfFileSizes());
        assertEquals(before.getAllocatedBytes() + 4 * MiB, after.getAllocatedBytes());
        assertEquals(before.getFreeBytes() - 4 * MiB, after.getFreeBytes());
    }

    /** usage as the tests' own decoder computes it from the device. */
    private static void assertUsageMatchesLog(UsageResponse u, TestLog log) {
        long reserved = Math.ceilDiv(TestLog.LOG_OFFSET + log.logLen, TestLog.AU) * TestLog.AU;
        long extents = log.entries.stream()
                .flatMap(e -> e.extents().stream())
                .mapToLong(TestLog.Extent::length)
                .sum();
        long capacity = Math.ceilDiv(log.devSize, TestLog.AU) * TestLog.AU;
        assertEquals(log.nextIndex, u.getEntriesUsed(), "entries used");
        assertEquals((log.logLen - 48) / TestLog.ENTRY, u.getEntriesCapacity(), "entries capacity");
        assertEquals(log.devSize, u.getDeviceCapacity(), "device capacity");
        assertEquals(log.files().size(), u.getFiles(), "files");
        assertEquals(log.entries.size() - log.files().size(), u.getDirectories(), "directories");
        assertEquals(log.files().stream().mapToLong(TestLog.Entry::size).sum(), u.getSumOfFileSizes(), "sum of sizes");
        assertEquals(reserved + extents, u.getAllocatedBytes(), "allocated (the superblock and log included)");
        assertEquals(capacity - reserved - extents, u.getFreeBytes(), "free");
        assertEquals(0, u.getBadEntries());
    }

    // ---- the entry streams ----

    @Test
    void entriesFromZeroAreTheLogInOrder() {
        restCreate(file("ent-a", 1), 201);
        api.ok(
                LeaderGrpcClient.Mkdir,
                MkdirRequest.newBuilder().setPath("ent-dir").build());
        TestLog log = log();

        List<CommittedEntry> all = restEntries(0);
        assertEquals(log.entries.size(), all.size());
        for (int i = 0; i < all.size(); i++) {
            assertMatches(log.entries.get(i), all.get(i));
        }
        long from = log.nextIndex - 2;
        List<CommittedEntry> tail = restEntries(from);
        assertEquals(
                List.of("ent-a", "ent-dir"),
                tail.stream().map(LeaderApiTest::pathOf).toList());
        assertEquals(from, tail.getFirst().getIndex());
        assertEquals(List.of(), restEntries(log.nextIndex), "nothing past the end");
    }

    private List<CommittedEntry> restEntries(long from) {
        ApiSupport.Reply reply = api.get("/v1/entries?from=" + from);
        assertEquals(200, reply.status(), reply::toString);
        List<CommittedEntry> entries = new ArrayList<>();
        for (String line : reply.body().split("\n")) {
            if (!line.isEmpty()) {
                entries.add((CommittedEntry) ApiSupport.parse(line, CommittedEntry.newBuilder()));
            }
        }
        return entries;
    }

    private static String pathOf(CommittedEntry e) {
        return e.hasFile() ? e.getFile().getPath() : e.getDir().getPath();
    }

    @Test
    void followingStreamsDeliverEntriesCreatedAfterSubscribing() {
        restCreate(file("follow-before", 1), 201);
        long now = log().nextIndex;
        try (ApiSupport.Feed<CommittedEntry> grpcFeed = api.grpcEntries(0);
                ApiSupport.Feed<String> restFeed = api.restFollow(0)) {
            follow(now, grpcFeed.queue(), restFeed.queue());
        }
    }

    private void follow(long now, BlockingQueue<CommittedEntry> grpc, BlockingQueue<String> rest) {
        // all committed entries first: once they are here the subscription is live
        for (long i = 0; i < now; i++) {
            assertEquals(i, take(grpc).getIndex());
            CommittedEntry e = (CommittedEntry) ApiSupport.parse(take(rest), CommittedEntry.newBuilder());
            assertEquals(i, e.getIndex());
        }
        assertTrue(grpc.isEmpty() && rest.isEmpty());

        FileInfo late = grpcCreate(file("follow-after", 2 * MiB)).getFile();
        DirInfo lateDir = api.post(
                        "/v1/dirs",
                        MkdirRequest.newBuilder().setPath("follow-dir").build())
                .<MkdirResponse>as(MkdirResponse.newBuilder())
                .getDir();
        TestLog log = log();
        CommittedEntry g1 = take(grpc);
        CommittedEntry g2 = take(grpc);
        assertEquals(late, g1.getFile());
        assertEquals(lateDir, g2.getDir());
        assertMatches(log.get("follow-after"), g1);
        assertMatches(log.get("follow-dir"), g2);
        assertEquals(g1, ApiSupport.parse(take(rest), CommittedEntry.newBuilder()));
        assertEquals(g2, ApiSupport.parse(take(rest), CommittedEntry.newBuilder()));
    }

    // ---- a full log ----

    @Test
    void aFullLogRefusesCreatesAndWritesNothing() {
        long logLen = 8 * MiB;
        long capacity = (logLen - 48) / TestLog.ENTRY;
        // every entry a 1-byte file of one 2 MiB unit, and room to spare
        long devSize = Long.highestOneBit((capacity + 8) * TestLog.AU) * 2;
        try (TestDevice small = TestDevice.formatted(devSize, logLen);
                LeaderProcess full = LeaderProcess.start(
                        small.path(),
                        small.dir(),
                        "--take-ownership",
                        "--nbuckets",
                        "4",
                        "--nstrips",
                        "2",
                        "--chunk-size",
                        "2m");
                ApiSupport fapi = new ApiSupport(full)) {
            assertEquals(
                    capacity,
                    fapi.ok(LeaderGrpcClient.Usage, UsageRequest.getDefaultInstance())
                            .getEntriesCapacity());
            // this leader stripes by default (and falls back to contiguous below a chunk, as famfs does), unless told
            FileInfo byDefault = fapi.ok(LeaderGrpcClient.CreateFile, file("default-striped", 8 * MiB))
                    .getFile();
            FileInfo contiguous = fapi.ok(
                            LeaderGrpcClient.CreateFile,
                            file("told-contiguous", 8 * MiB).toBuilder()
                                    .setContiguous(true)
                                    .build())
                    .getFile();
            FileInfo small1 = fapi.ok(LeaderGrpcClient.CreateFile, file("below-a-chunk", MiB))
                    .getFile();
            TestLog striping = TestLog.of(small.path());
            assertMatches(striping.get("default-striped"), byDefault);
            assertEquals(Fmap.Kind.INTERLEAVED, byDefault.getFmap().getKind());
            assertEquals(2, byDefault.getFmap().getExtentsCount());
            assertEquals(2 * MiB, byDefault.getFmap().getChunkSize());
            assertMatches(striping.get("told-contiguous"), contiguous);
            assertEquals(Fmap.Kind.SIMPLE, contiguous.getFmap().getKind());
            assertMatches(striping.get("below-a-chunk"), small1);
            assertEquals(Fmap.Kind.SIMPLE, small1.getFmap().getKind());
            // batches as large as the API allows, of paths as long as famfs allows: first through a plain gRPC
            // client, then through the leader's own client
            long left = capacity - 3 - striping.nextIndex;
            int n = 0;
            Vertx vertx = Vertx.vertx();
            try (GrpcLeaderClient client = GrpcLeaderClient.create(vertx, "127.0.0.1", full.grpcPort(), full.token())) {
                while (left > 0) {
                    int count = (int) Math.min(10_000, left);
                    CreateFilesRequest.Builder batch = CreateFilesRequest.newBuilder();
                    for (int i = 0; i < count; i++) {
                        batch.addFiles(file(String.format("%s-%05d", "f".repeat(73), n++), 1));
                    }
                    CreateFilesResponse done = n <= 10_000
                            ? fapi.ok(LeaderGrpcClient.CreateFiles, batch.build())
                            : ApiSupport.await(client.createFiles(batch.build()));
                    assertEquals(count, done.getResultsCount());
                    assertEquals(
                            batch.getFiles(count - 1).getPath(),
                            done.getResults(count - 1).getFile().getPath());
                    left -= count;
                }
            } finally {
                ApiSupport.await(vertx.close());
            }
            // 3 slots left: a batch of 4 does not fit and writes nothing
            byte[] before = logRegion(small.path());
            CreateFilesRequest.Builder four = CreateFilesRequest.newBuilder();
            for (int i = 0; i < 4; i++) {
                four.addFiles(file("four-" + i, 1));
            }
            String why = fapi.fails(LeaderGrpcClient.CreateFiles, four.build(), GrpcStatus.RESOURCE_EXHAUSTED);
            assertTrue(why.contains("log full"), why);
            assertArrayEquals(before, logRegion(small.path()), "the log changed");
            // exactly filled: two directories and a file
            MkdirResponse dirs = fapi.ok(
                    LeaderGrpcClient.Mkdir,
                    MkdirRequest.newBuilder().setPath("d/e").setParents(true).build());
            assertEquals(2, dirs.getCreatedCount());
            fapi.ok(LeaderGrpcClient.CreateFile, file("last", 1));
            TestLog log = TestLog.of(small.path());
            assertEquals(capacity, log.nextIndex);
            assertEquals(List.of(), log.problems());

            before = logRegion(small.path());
            ApiSupport.Reply rest = fapi.post("/v1/files", file("one-more", 1));
            assertEquals(507, rest.status(), rest::toString);
            assertEquals("LOG_FULL", rest.errorCode());
            fapi.fails(LeaderGrpcClient.CreateFile, file("one-more", 1), GrpcStatus.RESOURCE_EXHAUSTED);
            fapi.fails(
                    LeaderGrpcClient.Mkdir,
                    MkdirRequest.newBuilder().setPath("one-more-dir").build(),
                    GrpcStatus.RESOURCE_EXHAUSTED);
            ApiSupport.Reply dir = fapi.post(
                    "/v1/dirs",
                    MkdirRequest.newBuilder().setPath("one-more-dir").build());
            assertEquals(507, dir.status(), dir::toString);
            assertEquals("LOG_FULL", dir.errorCode());
            // what needs no entry still works
            assertEquals(
                    200,
                    fapi.post(
                                    "/v1/dirs",
                                    MkdirRequest.newBuilder()
                                            .setPath("d/e")
                                            .setParents(true)
                                            .build())
                            .status());
            assertFalse(fapi.ok(LeaderGrpcClient.CreateFile, file("last", 1)).getCreated());
            assertArrayEquals(before, logRegion(small.path()), "the full log changed");
            UsageResponse u = fapi.ok(LeaderGrpcClient.Usage, UsageRequest.getDefaultInstance());
            assertEquals(capacity, u.getEntriesUsed());
            assertEquals(capacity - 2, u.getFiles(), "all but the two directories are files");
        }
    }

    // ---- health, metrics, gRPC health and reflection (no token) ----

    /**
     * REST stays HTTP/1.1: an h2c upgrade request (what the JDK's HttpClient sends by default) gets a plain HTTP/1.1
     * answer, not "101 Switching Protocols" (an upgraded exchange was seen to hang the JDK client under load).
     */
    @Test
    void restRefusesTheH2cUpgrade() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", leader.restPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                                    + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(
                            socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("HTTP/1.1 200 OK", status);
        }
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        ApiSupport.Reply live = api.rest("GET", "/health/live", null, null);
        assertEquals(200, live.status(), live::toString);
        assertEquals("UP", live.json().getString("status"), live::toString);
        ApiSupport.Reply ready = api.rest("GET", "/health/ready", null, null);
        assertEquals(200, ready.status(), ready::toString);
        assertTrue(ready.body().contains("READY"), ready::toString);
        assertEquals("UP", ready.json().getString("status"), ready::toString);

        double created = filesCreatedMetric();
        restCreate(file("metrics-1", 1), 201);
        grpcCreate(file("metrics-2", 1));
        api.post(
                "/v1/files/batch",
                CreateFilesRequest.newBuilder()
                        .addFiles(file("metrics-3", 1))
                        .addFiles(file("metrics-4", 1))
                        .build());
        restCreate(file("metrics-1", 1), 200); // identical: nothing created
        assertEquals(created + 4, filesCreatedMetric());
        String metrics = api.rest("GET", "/metrics", null, null).body();
        assertTrue(metrics.contains("famfs_log_entries_used"), metrics);
        assertTrue(metrics.contains("famfs_space_free_bytes"), metrics);
        assertTrue(metrics.contains("famfs_leader_request_seconds"), metrics);
    }

    private double filesCreatedMetric() {
        ApiSupport.Reply m = api.rest("GET", "/metrics", null, null);
        assertEquals(200, m.status());
        Matcher v = Pattern.compile("(?m)^famfs_leader_files_total(?:\\{[^}]*})? (\\S+)$")
                .matcher(m.body());
        assertTrue(v.find(), m::body);
        return Double.parseDouble(v.group(1));
    }

    @Test
    void grpcHealthAndReflectionNeedNoToken() throws Exception {
        for (String service : List.of("", "famfs.v1.Leader")) {
            ApiSupport.Answer<List<Buffer>> health = api.raw(
                    "grpc.health.v1.Health/Check",
                    Buffer.buffer(HealthCheckRequest.newBuilder()
                            .setService(service)
                            .build()
                            .toByteArray()),
                    null);
            assertEquals(GrpcStatus.OK, health.status(), health::toString);
            assertEquals(1, health.value().size());
            assertEquals(
                    HealthCheckResponse.ServingStatus.SERVING,
                    HealthCheckResponse.parseFrom(health.value().getFirst().getBytes())
                            .getStatus());
        }
        ApiSupport.Answer<List<Buffer>> reflection = api.raw(
                "grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                Buffer.buffer(ServerReflectionRequest.newBuilder()
                        .setListServices("")
                        .build()
                        .toByteArray()),
                null);
        assertEquals(GrpcStatus.OK, reflection.status(), reflection::toString);
        assertEquals(1, reflection.value().size());
        Set<String> services =
                ServerReflectionResponse.parseFrom(reflection.value().getFirst().getBytes())
                        .getListServicesResponse()
                        .getServiceList()
                        .stream()
                        .map(ServiceResponse::getName)
                        .collect(Collectors.toSet());
        assertTrue(services.containsAll(Set.of("famfs.v1.Leader", "grpc.health.v1.Health")), services::toString);
        // while the API itself does need one
        ApiSupport.Answer<UsageResponse> refused =
                api.call(LeaderGrpcClient.Usage, UsageRequest.getDefaultInstance(), null);
        assertEquals(GrpcStatus.UNAUTHENTICATED, refused.status(), refused::toString);
        assertEquals(401, api.rest("GET", "/v1/usage", null, null).status());
    }
}
