package io.famfs.meta.leader.cli;

import io.famfs.meta.cli.Configurable;
import io.famfs.meta.cli.DeviceOptions;
import io.famfs.meta.cli.ExitCodes;
import io.famfs.meta.cli.Sizes;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.leader.alloc.InterleaveParams;
import io.famfs.meta.leader.core.Leader;
import io.famfs.meta.leader.core.LeaderSettings;
import io.famfs.meta.leader.server.RunningLeader;
import io.famfs.meta.log.AppendHook;
import io.famfs.meta.log.AppendStep;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "leader",
        mixinStandardHelpOptions = true,
        description = "Run the leader: the only writer of the log, with the REST and gRPC API to create files.",
        footer = {
            "",
            "Settings, lowest first: the defaults; a YAML or JSON --config FILE (keys are the long",
            "option names: 'rest-port: 9480'); FAMFS_* environment variables (FAMFS_REST_PORT);",
            "these flags. It runs until SIGINT or SIGTERM, then stops accepting, finishes the",
            "appends in flight and closes."
        })
public final class LeaderCommand implements Callable<Integer>, Configurable {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON settings file.")
    Path config;

    @Mixin
    DeviceOptions device;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = "/var/lib/famfs-meta",
            description = "Request ids (RocksDB), the token, the leader's addresses (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Mixin
    ListenOptions listen;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "Bearer token clients must send (default: generated once into STATE_DIR/token, mode 0600).")
    String token;

    @Option(
            names = "--system-uuid-file",
            paramLabel = "FILE",
            defaultValue = "/opt/famfs/system_uuid",
            description = "This host's identity (default: ${DEFAULT-VALUE}; created as famfs creates it).")
    Path systemUuidFile;

    @Option(
            names = "--take-ownership",
            description = "Serve a file system another host owns: rewrite its owner (and CRC) to this host.")
    boolean takeOwnership;

    @Option(
            names = "--skip-bad-entries",
            description = "Take creates even when log entries are bad (their space stays reserved as famfs counts it).")
    boolean skipBadEntries;

    @Option(
            names = "--nbuckets",
            paramLabel = "N",
            defaultValue = "0",
            description = "Default striping: buckets (0: contiguous).")
    int nbuckets;

    @Option(
            names = "--nstrips",
            paramLabel = "N",
            defaultValue = "0",
            description = "Default striping: strips per file.")
    int nstrips;

    @Option(
            names = "--chunk-size",
            paramLabel = "SIZE",
            defaultValue = "0",
            converter = Sizes.class,
            description = "Default striping: chunk size (e.g. 2m).")
    long chunkSize;

    @Option(
            names = "--bucket-seed",
            paramLabel = "SEED",
            description = "Seed of the bucket order of striped allocations (default: random).")
    Long bucketSeed;

    /** Test-only: halt the process (as kill -9 would) after the N-th occurrence of an append step. */
    @Option(names = "--crash-at", hidden = true, paramLabel = "STEP[:N]")
    String crashAt;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        LeaderSettings settings = new LeaderSettings(
                device.path(),
                device.options(true),
                stateDir,
                systemUuidFile,
                takeOwnership,
                skipBadEntries,
                new InterleaveParams(nbuckets, nstrips, chunkSize),
                bucketSeed == null ? System.nanoTime() : bucketSeed,
                crashHook(crashAt));
        RunningLeader running =
                RunningLeader.start(settings, listen.host, listen.restPort, listen.grpcPort, token, out);
        banner(running, out);
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("famfs-meta leader: stopping: no new requests; finishing the appends in flight");
            out.flush();
            running.close();
            out.println("famfs-meta leader: stopped");
            out.flush();
            stopped.countDown();
        }));
        stopped.await();
        return ExitCodes.OK;
    }

    /** What a starting leader tells its operator: where it serves, where the token is. */
    public static void banner(RunningLeader running, PrintWriter out) {
        Leader leader = running.leader();
        var status = leader.status();
        out.printf(
                "famfs-meta leader: serving %s (file system %s; %d of %d log entries used)%n",
                leader.volume().device().path(),
                leader.volume().superblock().fsUuid(),
                status.nextIndex(),
                status.capacity());
        out.println("  REST   " + running.restUrl() + "   (/v1/..., /health/live, /health/ready, /metrics)");
        out.println("  gRPC   " + running.grpcAddress() + "   (famfs.v1.Leader, grpc.health.v1, reflection)");
        out.println("  token  " + (running.tokenFile() == null ? "(given in the settings)" : running.tokenFile()));
        out.println("  state  " + running.addressFile().getParent() + " (addresses in "
                + running.addressFile().getFileName() + ")");
        if (!status.ready()) {
            out.println("  NOT READY: " + status.reason());
        }
    }

    /** The test-only crash point: {@code STEP} or {@code STEP:N} (the N-th time the step completes; default 1). */
    static AppendHook crashHook(String spec) {
        if (spec == null || spec.isBlank()) {
            return AppendHook.NONE;
        }
        String[] parts = spec.split(":");
        AppendStep step;
        long n;
        try {
            step = AppendStep.valueOf(parts[0].toUpperCase(Locale.ROOT));
            n = parts.length > 1 ? Long.parseLong(parts[1]) : 1;
        } catch (IllegalArgumentException e) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT,
                    "--crash-at STEP[:N] with STEP one of " + java.util.Arrays.toString(AppendStep.values()));
        }
        AtomicLong seen = new AtomicLong();
        return (s, index) -> {
            if (s == step && seen.incrementAndGet() == n) {
                System.err.println("famfs-meta leader: test crash after " + step + " of entry " + index);
                System.err.flush();
                Runtime.getRuntime().halt(99);
            }
        };
    }
}
