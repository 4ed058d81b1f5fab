package io.famfs.meta.leader.testing;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real leader: {@code famfs-meta leader} in its own JVM (this test run's class path), on loopback with ports
 * picked by the OS, with its own state folder and host identity. Output goes to a file the test can read.
 */
public final class LeaderProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern REST = Pattern.compile("REST   http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern GRPC = Pattern.compile("gRPC   127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path output;
    private final Path stateDir;
    private final int restPort;
    private final int grpcPort;

    private LeaderProcess(Process process, Path output, Path stateDir, int restPort, int grpcPort) {
        this.process = process;
        this.output = output;
        this.stateDir = stateDir;
        this.restPort = restPort;
        this.grpcPort = grpcPort;
    }

    /** The arguments every test leader gets; {@code extra} adds to (or, being later, overrides) them. */
    public static List<String> args(Path device, Path work, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "leader",
                "--device",
                device.toString(),
                "--state-dir",
                work.resolve("state").toString(),
                "--system-uuid-file",
                work.resolve("system_uuid").toString(),
                "--rest-port",
                "0",
                "--grpc-port",
                "0",
                "--bucket-seed",
                "42"));
        args.addAll(List.of(extra));
        return args;
    }

    /** Starts a leader on {@code device} with its files in {@code work}; returns once it serves (or fails). */
    public static LeaderProcess start(Path device, Path work, String... extra) {
        return start(args(device, work, extra), work);
    }

    /** Starts {@code famfs-meta ARGS}; returns once the banner shows both ports. */
    public static LeaderProcess start(List<String> args, Path work) {
        Path output = work.resolve("leader-" + System.nanoTime() + ".out");
        Process p = launch(args, output);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            String text = read(output);
            Matcher rest = REST.matcher(text);
            Matcher grpc = GRPC.matcher(text);
            if (rest.find() && grpc.find()) {
                return new LeaderProcess(
                        p,
                        output,
                        work.resolve("state"),
                        Integer.parseInt(rest.group(1)),
                        Integer.parseInt(grpc.group(1)));
            }
            if (!p.isAlive()) {
                fail("the leader exited with " + p.exitValue() + " before serving:\n" + text);
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("the leader did not serve within " + START_TIMEOUT + ":\n" + text);
            }
            sleep(20);
        }
    }

    /** Runs {@code famfs-meta ARGS} to its end (e.g. a leader that must refuse to start). */
    public static Ended run(List<String> args, Path work) {
        Path output = work.resolve("run-" + System.nanoTime() + ".out");
        Process p = launch(args, output);
        try {
            if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("famfs-meta " + args + " did not end:\n" + read(output));
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return new Ended(p.exitValue(), read(output));
    }

    public record Ended(int exit, String output) {}

    /** Every process started here: whatever a test leaves running is killed when the test JVM exits. */
    private static final java.util.Set<Process> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
    }

    /**
     * Starts {@code famfs-meta ARGS} in its own JVM (this test run's class path) in {@code output}'s folder, output to
     * {@code output}; the process is killed when the test JVM exits, if it is still running.
     */
    public static Process launch(List<String> args, Path output) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-cp",
                classPath(),
                "io.famfs.meta.cli.FamfsMeta"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(output.getParent().toFile()) // the test's own folder, not the module's
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FAMFS_"));
        try {
            Process p = pb.start();
            STARTED.add(p);
            p.onExit().thenRun(() -> STARTED.remove(p));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public int restPort() {
        return restPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The generated token the leader keeps in its state folder. */
    public String token() {
        try {
            return Files.readString(stateDir.resolve("token")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Everything the leader printed so far. */
    public String output() {
        return read(output);
    }

    /** kill -9: no shutdown hook, nothing flushed; returns once the process is gone. */
    public void kill9() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM: a graceful stop; returns the exit code. */
    public int stop() {
        process.destroy();
        return waitFor(Duration.ofSeconds(60));
    }

    /** Waits for the process to end (it may halt itself at a test crash point); returns the exit code. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    fail("the leader (pid " + process.pid() + ") survives kill -9: " + kernelState() + "\n" + output());
                }
                fail("the leader did not end within " + timeout + ":\n" + output());
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** What the kernel says of a process that does not go away (its state and where it waits). */
    private String kernelState() {
        StringBuilder b = new StringBuilder();
        for (String f : List.of("stat", "wchan", "stack")) {
            try {
                b.append("\n/proc/")
                        .append(process.pid())
                        .append('/')
                        .append(f)
                        .append(": ")
                        .append(Files.readString(Path.of("/proc", Long.toString(process.pid()), f)));
            } catch (IOException e) {
                b.append("\n/proc/")
                        .append(process.pid())
                        .append('/')
                        .append(f)
                        .append(": ")
                        .append(e);
            }
        }
        return b.toString();
    }

    /** GET {@code /health/ready}'s status code. */
    public int readyStatus() {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create(restUrl() + "/health/ready"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
    }

    /** What a process launched here printed so far. */
    public static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
