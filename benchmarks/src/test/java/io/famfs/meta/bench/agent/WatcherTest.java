package io.famfs.meta.bench.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.famfs.meta.agent.bridge.BridgeAttr;
import io.famfs.meta.agent.bridge.BridgeDirents;
import io.famfs.meta.agent.bridge.BridgeException;
import io.famfs.meta.agent.bridge.BridgeHandler;
import io.famfs.meta.agent.bridge.BridgeServer;
import io.famfs.meta.agent.bridge.Errno;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher against a real bridge server (socket and protocol) whose files appear when the test publishes them. */
class WatcherTest {
    static final long SIZE = 4096;

    @TempDir
    Path dir;

    final Files files = new Files();
    final AtomicReference<Throwable> reported = new AtomicReference<>();
    BridgeServer server;

    @BeforeEach
    void serve() throws Exception {
        server = BridgeServer.start(dir.resolve("bridge.sock"), files);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** GET_FMAP answers ENOENT until a file is published, then its bytes; paths under "eio/" answer EIO. */
    static final class Files implements BridgeHandler {
        final Map<String, byte[]> published = new ConcurrentHashMap<>();
        final AtomicLong fmapCalls = new AtomicLong();

        @Override
        public byte[] identity() {
            return "test".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public BridgeAttr lookup(String path) throws BridgeException {
            throw new BridgeException(Errno.ENOSYS.value(), "not in this test");
        }

        @Override
        public BridgeAttr getattr(String path) throws BridgeException {
            throw new BridgeException(Errno.ENOSYS.value(), "not in this test");
        }

        @Override
        public BridgeDirents readdir(String path, long cookie, int budget) throws BridgeException {
            throw new BridgeException(Errno.ENOSYS.value(), "not in this test");
        }

        @Override
        public byte[] getFmap(String path) throws BridgeException {
            fmapCalls.incrementAndGet();
            if (path.startsWith("eio/")) {
                throw new BridgeException(Errno.EIO.value(), "flagged");
            }
            byte[] b = published.get(path);
            if (b == null) {
                throw new BridgeException(Errno.ENOENT.value(), "no " + path);
            }
            return b;
        }

        @Override
        public byte[] getDaxdev(int index) throws BridgeException {
            throw new BridgeException(Errno.ENOSYS.value(), "not in this test");
        }
    }

    Watcher watcher(Duration giveUp) throws Exception {
        Watcher w = new Watcher("agent-t", server.socket(), SIZE, giveUp, reported::set);
        w.start();
        return w;
    }

    @Test
    void aFileServedLaterIsTimedFromItsAcknowledgement() throws Exception {
        Watcher w = watcher(Duration.ofSeconds(10));
        long ack = System.nanoTime();
        w.handOver(new Watcher.Ack(0, "d/f0", ack, true));
        Thread.sleep(50);
        long published = System.nanoTime();
        files.published.put("d/f0", V9Header.reply(0, 1, SIZE));
        w.finish(Duration.ofSeconds(10));

        assertNull(w.failure());
        assertNull(reported.get());
        assertEquals(1, w.delays().getTotalCount());
        long delay = w.delays().getMaxValue();
        assertTrue(delay >= published - ack, "delay " + delay + " ns, published " + (published - ack) + " ns after");
        assertTrue(w.handoffs().getMaxValue() < delay);
        assertTrue(w.triesPerCreate() > 1, "tries " + w.triesPerCreate());
        assertEquals(bits(0), w.seen());
    }

    @Test
    void unmeasuredCreatesAreCheckedButNotTimed() throws Exception {
        files.published.put("d/f0", V9Header.reply(0, 1, SIZE));
        files.published.put("d/f1", V9Header.reply(0, 1, SIZE));
        files.published.put("d/f2", V9Header.reply(0, 1, SIZE));
        Watcher w = watcher(Duration.ofSeconds(10));
        w.handOver(new Watcher.Ack(0, "d/f0", System.nanoTime(), false));
        w.handOver(new Watcher.Ack(1, "d/f1", System.nanoTime(), true));
        w.handOver(new Watcher.Ack(2, "d/f2", System.nanoTime(), false));
        w.finish(Duration.ofSeconds(10));

        assertNull(w.failure());
        assertEquals(1, w.delays().getTotalCount());
        assertEquals(1.0, w.triesPerCreate());
        assertEquals(bits(0, 1, 2), w.seen());
    }

    @Test
    void aWrongSizeFailsTheWatcherAndTheRunHearsOfIt() throws Exception {
        files.published.put("d/f0", V9Header.reply(0, 1, SIZE));
        files.published.put("d/f1", V9Header.reply(0, 1, 2 * SIZE));
        files.published.put("d/f2", V9Header.reply(0, 1, SIZE));
        Watcher w = watcher(Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            w.handOver(new Watcher.Ack(i, "d/f" + i, System.nanoTime(), true));
        }
        w.finish(Duration.ofSeconds(10));

        assertNotNull(w.failure());
        assertTrue(w.failure().getMessage().contains("d/f1")
                && w.failure().getMessage().contains("file size 8192"));
        assertNotNull(reported.get());
        assertTrue(
                reported.get().getMessage().startsWith("agent-t's watcher: "),
                reported.get().getMessage());
        assertEquals(bits(0), w.seen(), "the bad file and those after it are not counted as seen");
    }

    @Test
    void anErrnoOtherThanEnoentFailsTheWatcher() throws Exception {
        Watcher w = watcher(Duration.ofSeconds(10));
        w.handOver(new Watcher.Ack(0, "eio/f0", System.nanoTime(), true));
        w.finish(Duration.ofSeconds(10));

        assertTrue(
                w.failure().getMessage().contains("GET_FMAP eio/f0 answered EIO"),
                w.failure().getMessage());
        assertEquals(1, files.fmapCalls.get(), "no retry after EIO");
        assertEquals(new BitSet(), w.seen());
    }

    @Test
    void aFileNeverServedFailsAfterTheGiveUpTime() throws Exception {
        Watcher w = watcher(Duration.ofMillis(100));
        long start = System.nanoTime();
        w.handOver(new Watcher.Ack(0, "d/never", System.nanoTime(), true));
        w.finish(Duration.ofSeconds(10));

        assertTrue(System.nanoTime() - start >= 100_000_000L);
        assertTrue(w.failure().getMessage().contains("d/never still not served (ENOENT) after 100 ms"));
        assertNotNull(reported.get());
        assertEquals(0, w.delays().getTotalCount());
    }

    @Test
    void aLostConnectionFailsTheWatcher() throws Exception {
        Watcher w = watcher(Duration.ofSeconds(10));
        server.close();
        w.handOver(new Watcher.Ack(0, "d/f0", System.nanoTime(), true));
        w.finish(Duration.ofSeconds(10));

        assertNotNull(w.failure());
        assertNotNull(reported.get());
        assertEquals(new BitSet(), w.seen());
    }

    private static BitSet bits(int... set) {
        BitSet b = new BitSet();
        for (int i : set) {
            b.set(i);
        }
        return b;
    }
}
