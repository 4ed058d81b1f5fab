package io.famfs.meta.bench.agent;

import io.famfs.meta.agent.bridge.BridgeClient;
import io.famfs.meta.agent.bridge.BridgeException;
import io.famfs.meta.agent.bridge.Errno;
import io.famfs.meta.bench.harness.Driver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.LinkedTransferQueue;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * One agent's watcher: a thread with its own connection to the agent's bridge socket. It takes the acknowledged
 * creates from its queue in the order they were handed over, and for each asks GET_FMAP of the file again and again
 * ({@link Thread#onSpinWait} between tries) until the agent serves it; the first success less the acknowledgement's
 * time is the file's propagation delay to this agent, both read from this JVM's {@link System#nanoTime}. A create
 * handed over while the thread still watches an earlier one waits in the queue, and that wait counts: the delay is
 * what a reader on that host would have seen. While its queue is empty the thread waits in
 * {@link LinkedTransferQueue#take} (which spins briefly, then parks), so the time to pick a create up counts too; it is
 * kept apart as the hand-off delay.
 *
 * <p>After the first success (outside the timed part) it checks the reply's header against the created size. Any
 * answer other than ENOENT, a bad header, a lost connection, or a file not served in time ends the watcher with a
 * failure, which it also reports at once (to stop the run).
 */
final class Watcher {
    /** A create the leader acknowledged: file number {@code file} at {@code path}, acknowledged at {@code ackNanos}. */
    record Ack(long file, String path, long ackNanos, boolean measured) {}

    private static final Ack END = new Ack(-1, "", 0, false);

    private final String agent;
    private final BridgeClient client;
    private final long fileSize;
    private final long giveUpNanos;
    private final Consumer<Throwable> onFailure;
    private final LinkedTransferQueue<Ack> queue = new LinkedTransferQueue<>();
    private final Thread thread;
    // the watcher thread's own until join()
    private final Histogram delays = new Histogram(Driver.MAX_LATENCY_NANOS, 3);
    private final Histogram handoffs = new Histogram(Driver.MAX_LATENCY_NANOS, 3);
    private final BitSet seen = new BitSet();
    private long measuredTries;
    private volatile Throwable failure;

    /**
     * Connects to {@code socket}; {@link #start} starts watching. A file still not served {@code giveUp} after the
     * watcher first asked for it is a failure.
     */
    Watcher(String agent, Path socket, long fileSize, Duration giveUp, Consumer<Throwable> onFailure)
            throws IOException {
        this.agent = agent;
        this.client = BridgeClient.connect(socket);
        this.fileSize = fileSize;
        this.giveUpNanos = giveUp.toNanos();
        this.onFailure = onFailure;
        this.thread = Thread.ofPlatform().name("watcher-" + agent).daemon().unstarted(this::run);
    }

    /** GET_FMAP's or LOOKUP's answer for a path that is not in the view yet. */
    static boolean notYet(BridgeException e) {
        return e.errno() == Errno.ENOENT.value();
    }

    void start() {
        thread.start();
    }

    /** Queues {@code ack} (any thread). */
    void handOver(Ack ack) {
        queue.add(ack);
    }

    private void run() {
        try {
            for (Ack a = queue.take(); a != END; a = queue.take()) {
                watch(a);
            }
        } catch (InterruptedException e) {
            failure = e;
        } catch (IOException | RuntimeException e) {
            failure = e;
            onFailure.accept(new IllegalStateException(agent + "'s watcher: " + e.getMessage(), e));
        }
    }

    private void watch(Ack a) throws IOException {
        long picked = System.nanoTime();
        long tries = 0;
        byte[] fmap;
        while (true) {
            tries++;
            try {
                fmap = client.getFmap(a.path());
                break;
            } catch (BridgeException e) {
                if (!notYet(e)) {
                    throw new IllegalStateException("GET_FMAP " + a.path() + " answered " + e.getMessage(), e);
                }
                if (System.nanoTime() - picked > giveUpNanos) {
                    throw new IllegalStateException(a.path() + " still not served (ENOENT) after "
                            + Duration.ofNanos(giveUpNanos).toMillis() + " ms");
                }
                Thread.onSpinWait();
            }
        }
        long seenAt = System.nanoTime();
        if (a.measured()) {
            delays.recordValue(Math.min(seenAt - a.ackNanos(), Driver.MAX_LATENCY_NANOS));
            handoffs.recordValue(Math.min(picked - a.ackNanos(), Driver.MAX_LATENCY_NANOS));
            measuredTries += tries;
        }
        String wrong = FmapHeaderDescriptor.check(fmap, fileSize);
        if (wrong != null) {
            throw new IllegalStateException("served " + a.path() + " with " + wrong);
        }
        seen.set(Math.toIntExact(a.file()));
    }

    /**
     * Lets the thread take every create handed over so far, waits for it (at most {@code timeout}) and closes the
     * connection. The figures below may be read after it.
     */
    void finish(Duration timeout) throws InterruptedException {
        queue.add(END);
        if (!thread.join(timeout)) {
            failure = new IllegalStateException(agent + "'s watcher still had " + queue.size() + " creates to see "
                    + timeout.toSeconds() + " s after the run stopped");
            thread.interrupt();
            thread.join(timeout);
        }
        close();
    }

    /** Stops the thread if it still runs (a run that failed) and closes the connection; may be called again. */
    void close() {
        thread.interrupt();
        try {
            client.close();
        } catch (IOException e) {
            // nothing is read from it any more
        }
    }

    String agent() {
        return agent;
    }

    /** The reason the watcher stopped early, or null. */
    Throwable failure() {
        return failure;
    }

    /** Acknowledgement to first successful GET_FMAP of each measured create (ns). */
    Histogram delays() {
        return delays;
    }

    /** Acknowledgement to the watcher's first try of each measured create (ns): the queue's part of the delay. */
    Histogram handoffs() {
        return handoffs;
    }

    /** GET_FMAP calls per measured create, ENOENT answers included. */
    double triesPerCreate() {
        return delays.getTotalCount() == 0 ? Double.NaN : (double) measuredTries / delays.getTotalCount();
    }

    /** File numbers served with the expected header. */
    BitSet seen() {
        return seen;
    }
}
