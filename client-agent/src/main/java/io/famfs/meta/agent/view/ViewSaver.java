package io.famfs.meta.agent.view;

import io.famfs.meta.error.FamfsException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Keeps the view cache fresh: every {@code every}, when the view is caught up and has moved since the last save, a
 * snapshot (taken under the view's read lock) goes to the cache; {@link #close} saves once more. Its own thread, so
 * neither the tailer nor an event loop waits for RocksDB.
 */
public final class ViewSaver implements AutoCloseable {
    private final AgentView view;
    private final ViewCache cache;
    private final Duration every;
    private final Consumer<String> log;
    private final Thread thread;
    private volatile boolean running = true;
    private ViewIdentity saved;
    private long savedGeneration = -1;

    public ViewSaver(AgentView view, ViewCache cache, Duration every, Consumer<String> log) {
        this.view = view;
        this.cache = cache;
        this.every = every;
        this.log = log;
        this.thread = Thread.ofPlatform().name("famfs-view-cache").daemon().unstarted(this::run);
    }

    public ViewSaver start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return; // closing
            }
            saveIfMoved();
        }
    }

    /** Saves the view when it is caught up and differs from what was saved last; true when it saved. */
    public synchronized boolean saveIfMoved() {
        try {
            AgentView.Snapshot s = view.snapshot();
            if (s == null || s.state() != AgentView.State.CURRENT) {
                return false;
            }
            if (s.identity().equals(saved) && s.generation() == savedGeneration) {
                return false;
            }
            cache.save(s.identity(), s.bytes());
            saved = s.identity();
            savedGeneration = s.generation();
            return true;
        } catch (FamfsException e) {
            log.accept("could not save the view cache: " + e.getMessage());
            return false;
        }
    }

    /** Stops the thread and saves once more (call it after the tailer has stopped). */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (saveIfMoved()) {
            log.accept("saved the view cache at entry " + saved.applied());
        }
    }
}
