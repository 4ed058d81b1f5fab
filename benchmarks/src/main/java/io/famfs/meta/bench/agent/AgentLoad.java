package io.famfs.meta.bench.agent;

import static io.famfs.meta.bench.harness.Report.medianOf;
import static io.famfs.meta.bench.harness.Report.micros;

import io.famfs.meta.agent.bridge.BridgeClient;
import io.famfs.meta.bench.harness.Compilers;
import io.famfs.meta.bench.harness.Cpu;
import io.famfs.meta.bench.harness.Driver;
import io.famfs.meta.bench.harness.EventLoops;
import io.famfs.meta.bench.harness.FreshDevice;
import io.famfs.meta.bench.harness.LeaderProcess;
import io.famfs.meta.bench.harness.Phases;
import io.famfs.meta.bench.harness.Report;
import io.famfs.meta.bench.harness.Targets;
import io.famfs.meta.device.Device;
import io.famfs.meta.leader.client.GrpcLeaderClient;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.proto.v1.LeaderGrpcClient;
import io.famfs.meta.proto.v1.UsageRequest;
import io.famfs.meta.proto.v1.UsageResponse;
import io.famfs.meta.replay.Replayer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * {@code java -jar benchmarks/target/benchmarks.jar agent [options]}: the agents' propagation benchmark (see
 * {@link AgentOptions#USAGE}). Each run of a propagation scenario makes a fresh sparse device, starts a real leader
 * process and real agent processes on it, and sends creates over gRPC from this JVM's event loop, paced (an open
 * loop) or with a fixed number in flight (a closed loop). Each acknowledged create (at full load, one in N) is
 * handed, with the time of its acknowledgement, to one {@link Watcher} per agent, which asks that agent's bridge socket
 * for the file's map until it is served: the delay between the two, on this JVM's clock, is the propagation delay.
 * After the run (not timed) it checks that every agent served every acknowledged file with its size and that the
 * leader and the log hold exactly those files, then replays the log in process as the baseline.
 */
public final class AgentLoad {
    /** The paced scenarios' period: 2,000 creates/s. */
    static final long PERIOD_NANOS = 500_000;

    /** The full-load scenarios' creates in flight. */
    static final int IN_FLIGHT = 64;

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    /** A file an agent has not served this long after its watcher first asked fails the run. */
    private static final Duration GIVE_UP = Duration.ofSeconds(10);

    private static final long REPLAY_BUDGET_NANOS = 500_000_000L;

    enum Kind {
        PACED,
        FULL,
        GET_FMAP
    }

    /** A scenario; {@code targetP99} is the p99 (ns) it should stay within. */
    record Scenario(String id, Kind kind, String idle, int agents, long targetP99) {
        String load(int fullLoadSample) {
            return switch (kind) {
                case PACED -> String.format("%,d creates/s paced", 1_000_000_000L / PERIOD_NANOS);
                case FULL ->
                    IN_FLIGHT + " creates in flight"
                            + (fullLoadSample == 1 ? "" : ", 1 in " + fullLoadSample + " timed");
                case GET_FMAP -> "1 client, back to back";
            };
        }
    }

    static final List<Scenario> ALL = List.of(
            new Scenario("spin-2000", Kind.PACED, "spin", 1, 100_000),
            new Scenario("park-2000", Kind.PACED, "park", 3, 1_000_000),
            new Scenario("spin-full", Kind.FULL, "spin", 1, 5_000_000),
            new Scenario("park-full", Kind.FULL, "park", 3, 5_000_000),
            new Scenario("getfmap", Kind.GET_FMAP, "park", 1, 100_000));

    /**
     * CPU time (ns) used while {@code wallNanos} passed in the measured phase, by the leader process, each agent
     * process, this JVM and the whole machine (-1 where it could not be read), while {@code ops} creates (GET_FMAP
     * calls) were answered.
     */
    record CpuUse(long leader, long[] agents, long load, long machine, long wallNanos, long ops) {
        /** CPU µs per create (call), or NaN. */
        double perOp(long cpu) {
            return cpu < 0 || ops <= 0 ? Double.NaN : cpu / 1000.0 / ops;
        }

        /** Cores busy on average, or NaN. */
        double cores(long cpu) {
            return cpu < 0 || wallNanos <= 0 ? Double.NaN : (double) cpu / wallNanos;
        }
    }

    /**
     * One run's figures: {@code ops} creates (GET_FMAP calls) answered in {@code seconds} of measured phase, ended by
     * its count, its time or the log's room ({@code bound}), and {@code total} in every phase; the delays (ns) over
     * {@code pairs} timed (create, agent) pairs (GET_FMAP: each call's latency); the hand-off part's p99 and the tries
     * per pair; each agent's wake-up hints; the replay baseline (entries/s; NaN for GET_FMAP); the CPU; how the warm-up
     * went.
     */
    record Run(
            long ops,
            long total,
            double seconds,
            String bound,
            long pairs,
            long p50,
            long p99,
            long max,
            long handoffP99,
            double tries,
            List<Long> hints,
            double replayRate,
            CpuUse cpu,
            WarmUp warmup) {
        double rate() {
            return ops / seconds;
        }
    }

    /**
     * How long the warm-up took, whether it ended because the JIT compilers of every process had gone quiet (else its
     * time or count ended it), and the cores those compilers still kept busy in the measured phase.
     */
    record WarmUp(double seconds, boolean jitQuiet, double jitCores) {
        @Override
        public String toString() {
            return String.format(
                    "warm-up %.1f s (%s), JIT %.2f cores in the measured phase",
                    seconds, jitQuiet ? "compilers quiet" : "compilers still busy", jitCores);
        }
    }

    private final AgentOptions options;
    private final Vertx vertx;
    private final Context loop;

    private AgentLoad(AgentOptions options, Vertx vertx, Context loop) {
        this.options = options;
        this.vertx = vertx;
        this.loop = loop;
    }

    public static void main(String[] args) throws Exception {
        AgentOptions options;
        List<Scenario> scenarios;
        try {
            options = AgentOptions.parse(args);
            if (options == null) {
                System.out.print(AgentOptions.USAGE);
                return;
            }
            scenarios = select(options.only());
        } catch (IllegalArgumentException e) {
            System.err.println("agent load: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!Files.isDirectory(options.base())) {
            System.err.println("agent load: no such folder: " + options.base());
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        int status;
        try {
            status = new AgentLoad(options, vertx, EventLoops.contexts(vertx, 1).getFirst()).run(scenarios, args);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
        System.exit(status);
    }

    static List<Scenario> select(List<String> only) {
        if (only.isEmpty()) {
            return ALL;
        }
        List<Scenario> picked = new ArrayList<>();
        for (String want : only) {
            Scenario found = ALL.stream()
                    .filter(s -> s.id().equals(want))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no scenario " + want + "; see --help"));
            if (!picked.contains(found)) {
                picked.add(found);
            }
        }
        picked.sort(java.util.Comparator.comparingInt(ALL::indexOf));
        return picked;
    }

    private int run(List<Scenario> scenarios, String[] args) {
        Map<Scenario, List<Run>> results = new LinkedHashMap<>();
        Map<Scenario, String> failures = new LinkedHashMap<>();
        for (Scenario s : scenarios) {
            List<Run> runs = new ArrayList<>();
            for (int r = 1; r <= options.runs(); r++) {
                System.out.printf("%-10s run %d/%d: ", s.id(), r, options.runs());
                System.out.flush();
                try {
                    Run run = s.kind() == Kind.GET_FMAP ? getFmap(s) : propagation(s);
                    runs.add(run);
                    printRun(s, run);
                } catch (RuntimeException e) {
                    System.out.println("FAILED: " + e.getMessage());
                    failures.put(s, e.getMessage());
                    break;
                }
            }
            if (!failures.containsKey(s)) {
                results.put(s, runs);
            }
        }
        printTable(results, failures, args);
        return failures.isEmpty() ? 0 : 1;
    }

    // ---- propagation: creates acknowledged by the leader, seen on every agent's socket ----

    private Run propagation(Scenario s) {
        try (FreshDevice dev = FreshDevice.create(options.base(), options.deviceSize(), options.logLen())) {
            Run run;
            try (LeaderProcess leader = LeaderProcess.start(dev, options.leaderJvmOptions())) {
                GrpcLeaderClient client =
                        GrpcLeaderClient.create(vertx, "127.0.0.1", leader.grpcPort(), leader.token());
                List<AgentProcess> agents = List.of();
                try {
                    Targets.mkdirs(r -> client.mkdir(r).mapEmpty());
                    long started = System.nanoTime();
                    agents = AgentProcess.start(dev, s.agents(), s.idle(), leader, options.agentJvmOptions());
                    for (AgentProcess a : agents) {
                        a.awaitInView(Targets.dir(Targets.DIRS - 1));
                    }
                    System.out.printf(
                            "[leader up in %.1f s, %d agent(s) in %.1f s] ",
                            leader.startSeconds(), agents.size(), (System.nanoTime() - started) / 1e9);
                    System.out.flush();
                    run = measure(s, dev, leader, agents, client);
                    UsageResponse usage = client.call(LeaderGrpcClient.Usage, UsageRequest.getDefaultInstance())
                            .await(30, TimeUnit.SECONDS);
                    if (usage.getFiles() != run.total() || usage.getDirectories() != Targets.DIRS + 1) {
                        throw new IllegalStateException("the leader holds " + usage.getFiles() + " files and "
                                + usage.getDirectories() + " directories; the run was told of " + run.total()
                                + " files and made " + (Targets.DIRS + 1) + " directories");
                    }
                } catch (RuntimeException | TimeoutException e) {
                    throw new IllegalStateException(e.getMessage() + outputs(leader, agents), e);
                } finally {
                    client.close();
                    for (AgentProcess a : agents) {
                        a.close();
                    }
                }
            }
            // the processes are gone: the baseline has the machine to itself
            return withReplay(run, replayRate(dev, run.total()));
        }
    }

    /**
     * Drives the creates, hands the acknowledgements to the watchers, measures, and checks every acknowledged file on
     * every agent. The run's {@code total} is every create acknowledged (all phases), which the caller checks against
     * the leader.
     */
    private Run measure(
            Scenario s, FreshDevice dev, LeaderProcess leader, List<AgentProcess> agents, GrpcLeaderClient client)
            throws TimeoutException {
        long room = dev.capacity() - Targets.DIRS - 1;
        int unanswered = s.kind() == Kind.PACED ? Pacer.MAX_OUTSTANDING : IN_FLIGHT;
        // at full load as many creates are timed as in a paced run
        long creates = s.kind() == Kind.FULL ? options.creates() * options.fullLoadSample() : options.creates();
        Phases phases = new Phases(Math.min(options.warmupCreates(), room / 4), creates, room, 3L * unanswered);
        List<Watcher> watchers = new ArrayList<>();
        try {
            for (AgentProcess a : agents) {
                try {
                    watchers.add(new Watcher(
                            a.hostId(),
                            a.socket(),
                            options.fileSize(),
                            GIVE_UP,
                            e -> phases.fail(e, System.nanoTime())));
                } catch (IOException e) {
                    throw new IllegalStateException(a.hostId() + "'s bridge socket " + a.socket() + ": " + e, e);
                }
            }
            return drive(s, leader, agents, client, phases, watchers);
        } finally {
            watchers.forEach(Watcher::close);
        }
    }

    /** The run itself, once every watcher is connected. */
    private Run drive(
            Scenario s,
            LeaderProcess leader,
            List<AgentProcess> agents,
            GrpcLeaderClient client,
            Phases phases,
            List<Watcher> watchers)
            throws TimeoutException {
        // the event loop's until the run drained
        BitSet acked = new BitSet();
        BitSet watched = new BitSet();
        int every = s.kind() == Kind.FULL ? options.fullLoadSample() : 1;
        Driver.Target target =
                handingOver(Targets.grpcSingle(client, options.fileSize()), phases, watchers, every, acked, watched);
        watchers.forEach(Watcher::start);
        Pacer pacer = null;
        Future<Void> drained = null;
        if (s.kind() == Kind.PACED) {
            pacer = new Pacer(loop, target, phases, PERIOD_NANOS);
            pacer.start();
        } else {
            drained = new Driver(loop, target, phases, new AtomicLong(), IN_FLIGHT).start();
        }

        JitQuiet jitQuiet = new JitQuiet(
                new Compilers(pids(leader, agents))::sinceLastLook, System::nanoTime, JitQuiet.MIN, JitQuiet.WINDOW);
        long warm0 = System.nanoTime();
        phases.awaitWarmup(options.warmupSeconds(), jitQuiet);
        Compilers jit = new Compilers(pids(leader, agents));
        jit.sinceLastLook();
        long[] cpu0 = cpu(leader, agents);
        long wall0 = System.nanoTime();
        long answered0 = phases.answeredFiles();
        phases.awaitMeasure(options.measureSeconds());
        long[] cpu1 = cpu(leader, agents);
        long wall1 = System.nanoTime();
        long answered1 = phases.answeredFiles();
        WarmUp warmup =
                new WarmUp((wall0 - warm0) / 1e9, jitQuiet.quiet(), (double) jit.sinceLastLook() / (wall1 - wall0));

        try {
            if (pacer != null) {
                if (!pacer.drained(DRAIN_TIMEOUT)) {
                    throw new IllegalStateException("creates still unanswered 60 s after the run stopped");
                }
            } else {
                drained.await(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            for (Watcher w : watchers) {
                w.finish(DRAIN_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (phases.failure() != null) {
            Throwable f = phases.failure();
            throw new IllegalStateException(f.getClass().getSimpleName() + ": " + f.getMessage(), f);
        }
        Histogram delays = new Histogram(Driver.MAX_LATENCY_NANOS, 3);
        Histogram handoffs = new Histogram(Driver.MAX_LATENCY_NANOS, 3);
        double tries = 0;
        for (Watcher w : watchers) {
            verify(w, watched);
            delays.add(w.delays());
            handoffs.add(w.handoffs());
            tries += w.triesPerCreate() / watchers.size();
        }
        BitSet rest = (BitSet) acked.clone();
        rest.andNot(watched);
        checkEvery(agents, rest);
        List<Long> hints = new ArrayList<>();
        for (AgentProcess a : agents) {
            JsonObject link = a.status().getJsonObject("leader");
            hints.add(link == null ? -1 : link.getLong("wake_up_hints", -1L));
        }
        return new Run(
                phases.measuredFiles(),
                acked.cardinality(),
                phases.measuredSeconds(),
                phases.bound(),
                delays.getTotalCount(),
                delays.getValueAtPercentile(50),
                delays.getValueAtPercentile(99),
                delays.getMaxValue(),
                handoffs.getValueAtPercentile(99),
                tries,
                hints,
                Double.NaN,
                cpuUse(cpu0, cpu1, wall1 - wall0, answered1 - answered0, phases.measuredFiles()),
                warmup);
    }

    /**
     * {@code inner}, with each acknowledged create noted in {@code acked} and, one in {@code every} (create numbers
     * divisible by it), handed to every watcher with the time of its acknowledgement and noted in {@code watched};
     * before the loop counts it, so a create that ends the warm-up is not measured, as the loop counts it.
     */
    private static Driver.Target handingOver(
            Driver.Target inner, Phases phases, List<Watcher> watchers, int every, BitSet acked, BitSet watched) {
        return new Driver.Target() {
            @Override
            public int filesPerRequest() {
                return 1;
            }

            @Override
            public void send(long n, Driver.Done done) {
                inner.send(n, failure -> {
                    if (failure == null && n % every == 0) {
                        Watcher.Ack ack = new Watcher.Ack(
                                n, Targets.path(n), System.nanoTime(), phases.state() == Phases.MEASURE);
                        for (Watcher w : watchers) {
                            w.handOver(ack);
                        }
                        watched.set(Math.toIntExact(n));
                    }
                    if (failure == null) {
                        acked.set(Math.toIntExact(n));
                    }
                    done.done(failure);
                });
            }
        };
    }

    /** Every file handed to the watcher, and nothing else, served by its agent (each with a good header). */
    private static void verify(Watcher w, BitSet acked) {
        if (w.failure() != null) {
            throw new IllegalStateException(
                    w.agent() + "'s watcher: " + w.failure().getMessage(), w.failure());
        }
        if (!w.seen().equals(acked)) {
            BitSet missing = (BitSet) acked.clone();
            missing.andNot(w.seen());
            int first = missing.nextSetBit(0);
            throw new IllegalStateException(w.agent() + " served " + w.seen().cardinality() + " of the "
                    + acked.cardinality() + " acknowledged files it was given"
                    + (first < 0 ? " and others" : "; not " + Targets.path(first)));
        }
    }

    /** The run's JVMs: the leader, each agent, this one. */
    private static long[] pids(LeaderProcess leader, List<AgentProcess> agents) {
        long[] pids = new long[agents.size() + 2];
        pids[0] = leader.pid();
        for (int k = 0; k < agents.size(); k++) {
            pids[k + 1] = agents.get(k).pid();
        }
        pids[pids.length - 1] = ProcessHandle.current().pid();
        return pids;
    }

    /**
     * After the run, not timed: the acknowledged files the watchers were not given ({@code files}; at full load, all
     * but the timed sample) checked on every agent as a watcher checks them (asked until served, the header checked),
     * with a watcher of its own per agent, side by side.
     */
    private void checkEvery(List<AgentProcess> agents, BitSet files) {
        if (files.isEmpty()) {
            return;
        }
        List<Watcher> checkers = new ArrayList<>();
        try {
            for (AgentProcess a : agents) {
                checkers.add(new Watcher(a.hostId(), a.socket(), options.fileSize(), GIVE_UP, e -> {}));
            }
            for (Watcher w : checkers) {
                for (int n = files.nextSetBit(0); n >= 0; n = files.nextSetBit(n + 1)) {
                    w.handOver(new Watcher.Ack(n, Targets.path(n), System.nanoTime(), false));
                }
                w.start();
            }
            Duration timeout = DRAIN_TIMEOUT.plusMillis(files.cardinality());
            for (Watcher w : checkers) {
                w.finish(timeout);
                verify(w, files);
            }
        } catch (IOException e) {
            throw new IllegalStateException("a bridge socket: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            checkers.forEach(Watcher::close);
        }
    }

    /** CPU so far (ns): the leader, each agent, this JVM, the machine. */
    private static long[] cpu(LeaderProcess leader, List<AgentProcess> agents) {
        long[] cpu = new long[agents.size() + 3];
        cpu[0] = Cpu.ofProcess(leader.pid());
        for (int k = 0; k < agents.size(); k++) {
            cpu[k + 1] = Cpu.ofProcess(agents.get(k).pid());
        }
        cpu[cpu.length - 2] = Cpu.ofThisJvm();
        cpu[cpu.length - 1] = Cpu.ofMachine();
        return cpu;
    }

    private static CpuUse cpuUse(long[] cpu0, long[] cpu1, long wallNanos, long answered, long measured) {
        long[] d = new long[cpu0.length];
        for (int k = 0; k < d.length; k++) {
            d[k] = cpu0[k] < 0 || cpu1[k] < 0 ? -1 : cpu1[k] - cpu0[k];
        }
        long[] agents = new long[d.length - 3];
        System.arraycopy(d, 1, agents, 0, agents.length);
        return new CpuUse(
                d[0], agents, d[d.length - 2], d[d.length - 1], wallNanos, answered > 0 ? answered : measured);
    }

    private static Run withReplay(Run r, double replayRate) {
        return new Run(
                r.ops(),
                r.total(),
                r.seconds(),
                r.bound(),
                r.pairs(),
                r.p50(),
                r.p99(),
                r.max(),
                r.handoffP99(),
                r.tries(),
                r.hints(),
                replayRate,
                r.cpu(),
                r.warmup());
    }

    /**
     * The baseline: {@code Replayer.replayAll} of the run's log in this JVM, repeated for about half a second (at least
     * 5 times, so that the JIT has compiled it), each checked to hold every entry and exactly {@code files} files; the
     * median rate in entries/s.
     */
    private static double replayRate(FreshDevice dev, long files) {
        try (Device device = Device.open(dev.device(), Device.Options.readOnly())) {
            FamfsVolume volume = FamfsVolume.open(device);
            long entries = volume.readNextIndex();
            List<Double> rates = new ArrayList<>();
            long end = System.nanoTime() + REPLAY_BUDGET_NANOS;
            while (rates.size() < 5 || System.nanoTime() < end) {
                long t0 = System.nanoTime();
                Replayer.Replay replay = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD);
                long t1 = System.nanoTime();
                if (replay.result().stopped()
                        || replay.result().end() != entries
                        || replay.namespace().filesCreated() != files) {
                    throw new IllegalStateException(
                            "the log replays to " + replay.namespace().filesCreated()
                                    + " files in " + replay.result().end() + " of " + entries + " entries"
                                    + (replay.result().stopped()
                                            ? ", stopped by " + replay.result().stoppedBy()
                                            : "")
                                    + "; the leader acknowledged " + files + " files");
                }
                rates.add(entries / ((t1 - t0) / 1e9));
            }
            return medianOf(rates.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    // ---- GET_FMAP over the socket alone ----

    private Run getFmap(Scenario s) {
        try (FreshDevice dev = FreshDevice.create(options.base(), options.deviceSize(), options.logLen());
                LeaderProcess leader = LeaderProcess.start(dev, options.leaderJvmOptions())) {
            GrpcLeaderClient client = GrpcLeaderClient.create(vertx, "127.0.0.1", leader.grpcPort(), leader.token());
            List<AgentProcess> agents = List.of();
            try {
                Targets.mkdirs(r -> client.mkdir(r).mapEmpty());
                int batch = 100;
                long batches = (options.fmapFiles() + batch - 1) / batch;
                if (batches * batch > dev.capacity() - Targets.DIRS - 1) {
                    throw new IllegalArgumentException("--fmap-files " + options.fmapFiles()
                            + " do not fit in a log of " + dev.capacity() + " entries");
                }
                Driver.Target creates = Targets.grpcBatch(client, batch, options.fileSize());
                for (long b = 0; b < batches; b++) {
                    long n = b;
                    Promise<Void> created = Promise.promise();
                    loop.runOnContext(v -> creates.send(n, f -> {
                        if (f == null) {
                            created.complete();
                        } else {
                            created.fail(f);
                        }
                    }));
                    created.future().await(30, TimeUnit.SECONDS);
                }
                String[] paths = new String[Math.toIntExact(batches * batch)];
                for (int i = 0; i < paths.length; i++) {
                    paths[i] = Targets.path(i);
                }
                agents = AgentProcess.start(dev, s.agents(), s.idle(), leader, options.agentJvmOptions());
                AgentProcess agent = agents.getFirst();
                agent.awaitInView(paths[paths.length - 1]);
                System.out.printf("[%,d files in the view] ", paths.length);
                System.out.flush();
                return callGetFmap(leader, agent, paths);
            } catch (RuntimeException | TimeoutException e) {
                throw new IllegalStateException(e.getMessage() + outputs(leader, agents), e);
            } finally {
                client.close();
                for (AgentProcess a : agents) {
                    a.close();
                }
            }
        }
    }

    /** Warm-up calls, then the measured ones, round robin over {@code paths}, each reply's header checked (untimed). */
    private Run callGetFmap(LeaderProcess leader, AgentProcess agent, String[] paths) {
        Histogram latency = new Histogram(Driver.MAX_LATENCY_NANOS, 3);
        long calls = options.fmapCalls();
        try (BridgeClient c = BridgeClient.connect(agent.socket())) {
            // at least the warm-up calls, then on until the compilers are quiet or the warm-up's time is up
            JitQuiet jitQuiet = new JitQuiet(
                    new Compilers(pids(leader, List.of(agent)))::sinceLastLook,
                    System::nanoTime,
                    JitQuiet.MIN,
                    JitQuiet.WINDOW);
            long warm0 = System.nanoTime();
            long warmEnd = warm0 + (long) (options.warmupSeconds() * 1e9);
            for (long i = 0;
                    i < options.fmapWarmupCalls() || !(jitQuiet.getAsBoolean() || System.nanoTime() > warmEnd);
                    i++) {
                checkFmap(agent, paths[(int) (i % paths.length)], c.getFmap(paths[(int) (i % paths.length)]));
            }
            Compilers jit = new Compilers(pids(leader, List.of(agent)));
            jit.sinceLastLook();
            long[] cpu0 = cpu(leader, List.of(agent));
            long wall0 = System.nanoTime();
            for (long i = 0; i < calls; i++) {
                String path = paths[(int) (i % paths.length)];
                long t0 = System.nanoTime();
                byte[] fmap = c.getFmap(path);
                latency.recordValue(Math.min(System.nanoTime() - t0, Driver.MAX_LATENCY_NANOS));
                checkFmap(agent, path, fmap);
            }
            long wall1 = System.nanoTime();
            long[] cpu1 = cpu(leader, List.of(agent));
            WarmUp warmup =
                    new WarmUp((wall0 - warm0) / 1e9, jitQuiet.quiet(), (double) jit.sinceLastLook() / (wall1 - wall0));
            return new Run(
                    calls,
                    calls,
                    (wall1 - wall0) / 1e9,
                    "count",
                    calls,
                    latency.getValueAtPercentile(50),
                    latency.getValueAtPercentile(99),
                    latency.getMaxValue(),
                    -1,
                    Double.NaN,
                    List.of(),
                    Double.NaN,
                    cpuUse(cpu0, cpu1, wall1 - wall0, calls, calls),
                    warmup);
        } catch (IOException e) {
            throw new IllegalStateException(agent.hostId() + "'s GET_FMAP: " + e.getMessage(), e);
        }
    }

    private void checkFmap(AgentProcess agent, String path, byte[] fmap) {
        String wrong = FmapHeaderDescriptor.check(fmap, options.fileSize());
        if (wrong != null) {
            throw new IllegalStateException(agent.hostId() + " served " + path + " with " + wrong);
        }
    }

    private static String outputs(LeaderProcess leader, List<AgentProcess> agents) {
        StringBuilder b = new StringBuilder("\n--- leader output ---\n").append(tail(leader.output()));
        for (AgentProcess a : agents) {
            b.append("\n--- ").append(a.hostId()).append(" output ---\n").append(tail(a.output()));
        }
        return b.toString();
    }

    private static String tail(String text) {
        return text.length() <= 3000 ? text : "..." + text.substring(text.length() - 3000);
    }

    // ---- the report ----

    private static void printRun(Scenario s, Run run) {
        CpuUse c = run.cpu();
        StringBuilder agentsCpu = new StringBuilder();
        for (long a : c.agents()) {
            agentsCpu.append(agentsCpu.isEmpty() ? "" : "/").append(micros(c.perOp(a)));
        }
        if (s.kind() == Kind.GET_FMAP) {
            System.out.printf(
                    "%,.0f calls/s (%,d calls in %.2f s), p50 %s, p99 %s, max %s; CPU µs/call: agent %s, client %s;"
                            + " machine %s cores busy; %s%n",
                    run.rate(),
                    run.ops(),
                    run.seconds(),
                    us(run.p50()),
                    us(run.p99()),
                    us(run.max()),
                    agentsCpu,
                    micros(c.perOp(c.load())),
                    cores(c.cores(c.machine())),
                    run.warmup());
            return;
        }
        System.out.printf(
                "%,.0f creates/s (%s-bound, %.2f s; %,d acknowledged in all), ack to GET_FMAP p50 %s, p99 %s, max %s"
                        + " over %,d pairs; hand-off p99 %s, %.2f tries/pair, wake-up hints %s; CPU µs/create: leader"
                        + " %s, agents %s, load generator %s; machine %s cores busy; replay %,.0f entries/s; %s%n",
                run.rate(),
                run.bound(),
                run.seconds(),
                run.total(),
                us(run.p50()),
                us(run.p99()),
                us(run.max()),
                run.pairs(),
                us(run.handoffP99()),
                run.tries(),
                run.hints(),
                micros(c.perOp(c.leader())),
                agentsCpu,
                micros(c.perOp(c.load())),
                cores(c.cores(c.machine())),
                run.replayRate(),
                run.warmup());
    }

    private void printTable(Map<Scenario, List<Run>> results, Map<Scenario, String> failures, String[] args) {
        System.out.println();
        System.out.println("command: java -jar benchmarks/target/benchmarks.jar agent" + Report.quoted(args));
        System.out.println("machine: " + Report.machine());
        System.out.printf(
                "date %s; %d run(s) per scenario; %,d creates timed per run (at full load %,d measured, 1 in %d timed)"
                        + " after a warm-up of at most %.0f s or %,d creates; %,d GET_FMAP calls after %,d; files of"
                        + " %,d bytes; logs of %,d bytes; devices of %,d bytes in %s%n",
                LocalDate.now(),
                options.runs(),
                options.creates(),
                options.creates() * options.fullLoadSample(),
                options.fullLoadSample(),
                options.warmupSeconds(),
                options.warmupCreates(),
                options.fmapCalls(),
                options.fmapWarmupCalls(),
                options.fileSize(),
                options.logLen(),
                options.deviceSize(),
                options.base());
        System.out.printf(
                "JVM options: leader %s; agents %s; load generator %s%n",
                jvm(options.leaderJvmOptions()),
                jvm(options.agentJvmOptions()),
                jvm(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        if (!ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+AlwaysPreTouch")) {
            System.out.println("(the load generator's heap was not pre-touched: its CPU includes the kernel's first"
                    + " touch of its growing heap; see --help)");
        }
        System.out.println();
        System.out.println("| scenario | agents | idle | load | achieved rate | p50 | p99 | max | p99 target | CPU"
                + " µs/create (cores): leader | agents | load generator | machine | replay baseline entries/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (var e : results.entrySet()) {
            Scenario s = e.getKey();
            List<Run> runs = e.getValue();
            boolean fmap = s.kind() == Kind.GET_FMAP;
            double p99 = median(runs, r -> r.p99());
            StringBuilder agentsCpu = new StringBuilder();
            for (int k = 0; k < s.agents(); k++) {
                int agent = k;
                agentsCpu.append(k == 0 ? "" : ", ").append(cpuCell(runs, c -> c.agents()[agent]));
            }
            System.out.printf(
                    "| %s | %d | %s | %s | %s | %s | %s | %s | %s %s: **%s** | %s | %s | %s | %s | %s |%n",
                    s.id(),
                    s.agents(),
                    s.idle(),
                    s.load(options.fullLoadSample()),
                    figure(runs, Run::rate, v -> String.format("%,.0f", v)) + (fmap ? " calls/s" : "/s"),
                    figure(runs, r -> r.p50(), AgentLoad::us),
                    figure(runs, r -> r.p99(), AgentLoad::us),
                    figure(runs, r -> r.max(), AgentLoad::us),
                    "≤",
                    us(s.targetP99()),
                    p99 <= s.targetP99() ? "met" : "missed",
                    fmap ? "-" : cpuCell(runs, CpuUse::leader),
                    agentsCpu,
                    cpuCell(runs, CpuUse::load),
                    cpuCell(runs, CpuUse::machine),
                    fmap ? "-" : figure(runs, Run::replayRate, v -> String.format("%,.0f", v)));
        }
        for (var f : failures.entrySet()) {
            Scenario s = f.getKey();
            System.out.printf(
                    "| %s | %d | %s | %s | FAILED: %s | | | | | | | | | |%n",
                    s.id(),
                    s.agents(),
                    s.idle(),
                    s.load(options.fullLoadSample()),
                    f.getValue().lines().findFirst().orElse(""));
        }
        System.out.println();
        System.out.println("Propagation delay: from the leader's answer to a gRPC CreateFile reaching this JVM to the"
                + " first successful GET_FMAP of that file on an agent's bridge socket, both on this JVM's clock;"
                + " p50/p99/max over every timed (create, agent) pair of the measured phase, median of the runs"
                + " [min-max]. Each agent has one watcher thread that takes the acknowledged creates in order and polls"
                + " until the file is served, so a create acknowledged while the watcher still polls an earlier one"
                + " waits, and the wait counts (at full load only one create in " + options.fullLoadSample() + " is"
                + " timed, so that the watcher keeps up; every acknowledged file is checked on every agent after the"
                + " run). getfmap: each call's round trip, one client, files already in the view. CPU: the process's"
                + " CPU time in the measured phase (all threads, from /proc) per create (per call for getfmap), and in"
                + " parentheses the cores it kept busy on average; the load generator's includes its gRPC client and"
                + " the watchers' polling; machine: all CPUs (from /proc/stat; more than the sum of the others means"
                + " something else ran, and its cores against the machine's show how close to saturation the run"
                + " was). Replay baseline: Replayer.replayAll of the run's whole log in this JVM after the run (median"
                + " of repeated replays).");
        System.out.println();
        System.out.println("Per run: achieved rate (what ended the measured phase); p99; warm-up:");
        for (var e : results.entrySet()) {
            for (Run r : e.getValue()) {
                System.out.printf(
                        "  %-10s %,.0f/s (%s); p99 %s; %s%n",
                        e.getKey().id(), r.rate(), r.bound(), us(r.p99()), r.warmup());
            }
        }
        System.out.flush();
    }

    /** The runs' median of {@code f} and, over several runs, [min-max]. */
    private static String figure(
            List<Run> runs, ToDoubleFunction<Run> f, java.util.function.DoubleFunction<String> format) {
        double[] v = runs.stream().mapToDouble(f).toArray();
        double min = java.util.Arrays.stream(v).min().orElseThrow();
        double max = java.util.Arrays.stream(v).max().orElseThrow();
        String med = format.apply(medianOf(v));
        return v.length == 1 ? med : med + " [" + format.apply(min) + "-" + format.apply(max) + "]";
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> f) {
        return medianOf(runs.stream().mapToDouble(f).toArray());
    }

    /** One process's CPU: the runs' median µs per create and, in parentheses, cores busy. */
    private static String cpuCell(List<Run> runs, java.util.function.ToLongFunction<CpuUse> which) {
        double perOp = median(runs, r -> r.cpu().perOp(which.applyAsLong(r.cpu())));
        double cores = median(runs, r -> r.cpu().cores(which.applyAsLong(r.cpu())));
        return micros(perOp) + " (" + cores(cores) + ")";
    }

    private static String cores(double cores) {
        return Double.isNaN(cores) ? "-" : String.format("%.2f", cores);
    }

    /** A latency in ns as µs ("45.2 µs", "1,234 µs"), or "-". */
    private static String us(double nanos) {
        if (nanos < 0 || Double.isNaN(nanos)) {
            return "-";
        }
        double us = nanos / 1000;
        return us < 100 ? String.format("%.1f µs", us) : String.format("%,.0f µs", us);
    }

    private static String jvm(List<String> options) {
        return options.isEmpty() ? "(none)" : String.join(" ", options);
    }
}
