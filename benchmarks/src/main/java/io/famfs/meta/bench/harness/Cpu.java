package io.famfs.meta.bench.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time used so far, in ns: by this JVM, or by another process (all its threads). */
public final class Cpu {
    /** /proc/stat counts in USER_HZ ticks, 100 a second on Linux whatever the kernel's HZ. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private Cpu() {}

    public static long ofThisJvm() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * CPU time the whole machine spent busy so far (all CPUs: user, nice, system, irq, softirq, steal from the first
     * line of {@code /proc/stat}), in ns at the kernel's 10 ms tick; -1 when it cannot be read. Beside the processes'
     * own figures it shows whether anything else ran, and how close to saturation the machine was.
     */
    public static long ofMachine() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = line.trim().split("\\s+");
            if (!f[0].equals("cpu") || f.length < 9) {
                return -1;
            }
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += Long.parseLong(f[i]);
            }
            return ticks * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The sum over the process's threads of the first field of {@code /proc/PID/task/TID/schedstat} (ns on a CPU);
     * -1 when it cannot be read. Threads that end between two readings take their time with them (a leader under
     * load starts and ends none).
     */
    public static long ofProcess(long pid) {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String line = Files.readString(task.resolve("schedstat")).trim();
                    sum += Long.parseLong(line.substring(0, line.indexOf(' ')));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
