package io.famfs.meta.bench.harness;

import java.io.File;
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
 * A {@code famfs-meta} command (a leader, an agent) in its own JVM: the same java, this jar as its class path (it holds
 * every module's commands), no FAMFS_* settings from our environment, its output to a file. Until it is closed, the
 * {@link Cleanup} hook kills it if this JVM exits.
 */
public final class FamfsMetaProcess implements AutoCloseable {
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String what;
    private final Process process;
    private final Path output;
    private final long launched;

    private FamfsMetaProcess(String what, Process process, Path output, long launched) {
        this.what = what;
        this.process = process;
        this.output = output;
        this.launched = launched;
    }

    /** Starts {@code famfs-meta ARGS} ({@code what} names it in errors); returns at once. */
    public static FamfsMetaProcess launch(String what, List<String> jvmOptions, List<String> args, Path output) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath(), "io.famfs.meta.cli.FamfsMeta"));
        command.addAll(args);
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FAMFS_"));
        long launched = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Cleanup.add(p);
        return new FamfsMetaProcess(what, p, output, launched);
    }

    /**
     * Waits until the output matches every pattern (its banner) and returns each one's first group, in order. If the
     * process exits first or takes over 60 s, kills it and throws with its output.
     */
    public List<String> awaitBanner(List<Pattern> banner) {
        try {
            while (true) {
                String text = output();
                List<String> found = new ArrayList<>();
                for (Pattern pattern : banner) {
                    Matcher m = pattern.matcher(text);
                    if (m.find()) {
                        found.add(m.group(1));
                    }
                }
                if (found.size() == banner.size()) {
                    return found;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            what + " exited with " + process.exitValue() + " before serving:\n" + text);
                }
                if (System.nanoTime() - launched > START_TIMEOUT_NANOS) {
                    throw new IllegalStateException(what + " did not serve within 60 s:\n" + text);
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException | RuntimeException e) {
            kill();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + what + " started", e);
            }
            throw (RuntimeException) e;
        }
    }

    /** Seconds from launch to now. */
    public double secondsSinceLaunch() {
        return (System.nanoTime() - launched) / 1e9;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kill -9, and wait for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        waitGone();
    }

    /** SIGTERM (a graceful stop), then kill -9 if it is still there after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        waitGone();
    }

    private void waitGone() {
        try {
            if (process.waitFor(30, TimeUnit.SECONDS)) {
                Cleanup.remove(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The jar this runs from (java -jar sets the class path to it), absolute. */
    private static String classPath() {
        StringBuilder cp = new StringBuilder();
        for (String part : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!cp.isEmpty()) {
                cp.append(File.pathSeparatorChar);
            }
            cp.append(Path.of(part).toAbsolutePath());
        }
        return cp.toString();
    }
}
