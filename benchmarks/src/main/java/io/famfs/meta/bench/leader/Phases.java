package io.famfs.meta.bench.leader;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The phases of one run, shared by its drivers and the thread that times it: warm-up, then the measured phase, then
 * stop. The measured phase ends at its deadline (the timing thread calls {@link #stop}), when {@code measureFiles}
 * files were answered in it (the driver whose answer reaches the count stops it), or at the first failure.
 */
final class Phases {
    static final int WARMUP = 0;
    static final int MEASURE = 1;
    static final int STOP = 2;

    private final AtomicInteger state = new AtomicInteger(WARMUP);
    private final AtomicLong warmFiles = new AtomicLong();
    private final AtomicLong measuredFiles = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long measureFiles = Long.MAX_VALUE;
    private volatile long startNanos;
    private volatile long endNanos;
    private volatile boolean countReached;

    int state() {
        return state.get();
    }

    void warmed(int files) {
        warmFiles.addAndGet(files);
    }

    long warmFiles() {
        return warmFiles.get();
    }

    /** Ends the warm-up: the measured phase starts now and ends, at the latest, after {@code files} files. */
    void beginMeasure(long files) {
        measureFiles = files;
        startNanos = System.nanoTime();
        state.compareAndSet(WARMUP, MEASURE);
    }

    void measured(int files, long now) {
        if (measuredFiles.addAndGet(files) >= measureFiles && state.compareAndSet(MEASURE, STOP)) {
            endNanos = now;
            countReached = true;
        }
    }

    /** The deadline: stops the run (no-op when it stopped already). */
    void stop() {
        long now = System.nanoTime();
        int was = state.getAndSet(STOP);
        if (was != STOP) {
            endNanos = now;
        }
    }

    void fail(Throwable why, long now) {
        if (failure.compareAndSet(null, why)) {
            int was = state.getAndSet(STOP);
            if (was != STOP) {
                endNanos = now;
            }
        }
    }

    Throwable failure() {
        return failure.get();
    }

    long measuredFiles() {
        return measuredFiles.get();
    }

    double measuredSeconds() {
        return (endNanos - startNanos) / 1e9;
    }

    /** True when the measured phase ended by its file count rather than by its deadline. */
    boolean countReached() {
        return countReached;
    }
}
