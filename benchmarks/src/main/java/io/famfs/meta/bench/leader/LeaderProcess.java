package io.famfs.meta.bench.leader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real leader: {@code famfs-meta leader} in its own JVM (the same java, this jar as its class path, which holds
 * metadata-service and all it needs), on loopback with ports picked by the OS, with the device's folder as its state
 * folder and host identity. Its output goes to a file in that folder.
 */
final class LeaderProcess implements AutoCloseable {
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Pattern REST = Pattern.compile("REST   http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern GRPC = Pattern.compile("gRPC   127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path output;
    private final int restPort;
    private final int grpcPort;
    private final String token;
    private final double startSeconds;

    private LeaderProcess(Process process, Path output, int restPort, int grpcPort, String token, double startSeconds) {
        this.process = process;
        this.output = output;
        this.restPort = restPort;
        this.grpcPort = grpcPort;
        this.token = token;
        this.startSeconds = startSeconds;
    }

    /** Starts a leader on {@code device}; returns once its banner shows both ports. */
    static LeaderProcess start(FreshDevice device, List<String> jvmOptions) {
        Path state = device.dir().resolve("state");
        Path output = device.dir().resolve("leader.out");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                classPath(),
                "io.famfs.meta.cli.FamfsMeta",
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
                "0"));
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FAMFS_"));
        long started = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            while (true) {
                String text = read(output);
                Matcher rest = REST.matcher(text);
                Matcher grpc = GRPC.matcher(text);
                if (rest.find() && grpc.find()) {
                    String token = Files.readString(state.resolve("token")).trim();
                    LeaderProcess leader = new LeaderProcess(
                            p,
                            output,
                            Integer.parseInt(rest.group(1)),
                            Integer.parseInt(grpc.group(1)),
                            token,
                            (System.nanoTime() - started) / 1e9);
                    Cleanup.add(leader);
                    return leader;
                }
                if (!p.isAlive()) {
                    throw new IllegalStateException(
                            "the leader exited with " + p.exitValue() + " before serving:\n" + text);
                }
                if (System.nanoTime() - started > START_TIMEOUT_NANOS) {
                    throw new IllegalStateException("the leader did not serve within 60 s:\n" + text);
                }
                Thread.sleep(10);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** The jar this runs from (java -jar sets the class path to it), absolute. */
    private static String classPath() {
        StringBuilder cp = new StringBuilder();
        for (String part : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!cp.isEmpty()) {
                cp.append(java.io.File.pathSeparatorChar);
            }
            cp.append(Path.of(part).toAbsolutePath());
        }
        return cp.toString();
    }

    int restPort() {
        return restPort;
    }

    int grpcPort() {
        return grpcPort;
    }

    String token() {
        return token;
    }

    long pid() {
        return process.pid();
    }

    double startSeconds() {
        return startSeconds;
    }

    String output() {
        return read(output);
    }

    /** SIGTERM (a graceful stop), then kill -9 if it is still there after 30 s. */
    /** kill -9, for an interrupted benchmark. */
    void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        Cleanup.remove(this);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
