package io.famfs.meta.bench.agent;

import io.famfs.meta.bench.harness.Driver;
import io.famfs.meta.bench.harness.Phases;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open loop: request {@code i} is due at {@code start + i * period}, whatever the answers do. A thread of its own
 * parks until each one is due and hands it to the client's event loop; one that is late (the thread was not scheduled
 * in time) goes at once, and the schedule does not move, so the rate holds on average; it starts over once when the
 * measured phase begins. Answers arrive on the event
 * loop and move the run's {@link Phases} on as the closed loop's {@link Driver} does. At most {@link #MAX_OUTSTANDING}
 * requests are unanswered: past that the loop waits, and the achieved rate shows it.
 */
final class Pacer {
    /** Unanswered requests at most (what the log's room must leave for). */
    static final int MAX_OUTSTANDING = 1_000;

    private final Context context;
    private final Driver.Target target;
    private final Phases phases;
    private final long periodNanos;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong acked = new AtomicLong();
    private final Thread thread;

    Pacer(Context context, Driver.Target target, Phases phases, long periodNanos) {
        this.context = context;
        this.target = target;
        this.phases = phases;
        this.periodNanos = periodNanos;
        this.thread = Thread.ofPlatform().name("pacer").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long start = System.nanoTime();
        long first = 0;
        boolean measuring = false;
        for (long i = 0; phases.state() != Phases.STOP; i++) {
            if (!measuring && phases.state() == Phases.MEASURE) {
                // the schedule starts over: what the warm-up fell behind (JVMs compiling) is not sent as a burst
                measuring = true;
                start = System.nanoTime();
                first = i;
            }
            long due = start + (i - first) * periodNanos;
            long now;
            while ((now = System.nanoTime()) < due && phases.state() != Phases.STOP) {
                LockSupport.parkNanos(due - now);
            }
            while (outstanding.get() >= MAX_OUTSTANDING && phases.state() != Phases.STOP) {
                LockSupport.parkNanos(periodNanos);
            }
            if (phases.state() == Phases.STOP) {
                break;
            }
            outstanding.incrementAndGet();
            long n = i;
            context.runOnContext(v -> send(n));
        }
    }

    private void send(long n) {
        try {
            target.send(n, this::answered);
        } catch (RuntimeException e) {
            answered(e);
        }
    }

    private void answered(Throwable failure) {
        long now = System.nanoTime();
        if (failure != null) {
            phases.fail(failure, now);
        } else {
            acked.incrementAndGet();
            switch (phases.state()) {
                case Phases.WARMUP -> phases.warmed(1, now);
                case Phases.MEASURE -> phases.measured(1, now);
                default -> {}
            }
        }
        outstanding.decrementAndGet();
    }

    /** Waits until the run stopped and every request sent was answered (at most {@code timeout}); false if not. */
    boolean drained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!thread.join(timeout)) {
            return false;
        }
        while (outstanding.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** Requests answered with success, in every phase (read once drained). */
    long acked() {
        return acked.get();
    }
}
