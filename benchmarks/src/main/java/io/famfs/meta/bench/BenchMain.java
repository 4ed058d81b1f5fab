package io.famfs.meta.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code java -jar benchmarks/target/benchmarks.jar replay}: runs the replay benchmarks and prints the median of the
 * 5 forks (each fork's mean over its measured iterations) as entries/s, steady and cold, beside the plain copy, with
 * the ratio. {@code ... leader [options]} runs the leader's load generator ({@code leader --help}), {@code ... agent
 * [options]} the agents' propagation benchmark ({@code agent --help}). Any other arguments go to JMH's own main.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("replay")) {
            replay();
        } else if (args.length == 1 && args[0].equals("agent-start")) {
            agentStart();
        } else if (args.length >= 1 && args[0].equals("leader")) {
            io.famfs.meta.bench.leader.LeaderLoad.main(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length >= 1 && args[0].equals("agent")) {
            io.famfs.meta.bench.agent.AgentLoad.main(Arrays.copyOfRange(args, 1, args.length));
        } else {
            org.openjdk.jmh.Main.main(args);
        }
    }

    private static void replay() throws RunnerException, java.io.IOException {
        ReplayLog.Expected expected = ReplayLog.ensure(ReplayBenchmark.DEVICE);
        Options opts = new OptionsBuilder()
                .include("io\\.famfs\\.meta\\.bench\\.(Cold)?ReplayBenchmark\\.")
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        double replayMs = Double.NaN;
        double coldMs = Double.NaN;
        double copyMs = Double.NaN;
        StringBuilder perFork = new StringBuilder();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            double median = medianOfForks(r);
            perFork.append(String.format("%s per-fork means (ms): %s%n", name, forkMeans(r)));
            if (name.endsWith(".replay")) {
                replayMs = median;
            } else if (name.endsWith(".copy")) {
                copyMs = median;
            } else if (name.endsWith(".firstReplay")) {
                coldMs = median;
            }
        }
        System.out.println();
        System.out.print(perFork);
        System.out.printf(
                "| replay of a full 1 GiB log (%,d entries) | %.1f ms | %,.0f entries/s |%n",
                expected.entries(), replayMs, expected.entries() / (replayMs / 1000.0));
        System.out.printf(
                "| first replay in a fresh JVM (cold) | %.1f ms | %,.0f entries/s |%n",
                coldMs, expected.entries() / (coldMs / 1000.0));
        System.out.printf(
                "| plain copy of the same 1 GiB of log bytes | %.1f ms | %.2f GB/s |%n",
                copyMs, ReplayLog.LOG_LEN / (copyMs / 1000.0) / 1e9);
        System.out.printf("| replay / copy time ratio | %.2f | |%n", replayMs / copyMs);
    }

    /** An agent's cold start (replay of the whole log) against its warm start (the view cache), each in fresh JVMs. */
    private static void agentStart() throws RunnerException, java.io.IOException {
        ReplayLog.Expected expected = ReplayLog.ensure(ReplayBenchmark.DEVICE);
        Options opts = new OptionsBuilder()
                .include("io\\.famfs\\.meta\\.bench\\.(ColdReplay|WarmStart)Benchmark\\.")
                .build();
        double coldMs = Double.NaN;
        double warmMs = Double.NaN;
        StringBuilder perFork = new StringBuilder();
        for (RunResult r : new Runner(opts).run()) {
            String name = r.getParams().getBenchmark();
            perFork.append(String.format("%s per-fork (ms): %s%n", name, forkMeans(r)));
            if (name.endsWith(".firstReplay")) {
                coldMs = medianOfForks(r);
            } else if (name.endsWith(".warmStart")) {
                warmMs = medianOfForks(r);
            }
        }
        long cacheBytes;
        try (var files = java.nio.file.Files.walk(WarmStartBenchmark.CACHE)) {
            cacheBytes = files.filter(java.nio.file.Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
        System.out.println();
        System.out.print(perFork);
        System.out.printf(
                "| agent start over a full 1 GiB log (%,d entries), fresh JVM | median of 5 |%n", expected.entries());
        System.out.printf("| cold: replay the whole log from shared memory | %.1f ms |%n", coldMs);
        System.out.printf("| warm: load the view cache (RocksDB) and check its identity | %.1f ms |%n", warmMs);
        System.out.printf("| cold / warm | %.2f |%n", coldMs / warmMs);
        System.out.printf("| view cache on disk | %,d bytes |%n", cacheBytes);
    }

    /** Each fork's mean over its measured iterations. */
    private static List<Double> forkMeans(RunResult r) {
        List<Double> means = new ArrayList<>();
        for (BenchmarkResult fork : r.getBenchmarkResults()) {
            double sum = 0;
            int n = 0;
            for (IterationResult it : fork.getIterationResults()) {
                sum += it.getPrimaryResult().getScore();
                n++;
            }
            means.add(sum / n);
        }
        return means;
    }

    private static double medianOfForks(RunResult r) {
        double[] m = forkMeans(r).stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(m);
        return m.length % 2 == 1 ? m[m.length / 2] : (m[m.length / 2 - 1] + m[m.length / 2]) / 2;
    }
}
