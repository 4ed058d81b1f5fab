package io.famfs.meta.leader.it;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.leader.client.GrpcLeaderClient;
import io.famfs.meta.leader.client.LeaderClient;
import io.famfs.meta.leader.it.CreateLoad.Acked;
import io.famfs.meta.leader.it.CreateLoad.Kind;
import io.famfs.meta.leader.it.CreateLoad.Sent;
import io.famfs.meta.leader.it.CreateLoad.Want;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.log.RawBytes;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.FileInfo;
import io.famfs.meta.proto.v1.Interleave;
import io.famfs.meta.proto.v1.ListResponse;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.famfs.meta.proto.v1.MkdirResponse;
import io.famfs.meta.proto.v1.StatResponse;
import io.famfs.meta.testing.TestDevice;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crashes of real leader processes: kill -9 at random moments while clients create files, and a halt at each step of
 * an append through the test-only {@code --crash-at STEP[:N]}. After each restart: every acknowledged create is there
 * (the tests' decoder and the leader's stat agree), fsck replays the log cleanly, the header is consistent, and a
 * create that was cut off is there whole or not at all, and its retry gives one file.
 */
class CrashTest {
    /** Replay a failing run with -Dfamfs.crash.seed=SEED (the assertion messages print it). */
    private static final long SEED = Long.getLong("famfs.crash.seed", 0x5eed_c0ffeeL);

    private static final int ROUNDS = 10;

    private static Vertx vertx;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    // ---- (a) kill -9 at random moments ----

    @Test
    void killedAtRandomMomentsLosesNoAcknowledgedCreate() throws Exception {
        Random random = new Random(SEED); // kill delays and client seeds: the same for a replay of the seed
        Random sample = new Random(~SEED); // which answers are checked again (depends on what each round got done)
        try (TestDevice dev = TestDevice.formatted(64 * Famfs.GiB, 32 * CreateLoad.MiB)) {
            Path work = dev.dir();
            Map<String, Acked> acked = new HashMap<>();
            List<String> dirs = new ArrayList<>();
            LeaderProcess leader = LeaderProcess.start(dev.path(), work, "--take-ownership");
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    long delay = 20 + random.nextInt(400);
                    String where =
                            "seed " + SEED + ", round " + round + " (kill " + delay + " ms after the first answer)";
                    CreateLoad load =
                            new CreateLoad(64 * Famfs.GiB, new CreateLoad.Mix(0.25, 12 * CreateLoad.MiB, 0.05, 5, 20));
                    Kind[] kinds = {Kind.GRPC_SINGLE, Kind.GRPC_SINGLE, Kind.GRPC_BATCH, Kind.REST_SINGLE};
                    for (int c = 0; c < kinds.length; c++) {
                        String dir = "r" + round + "/c" + c;
                        dirs.add(dir);
                        // REST singles go without request ids: their retry is famfs's creat rule
                        load.client(
                                kinds[c],
                                vertx,
                                leader,
                                dir,
                                random.nextLong(),
                                Integer.MAX_VALUE,
                                8,
                                kinds[c] != Kind.REST_SINGLE);
                    }
                    assertTrue(load.awaitFirstAnswer(60), () -> where + ": no answer in 60 s\n" + load.unexpected);
                    Thread.sleep(delay);
                    load.leaderGoing();
                    leader.kill9();
                    long killed = System.nanoTime();
                    load.stop();
                    assertEquals(List.of(), List.copyOf(load.unexpected), where);
                    acked.putAll(load.acked);

                    leader = LeaderProcess.start(dev.path(), work);
                    TestLog log = TestLog.of(dev.path());
                    String at = where + ", " + load.acked.size() + " acknowledged, " + load.uncertain.size()
                            + " cut off, next_index " + log.nextIndex;
                    System.out.printf(
                            "CrashTest: %s: %d ms after the kill to serve again%s%n",
                            at,
                            (System.nanoTime() - killed) / 1_000_000,
                            leader.output().contains("repaired") ? " (repaired the header)" : "");
                    Probe.assertHeaderConsistent(log, at);
                    for (Acked a : acked.values()) {
                        CreateLoad.assertLogged(log, a.want(), a.info(), at);
                    }
                    for (Sent s : load.uncertain) {
                        assertWholeOrAbsent(log, s, at);
                    }
                    Probe.assertFsckClean(dev.path(), work, log, at);
                    assertLeaderSees(leader, acked, dirs, sample, at);

                    // what was cut off: the retry (same request id, or famfs's creat rule without one) gives one file
                    retryCutOff(leader, load, acked, at);
                    TestLog after = TestLog.of(dev.path());
                    Probe.assertHeaderConsistent(after, at + ", after the retries");
                    for (Acked a : acked.values()) {
                        CreateLoad.assertLogged(after, a.want(), a.info(), at + ", after the retries");
                    }
                    assertRetryOfAcknowledgedWritesNothing(leader, dev.path(), load, sample, at);
                }
                assertEquals(143, leader.stop(), leader::output);
                TestLog last = TestLog.of(dev.path());
                Probe.assertHeaderConsistent(last, "seed " + SEED + ", at the end");
                assertEquals(
                        acked.size(), last.files().size(), "seed " + SEED + ": files in the log vs files acknowledged");
            } finally {
                leader.close();
            }
        }
    }

    /** A create cut off by the kill: every file of it is in the log as asked, or none is. */
    private static void assertWholeOrAbsent(TestLog log, Sent s, String where) {
        long present = s.files().stream().filter(w -> log.get(w.path()) != null).count();
        assertTrue(present == 0 || present == s.files().size(), () -> where + ": half of " + s + " is logged");
        if (present > 0) {
            for (Want w : s.files()) {
                CreateLoad.assertLogged(log, w, null, where + ", cut-off " + s.kind());
            }
        }
    }

    /** The restarted leader's own view: list of every directory, and stat of a sample, match what was acknowledged. */
    private static void assertLeaderSees(
            LeaderProcess leader, Map<String, Acked> acked, List<String> dirs, Random random, String where) {
        LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
        Map<String, Long> listed = new HashMap<>();
        for (String dir : dirs) {
            try {
                ListResponse l = rest.list(dir);
                for (StatResponse child : l.getChildrenList()) {
                    listed.put(child.getFile().getPath(), child.getFile().getSize());
                }
            } catch (FamfsException e) {
                // a client whose first create was cut off has no directory
                assertEquals(ErrorCode.NOT_FOUND, e.code(), () -> where + ": list " + dir + ": " + e);
            }
        }
        for (Acked a : acked.values()) {
            assertEquals(
                    a.want().size(),
                    listed.get(a.want().path()),
                    () -> where + ": the leader lists " + a.want().path());
        }
        List<Acked> all = new ArrayList<>(acked.values());
        for (int i = 0; i < Math.min(50, all.size()); i++) {
            Acked a = all.get(random.nextInt(all.size()));
            FileInfo f = rest.stat(a.want().path()).getFile();
            assertEquals(a.info(), f, () -> where + ": stat " + a.want().path());
        }
    }

    private static void retryCutOff(LeaderProcess leader, CreateLoad load, Map<String, Acked> acked, String where) {
        LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
        for (Sent s : load.uncertain) {
            List<CreateFileResponse> answers = s.batch()
                    ? rest.createFiles(s.batchRequest()).getResultsList()
                    : List.of(rest.createFile(s.single()));
            assertEquals(s.files().size(), answers.size(), () -> where + ": retry of " + s);
            for (int i = 0; i < answers.size(); i++) {
                acked.put(
                        s.files().get(i).path(),
                        new Acked(s.files().get(i), answers.get(i).getFile()));
            }
        }
    }

    /** A retry of acknowledged requests with their request ids gets the first answer and writes nothing. */
    private static void assertRetryOfAcknowledgedWritesNothing(
            LeaderProcess leader, Path device, CreateLoad load, Random random, String where) throws Exception {
        List<CreateLoad.Answered> withIds = load.answered.stream()
                .filter(a -> !a.sent().requestId().isEmpty())
                .toList();
        long before = TestLog.of(device).nextIndex;
        try (GrpcLeaderClient grpc = GrpcLeaderClient.create(vertx, "127.0.0.1", leader.grpcPort(), leader.token())) {
            for (int i = 0; i < Math.min(5, withIds.size()); i++) {
                CreateLoad.Answered a = withIds.get(random.nextInt(withIds.size()));
                Sent s = a.sent();
                List<CreateFileResponse> again = s.batch()
                        ? grpc.createFiles(s.batchRequest())
                                .await(30, TimeUnit.SECONDS)
                                .getResultsList()
                        : List.of(grpc.createFile(s.single()).await(30, TimeUnit.SECONDS));
                assertEquals(a.answers(), again, () -> where + ": retry of request " + s.requestId());
            }
        }
        assertEquals(before, TestLog.of(device).nextIndex, () -> where + ": a retry wrote an entry");
    }

    // ---- (b) a halt at each step of an append ----

    /**
     * A crash case: {@code --crash-at step:n}; {@code before} single creates answered first, then {@code cut} files
     * (one create, or a batch when more than one) that the halt cuts off; {@code committed} whether the cut-off create
     * is in the log after the restart.
     */
    record Case(String step, int n, int before, int cut, boolean committed, boolean rest) {
        @Override
        public String toString() {
            return step + ":" + n + " (" + before + " before, " + cut + " cut off" + (rest ? ", REST" : ", gRPC") + ")";
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                        new Case("SLOT_HALF_WRITTEN", 2, 1, 3, false, false),
                        new Case("ENTRY_FLUSHED", 3, 2, 1, false, true),
                        new Case("SEQNUM_PUBLISHED", 1, 0, 1, true, false),
                        new Case("SEQNUM_PUBLISHED", 2, 1, 4, true, false),
                        new Case("INDEX_PUBLISHED", 2, 1, 1, true, false),
                        new Case("HEADER_FLUSHED", 1, 0, 2, true, true))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void haltAtAnAppendStep(Case c) throws Exception {
        Random random = new Random(SEED ^ c.toString().hashCode());
        String where = "seed " + SEED + ", --crash-at " + c;
        try (TestDevice dev = TestDevice.formatted(16 * Famfs.GiB, Famfs.DEFAULT_LOG_LEN)) {
            Path work = dev.dir();
            List<Want> before = new ArrayList<>();
            List<FileInfo> beforeInfo = new ArrayList<>();
            List<Want> cut = new ArrayList<>();
            for (int i = 0; i < c.before(); i++) {
                before.add(want("ok" + i, random));
            }
            for (int i = 0; i < c.cut(); i++) {
                cut.add(want("cut" + i, random));
            }
            Sent cutOff = new Sent(
                    c.cut() > 1
                            ? (c.rest() ? Kind.REST_BATCH : Kind.GRPC_BATCH)
                            : (c.rest() ? Kind.REST_SINGLE : Kind.GRPC_SINGLE),
                    "cut-request",
                    cut);
            long index0;
            try (LeaderProcess leader =
                    LeaderProcess.start(dev.path(), work, "--take-ownership", "--crash-at", c.step() + ":" + c.n())) {
                index0 = TestLog.of(dev.path()).nextIndex;
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                try (GrpcLeaderClient grpc =
                        GrpcLeaderClient.create(vertx, "127.0.0.1", leader.grpcPort(), leader.token())) {
                    for (Want w : before) {
                        CreateFileResponse r = c.rest()
                                ? rest.createFile(w.request().build())
                                : grpc.createFile(w.request().build()).await(30, TimeUnit.SECONDS);
                        assertTrue(r.getCreated(), where);
                        beforeInfo.add(r.getFile());
                    }
                    Exception refused = assertThrows(
                            Exception.class,
                            () -> {
                                switch (cutOff.kind()) {
                                    case REST_SINGLE -> rest.createFile(cutOff.single());
                                    case REST_BATCH -> rest.createFiles(cutOff.batchRequest());
                                    case GRPC_SINGLE ->
                                        grpc.createFile(cutOff.single()).await(30, TimeUnit.SECONDS);
                                    case GRPC_BATCH ->
                                        grpc.createFiles(cutOff.batchRequest()).await(30, TimeUnit.SECONDS);
                                }
                            },
                            where + ": the cut-off create must not succeed");
                    if (c.rest()) {
                        assertEquals(ErrorCode.UNAVAILABLE, ((FamfsException) refused).code(), where);
                    }
                }
                assertEquals(99, leader.waitFor(Duration.ofSeconds(30)), () -> where + ":\n" + leader.output());
                assertTrue(
                        leader.output().contains("test crash after " + c.step()),
                        () -> where + ":\n" + leader.output());
            }
            if (c.step().equals("SLOT_HALF_WRITTEN")) {
                // the slot past next_index holds a torn entry: its first half written, its second still zero
                byte[] slot = RawBytes.read(dev.path(), RawBytes.entry(index0 + c.before()), RawBytes.ENTRY_LENGTH);
                int half = RawBytes.ENTRY_LENGTH / 2;
                assertEquals(index0 + c.before(), RawBytes.le64(slot, 0), where + ": seqnum in the torn slot");
                assertArrayEquals(new byte[half], java.util.Arrays.copyOfRange(slot, half, 2 * half), where);
                assertEquals(index0 + c.before(), TestLog.of(dev.path()).nextIndex, where);
            }

            try (LeaderProcess leader = LeaderProcess.start(dev.path(), work)) {
                boolean repaired = leader.output().contains("repaired a half-published log header: rolled forward");
                assertEquals(
                        c.step().equals("SEQNUM_PUBLISHED"),
                        repaired,
                        () -> where + ": the restart's repair:\n" + leader.output());
                TestLog log = TestLog.of(dev.path());
                Probe.assertHeaderConsistent(log, where);
                Probe.assertFsckClean(dev.path(), work, log, where);
                for (int i = 0; i < before.size(); i++) {
                    CreateLoad.assertLogged(log, before.get(i), beforeInfo.get(i), where);
                }
                long cutEntries = c.committed() ? c.cut() : 0;
                assertEquals(index0 + c.before() + cutEntries, log.nextIndex, where);
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                for (Want w : cut) {
                    if (c.committed()) {
                        CreateLoad.assertLogged(log, w, null, where);
                        assertEquals(w.size(), rest.stat(w.path()).getFile().getSize(), where);
                    } else {
                        assertNull(log.get(w.path()), () -> where + ": " + w.path() + " is logged");
                        FamfsException missing = assertThrows(FamfsException.class, () -> rest.stat(w.path()));
                        assertEquals(ErrorCode.NOT_FOUND, missing.code(), where);
                    }
                }

                // the retry with the same request id gives one file each, and so does a second retry; the answer is
                // the one the cut-off create would have had (created), whether it made it to the log or not
                List<CreateFileResponse> answers = retry(rest, cutOff);
                assertTrue(answers.stream().allMatch(CreateFileResponse::getCreated), () -> where + ": " + answers);
                List<FileInfo> first =
                        answers.stream().map(CreateFileResponse::getFile).toList();
                TestLog afterRetry = TestLog.of(dev.path());
                Probe.assertHeaderConsistent(afterRetry, where + ", after the retry");
                assertEquals(index0 + c.before() + c.cut(), afterRetry.nextIndex, where + ", after the retry");
                for (int i = 0; i < cut.size(); i++) {
                    CreateLoad.assertLogged(afterRetry, cut.get(i), first.get(i), where + ", after the retry");
                }
                assertEquals(answers, retry(rest, cutOff), where + ": the second retry");
                assertEquals(afterRetry.nextIndex, TestLog.of(dev.path()).nextIndex, where + ": the second retry");
                assertEquals(143, leader.stop(), leader::output);
            }
            Probe.assertHeaderConsistent(TestLog.of(dev.path()), where + ", at the end");
        }
    }

    private static List<CreateFileResponse> retry(LeaderClient rest, Sent s) {
        return s.batch() ? rest.createFiles(s.batchRequest()).getResultsList() : List.of(rest.createFile(s.single()));
    }

    /**
     * A mkdir whose entry was published when the leader died: its retry with the same request id after the restart
     * gets the answer it would have had (the directory, created), not "exists"; without the id it is a conflict.
     */
    @Test
    void aMkdirCutOffAfterItsPublishIsAnsweredTheSameAfterARestart() throws Exception {
        String where = "--crash-at INDEX_PUBLISHED:2 in a mkdir";
        try (TestDevice dev = TestDevice.formatted()) {
            MkdirRequest mkdir = MkdirRequest.newBuilder()
                    .setPath("d")
                    .setMode(0750)
                    .setRequestId("mkdir-d")
                    .build();
            try (LeaderProcess leader =
                    LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership", "--crash-at", "INDEX_PUBLISHED:2")) {
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                rest.mkdir(MkdirRequest.newBuilder().setPath("first").build());
                FamfsException cut = assertThrows(FamfsException.class, () -> rest.mkdir(mkdir), where);
                assertEquals(ErrorCode.UNAVAILABLE, cut.code(), where);
                assertEquals(99, leader.waitFor(Duration.ofSeconds(30)), () -> where + ":\n" + leader.output());
            }
            try (LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir())) {
                TestLog log = TestLog.of(dev.path());
                Probe.assertHeaderConsistent(log, where);
                assertEquals(2, log.nextIndex, where);
                assertEquals(0750, log.get("d").mode(), where);
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                MkdirResponse again = rest.mkdir(mkdir);
                assertEquals("d", again.getDir().getPath(), where);
                assertEquals(1, again.getDir().getLogIndex(), where);
                assertEquals(List.of(again.getDir()), again.getCreatedList(), () -> where + ": " + again);
                FamfsException conflict = assertThrows(
                        FamfsException.class,
                        () -> rest.mkdir(mkdir.toBuilder().clearRequestId().build()),
                        where);
                assertEquals(ErrorCode.ALREADY_EXISTS, conflict.code(), where);
                assertEquals(2, TestLog.of(dev.path()).nextIndex, where);
                assertEquals(143, leader.stop(), leader::output);
            }
        }
    }

    /**
     * The leader stores answers before it publishes; one that dies in between leaves an answer for entries that never
     * made it to the log (here: the header put back by hand to where it stood before the publish). The restarted
     * leader must not trust that answer: the retry writes the file.
     */
    @Test
    void anAnswerStoredForEntriesThatNeverCommittedIsNotTrusted() throws Exception {
        String where = "--crash-at SEQNUM_PUBLISHED:1, next_seqnum put back";
        try (TestDevice dev = TestDevice.formatted()) {
            CreateFileRequest create = CreateFileRequest.newBuilder()
                    .setPath("f")
                    .setSize(3 << 20)
                    .setRequestId("create-f")
                    .build();
            try (LeaderProcess leader = LeaderProcess.start(
                    dev.path(), dev.dir(), "--take-ownership", "--crash-at", "SEQNUM_PUBLISHED:1")) {
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                assertThrows(FamfsException.class, () -> rest.createFile(create), where);
                assertEquals(99, leader.waitFor(Duration.ofSeconds(30)), () -> where + ":\n" + leader.output());
            }
            assertEquals(1, RawBytes.le64(dev.path(), RawBytes.LOG + 32), "next_seqnum published");
            RawBytes.putLe64(dev.path(), RawBytes.LOG + 32, 0);
            try (LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir())) {
                assertFalse(leader.output().contains("repaired"), leader::output);
                assertEquals(0, TestLog.of(dev.path()).nextIndex, where);
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                CreateFileResponse again = rest.createFile(create);
                assertTrue(again.getCreated(), where);
                TestLog log = TestLog.of(dev.path());
                Probe.assertHeaderConsistent(log, where);
                assertEquals(1, log.nextIndex, () -> where + ": the retry must write the file");
                assertEquals(again.getFile(), rest.stat("f").getFile(), where);
                assertEquals(again, rest.createFile(create), where + ": the second retry");
                assertEquals(1, TestLog.of(dev.path()).nextIndex, where);
                assertEquals(143, leader.stop(), leader::output);
            }
        }
    }

    private static Want want(String path, Random r) {
        boolean striped = r.nextBoolean();
        long size = striped ? 8 * CreateLoad.MiB + r.nextLong(8 * CreateLoad.MiB) : 1 + r.nextLong(6 * CreateLoad.MiB);
        Interleave il = striped
                ? Interleave.newBuilder()
                        .setNbuckets(8)
                        .setNstrips(2 + r.nextInt(3))
                        .setChunkSize(2 * CreateLoad.MiB)
                        .build()
                : null;
        return new Want(path, size, 0600 + r.nextInt(0100), r.nextInt(100), r.nextInt(100), il);
    }
}
