package io.famfs.meta.bench.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.famfs.meta.bench.harness.Driver;
import io.famfs.meta.bench.harness.EventLoops;
import io.famfs.meta.bench.harness.Phases;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The open loop on a real event loop, against requests the test answers late or fails. */
class PacerTest {
    static final long PERIOD = 1_000_000; // 1 ms

    Vertx vertx;
    Context loop;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        loop = EventLoops.contexts(vertx, 1).getFirst();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** Answers each request {@code answerMs} after it is sent (on the event loop), counting what is unanswered. */
    final class Slow implements Driver.Target {
        final long answerMs;
        final long failAt;
        final AtomicInteger unanswered = new AtomicInteger();
        final AtomicInteger maxUnanswered = new AtomicInteger();
        final AtomicLong sent = new AtomicLong();

        Slow(long answerMs, long failAt) {
            this.answerMs = answerMs;
            this.failAt = failAt;
        }

        @Override
        public int filesPerRequest() {
            return 1;
        }

        @Override
        public void send(long n, Driver.Done done) {
            sent.incrementAndGet();
            maxUnanswered.accumulateAndGet(unanswered.incrementAndGet(), Math::max);
            vertx.setTimer(answerMs, id -> {
                unanswered.decrementAndGet();
                done.done(n == failAt ? new IllegalStateException("request " + n + " refused") : null);
            });
        }
    }

    @Test
    void sendsOnTheScheduleWithoutWaitingForAnswers() throws Exception {
        Slow target = new Slow(10, -1);
        Phases phases = new Phases(5, 40, 1_000_000, 3 * Pacer.MAX_OUTSTANDING);
        Pacer pacer = new Pacer(loop, target, phases, PERIOD);
        long start = System.nanoTime();
        pacer.start();
        phases.awaitWarmup(30);
        phases.awaitMeasure(30);

        assertTrue(pacer.drained(Duration.ofSeconds(10)));
        long elapsed = System.nanoTime() - start;
        assertEquals("count", phases.bound());
        assertEquals(40, phases.measuredFiles());
        // answers take 10 periods: only an open loop has several requests out at once
        assertTrue(target.maxUnanswered.get() >= 3, "at most " + target.maxUnanswered.get() + " unanswered");
        // never ahead of the schedule (which starts over once, with the measured phase)
        assertTrue(
                target.sent.get() <= elapsed / PERIOD + 2,
                target.sent.get() + " sent in " + elapsed / PERIOD + " periods");
        assertEquals(target.sent.get(), pacer.acked(), "every request sent was answered and counted");
        assertEquals(0, target.unanswered.get());
    }

    @Test
    void aFailedRequestStopsTheRun() throws Exception {
        Slow target = new Slow(1, 3);
        Phases phases = new Phases(1_000, 1_000, 1_000_000, 3 * Pacer.MAX_OUTSTANDING);
        Pacer pacer = new Pacer(loop, target, phases, PERIOD);
        pacer.start();
        phases.awaitWarmup(30);
        phases.awaitMeasure(30);

        assertTrue(pacer.drained(Duration.ofSeconds(10)));
        assertNotNull(phases.failure());
        assertEquals("request 3 refused", phases.failure().getMessage());
        assertEquals(Phases.STOP, phases.state());
        assertEquals(target.sent.get() - 1, pacer.acked(), "all answered, the failed one not counted");
    }
}
