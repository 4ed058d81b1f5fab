package io.famfs.meta.leader.it;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.leader.client.GrpcLeaderClient;
import io.famfs.meta.leader.client.LeaderClient;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.CreateFilesRequest;
import io.famfs.meta.proto.v1.CreateFilesResponse;
import io.famfs.meta.proto.v1.FileInfo;
import io.famfs.meta.proto.v1.Interleave;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Concurrent clients creating files on a real leader, over gRPC (single creates, several in flight, and batches) and
 * REST (single creates and batches), each client in its own thread with its own seeded Random. It records what the
 * leader acknowledged, what was in flight when the leader went away (outcome unknown), and any failure that came
 * while the leader was expected to be up.
 */
final class CreateLoad {
    static final long MiB = 1L << 20;
    static final long AU = 2 * MiB;

    enum Kind {
        GRPC_SINGLE,
        GRPC_BATCH,
        REST_SINGLE,
        REST_BATCH
    }

    /** A file a client asked for; {@code interleave} null for contiguous. */
    record Want(String path, long size, int mode, int uid, int gid, Interleave interleave) {
        /** famfs falls back to contiguous for files smaller than a chunk. */
        boolean striped() {
            return interleave != null && size >= interleave.getChunkSize();
        }

        CreateFileRequest.Builder request() {
            CreateFileRequest.Builder b = CreateFileRequest.newBuilder()
                    .setPath(path)
                    .setSize(size)
                    .setMode(mode)
                    .setUid(uid)
                    .setGid(gid)
                    .setParents(true);
            if (interleave != null) {
                b.setInterleave(interleave);
            }
            return b;
        }
    }

    /** One request: a single create or a batch, with its request id ("" for none). */
    record Sent(Kind kind, String requestId, List<Want> files) {
        boolean batch() {
            return kind == Kind.GRPC_BATCH || kind == Kind.REST_BATCH;
        }

        CreateFileRequest single() {
            return files.getFirst().request().setRequestId(requestId).build();
        }

        CreateFilesRequest batchRequest() {
            CreateFilesRequest.Builder b = CreateFilesRequest.newBuilder().setRequestId(requestId);
            files.forEach(w -> b.addFiles(w.request()));
            return b.build();
        }
    }

    /** An acknowledged file: what was asked and what the leader answered. */
    record Acked(Want want, FileInfo info) {}

    /** An acknowledged request and its answers, in order. */
    record Answered(Sent sent, List<CreateFileResponse> answers) {}

    /** What the files look like: sizes and how often they are striped. */
    record Mix(double stripedShare, long largeMax, double largeShare, int batchMin, int batchMax) {}

    final Map<String, Acked> acked = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Answered> answered = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Sent> uncertain = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final CountDownLatch firstAnswer = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private final long devSize;
    private final Mix mix;
    private volatile boolean stopping;
    private volatile boolean leaderGoing;

    CreateLoad(long devSize, Mix mix) {
        this.devSize = devSize;
        this.mix = mix;
    }

    /**
     * Starts one client thread: {@code kind} against {@code leader}, files under {@code dir}, up to {@code maxFiles}
     * files (or until {@link #stop}), {@code inFlight} gRPC single creates at once.
     */
    void client(
            Kind kind,
            Vertx vertx,
            LeaderProcess leader,
            String dir,
            long seed,
            int maxFiles,
            int inFlight,
            boolean withRequestIds) {
        Random random = new Random(seed);
        Thread t = Thread.ofPlatform().name("client-" + dir).unstarted(() -> {
            try {
                run(kind, vertx, leader, dir, random, maxFiles, inFlight, withRequestIds);
            } catch (RuntimeException | InterruptedException e) {
                unexpected.add(dir + ": " + e);
            }
        });
        threads.add(t);
        t.start();
    }

    private void run(
            Kind kind,
            Vertx vertx,
            LeaderProcess leader,
            String dir,
            Random random,
            int maxFiles,
            int inFlight,
            boolean withRequestIds)
            throws InterruptedException {
        LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
        try (GrpcLeaderClient grpc = GrpcLeaderClient.create(vertx, "127.0.0.1", leader.grpcPort(), leader.token())) {
            Semaphore slots = new Semaphore(inFlight);
            int files = 0;
            int n = 0;
            boolean failed = false;
            AtomicBoolean broken = new AtomicBoolean();
            while (!stopping && !failed && !broken.get() && files < maxFiles) {
                boolean batch = kind == Kind.GRPC_BATCH || kind == Kind.REST_BATCH;
                int count = batch
                        ? Math.min(
                                maxFiles - files, mix.batchMin() + random.nextInt(mix.batchMax() - mix.batchMin() + 1))
                        : 1;
                List<Want> wants = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    wants.add(want(dir + "/f" + (files + i), random));
                }
                files += count;
                String id = withRequestIds ? dir.replace('/', '-') + "-r" + n : "";
                n++;
                Sent sent = new Sent(kind, id, wants);
                switch (kind) {
                    case GRPC_SINGLE -> {
                        if (!slots.tryAcquire(60, TimeUnit.SECONDS)) {
                            unexpected.add(dir + ": no gRPC create answered in 60 s");
                            failed = true;
                        } else {
                            grpc.createFile(sent.single()).onComplete(ar -> {
                                if (ar.succeeded()) {
                                    ack(sent, List.of(ar.result()));
                                } else {
                                    broken.set(true);
                                    failed(sent, ar.cause());
                                }
                                slots.release();
                            });
                        }
                    }
                    case GRPC_BATCH -> failed = !await(sent, grpc.createFiles(sent.batchRequest()));
                    case REST_SINGLE -> failed = !call(sent, () -> List.of(rest.createFile(sent.single())));
                    case REST_BATCH ->
                        failed = !call(
                                sent,
                                () -> rest.createFiles(sent.batchRequest()).getResultsList());
                }
            }
            if (!slots.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
                unexpected.add(dir + ": gRPC creates still in flight after 60 s");
            }
        }
    }

    private boolean await(Sent sent, Future<CreateFilesResponse> answer) {
        try {
            ack(sent, answer.await(60, TimeUnit.SECONDS).getResultsList());
            return true;
        } catch (Exception e) {
            failed(sent, e);
            return false;
        }
    }

    private boolean call(Sent sent, java.util.function.Supplier<List<CreateFileResponse>> call) {
        try {
            ack(sent, call.get());
            return true;
        } catch (RuntimeException e) {
            failed(sent, e);
            return false;
        }
    }

    private void ack(Sent sent, List<CreateFileResponse> answers) {
        if (answers.size() != sent.files().size()) {
            unexpected.add(sent + ": " + answers.size() + " results");
            return;
        }
        for (int i = 0; i < answers.size(); i++) {
            CreateFileResponse a = answers.get(i);
            Want w = sent.files().get(i);
            if (!a.getCreated() || !a.getFile().getPath().equals(w.path())) {
                unexpected.add(w.path() + ": answered " + a);
            }
            acked.put(w.path(), new Acked(w, a.getFile()));
        }
        answered.add(new Answered(sent, List.copyOf(answers)));
        firstAnswer.countDown();
    }

    private void failed(Sent sent, Throwable cause) {
        uncertain.add(sent);
        if (!leaderGoing) {
            unexpected.add(
                    sent.kind() + " " + sent.files().getFirst().path() + " failed while the leader was up: " + cause);
        }
    }

    private Want want(String path, Random r) {
        double p = r.nextDouble();
        long size = p < 0.05
                ? 1
                : p < 1 - mix.largeShare() ? 1 + r.nextLong(4 * MiB) : 4 * MiB + r.nextLong(mix.largeMax() - 4 * MiB);
        Interleave interleave = null;
        if (r.nextDouble() < mix.stripedShare()) {
            int[] buckets = {8, 16, 32};
            int nbuckets = buckets[r.nextInt(buckets.length)];
            while (devSize / nbuckets < (1L << 30)) {
                nbuckets /= 2;
            }
            long[] chunks = {AU, 2 * AU, 4 * AU};
            interleave = Interleave.newBuilder()
                    .setNbuckets(nbuckets)
                    // at most half the buckets: contiguous files fill the first buckets up, and a strip needs a
                    // bucket of its own (famfs's rule), so nstrips == nbuckets fails once one bucket is full
                    .setNstrips(1 + r.nextInt(Math.min(8, nbuckets / 2)))
                    .setChunkSize(chunks[r.nextInt(chunks.length)])
                    .build();
        }
        return new Want(path, size, r.nextInt(01000), r.nextInt(3000), r.nextInt(3000), interleave);
    }

    /** The leader is about to go away: failures from now on are expected (their outcome is unknown). */
    void leaderGoing() {
        leaderGoing = true;
    }

    /** Asks the clients to stop and waits for them (and their gRPC creates in flight). */
    void stop() throws InterruptedException {
        stopping = true;
        join();
    }

    void join() throws InterruptedException {
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(120));
            assertFalse(t.isAlive(), () -> t.getName() + " did not end");
        }
    }

    /** Waits until some client got an answer: the clients are connected and warm. */
    boolean awaitFirstAnswer(long seconds) throws InterruptedException {
        return firstAnswer.await(seconds, TimeUnit.SECONDS);
    }

    /** The file an acknowledged create logged: its entry holds what was asked and what was answered. */
    static void assertLogged(TestLog log, Want w, FileInfo info, String where) {
        TestLog.Entry e = log.get(w.path());
        assertNotNull(e, () -> where + ": acknowledged " + w.path() + " is not in the log");
        assertTrue(e.file(), () -> where + ": " + w.path() + " is logged as a directory");
        assertEquals(w.size(), e.size(), () -> where + ": size of " + w.path());
        assertEquals(w.mode(), e.mode(), () -> where + ": mode of " + w.path());
        assertEquals(w.uid(), e.uid(), () -> where + ": uid of " + w.path());
        assertEquals(w.gid(), e.gid(), () -> where + ": gid of " + w.path());
        assertEquals(w.striped(), e.interleaved(), () -> where + ": striped " + w + " vs " + e);
        if (w.striped()) {
            assertEquals(w.interleave().getNstrips(), e.extents().size(), () -> where + ": nstrips of " + w);
            assertEquals(w.interleave().getChunkSize(), e.chunkSize(), () -> where + ": chunk size of " + w);
        } else {
            assertEquals(1, e.extents().size(), () -> where + ": extents of contiguous " + w + ": " + e);
            assertEquals(
                    Math.ceilDiv(w.size(), AU) * AU,
                    e.extents().getFirst().length(),
                    () -> where + ": extent of " + w + ": " + e);
        }
        if (info != null) {
            assertEquals(info.getLogIndex(), e.index(), () -> where + ": log index of " + w.path());
            List<TestLog.Extent> answered = info.getFmap().getExtentsList().stream()
                    .map(x -> new TestLog.Extent(x.getDevindex(), x.getOffset(), x.getLength()))
                    .toList();
            assertEquals(answered, e.extents(), () -> where + ": the answered map of " + w.path());
        }
    }
}
