package io.famfs.meta.agent.tail;

import io.famfs.meta.agent.view.AgentView;
import io.famfs.meta.agent.view.ViewCache;
import io.famfs.meta.agent.view.ViewIdentity;
import io.famfs.meta.device.Device;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.LogEntryDescriptor;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogReader;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Follows the log in shared memory on its own thread and applies it to an {@link AgentView}. Each poll: the published
 * {@code next_index} (invalidate, then an acquire read), the view's identity against shared memory (a re-made file
 * system, a log that went backwards, or a last applied entry that changed makes the view stale: purged and replayed
 * from index 0), then each new entry copied out, validated and re-read once on a miss ({@link LogReader}).
 *
 * <p>A bad entry at index i stops the view at i: reported, the valid prefix still served, and i re-checked with a
 * doubling backoff (a famfs writer publishes without ordering, so a miss at the tail can heal); never skipped.
 */
public final class Tailer implements AutoCloseable {
    /** Entries applied under one hold of the view's write lock. */
    static final int BATCH = 256;

    private static final long REOPEN_NANOS = Duration.ofMillis(50).toNanos();
    private static final long MIN_RECHECK_NANOS = Duration.ofMillis(1).toNanos();
    private static final long MAX_RECHECK_NANOS = Duration.ofSeconds(1).toNanos();

    private final Device device;
    private final AgentView view;
    private final ViewCache cache;
    private boolean cacheTried;
    private final IdleStrategy idle;
    private final Consumer<String> log;
    private final Thread thread;
    private final byte[][] batch = new byte[BATCH][LogEntryDescriptor.LENGTH];
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private volatile boolean running = true;

    private FamfsVolume volume;
    private LogReader reader;
    private FormatException bad;
    private long recheckAt;
    private long recheckNanos = MIN_RECHECK_NANOS;
    private String noFilesystem;
    private String lastUnusable;
    /** The next_index last reported to the view (-1: none since the view was reset). */
    private long reported = -1;

    /** {@code cache} (may be null) is tried once, at the first open: a view that matches shared memory resumes. */
    public Tailer(Device device, AgentView view, ViewCache cache, IdleStrategy idle, Consumer<String> log) {
        this.device = device;
        this.view = view;
        this.cache = cache;
        this.idle = idle;
        this.log = log;
        this.thread = Thread.ofPlatform().name("famfs-tailer").daemon().unstarted(this::run);
    }

    public Tailer start() {
        thread.start();
        return this;
    }

    /** A hint that the log moved: ends an idle park at once. */
    public void wake() {
        LockSupport.unpark(thread);
    }

    /** Polls of shared memory so far. */
    public long polls() {
        return polls.get();
    }

    /** Entries applied so far (across purges). */
    public long entriesApplied() {
        return applied.get();
    }

    private void run() {
        while (running) {
            boolean worked;
            try {
                worked = volume == null ? open() : poll();
            } catch (FamfsException | IndexOutOfBoundsException e) {
                // shared memory changed under us in a way the checks did not name (e.g. mid re-mkfs), or the log is
                // unusable (next_index past the end): drop the view and open again after a pause, reporting it once
                unusable("the log could not be read: " + e.getMessage());
                worked = false;
            }
            if (worked) {
                idle.reset();
            } else {
                idle.idle();
            }
        }
    }

    /** Opens the file system on the device and starts a new view of it; false while there is none. */
    private boolean open() {
        try {
            volume = FamfsVolume.open(device);
        } catch (FamfsException e) {
            if (!e.getMessage().equals(noFilesystem)) {
                noFilesystem = e.getMessage();
                log.accept("no famfs file system on " + device.path() + ": " + e.getMessage() + " (waiting for one)");
            }
            LockSupport.parkNanos(REOPEN_NANOS);
            return false;
        }
        noFilesystem = null;
        reader = new LogReader(volume);
        bad = null;
        reported = -1;
        if (!resumeFromCache()) {
            view.reset(volume);
            log.accept("following file system " + volume.superblock().fsUuid() + " on " + device.path() + " ("
                    + volume.readNextIndex() + " log entries published)");
        }
        return true;
    }

    /** At the first open: the cached view, when its identity matches shared memory; true when it was taken. */
    private boolean resumeFromCache() {
        if (cache == null || cacheTried) {
            return false;
        }
        cacheTried = true;
        long started = System.nanoTime();
        ViewCache.Cached cached;
        try {
            cached = cache.load();
        } catch (FamfsException e) {
            log.accept("the view cache is unusable (" + e.getMessage() + "); replaying from index 0");
            cache.clear();
            return false;
        }
        if (cached == null) {
            return false;
        }
        long next = volume.readNextIndex();
        String mismatch = cached.identity().check(volume, next);
        if (mismatch != null) {
            log.accept("the view cache does not match shared memory (" + mismatch + "); replaying from index 0");
            cache.clear();
            return false;
        }
        view.restore(volume, cached.namespace(), cached.identity());
        log.accept(String.format(
                "resumed from the view cache: file system %s, %d entries applied (of %d published), loaded in %d ms",
                cached.identity().fsUuid(),
                cached.identity().applied(),
                next,
                (System.nanoTime() - started) / 1_000_000));
        return true;
    }

    /** One poll; true when it applied entries (or found the view stale). */
    private boolean poll() {
        polls.incrementAndGet();
        long next = volume.readNextIndex();
        ViewIdentity identity = view.identity();
        String stale = identity.check(volume, next);
        if (stale != null) {
            stale(stale);
            return true;
        }
        lastUnusable = null;
        long from = identity.applied();
        if (from >= next) {
            if (next != reported || bad != null) {
                // caught up (a bad entry that is no longer published, the writer having rolled back, is gone too)
                bad = null;
                reported = next;
                view.polled(next, null);
            }
            return false;
        }
        if (bad != null && System.nanoTime() < recheckAt) {
            return false;
        }
        int n = 0;
        FormatException found = null;
        for (long i = from; i < next && n < BATCH; i++) {
            FormatException e = reader.readValidated(i, batch[n]);
            if (e != null) {
                found = e;
                break;
            }
            n++;
        }
        if (n > 0) {
            view.apply(batch, n);
            applied.addAndGet(n);
        }
        noteBad(found);
        reported = next;
        view.polled(next, found);
        return n > 0;
    }

    private void noteBad(FormatException found) {
        if (found == null) {
            if (bad != null) {
                log.accept("log entry " + bad.index() + " is valid now; following the log again");
            }
            bad = null;
            recheckNanos = MIN_RECHECK_NANOS;
            return;
        }
        if (bad == null || bad.index() != found.index()) {
            log.accept("bad log entry " + found.index() + ": " + found.getMessage()
                    + " (serving the entries before it; re-checking it)");
            recheckNanos = MIN_RECHECK_NANOS;
        } else {
            recheckNanos = Math.min(recheckNanos * 2, MAX_RECHECK_NANOS);
        }
        bad = found;
        recheckAt = System.nanoTime() + recheckNanos;
    }

    private void unusable(String why) {
        if (why.equals(lastUnusable)) {
            view.purge(null);
        } else {
            lastUnusable = why;
            stale(why);
        }
        volume = null;
        reader = null;
        LockSupport.parkNanos(REOPEN_NANOS);
    }

    private void stale(String why) {
        log.accept("stale view: " + why + "; purging it and replaying from index 0");
        view.purge(why);
        if (cache != null) {
            cache.clear(); // what it holds belongs to the identity that just went away
        }
        volume = null;
        reader = null;
        bad = null;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
