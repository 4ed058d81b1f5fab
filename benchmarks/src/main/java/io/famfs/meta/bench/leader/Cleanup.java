package io.famfs.meta.bench.leader;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a run holds outside this JVM (leader processes, device folders); an interrupted benchmark (Ctrl-C) kills the
 * leaders and deletes the folders from its shutdown hook.
 */
final class Cleanup {
    private static final Set<Object> LIVE = new LinkedHashSet<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::all, "leader-load-cleanup"));
    }

    private Cleanup() {}

    static synchronized void add(Object resource) {
        LIVE.add(resource);
    }

    static synchronized void remove(Object resource) {
        LIVE.remove(resource);
    }

    private static void all() {
        List<Object> left;
        synchronized (Cleanup.class) {
            left = new ArrayList<>(LIVE);
        }
        for (Object o : left) {
            if (o instanceof LeaderProcess p) {
                p.kill();
            }
        }
        for (Object o : left) {
            if (o instanceof FreshDevice d) {
                try {
                    d.close();
                } catch (RuntimeException e) {
                    // the leader may still be going away; nothing more to do at exit
                }
            }
        }
    }
}
