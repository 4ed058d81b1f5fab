package io.famfs.meta.leader.core;

import com.google.protobuf.Message;
import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.fsck.FsckReport;
import io.famfs.meta.leader.alloc.Allocator;
import io.famfs.meta.leader.store.RequestStore;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogAppender;
import io.famfs.meta.log.LogReader;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.log.SystemUuidFile;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.CreateFilesResponse;
import io.famfs.meta.proto.v1.FileInfo;
import io.famfs.meta.proto.v1.ListResponse;
import io.famfs.meta.proto.v1.MkdirResponse;
import io.famfs.meta.proto.v1.StatResponse;
import io.famfs.meta.proto.v1.UsageResponse;
import io.famfs.meta.replay.DirNode;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Node;
import io.famfs.meta.replay.Replayer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.StampedLock;
import java.util.function.LongConsumer;

/**
 * The leader: the only writer of the log. It owns the device mapping, the namespace and allocation bitmap rebuilt
 * from the log, the request store, and the log writer thread that serializes every change.
 *
 * <p>Changes ({@link #submit}) queue for the writer thread, which takes them in groups: under the namespace's write
 * lock it plans and writes each op's entries into one append batch, stores the answers of ops with request ids,
 * publishes the header once for the whole group (group commit), then answers. A stored answer counts only when the
 * entries it names are in the namespace (the leader may have died between the two). Reads take the read lock, so they never
 * see an entry that is not published. Before each group it checks that the header still holds what it last published:
 * a difference means another writer (e.g. the famfs CLI), and appends stop.
 */
public final class Leader implements AutoCloseable {
    /** Most ops the writer takes into one group. */
    static final int MAX_GROUP = 256;

    /** Ops waiting for the writer; beyond this, creates are refused as UNAVAILABLE (back-pressure). */
    static final int QUEUE_CAPACITY = 16384;

    private final LeaderSettings settings;
    private final Device device;
    private final FamfsVolume volume;
    private final RequestStore store;
    private final LogAppender appender;
    private final StampedLock lock = new StampedLock();
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final CopyOnWriteArrayList<LongConsumer> commitListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService recheck = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "famfs-leader-recheck");
        t.setDaemon(true);
        return t;
    });
    private final Thread writer;

    // Guarded by lock (written by the writer, or by the recheck when the writer is idle under the write lock).
    private Namespace namespace;
    private Allocator allocator;
    private Planner planner;
    private List<Long> badEntries;

    private volatile LeaderStatus.State state;
    private volatile String reason = "";
    private volatile long published;
    private volatile long publishedSeqnum;
    private volatile boolean closing;

    private record Pending(Op op, CompletableFuture<Message> answer, long enqueuedNanos) {}

    private Leader(LeaderSettings settings, Device device, FamfsVolume volume, RequestStore store) {
        this.settings = settings;
        this.device = device;
        this.volume = volume;
        this.store = store;
        this.appender = new LogAppender(volume, settings.appendHook());
        this.writer = new Thread(this::writeLoop, "famfs-log-writer");
    }

    /**
     * Starts a leader on {@code settings.device()}: maps it read-write, validates it, checks that this host owns it
     * (or takes ownership when told to), settles a half-published header, replays the whole log (the bitmap as famfs
     * builds it: every valid entry, bad ones counted and skipped), opens the request store and starts the writer.
     * Progress goes to {@code log}.
     */
    public static Leader start(LeaderSettings settings, PrintWriter log) {
        Device device = Device.open(settings.device(), settings.deviceOptions());
        RequestStore store = null;
        try {
            FamfsVolume volume = FamfsVolume.open(device);
            if (!volume.writable()) {
                throw new FamfsException(
                        ErrorCode.UNSUPPORTED,
                        "famfs version " + volume.superblock().version() + " is read-only here; the leader needs 48");
            }
            UUID host = SystemUuidFile.readOrCreate(settings.systemUuidFile());
            UUID owner = volume.superblock().systemUuid();
            if (!owner.equals(host)) {
                if (!settings.takeOwnership()) {
                    throw new FamfsException(
                            ErrorCode.FAILED_PRECONDITION,
                            "this host (" + host + ", from " + settings.systemUuidFile() + ") does not own "
                                    + settings.device() + " (owner " + owner + "); pass --take-ownership to take it");
                }
                volume.rewriteOwner(host);
                log.println("famfs-meta leader: took ownership of " + settings.device() + " from " + owner + " for "
                        + host + " (superblock rewritten)");
            }
            LogAppender.Repair repair = new LogAppender(volume).repairHalfPublished();
            if (repair != LogAppender.Repair.NONE) {
                log.println("famfs-meta leader: repaired a half-published log header: "
                        + repair.name().toLowerCase().replace('_', ' '));
            }
            Files.createDirectories(settings.stateDir());
            Files.setPosixFilePermissions(settings.stateDir(), PosixFilePermissions.fromString("rwx------"));
            store = RequestStore.open(
                    settings.stateDir().resolve("requests"), volume.superblock().fsUuid());
            Leader leader = new Leader(settings, device, volume, store);
            leader.rebuild();
            leader.writer.start();
            return leader;
        } catch (java.io.IOException e) {
            if (store != null) {
                store.close();
            }
            device.close();
            throw new FamfsException(ErrorCode.IO, "cannot prepare " + settings.stateDir() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            device.close();
            throw e;
        }
    }

    /** Replays the whole log into a new namespace and allocator (at start, and when a bad entry heals). */
    private void rebuild() {
        Replayer.Replay replay = Replayer.replayAll(volume, ReadMode.SKIP_BAD);
        long stamp = lock.writeLock();
        try {
            namespace = replay.namespace();
            allocator = new Allocator(namespace.space(), settings.bucketSeed());
            planner = new Planner(namespace, allocator);
            badEntries = replay.result().skipped().stream()
                    .map(FormatException::index)
                    .toList();
            published = replay.result().to();
            publishedSeqnum = volume.readNextSeqnum();
            if (badEntries.isEmpty() || settings.skipBadEntries()) {
                state = LeaderStatus.State.READY;
                reason = badEntries.isEmpty()
                        ? ""
                        : replay.result().skippedCount() + " bad entries skipped: " + badEntries;
            } else {
                state = LeaderStatus.State.BAD_ENTRY;
                reason = replay.result().skippedCount() + " bad log entries (first at index " + badEntries.getFirst()
                        + ": " + replay.result().skipped().getFirst().getMessage() + "); re-checking";
                scheduleRecheck(1);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Re-reads the bad entries with backoff; when all validate, replays again and takes creates. */
    private void scheduleRecheck(long delaySeconds) {
        recheck.schedule(
                () -> {
                    if (closing) {
                        return;
                    }
                    LogReader reader = new LogReader(volume);
                    byte[] scratch = new byte[io.famfs.meta.format.LogEntryDescriptor.LENGTH];
                    boolean healed = badEntries.stream().allMatch(i -> reader.readValidated(i, scratch) == null);
                    if (healed) {
                        rebuild();
                    } else {
                        scheduleRecheck(Math.min(60, delaySeconds * 2));
                    }
                },
                delaySeconds,
                TimeUnit.SECONDS);
    }

    /** Queues a change for the writer. The future fails with the domain error, never with anything half done. */
    public CompletableFuture<Message> submit(Op op) {
        CompletableFuture<Message> answer = new CompletableFuture<>();
        if (closing) {
            answer.completeExceptionally(new FamfsException(ErrorCode.UNAVAILABLE, "the leader is shutting down"));
        } else if (!queue.offer(new Pending(op, answer, System.nanoTime()))) {
            answer.completeExceptionally(new FamfsException(
                    ErrorCode.UNAVAILABLE, "the leader has " + QUEUE_CAPACITY + " changes waiting; retry later"));
        }
        return answer;
    }

    /** The writer thread: takes ops in groups until closed, then answers what is left. */
    private void writeLoop() {
        List<Pending> group = new ArrayList<>(MAX_GROUP);
        try {
            while (!closing || !queue.isEmpty()) {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                processGroup(group);
                group.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending p; (p = queue.poll()) != null; ) {
            p.answer().completeExceptionally(new FamfsException(ErrorCode.UNAVAILABLE, "the leader stopped"));
        }
    }

    private void processGroup(List<Pending> group) {
        List<CompletableFuture<Message>> futures = new ArrayList<>(group.size());
        List<Object> outcomes = new ArrayList<>(group.size()); // Message or RuntimeException, per op
        Map<String, byte[]> answersById = new HashMap<>();
        long stamp = lock.writeLock();
        try {
            LeaderStatus.State now = state;
            if (now != LeaderStatus.State.READY) {
                FamfsException refused =
                        new FamfsException(ErrorCode.UNAVAILABLE, "the leader is not ready: " + reason);
                group.forEach(p -> p.answer().completeExceptionally(refused));
                return;
            }
            checkHeaderUnchanged();
            LogAppender.Batch batch = appender.begin();
            for (Pending p : group) {
                futures.add(p.answer());
                outcomes.add(apply(p.op(), batch, answersById));
            }
            try {
                // Answers are stored before the header publishes them, so a published entry never lacks its answer;
                // an answer whose entries were never published is recognised on a retry (see stillLogged).
                store.putAll(answersById);
                batch.publish();
            } catch (RuntimeException e) {
                fail("storing the answers or publishing the log header failed: " + e);
                throw e;
            }
            published = batch.next();
            publishedSeqnum = batch.next();
        } catch (RuntimeException e) {
            // The whole group is refused: a changed header, a failed publish, or a bug (then also FAILED above).
            group.forEach(p -> p.answer().completeExceptionally(e));
            return;
        } finally {
            lock.unlockWrite(stamp);
        }
        for (int i = 0; i < futures.size(); i++) {
            Object outcome = outcomes.get(i);
            if (outcome instanceof Message m) {
                futures.get(i).complete(m);
            } else {
                futures.get(i).completeExceptionally((RuntimeException) outcome);
            }
        }
        long next = published;
        commitListeners.forEach(l -> l.accept(next));
    }

    /** One op of a group: its stored answer, or plan and write it; the error when it cannot be done as a whole. */
    private Object apply(Op op, LogAppender.Batch batch, Map<String, byte[]> answersById) {
        String id = op.requestId();
        try {
            if (id != null) {
                byte[] stored = answersById.get(id);
                if (stored == null) {
                    stored = store.get(id);
                }
                if (stored != null) {
                    Message answer = StoredAnswer.decode(op, stored);
                    if (stillLogged(answer)) {
                        return answer;
                    }
                    // stored, then the process died before the header published it: plan the op afresh
                }
            }
            Planner.Plan plan = planner.plan(op, batch.room());
            Message answer;
            try {
                answer = planner.execute(plan, batch);
            } catch (RuntimeException e) {
                // Entries of this op may sit in the batch and the namespace: nothing can be trusted any more.
                fail("an append failed half-way: " + e);
                throw new IllegalStateException(e);
            }
            if (id != null) {
                answersById.put(id, StoredAnswer.encode(op, answer));
            }
            return answer;
        } catch (FamfsException e) {
            return e;
        }
    }

    /** True when every entry {@code answer} says it created is in the namespace, at the index it names. */
    private boolean stillLogged(Message answer) {
        return switch (answer) {
            case CreateFileResponse one -> stillLogged(one);
            case CreateFilesResponse many -> many.getResultsList().stream().allMatch(this::stillLogged);
            case MkdirResponse dir ->
                dir.getCreatedList().stream()
                        .allMatch(d -> namespace.get(d.getPath()) instanceof DirNode n && n.index() == d.getLogIndex());
            default -> false;
        };
    }

    private boolean stillLogged(CreateFileResponse one) {
        return !one.getCreated()
                || namespace.get(one.getFile().getPath()) instanceof FileNode n
                        && n.index() == one.getFile().getLogIndex();
    }

    private void checkHeaderUnchanged() {
        long index = volume.readNextIndex();
        long seqnum = volume.readNextSeqnum();
        if (index != published || seqnum != publishedSeqnum) {
            state = LeaderStatus.State.OTHER_WRITER;
            reason = "the log header moved under the leader (next_index " + index + ", next_seqnum " + seqnum
                    + "; expected " + published + " and " + publishedSeqnum + "): another writer appends; appends"
                    + " stopped until the leader restarts";
            throw new FamfsException(ErrorCode.UNAVAILABLE, reason);
        }
    }

    private void fail(String why) {
        state = LeaderStatus.State.FAILED;
        reason = why + "; appends stopped until the leader restarts";
    }

    // ---- reads (under the read lock: never an unpublished entry) ----

    public StatResponse stat(String path) {
        long stamp = lock.readLock();
        try {
            return Protos.stat(existing(path));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    public ListResponse list(String path) {
        long stamp = lock.readLock();
        try {
            if (!(existing(path) instanceof DirNode dir)) {
                throw new FamfsException(ErrorCode.INVALID_ARGUMENT, path + " is a file, not a directory");
            }
            ListResponse.Builder b = ListResponse.newBuilder().setDir(Protos.dir(dir));
            for (Node child : dir.children()) {
                b.addChildren(Protos.stat(child));
            }
            return b.build();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    public FileInfo fmap(String path) {
        long stamp = lock.readLock();
        try {
            if (!(existing(path) instanceof FileNode file)) {
                throw new FamfsException(ErrorCode.INVALID_ARGUMENT, path + " is a directory, not a file");
            }
            return Protos.file(file);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    public UsageResponse usage() {
        long stamp = lock.readLock();
        try {
            var sb = volume.superblock();
            FsckReport r = new FsckReport(
                    sb,
                    true,
                    namespace.nextIndex(),
                    volume.capacity(),
                    volume.logLen(),
                    namespace.space().capacityBytes(),
                    namespace.sumFileSizes(),
                    namespace.space().allocatedBytes(),
                    namespace.space().freeBytes(),
                    namespace.fileEntries(),
                    namespace.dirEntries(),
                    namespace.badEntries(),
                    namespace.badEntryCount(),
                    namespace.space().collisions(),
                    namespace.collidingEntries(),
                    namespace.skipped(),
                    List.of());
            return UsageResponse.newBuilder()
                    .setEntriesUsed(r.entriesUsed())
                    .setEntriesCapacity(r.capacity())
                    .setDeviceCapacity(sb.devSize())
                    .setAllocatedBytes(r.allocatedBytes())
                    .setFreeBytes(r.freeBytes())
                    .setSumOfFileSizes(r.sumFileSizes())
                    .setFiles(r.files())
                    .setDirectories(r.directories())
                    .setBadEntries(r.badEntryCount())
                    .setSpaceAmplification(r.spaceAmplificationText())
                    .setPercentUsed(r.percentUsedText())
                    .setFsUuid(sb.fsUuid().toString())
                    .build();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private Node existing(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (!p.isEmpty()) {
            io.famfs.meta.format.RelPath.require(p);
        }
        Node node = namespace.get(p);
        if (node == null) {
            throw new FamfsException(ErrorCode.NOT_FOUND, "no such file or directory: " + p);
        }
        return node;
    }

    // ---- state ----

    public LeaderStatus status() {
        long stamp = lock.readLock();
        try {
            return new LeaderStatus(state, reason, List.copyOf(badEntries), published, volume.capacity());
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The published next_index. */
    public long published() {
        return published;
    }

    public FamfsVolume volume() {
        return volume;
    }

    /** Free bytes the allocator can still hand out. */
    public long freeBytes() {
        long stamp = lock.readLock();
        try {
            return allocator.freeBytes();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Calls {@code listener} with the new next_index after every commit (on the writer thread: keep it short). */
    public void onCommit(LongConsumer listener) {
        commitListeners.add(listener);
    }

    public void removeCommitListener(LongConsumer listener) {
        commitListeners.remove(listener);
    }

    /** The device's dd_size. */
    public long devSize() {
        return volume.devSize();
    }

    /**
     * Graceful stop: refuses new changes, lets the writer finish what is queued, then closes the request store and the
     * mapping.
     */
    @Override
    public void close() {
        closing = true; // new changes are refused; the writer still appends what is queued
        recheck.shutdownNow();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = LeaderStatus.State.CLOSING;
        reason = "shutting down";
        long stamp = lock.writeLock();
        try {
            store.close();
            device.close();
        } finally {
            lock.unlockWrite(stamp);
        }
    }
}
