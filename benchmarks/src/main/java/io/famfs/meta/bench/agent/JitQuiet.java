package io.famfs.meta.bench.agent;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The end of a warm-up: once {@code min} passed and the JIT compilers of every process of the run used less than
 * {@link #QUIET_SHARE} of a core in each of the last {@link #QUIET_WINDOWS} windows. It looks at the compilers at most
 * once a window.
 */
final class JitQuiet implements BooleanSupplier {
    /** What a run's warm-up waits for at least, and how often it looks. */
    static final Duration MIN = Duration.ofSeconds(5);

    static final Duration WINDOW = Duration.ofSeconds(1);
    static final double QUIET_SHARE = 0.05;
    static final int QUIET_WINDOWS = 2;

    private final LongSupplier compilers;
    private final LongSupplier clock;
    private final long minNanos;
    private final long windowNanos;
    private final long start;
    private long lastLook;
    private int quietWindows;
    private boolean quiet;

    /**
     * @param compilers the compilers' CPU (ns) since it was last asked, e.g. {@code Compilers::sinceLastLook}
     * @param clock the time in ns, e.g. {@code System::nanoTime}
     */
    JitQuiet(LongSupplier compilers, LongSupplier clock, Duration min, Duration window) {
        this.compilers = compilers;
        this.clock = clock;
        this.minNanos = min.toNanos();
        this.windowNanos = window.toNanos();
        this.start = clock.getAsLong();
        this.lastLook = start;
        compilers.getAsLong();
    }

    @Override
    public boolean getAsBoolean() {
        long now = clock.getAsLong();
        if (now - lastLook >= windowNanos) {
            double share = (double) compilers.getAsLong() / (now - lastLook);
            lastLook = now;
            quietWindows = share < QUIET_SHARE ? quietWindows + 1 : 0;
            quiet = quietWindows >= QUIET_WINDOWS && now - start >= minNanos;
        }
        return quiet;
    }

    /** Whether the compilers were quiet at the last look. */
    boolean quiet() {
        return quiet;
    }
}
