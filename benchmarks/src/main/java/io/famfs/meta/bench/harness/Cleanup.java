package io.famfs.meta.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a run holds outside this JVM (leader and agent processes, device folders); an interrupted or failed benchmark
 * (Ctrl-C, an exception out of main) kills the processes and deletes the folders from its shutdown hook.
 */
public final class Cleanup {
    private static final Set<Process> PROCESSES = new LinkedHashSet<>();
    private static final Set<FreshDevice> DEVICES = new LinkedHashSet<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::all, "bench-cleanup"));
    }

    private Cleanup() {}

    static synchronized void add(Process process) {
        PROCESSES.add(process);
    }

    static synchronized void remove(Process process) {
        PROCESSES.remove(process);
    }

    static synchronized void add(FreshDevice device) {
        DEVICES.add(device);
    }

    static synchronized void remove(FreshDevice device) {
        DEVICES.remove(device);
    }

    private static void all() {
        List<Process> processes;
        List<FreshDevice> devices;
        synchronized (Cleanup.class) {
            processes = new ArrayList<>(PROCESSES);
            devices = new ArrayList<>(DEVICES);
        }
        for (Process p : processes) {
            p.destroyForcibly();
        }
        // gone before their folders go: a process still running could write into a folder being deleted
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                break;
            }
        }
        for (FreshDevice d : devices) {
            try {
                d.close();
            } catch (RuntimeException e) {
                // a process may still be going away; nothing more to do at exit
            }
        }
    }
}
