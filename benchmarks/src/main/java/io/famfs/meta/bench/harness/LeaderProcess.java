package io.famfs.meta.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A real leader: {@code famfs-meta leader} in its own JVM ({@link FamfsMetaProcess}), on loopback with ports picked by
 * the OS, with the device's folder as its host identity and {@code state/} in it as its state folder. Its output goes
 * to {@code leader.out} in that folder.
 */
public final class LeaderProcess implements AutoCloseable {
    private static final List<Pattern> BANNER = List.of(
            Pattern.compile("REST   http://127\\.0\\.0\\.1:(\\d+)"), Pattern.compile("gRPC   127\\.0\\.0\\.1:(\\d+)"));

    private final FamfsMetaProcess process;
    private final int restPort;
    private final int grpcPort;
    private final Path tokenFile;
    private final String token;
    private final double startSeconds;

    private LeaderProcess(
            FamfsMetaProcess process, int restPort, int grpcPort, Path tokenFile, String token, double startSeconds) {
        this.process = process;
        this.restPort = restPort;
        this.grpcPort = grpcPort;
        this.tokenFile = tokenFile;
        this.token = token;
        this.startSeconds = startSeconds;
    }

    /** Starts a leader on {@code device}; returns once its banner shows both ports. */
    public static LeaderProcess start(FreshDevice device, List<String> jvmOptions) {
        Path state = device.dir().resolve("state");
        FamfsMetaProcess p = FamfsMetaProcess.launch(
                "the leader",
                jvmOptions,
                List.of(
                        "leader",
                        "--device",
                        device.device().toString(),
                        "--state-dir",
                        state.toString(),
                        "--system-uuid-file",
                        device.systemUuidFile().toString(),
                        "--rest-port",
                        "0",
                        "--grpc-port",
                        "0"),
                device.dir().resolve("leader.out"));
        List<String> ports = p.awaitBanner(BANNER);
        Path tokenFile = state.resolve("token");
        try {
            return new LeaderProcess(
                    p,
                    Integer.parseInt(ports.get(0)),
                    Integer.parseInt(ports.get(1)),
                    tokenFile,
                    Files.readString(tokenFile).trim(),
                    p.secondsSinceLaunch());
        } catch (IOException e) {
            p.kill();
            throw new UncheckedIOException(e);
        }
    }

    public int restPort() {
        return restPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** The file the leader wrote its token to (what an agent's --leader-token-file names). */
    public Path tokenFile() {
        return tokenFile;
    }

    public String token() {
        return token;
    }

    public long pid() {
        return process.pid();
    }

    public double startSeconds() {
        return startSeconds;
    }

    public String output() {
        return process.output();
    }

    /** SIGTERM (a graceful stop), then kill -9 if it is still there after 30 s. */
    @Override
    public void close() {
        process.close();
    }
}
