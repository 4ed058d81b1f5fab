package io.famfs.meta.bench.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The JIT compiler threads ({@code C1 CompilerThread*}, {@code C2 CompilerThread*}) of some JVM processes, and the CPU
 * they used between two looks ({@code /proc/PID/task/TID/schedstat}). On two cores a fresh leader, agents and load
 * generator compile for tens of seconds under load, and what they compile takes CPU from what is measured; a run's
 * warm-up can wait until they are quiet. The JVM starts and ends compiler threads as its queue grows and shrinks, so
 * each thread is followed on its own: a new one counts from zero, one that ended takes its last moments with it.
 */
public final class Compilers {
    private final long[] pids;
    private Map<String, Long> last = new HashMap<>();

    public Compilers(long... pids) {
        this.pids = pids.clone();
    }

    /** CPU (ns) the compiler threads used since the last look (the first look: since they started). */
    public long sinceLastLook() {
        Map<String, Long> now = new HashMap<>();
        long used = 0;
        for (long pid : pids) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks) {
                    try {
                        String comm = Files.readString(task.resolve("comm"));
                        if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) {
                            continue;
                        }
                        String line =
                                Files.readString(task.resolve("schedstat")).trim();
                        long cpu = Long.parseLong(line.substring(0, line.indexOf(' ')));
                        String key = pid + "/" + task.getFileName();
                        now.put(key, cpu);
                        used += cpu - last.getOrDefault(key, 0L);
                    } catch (IOException | RuntimeException e) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended: its compilers are quiet
            }
        }
        last = now;
        return used;
    }
}
