package io.famfs.meta.bench.harness;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The phases of one run, shared by its drivers and the thread that times it: warm-up, then the measured phase, then
 * stop. The file counts are enforced by the drivers themselves (the answer that reaches a count moves the phase on),
 * so a timing thread that the machine leaves waiting cannot let a run overfill the log; the deadlines are the timing
 * thread's. The measured phase ends at its deadline ({@link #stop}), at its file count, or at the first failure.
 *
 * <p>The measured count is at most {@code count}, and at most the log's room: {@code room} entries less the files
 * answered in the warm-up and {@code slack} (what requests in flight and those answered after the stop may still
 * append).
 */
public final class Phases {
    public static final int WARMUP = 0;
    public static final int MEASURE = 1;
    public static final int STOP = 2;

    private final AtomicInteger state = new AtomicInteger(WARMUP);
    private final AtomicLong warmFiles = new AtomicLong();
    private final AtomicLong measuredFiles = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final long warmupFiles;
    private final long count;
    private final long room;
    private final long slack;
    private volatile long measureFiles = Long.MAX_VALUE;
    private volatile long startNanos;
    private volatile long endNanos;
    private volatile boolean countReached;

    public Phases(long warmupFiles, long count, long room, long slack) {
        this.warmupFiles = warmupFiles;
        this.count = count;
        this.room = room;
        this.slack = slack;
    }

    public int state() {
        return state.get();
    }

    public void warmed(int files, long now) {
        if (warmFiles.addAndGet(files) >= warmupFiles) {
            beginMeasure(now);
        }
    }

    /**
     * For the thread that times the run: waits until the warm-up ends by its file count (or a failure), or for
     * {@code seconds} at most, then begins the measured phase (no-op when it began already).
     */
    public void awaitWarmup(double seconds) {
        awaitWarmup(seconds, () -> false);
    }

    /**
     * As {@link #awaitWarmup(double)}, and the warm-up also ends once {@code ready} says so (it is asked about once a
     * millisecond, so it should be cheap most of the time).
     */
    public void awaitWarmup(double seconds, BooleanSupplier ready) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long now;
        while (state.get() == WARMUP && (now = System.nanoTime()) < deadline && !ready.getAsBoolean()) {
            LockSupport.parkNanos(Math.min(1_000_000, deadline - now));
        }
        beginMeasure(System.nanoTime());
    }

    /**
     * For the thread that times the run: waits until the measured phase ends by its file count (or a failure), or for
     * {@code seconds} after it began at most, then stops the run (no-op when it stopped already).
     */
    public void awaitMeasure(double seconds) {
        awaitWhile(MEASURE, startNanos + (long) (seconds * 1e9));
        stop();
    }

    private void awaitWhile(int phase, long deadline) {
        long now;
        while (state.get() == phase && (now = System.nanoTime()) < deadline) {
            LockSupport.parkNanos(Math.min(1_000_000, deadline - now));
        }
    }

    /** Ends the warm-up (no-op when it ended already): the measured phase starts at {@code now}. */
    public void beginMeasure(long now) {
        if (state.compareAndSet(WARMUP, MEASURE)) {
            startNanos = now;
            measureFiles = Math.max(0, Math.min(count, room - warmFiles.get() - slack));
        }
    }

    public void measured(int files, long now) {
        if (measuredFiles.addAndGet(files) >= measureFiles && state.compareAndSet(MEASURE, STOP)) {
            endNanos = now;
            countReached = true;
        }
    }

    /** The deadline: stops the run (no-op when it stopped already). */
    public void stop() {
        long now = System.nanoTime();
        if (state.getAndSet(STOP) != STOP) {
            endNanos = now;
        }
    }

    public void fail(Throwable why, long now) {
        if (failure.compareAndSet(null, why) && state.getAndSet(STOP) != STOP) {
            endNanos = now;
        }
    }

    public Throwable failure() {
        return failure.get();
    }

    /** When the measured phase started (System.nanoTime), once it did. */
    public long startNanos() {
        return startNanos;
    }

    /** Files answered so far in the warm-up and the measured phase. */
    public long answeredFiles() {
        return warmFiles.get() + measuredFiles.get();
    }

    public long measuredFiles() {
        return measuredFiles.get();
    }

    public double measuredSeconds() {
        return (endNanos - startNanos) / 1e9;
    }

    /** What ended the measured phase: its deadline ("time"), its file count ("count"), or the log's room ("log"). */
    public String bound() {
        return !countReached ? "time" : measureFiles < count ? "log" : "count";
    }
}
