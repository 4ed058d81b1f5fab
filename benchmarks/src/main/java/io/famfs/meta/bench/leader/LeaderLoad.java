package io.famfs.meta.bench.leader;

import static io.famfs.meta.bench.harness.Report.latency;
import static io.famfs.meta.bench.harness.Report.micros;
import static io.famfs.meta.bench.harness.Report.ratio;

import io.famfs.meta.bench.harness.Cpu;
import io.famfs.meta.bench.harness.Driver;
import io.famfs.meta.bench.harness.EventLoops;
import io.famfs.meta.bench.harness.FreshDevice;
import io.famfs.meta.bench.harness.LeaderProcess;
import io.famfs.meta.bench.harness.Phases;
import io.famfs.meta.bench.harness.Report;
import io.famfs.meta.bench.harness.Targets;
import io.famfs.meta.device.Device;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.leader.alloc.InterleaveParams;
import io.famfs.meta.leader.api.Requests;
import io.famfs.meta.leader.client.GrpcLeaderClient;
import io.famfs.meta.leader.core.Leader;
import io.famfs.meta.leader.core.LeaderSettings;
import io.famfs.meta.log.AppendHook;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogAppender;
import io.famfs.meta.proto.v1.LeaderGrpcClient;
import io.famfs.meta.proto.v1.UsageRequest;
import io.famfs.meta.proto.v1.UsageResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * {@code java -jar benchmarks/target/benchmarks.jar leader [options]}: the leader's load generator (see
 * {@link LoadOptions#USAGE}). Each run of a network scenario makes a fresh sparse device, starts a real leader process
 * on it, makes the directories the files go to, then keeps a fixed number of requests in flight from this JVM's event
 * loop(s): a warm-up, then a measured phase (files/s, and each request's latency from send to answer). After the run
 * it checks that the leader holds exactly the files it acknowledged, stops the leader and deletes the device. The
 * in-process scenarios run the leader core in this JVM the same way, without network: the ceiling the network
 * figures are compared with.
 */
public final class LeaderLoad {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    enum Kind {
        INPROC_BATCH("inproc-batch", "in-process core, CreateFiles batches", true, false),
        INPROC_SINGLE("inproc-single", "in-process core, single creates", false, false),
        LOG_APPEND("log-append", "LogAppender alone, batches, 1 thread", true, false),
        GRPC_BATCH("grpc-batch", "gRPC CreateFiles batches", true, true),
        GRPC_SINGLE("grpc-single", "gRPC CreateFile", false, true),
        REST_SINGLE("rest-single", "REST POST /v1/files", false, true);

        final String id;
        final String title;
        final boolean batched;
        final boolean network;

        Kind(String id, String title, boolean batched, boolean network) {
            this.id = id;
            this.title = title;
            this.batched = batched;
            this.network = network;
        }
    }

    record Scenario(Kind kind, int inFlight) {
        String id() {
            return kind.id + ":" + inFlight;
        }
    }

    static final List<Scenario> ALL = List.of(
            new Scenario(Kind.INPROC_BATCH, 16),
            new Scenario(Kind.INPROC_SINGLE, 64),
            new Scenario(Kind.LOG_APPEND, 1),
            new Scenario(Kind.GRPC_BATCH, 4),
            new Scenario(Kind.GRPC_BATCH, 16),
            new Scenario(Kind.GRPC_SINGLE, 1),
            new Scenario(Kind.GRPC_SINGLE, 16),
            new Scenario(Kind.GRPC_SINGLE, 64),
            new Scenario(Kind.REST_SINGLE, 1),
            new Scenario(Kind.REST_SINGLE, 16),
            new Scenario(Kind.REST_SINGLE, 64));

    /**
     * One run's figures. {@code bound}: what ended the measured phase (time, count, or log: the log's room). CPU: what
     * the leader process and this JVM (the clients) used from about the start to the end of the measured phase, in ns
     * (-1 when not measured; for the in-process scenarios the leader is this JVM and the client column is -1), while
     * {@code cpuFiles} files were answered.
     */
    record Run(
            long files,
            double seconds,
            long p50,
            long p99,
            String bound,
            long leaderCpu,
            long clientCpu,
            long cpuFiles) {
        double rate() {
            return files / seconds;
        }

        /** CPU microseconds per file, or NaN. */
        double perFile(long cpu) {
            return cpu < 0 || cpuFiles <= 0 ? Double.NaN : cpu / 1000.0 / cpuFiles;
        }
    }

    private final LoadOptions options;
    private final Vertx vertx;
    private final List<Context> loops;

    private LeaderLoad(LoadOptions options, Vertx vertx, List<Context> loops) {
        this.options = options;
        this.vertx = vertx;
        this.loops = loops;
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        List<Scenario> scenarios;
        try {
            options = LoadOptions.parse(args);
            if (options == null) {
                System.out.print(LoadOptions.USAGE);
                return;
            }
            scenarios = select(options.only());
        } catch (IllegalArgumentException e) {
            System.err.println("leader load: " + e.getMessage());
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.clientLoops()));
        int status = 0;
        try {
            status = new LeaderLoad(options, vertx, EventLoops.contexts(vertx, options.clientLoops()))
                    .run(scenarios, args);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
        System.exit(status);
    }

    private static List<Scenario> select(List<String> only) {
        if (only.isEmpty()) {
            return ALL;
        }
        List<Scenario> picked = new ArrayList<>();
        for (String want : only) {
            boolean found = false;
            for (Scenario s : ALL) {
                if ((s.id().equals(want) || s.kind.id.equals(want)) && !picked.contains(s)) {
                    picked.add(s);
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalArgumentException("no scenario " + want + "; see --help");
            }
        }
        picked.sort(java.util.Comparator.comparingInt(ALL::indexOf));
        return picked;
    }

    private int run(List<Scenario> scenarios, String[] args) {
        if (!Files.isDirectory(options.base())) {
            System.err.println("leader load: no such folder: " + options.base());
            return 2;
        }
        Map<Scenario, List<Run>> results = new LinkedHashMap<>();
        Map<Scenario, String> failures = new LinkedHashMap<>();
        for (Scenario s : scenarios) {
            List<Run> runs = new ArrayList<>();
            for (int r = 1; r <= options.runs(); r++) {
                System.out.printf("%-17s run %d/%d: ", s.id(), r, options.runs());
                System.out.flush();
                try {
                    Run run = runOnce(s);
                    runs.add(run);
                    System.out.printf(
                            "%,.0f files/s (%,d files in %.2f s, %s-bound), p50 %s, p99 %s, CPU/file: leader %s,"
                                    + " client %s%n",
                            run.rate(),
                            run.files(),
                            run.seconds(),
                            run.bound(),
                            latency(run.p50()),
                            latency(run.p99()),
                            micros(run.perFile(run.leaderCpu())),
                            micros(run.perFile(run.clientCpu())));
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

    private Run runOnce(Scenario s) {
        return switch (s.kind) {
            case INPROC_BATCH, INPROC_SINGLE -> inProcess(s);
            case LOG_APPEND -> logAppend();
            case GRPC_BATCH, GRPC_SINGLE, REST_SINGLE -> network(s);
        };
    }

    // ---- network: a real leader process ----

    private Run network(Scenario s) {
        try (FreshDevice dev = FreshDevice.create(options.base(), options.deviceSize(), options.logLen());
                LeaderProcess leader = LeaderProcess.start(dev, options.leaderJvmOptions())) {
            System.out.printf("[leader pid %d, up in %.1f s] ", leader.pid(), leader.startSeconds());
            System.out.flush();
            GrpcLeaderClient admin = GrpcLeaderClient.create(vertx, "127.0.0.1", leader.grpcPort(), leader.token());
            GrpcLeaderClient grpc = null;
            HttpClientAgent http = null;
            try {
                Targets.mkdirs(r -> admin.mkdir(r).mapEmpty());
                int fpr = s.kind.batched ? options.batchSize() : 1;
                Function<Context, Driver.Target> target;
                if (s.kind == Kind.REST_SINGLE) {
                    HttpClientAgent h = vertx.createHttpClient(
                            new HttpClientOptions().setKeepAlive(true).setPipelining(false),
                            new PoolOptions().setHttp1MaxSize(s.inFlight()));
                    http = h;
                    target = c -> Targets.restSingle(h, leader.restPort(), leader.token(), options.fileSize());
                } else {
                    GrpcLeaderClient g = GrpcLeaderClient.create(vertx, "127.0.0.1", leader.grpcPort(), leader.token());
                    grpc = g;
                    target = s.kind.batched
                            ? c -> Targets.grpcBatch(g, fpr, options.fileSize())
                            : c -> Targets.grpcSingle(g, options.fileSize());
                }
                long pid = leader.pid();
                Measured m = drive(
                        s, target, fpr, dev.capacity() - Targets.DIRS - 1, () -> Cpu.ofProcess(pid), Cpu::ofThisJvm);
                UsageResponse usage = admin.call(LeaderGrpcClient.Usage, UsageRequest.getDefaultInstance())
                        .await(30, TimeUnit.SECONDS);
                check(usage.getFiles(), usage.getDirectories(), m.acked);
                return m.run();
            } catch (RuntimeException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(
                        e.getMessage() + "\n--- leader output ---\n" + tail(leader.output()), e);
            } finally {
                admin.close();
                if (grpc != null) {
                    grpc.close();
                }
                if (http != null) {
                    http.close().await();
                }
            }
        }
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
    }

    /** The leader must hold exactly the files the run was told were created, and the directories made for it. */
    private static void check(long files, long dirs, long acked) {
        if (files != acked || dirs != Targets.DIRS + 1) {
            throw new IllegalStateException("the leader holds " + files + " files and " + dirs
                    + " directories; the run was told of " + acked + " files and made " + (Targets.DIRS + 1)
                    + " directories");
        }
    }

    // ---- in process: the leader core in this JVM ----

    private Run inProcess(Scenario s) {
        try (FreshDevice dev = FreshDevice.create(options.base(), options.deviceSize(), options.logLen())) {
            LeaderSettings settings = new LeaderSettings(
                    dev.device(),
                    Device.Options.readWrite(),
                    dev.dir().resolve("state"),
                    dev.systemUuidFile(),
                    false,
                    false,
                    InterleaveParams.CONTIGUOUS,
                    42,
                    AppendHook.NONE);
            try (Leader leader = Leader.start(settings, new PrintWriter(Writer.nullWriter()))) {
                Requests.Context requests = new Requests.Context(leader.devSize(), null);
                Targets.mkdirs(r -> {
                    Promise<Void> p = Promise.promise();
                    leader.submit(Requests.mkdir(r)).whenComplete((m, e) -> {
                        if (e != null) {
                            p.fail(e);
                        } else {
                            p.complete();
                        }
                    });
                    return p.future();
                });
                int fpr = s.kind.batched ? options.batchSize() : 1;
                Measured m = drive(
                        s,
                        c -> Targets.inProcess(leader, requests, c, s.kind.batched, fpr, options.fileSize()),
                        fpr,
                        dev.capacity() - Targets.DIRS - 1,
                        Cpu::ofThisJvm,
                        () -> -1L);
                UsageResponse usage = leader.usage();
                check(usage.getFiles(), usage.getDirectories(), m.acked);
                return m.run();
            }
        }
    }

    // ---- the closed loop ----

    /** What {@link #drive} measured, and every file acknowledged in the run (all phases). */
    private record Measured(
            Phases phases,
            Histogram histogram,
            long acked,
            String bound,
            long leaderCpu,
            long clientCpu,
            long cpuFiles) {
        Run run() {
            return new Run(
                    phases.measuredFiles(),
                    phases.measuredSeconds(),
                    histogram.getValueAtPercentile(50),
                    histogram.getValueAtPercentile(99),
                    bound,
                    leaderCpu,
                    clientCpu,
                    cpuFiles);
        }
    }

    /**
     * Keeps {@code s.inFlight()} requests in flight over the client event loops (split as evenly as possible): a
     * warm-up until its time or file count, then the measured phase until its time, its file count, or the log's room
     * (entries left, less what the requests in flight and those answered after the stop may still append). The two
     * CPU clocks (ns, or -1) are read at the start and the end of the measured phase.
     */
    private Measured drive(
            Scenario s,
            Function<Context, Driver.Target> target,
            int fpr,
            long room,
            LongSupplier leaderCpu,
            LongSupplier clientCpu) {
        long slack = 3L * s.inFlight() * fpr;
        Phases phases = new Phases(
                Math.min(options.warmupFiles(), Math.max(0, room / 4)),
                s.kind.batched ? options.batchFiles() : Long.MAX_VALUE,
                room,
                slack);
        AtomicLong sequence = new AtomicLong();
        int nloops = Math.min(loops.size(), s.inFlight());
        List<Driver> drivers = new ArrayList<>();
        List<Future<Void>> drained = new ArrayList<>();
        for (int j = 0; j < nloops; j++) {
            int slots = s.inFlight() / nloops + (j < s.inFlight() % nloops ? 1 : 0);
            Context c = loops.get(j);
            drivers.add(new Driver(c, target.apply(c), phases, sequence, slots));
        }
        for (Driver d : drivers) {
            drained.add(d.start());
        }
        phases.awaitWarmup(options.warmupSeconds());
        long leaderCpu0 = leaderCpu.getAsLong();
        long clientCpu0 = clientCpu.getAsLong();
        long answered0 = phases.answeredFiles();
        phases.awaitMeasure(s.kind.batched ? options.batchSeconds() : options.measureSeconds());
        long leaderCpu1 = leaderCpu.getAsLong();
        long clientCpu1 = clientCpu.getAsLong();
        long answered1 = phases.answeredFiles();
        try {
            Future.all(drained).await(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("requests still in flight 60 s after the run stopped", e);
        }
        if (phases.failure() != null) {
            Throwable f = phases.failure();
            throw new IllegalStateException(f.getClass().getSimpleName() + ": " + f.getMessage(), f);
        }
        Histogram all = new Histogram(Driver.MAX_LATENCY_NANOS, 3);
        long acked = 0;
        for (Driver d : drivers) {
            all.add(d.histogram());
            acked += d.ackedFiles();
        }
        return new Measured(
                phases,
                all,
                acked,
                phases.bound(),
                leaderCpu0 < 0 ? -1 : leaderCpu1 - leaderCpu0,
                clientCpu0 < 0 ? -1 : clientCpu1 - clientCpu0,
                answered1 - answered0);
    }

    private static long nanos(double seconds) {
        return (long) (seconds * NANOS_PER_SECOND);
    }

    // ---- LogAppender alone ----

    /**
     * The log append alone: batches of prepared-on-the-fly file entries (one 2 MiB extent each, in order) appended
     * and published by one thread, without validation of requests, allocation, namespace or any hand-over.
     */
    private Run logAppend() {
        try (FreshDevice dev = FreshDevice.create(options.base(), options.deviceSize(), options.logLen());
                Device device = Device.open(dev.device(), Device.Options.readWrite())) {
            FamfsVolume volume = FamfsVolume.open(device);
            LogAppender appender = new LogAppender(volume);
            int batch = options.batchSize();
            long capacity = volume.capacity();
            long offset = (Famfs.LOG_OFFSET + volume.logLen() + Famfs.ALLOC_UNIT - 1) & -Famfs.ALLOC_UNIT;
            long[] next = {0, offset};
            long warmupFiles = Math.min(options.warmupFiles(), capacity / 4);
            long warmEnd = System.nanoTime() + nanos(options.warmupSeconds());
            while (next[0] < warmupFiles && System.nanoTime() < warmEnd) {
                appendBatch(appender, batch, next);
            }
            long room = capacity - next[0] - batch;
            long count = Math.min(options.batchFiles(), room);
            String bound = options.batchFiles() <= room ? "count" : "log";
            Histogram h = new Histogram(Driver.MAX_LATENCY_NANOS, 3);
            long cpu0 = Cpu.ofThisJvm();
            long start = System.nanoTime();
            long end = start + nanos(options.batchSeconds());
            long files = 0;
            long t = start;
            while (files < count) {
                appendBatch(appender, batch, next);
                long now = System.nanoTime();
                h.recordValue(Math.min(now - t, Driver.MAX_LATENCY_NANOS));
                t = now;
                files += batch;
                if (now >= end) {
                    bound = "time";
                    break;
                }
            }
            double seconds = (t - start) / 1e9;
            long cpu = Cpu.ofThisJvm() - cpu0;
            if (volume.readNextIndex() != next[0]) {
                throw new IllegalStateException(
                        "next_index " + volume.readNextIndex() + " after appending " + next[0] + " entries");
            }
            return new Run(
                    files, seconds, h.getValueAtPercentile(50), h.getValueAtPercentile(99), bound, cpu, -1, files);
        }
    }

    /** Appends one batch; {@code next} holds the next file number and the next free offset. */
    private static void appendBatch(LogAppender appender, int batch, long[] next) {
        LogAppender.Batch b = appender.begin();
        for (int k = 0; k < batch; k++) {
            b.add(FileEntry.create(
                    Targets.path(next[0]), 4096, 0644, 0, 0, SimpleFmap.of(Extent.of(next[1], Famfs.ALLOC_UNIT))));
            next[0]++;
            next[1] += Famfs.ALLOC_UNIT;
        }
        b.publish();
    }

    // ---- the report ----

    private void printTable(Map<Scenario, List<Run>> results, Map<Scenario, String> failures, String[] args) {
        System.out.println();
        System.out.println("command: java -jar benchmarks/target/benchmarks.jar leader" + Report.quoted(args));
        System.out.println("machine: " + Report.machine());
        System.out.printf(
                "date %s; %d run(s) per scenario; files of %,d bytes; logs of %,d bytes; devices of %,d bytes in %s;"
                        + " leader JVM options: %s; client event loops: %d%n",
                LocalDate.now(),
                options.runs(),
                options.fileSize(),
                options.logLen(),
                options.deviceSize(),
                options.base(),
                options.leaderJvmOptions().isEmpty() ? "(none)" : String.join(" ", options.leaderJvmOptions()),
                options.clientLoops());
        System.out.println();
        System.out.println("| scenario | in flight | files/s median [min-max] | p50 | p99 | vs in-process"
                + " | CPU µs/file: leader | client |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        Double batchCeiling = median(results.get(new Scenario(Kind.INPROC_BATCH, 16)));
        Double singleCeiling = median(results.get(new Scenario(Kind.INPROC_SINGLE, 64)));
        for (var e : results.entrySet()) {
            Scenario s = e.getKey();
            List<Run> runs = e.getValue();
            double med = median(runs);
            double min = runs.stream().mapToDouble(Run::rate).min().orElseThrow();
            double max = runs.stream().mapToDouble(Run::rate).max().orElseThrow();
            Double ceiling = s.kind.network ? (s.kind.batched ? batchCeiling : singleCeiling) : null;
            String unit = s.kind.batched ? " (batches of " + options.batchSize() + ")" : "";
            System.out.printf(
                    "| %s%s | %d | %,.0f [%,.0f-%,.0f] | %s | %s | %s | %s | %s |%n",
                    s.kind.title,
                    unit,
                    s.inFlight(),
                    med,
                    min,
                    max,
                    latency(medianOf(runs, Run::p50)),
                    latency(medianOf(runs, Run::p99)),
                    ceiling == null ? "-" : ratio(med / ceiling),
                    micros(Report.medianOf(runs.stream()
                            .mapToDouble(r -> r.perFile(r.leaderCpu()))
                            .toArray())),
                    micros(Report.medianOf(runs.stream()
                            .mapToDouble(r -> r.perFile(r.clientCpu()))
                            .toArray())));
        }
        for (var f : failures.entrySet()) {
            System.out.printf(
                    "| %s | %d | FAILED: %s | | | | | |%n",
                    f.getKey().kind.title,
                    f.getKey().inFlight(),
                    f.getValue().lines().findFirst().orElse(""));
        }
        System.out.println();
        System.out.println(
                "p50/p99: latency of one request (a whole batch for batched scenarios), send to answer,"
                        + " median over the runs. vs in-process: the median over the in-process core's median with the same"
                        + " shape (batches: inproc-batch:16; singles: inproc-single:64). CPU µs/file: CPU time used in the"
                        + " measured phase per file created, by the leader process (all its threads; for in-process rows,"
                        + " this whole JVM) and by this JVM's clients; it depends much less than the rates on what else runs on the machine.");
        System.out.println();
        System.out.println("Per-run files/s:");
        for (var e : results.entrySet()) {
            System.out.printf(
                    "  %-17s %s%n",
                    e.getKey().id(),
                    String.join(
                            ", ",
                            e.getValue().stream()
                                    .map(r -> String.format("%,.0f (%s)", r.rate(), r.bound()))
                                    .toList()));
        }
        System.out.flush();
    }

    private static Double median(List<Run> runs) {
        if (runs == null || runs.isEmpty()) {
            return null;
        }
        return Report.medianOf(runs.stream().mapToDouble(Run::rate).toArray());
    }

    private static long medianOf(List<Run> runs, java.util.function.ToLongFunction<Run> f) {
        return Math.round(
                Report.medianOf(runs.stream().mapToDouble(r -> f.applyAsLong(r)).toArray()));
    }
}
