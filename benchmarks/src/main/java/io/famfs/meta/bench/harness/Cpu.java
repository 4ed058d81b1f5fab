package io.famfs.meta.bench.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time used so far, in ns: by this JVM, or by another process (all its threads). */
public final class Cpu {
    private Cpu() {}

    public static long ofThisJvm() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
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
