package io.famfs.meta.leader.it;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.format.Famfs;
import io.famfs.meta.leader.it.CreateLoad.Acked;
import io.famfs.meta.leader.it.CreateLoad.Kind;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.testing.TestDevice;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Eight concurrent clients (gRPC single creates with several in flight, gRPC batches, REST single creates and REST
 * batches; a quarter of the files striped with their own interleave parameters; sizes from 1 byte to 40 MiB) create
 * thousands of files on one real leader. The tests' own decoder then reads the log: no overlap, every extent 2 MiB
 * aligned and in bounds, no path twice, the header consistent, and every acknowledged file logged as asked and as
 * answered.
 */
class ConcurrentCreatesTest {
    /** Replay with -Dfamfs.concurrent.seed=SEED (the assertion messages print it). */
    private static final long SEED = Long.getLong("famfs.concurrent.seed", 0xc0ffee_5eedL);

    private static final long DEVICE = 64 * Famfs.GiB;

    @Test
    void concurrentClientsCreateThousandsOfFilesWithoutOverlap() throws Exception {
        Random random = new Random(SEED);
        String where = "seed " + SEED;
        Kind[] kinds = {
            Kind.GRPC_SINGLE,
            Kind.GRPC_SINGLE,
            Kind.GRPC_SINGLE,
            Kind.GRPC_BATCH,
            Kind.GRPC_BATCH,
            Kind.REST_SINGLE,
            Kind.REST_SINGLE,
            Kind.REST_BATCH
        };
        int[] files = {450, 450, 450, 400, 400, 300, 300, 500};
        Vertx vertx = Vertx.vertx();
        try (TestDevice dev = TestDevice.formatted(DEVICE, Famfs.DEFAULT_LOG_LEN);
                LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership")) {
            CreateLoad load = new CreateLoad(DEVICE, new CreateLoad.Mix(0.25, 40 * CreateLoad.MiB, 0.1, 20, 80));
            for (int c = 0; c < kinds.length; c++) {
                load.client(kinds[c], vertx, leader, "c" + c, random.nextLong(), files[c], 8, c % 2 == 0);
            }
            load.join();
            assertEquals(List.of(), List.copyOf(load.unexpected), where);
            assertEquals(List.of(), List.copyOf(load.uncertain), where);
            int total = java.util.Arrays.stream(files).sum();
            assertEquals(total, load.acked.size(), where + ": files acknowledged");
            assertTrue(total >= 3000, where);
            long striped =
                    load.acked.values().stream().filter(a -> a.want().striped()).count();
            assertTrue(striped > 100, () -> where + ": only " + striped + " striped files");

            assertEquals(143, leader.stop(), leader::output);
            TestLog log = TestLog.of(dev.path());
            assertEquals(List.of(), log.problems(), where);
            assertEquals(total, log.files().size(), where + ": files in the log");
            assertEquals(total + kinds.length, log.nextIndex, where + ": a directory per client and the files");
            for (Acked a : load.acked.values()) {
                CreateLoad.assertLogged(log, a.want(), a.info(), where);
            }
            Set<String> dirs = new HashSet<>();
            log.entries.stream().filter(e -> !e.file()).forEach(e -> dirs.add(e.path()));
            assertEquals(Set.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"), dirs, where);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }
}
