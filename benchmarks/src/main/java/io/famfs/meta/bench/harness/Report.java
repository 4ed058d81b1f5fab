package io.famfs.meta.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** What the load generators' reports share: the machine, the command, medians and the spelling of figures. */
public final class Report {
    private Report() {}

    /** CPUs, their model, memory and the JVM, e.g. "2 CPUs (Intel Xeon ...), 23.5 GiB, Java 25.0.3 (OpenJDK ...)". */
    public static String machine() {
        String cpu = "?";
        long memKb = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("?");
            memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst()
                    .orElse(0);
        } catch (IOException | RuntimeException e) {
            // best effort
        }
        return String.format(
                "%d CPUs (%s), %.1f GiB, Java %s (%s)",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                memKb / 1048576.0,
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"));
    }

    /** The arguments as a shell would need them, each after a space. */
    public static String quoted(String[] args) {
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            b.append(' ');
            b.append(a.isEmpty() || a.matches(".*[\\s\"'$].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return b.toString();
    }

    public static double medianOf(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    public static String ratio(double r) {
        return r >= 0.1 ? String.format("%.2f", r) : String.format("%.3f", r);
    }

    /** Microseconds, or "-" for NaN. */
    public static String micros(double us) {
        return Double.isNaN(us) ? "-" : us >= 10 ? String.format("%.1f", us) : String.format("%.2f", us);
    }

    /** A latency in ns as ms ("0.088 ms", "12.3 ms"). */
    public static String latency(long nanos) {
        double ms = nanos / 1e6;
        return ms < 10 ? String.format("%.3f ms", ms) : String.format("%.1f ms", ms);
    }
}
