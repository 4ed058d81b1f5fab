package io.famfs.meta.bench.harness;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A closed loop on one Vert.x event loop: keeps {@code slots} requests in flight, sending the next one as soon as one
 * is answered, until the run's {@link Phases} say stop. Everything it holds is confined to its event loop (each
 * answer is checked to arrive there), so it needs no locks; what the run shares goes through {@link Phases}.
 */
public final class Driver {
    /** Highest latency the histogram records (longer ones are clamped): a minute. */
    public static final long MAX_LATENCY_NANOS = 60_000_000_000L;

    /** One kind of request: number {@code n} is sent, and {@code done} is called on the driver's event loop. */
    public interface Target {
        /** Files each request creates. */
        int filesPerRequest();

        void send(long n, Done done);
    }

    public interface Done {
        /** The answer: null when every file of the request was created, else why not. */
        void done(Throwable failure);
    }

    private final Context context;
    private final Target target;
    private final Phases phases;
    private final AtomicLong sequence;
    private final int slots;
    private final Promise<Void> drained = Promise.promise();
    private final Histogram histogram = new Histogram(MAX_LATENCY_NANOS, 3);
    private Thread thread;
    private int active;
    private long ackedFiles;

    /**
     * @param sequence the run's request numbers, shared by its drivers (each number names distinct files)
     */
    public Driver(Context context, Target target, Phases phases, AtomicLong sequence, int slots) {
        this.context = context;
        this.target = target;
        this.phases = phases;
        this.sequence = sequence;
        this.slots = slots;
    }

    /** Starts the loop; the future completes once the run stopped and every request in flight was answered. */
    public Future<Void> start() {
        context.runOnContext(v -> {
            thread = Thread.currentThread();
            active = slots;
            for (int i = 0; i < slots; i++) {
                next();
            }
        });
        return drained.future();
    }

    private void next() {
        if (phases.state() == Phases.STOP) {
            if (--active == 0) {
                drained.complete();
            }
            return;
        }
        long n = sequence.getAndIncrement();
        long started = System.nanoTime();
        try {
            target.send(n, failure -> done(started, failure));
        } catch (RuntimeException e) {
            done(started, e);
        }
    }

    private void done(long started, Throwable failure) {
        long now = System.nanoTime();
        if (failure == null && Thread.currentThread() != thread) {
            failure = new IllegalStateException("an answer arrived on "
                    + Thread.currentThread().getName() + ", not on the driver's event loop " + thread.getName());
        }
        if (failure != null) {
            phases.fail(failure, now);
        } else {
            int files = target.filesPerRequest();
            ackedFiles += files;
            switch (phases.state()) {
                case Phases.WARMUP -> phases.warmed(files, now);
                case Phases.MEASURE -> {
                    histogram.recordValue(Math.min(now - started, MAX_LATENCY_NANOS));
                    phases.measured(files, now);
                }
                default -> {}
            }
        }
        next();
    }

    /** Latencies of the requests answered in the measured phase (read once the loop drained). */
    public Histogram histogram() {
        return histogram;
    }

    /** Files of every request answered with success, in every phase (read once the loop drained). */
    public long ackedFiles() {
        return ackedFiles;
    }
}
