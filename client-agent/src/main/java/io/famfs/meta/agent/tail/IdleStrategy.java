package io.famfs.meta.agent.tail;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * What the tailer does when the log has not moved: spin, then yield, then park for a doubling time up to a bound.
 * {@link #reset} after work starts over at spinning. A wake-up ({@link LockSupport#unpark}) ends a park early.
 *
 * <p>Presets: {@code spin} (busy-spins: the lowest latency, one core), {@code backoff} (spins briefly, then parks up
 * to the bound: the default), {@code park} (parks at once: the least CPU).
 */
public final class IdleStrategy {
    private static final long MIN_PARK_NANOS = 1_000;

    private final String name;
    private final long spins;
    private final long yields;
    private final long maxParkNanos;
    private long count;
    private long parkNanos = MIN_PARK_NANOS;

    public IdleStrategy(String name, long spins, long yields, Duration maxPark) {
        if (spins < 0 || yields < 0 || maxPark.isNegative() || maxPark.isZero()) {
            throw new IllegalArgumentException("spins and yields must be >= 0 and the park bound > 0");
        }
        this.name = name;
        this.spins = spins;
        this.yields = yields;
        this.maxParkNanos = Math.max(MIN_PARK_NANOS, maxPark.toNanos());
    }

    /** A preset by name ({@code spin}, {@code backoff}, {@code park}) with {@code maxPark} as the park bound. */
    public static IdleStrategy named(String preset, Duration maxPark) {
        return switch (preset.toLowerCase(Locale.ROOT)) {
            case "spin" -> new IdleStrategy("spin", Long.MAX_VALUE, 0, maxPark);
            case "backoff" -> new IdleStrategy("backoff", 2_000, 100, maxPark);
            case "park" -> new IdleStrategy("park", 0, 0, maxPark);
            default -> throw new IllegalArgumentException("idle strategy '" + preset + "': one of spin, backoff, park");
        };
    }

    /** One idle step. */
    public void idle() {
        if (count < spins) {
            count++;
            Thread.onSpinWait();
        } else if (count - spins < yields) {
            count++;
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(parkNanos * 2, maxParkNanos);
        }
    }

    /** Work was found: start over at spinning. */
    public void reset() {
        count = 0;
        parkNanos = MIN_PARK_NANOS;
    }

    @Override
    public String toString() {
        return name + " (park up to " + maxParkNanos / 1000 + " µs)";
    }
}
