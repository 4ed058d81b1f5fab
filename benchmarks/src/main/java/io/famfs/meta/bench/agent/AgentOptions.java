package io.famfs.meta.bench.agent;

import static io.famfs.meta.bench.harness.Args.positiveInt;
import static io.famfs.meta.bench.harness.Args.positiveLong;
import static io.famfs.meta.bench.harness.Args.seconds;
import static io.famfs.meta.bench.harness.Args.size;

import io.famfs.meta.bench.harness.Args;
import java.nio.file.Path;
import java.util.List;

/** The propagation benchmark's options; {@link #USAGE} describes them. */
record AgentOptions(
        int runs,
        double warmupSeconds,
        long warmupCreates,
        long creates,
        double measureSeconds,
        int fullLoadSample,
        long fmapFiles,
        long fmapWarmupCalls,
        long fmapCalls,
        long fileSize,
        long logLen,
        long deviceSize,
        Path base,
        List<String> leaderJvmOptions,
        List<String> agentJvmOptions,
        List<String> only) {

    static final String USAGE = """
            java -jar benchmarks/target/benchmarks.jar agent [options]

            Measures how long a file the leader acknowledged takes to be served by every agent, on one clock: this
            JVM's, from the answer to a gRPC CreateFile to the first successful GET_FMAP of that file on each agent's
            bridge socket. Each run makes a fresh sparse device, starts a real leader process and real agent
            processes on it (famfs-meta leader / agent, from this jar, each in its own JVM; the agents with --leader,
            so the leader's wake-up hints reach them), warms up, then measures. Prints a markdown table: each figure
            the median of the runs, [min-max], beside its target.

            Run this JVM with a fixed, pre-touched heap, as the leader and agents are run (otherwise its CPU includes
            the kernel's first touch of its growing heap; the report says so):
              java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -jar benchmarks/target/benchmarks.jar agent

            Scenarios (ids for --only):
              spin-2000   1 agent, --idle spin, 2,000 creates/s paced (one every 500 us on a fixed schedule)
              park-2000   3 agents, --idle park, 2,000 creates/s paced
              spin-full   1 agent, --idle spin, 64 creates in flight (closed loop), 1 in 10 timed
              park-full   3 agents, --idle park, 64 creates in flight, 1 in 10 timed
              getfmap     GET_FMAP over the socket alone: one client, files already in the view (1 agent, park)
            Every propagation run also replays the log it wrote in this JVM (Replayer.replayAll, after its
            processes stopped): the baseline in entries/s.

            Options:
              --only LIST              comma-separated scenario ids (default: all)
              --runs N                 runs per scenario, each on a fresh device and processes (default 5)
              --warmup-seconds S       warm-up of each run, at most (default 60). It ends earlier, after 5 s at
                                       least, once the JIT compilers of all the run's JVMs used under 5% of a
                                       core in each of 2 seconds: on 2 cores they compile for 20-30 s under load
              --warmup-creates N       warm-up of each propagation run, at most, in creates (default 250000)
              --creates N              creates timed per propagation run (default 20000; at full load N times
                                       the sample below are measured, one in the sample timed)
              --measure-seconds S      measured phase of a propagation run, at most (default 60)
              --full-load-sample N     at full load, time one create in N (default 10): a watcher makes one
                                       GET_FMAP round trip per create it is given, and on 2 cores it cannot keep
                                       up with every create of a full-load run (its queue, not propagation, would
                                       be measured); the others are checked on every agent after the run
              --fmap-files N           files the getfmap scenario asks for, round robin (default 1000)
              --fmap-warmup N          unmeasured GET_FMAP calls first, at least (default 20000; then on until
                                       the compilers are quiet, as above)
              --fmap-calls N           measured GET_FMAP calls (default 100000)
              --file-size BYTES        size of each file (default 4096; each takes one 2 MiB unit)
              --log-len SIZE           log of each fresh device (default 512m: 986,895 entries)
              --device-size SIZE       sparse device size (default 16t)
              --dir DIR                where the devices go (default /dev/shm)
              --leader-jvm-opts "..."  JVM options of the leader (default "-Xms2g -Xmx2g -XX:+AlwaysPreTouch")
              --agent-jvm-opts "..."   JVM options of each agent (default "-Xms512m -Xmx512m -XX:+AlwaysPreTouch";
                                       "" for none, as the famfs-meta launcher)
              --quick                  a smoke run (< 1 min): 1 run, 1 s warm-up, 2000 creates, 10000 GET_FMAP
                                       calls, 64 MiB logs, no leader or agent JVM options; options after it
                                       override it
              --help
            A propagation run fails (and says why) unless every acknowledged file was seen on every agent with the
            size it was created with, and the leader and the log hold exactly the acknowledged files.
            """;

    /**
     * The default heaps: fixed and touched at start, as a long-running process has them (a heap that grows while
     * measured costs kernel page clearing that a warm process does not pay; see the leader benchmark).
     */
    static final List<String> LEADER_JVM_DEFAULT = List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch");

    static final List<String> AGENT_JVM_DEFAULT = List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch");

    static AgentOptions defaults() {
        return new Builder().build();
    }

    /** Parses {@code args}; null when help was asked for. */
    static AgentOptions parse(String[] args) {
        Builder b = new Builder();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            if (a.equals("--quick")) {
                b.quick();
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value (or is unknown); see --help");
            }
            String v = args[++i];
            switch (a) {
                case "--only" -> b.only = Args.list(v);
                case "--runs" -> b.runs = positiveInt(a, v);
                case "--warmup-seconds" -> b.warmupSeconds = seconds(a, v);
                case "--warmup-creates" -> b.warmupCreates = positiveLong(a, v);
                case "--creates" -> b.creates = positiveLong(a, v);
                case "--measure-seconds" -> b.measureSeconds = seconds(a, v);
                case "--full-load-sample" -> b.fullLoadSample = positiveInt(a, v);
                case "--fmap-files" -> b.fmapFiles = positiveLong(a, v);
                case "--fmap-warmup" -> b.fmapWarmupCalls = positiveLong(a, v);
                case "--fmap-calls" -> b.fmapCalls = positiveLong(a, v);
                case "--file-size" -> b.fileSize = size(a, v);
                case "--log-len" -> b.logLen = size(a, v);
                case "--device-size" -> b.deviceSize = size(a, v);
                case "--dir" -> b.base = Path.of(v);
                case "--leader-jvm-opts" -> b.leaderJvmOptions = Args.jvmOptions(v);
                case "--agent-jvm-opts" -> b.agentJvmOptions = Args.jvmOptions(v);
                default -> throw new IllegalArgumentException("unknown option " + a + "; see --help");
            }
        }
        return b.build();
    }

    /** The options being parsed: the defaults, then each option in turn. */
    private static final class Builder {
        int runs = 5;
        double warmupSeconds = 60;
        long warmupCreates = 250_000;
        long creates = 20_000;
        double measureSeconds = 60;
        int fullLoadSample = 10;
        long fmapFiles = 1_000;
        long fmapWarmupCalls = 20_000;
        long fmapCalls = 100_000;
        long fileSize = 4096;
        long logLen = 512L << 20;
        long deviceSize = 16L << 40;
        Path base = Path.of("/dev/shm");
        List<String> leaderJvmOptions = LEADER_JVM_DEFAULT;
        List<String> agentJvmOptions = AGENT_JVM_DEFAULT;
        List<String> only = List.of();

        void quick() {
            runs = 1;
            warmupSeconds = 1;
            warmupCreates = 2_000;
            creates = 2_000;
            fmapWarmupCalls = 2_000;
            fmapCalls = 10_000;
            logLen = 64L << 20;
            leaderJvmOptions = leaderJvmOptions.equals(LEADER_JVM_DEFAULT) ? List.of() : leaderJvmOptions;
            agentJvmOptions = agentJvmOptions.equals(AGENT_JVM_DEFAULT) ? List.of() : agentJvmOptions;
        }

        AgentOptions build() {
            return new AgentOptions(
                    runs,
                    warmupSeconds,
                    warmupCreates,
                    creates,
                    measureSeconds,
                    fullLoadSample,
                    fmapFiles,
                    fmapWarmupCalls,
                    fmapCalls,
                    fileSize,
                    logLen,
                    deviceSize,
                    base,
                    leaderJvmOptions,
                    agentJvmOptions,
                    only);
        }
    }
}
