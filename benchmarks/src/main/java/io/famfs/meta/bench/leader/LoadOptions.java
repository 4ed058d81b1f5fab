package io.famfs.meta.bench.leader;

import static io.famfs.meta.bench.harness.Args.positiveInt;
import static io.famfs.meta.bench.harness.Args.positiveLong;
import static io.famfs.meta.bench.harness.Args.seconds;
import static io.famfs.meta.bench.harness.Args.size;

import io.famfs.meta.bench.harness.Args;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The load generator's options; {@link #USAGE} describes them. */
record LoadOptions(
        int runs,
        double warmupSeconds,
        long warmupFiles,
        double measureSeconds,
        long batchFiles,
        double batchSeconds,
        int batchSize,
        long fileSize,
        long logLen,
        long deviceSize,
        Path base,
        List<String> leaderJvmOptions,
        int clientLoops,
        List<String> only) {

    static final String USAGE = """
            java -jar benchmarks/target/benchmarks.jar leader [options]

            Drives a real leader process (famfs-meta leader, started from this jar in its own JVM, on a fresh sparse
            device for each run) with a fixed number of requests in flight, and measures the leader core in this JVM
            without network beside it. Prints a markdown table: each figure the median of the runs, [min-max].

            Scenarios (ids for --only; ID or ID:IN_FLIGHT):
              inproc-batch:16   the leader core in process, CreateFiles batches, 16 in flight (the ceiling of batches)
              inproc-single:64  the leader core in process, single creates, 64 in flight (the ceiling of singles)
              log-append:1      LogAppender alone, batches, one thread: no validation, allocation or namespace
              grpc-batch:4, grpc-batch:16                  CreateFiles over gRPC
              grpc-single:1, grpc-single:16, grpc-single:64  CreateFile over gRPC
              rest-single:1, rest-single:16, rest-single:64  POST /v1/files (JSON, HTTP/1.1 keep-alive)

            Options:
              --only LIST              comma-separated scenario ids (default: all)
              --runs N                 runs per scenario, each on a fresh device and leader (default 5)
              --warmup-seconds S       warm-up of each run, at most (default 10: a fresh leader JVM compiles
                                       for about that long on 2 busy cores)
              --warmup-files N         warm-up of each run, at most, in files (default 1000000; at most a
                                       quarter of the log)
              --measure-seconds S      measured phase of single-create runs (default 10)
              --batch-files N          files measured per batched run (default 1000000)
              --batch-seconds S        measured phase of batched runs, at most (default 30)
              --batch-size N           files per batch (default 100)
              --file-size BYTES        size of each file (default 4096; each takes one 2 MiB unit)
              --log-len SIZE           log of each fresh device (default 2g: 3,947,580 entries)
              --device-size SIZE       sparse device size (default 16t: 8 million 2 MiB units)
              --dir DIR                where the devices go (default /dev/shm)
              --leader-jvm-opts "..."  JVM options of the leader process (default "-Xms2g -Xmx2g
                                       -XX:+AlwaysPreTouch"; "" for none, as the famfs-meta launcher)
              --client-loops N         client event loops in this JVM (default 1)
              --quick                  a smoke run (< 1 min): 1 run, 0.5 s warm-up, 1 s measured, 30000 batched
                                       files, 64 MiB logs, no leader JVM options; options after it override it
              --help
            A measured phase also ends before the log could fill (the table says so).
            """;

    /**
     * The leader process's default JVM options: a fixed heap, touched at start. A long-running leader has a warm heap;
     * a fresh JVM whose heap grows while it is measured spends about half of its log writer's time clearing new pages
     * in the kernel (perf: clear_page_erms under do_anonymous_page), which is not the leader's cost.
     */
    static final List<String> LEADER_JVM_DEFAULT = List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch");

    static LoadOptions defaults() {
        return new LoadOptions(
                5,
                10,
                1_000_000,
                10,
                1_000_000,
                30,
                100,
                4096,
                2L << 30,
                16L << 40,
                Path.of("/dev/shm"),
                LEADER_JVM_DEFAULT,
                1,
                List.of());
    }

    static LoadOptions quick(LoadOptions o) {
        return new LoadOptions(
                1,
                0.5,
                20_000,
                1,
                30_000,
                10,
                o.batchSize,
                o.fileSize,
                64L << 20,
                o.deviceSize,
                o.base,
                o.leaderJvmOptions.equals(LEADER_JVM_DEFAULT) ? List.of() : o.leaderJvmOptions,
                o.clientLoops,
                o.only);
    }

    /** Parses {@code args}; null when help was asked for. */
    static LoadOptions parse(String[] args) {
        LoadOptions o = defaults();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            if (a.equals("--quick")) {
                o = quick(o);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value (or is unknown); see --help");
            }
            String v = args[++i];
            o = switch (a) {
                case "--only" -> o.with(b -> b.only = Args.list(v));
                case "--runs" -> o.with(b -> b.runs = positiveInt(a, v));
                case "--warmup-seconds" -> o.with(b -> b.warmupSeconds = seconds(a, v));
                case "--warmup-files" -> o.with(b -> b.warmupFiles = positiveLong(a, v));
                case "--measure-seconds" -> o.with(b -> b.measureSeconds = seconds(a, v));
                case "--batch-files" -> o.with(b -> b.batchFiles = positiveLong(a, v));
                case "--batch-seconds" -> o.with(b -> b.batchSeconds = seconds(a, v));
                case "--batch-size" -> o.with(b -> b.batchSize = positiveInt(a, v));
                case "--file-size" -> o.with(b -> b.fileSize = size(a, v));
                case "--log-len" -> o.with(b -> b.logLen = size(a, v));
                case "--device-size" -> o.with(b -> b.deviceSize = size(a, v));
                case "--dir" -> o.with(b -> b.base = Path.of(v));
                case "--leader-jvm-opts" -> o.with(b -> b.leaderJvmOptions = Args.jvmOptions(v));
                case "--client-loops" -> o.with(b -> b.clientLoops = positiveInt(a, v));
                default -> throw new IllegalArgumentException("unknown option " + a + "; see --help");
            };
        }
        return o;
    }

    private LoadOptions with(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** Mutable copy for {@link #with}. */
    private static final class Builder {
        int runs;
        double warmupSeconds;
        long warmupFiles;
        double measureSeconds;
        long batchFiles;
        double batchSeconds;
        int batchSize;
        long fileSize;
        long logLen;
        long deviceSize;
        Path base;
        List<String> leaderJvmOptions;
        int clientLoops;
        List<String> only;

        Builder(LoadOptions o) {
            runs = o.runs;
            warmupSeconds = o.warmupSeconds;
            warmupFiles = o.warmupFiles;
            measureSeconds = o.measureSeconds;
            batchFiles = o.batchFiles;
            batchSeconds = o.batchSeconds;
            batchSize = o.batchSize;
            fileSize = o.fileSize;
            logLen = o.logLen;
            deviceSize = o.deviceSize;
            base = o.base;
            leaderJvmOptions = new ArrayList<>(o.leaderJvmOptions);
            clientLoops = o.clientLoops;
            only = o.only;
        }

        LoadOptions build() {
            return new LoadOptions(
                    runs,
                    warmupSeconds,
                    warmupFiles,
                    measureSeconds,
                    batchFiles,
                    batchSeconds,
                    batchSize,
                    fileSize,
                    logLen,
                    deviceSize,
                    base,
                    List.copyOf(leaderJvmOptions),
                    clientLoops,
                    only);
        }
    }
}
