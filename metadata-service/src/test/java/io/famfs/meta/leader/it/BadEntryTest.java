package io.famfs.meta.leader.it;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.leader.client.GrpcLeaderClient;
import io.famfs.meta.leader.client.LeaderClient;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.log.RawBytes;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.Interleave;
import io.famfs.meta.testing.TestDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real leader started on a log with a corrupted entry in the middle: it starts but is not ready, refuses creates and
 * writes nothing, and heals when the entry does; told to skip bad entries it serves, and never hands out space that a
 * valid entry after the bad one holds.
 */
class BadEntryTest {
    private static final long SEED = Long.getLong("famfs.badentry.seed", 0xbad_e17L);
    private static final long MiB = TestLog.MiB;

    private static Vertx vertx;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    /** Files a0..a2, then "hole" (the entry to corrupt), then b0..b5 after it; returns the index of "hole". */
    private static long buildLog(TestDevice dev) {
        long hole;
        try (LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership")) {
            LeaderClient rest = client(leader);
            for (int i = 0; i < 3; i++) {
                rest.createFile(file("a" + i, (i + 1) * 2 * MiB));
            }
            hole = rest.createFile(file("hole", 64 * MiB)).getFile().getLogIndex();
            for (int i = 0; i < 6; i++) {
                rest.createFile(file("b" + i, (6 - i) * 3 * MiB + 1));
            }
            assertEquals(143, leader.stop(), leader::output);
        }
        TestLog log = TestLog.of(dev.path());
        assertEquals(List.of(), log.problems());
        assertEquals(10, log.nextIndex);
        assertTrue(hole > 0 && hole < log.nextIndex - 1, "the bad entry must sit in the middle");
        return hole;
    }

    private static CreateFileRequest file(String path, long size) {
        return CreateFileRequest.newBuilder().setPath(path).setSize(size).build();
    }

    private static LeaderClient client(LeaderProcess leader) {
        return new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
    }

    @Test
    void aBadEntryInTheMiddleStopsCreatesUntilItHeals() throws Exception {
        try (TestDevice dev = TestDevice.formatted()) {
            long k = buildLog(dev);
            Path device = dev.path();
            long flipped = RawBytes.entry(k) + 40; // a byte of the relpath: the CRC no longer matches
            RawBytes.flipByte(device, flipped);
            byte[] corrupted = Probe.metadata(device);
            assertEquals(List.of(k), TestLog.of(device).badEntries);

            try (LeaderProcess leader = LeaderProcess.start(device, dev.dir())) {
                String where = "bad entry " + k;
                assertTrue(leader.output().contains("NOT READY"), leader::output);
                assertTrue(leader.output().contains("first at index " + k), leader::output);
                Probe.Ready ready = Probe.ready(leader);
                assertEquals(503, ready.status(), ready::body);
                assertEquals("BAD_ENTRY", ready.data().getString("state"), ready::body);
                assertEquals(new JsonArray().add(k), ready.data().getJsonArray("bad_entries"), ready::body);
                assertTrue(ready.data().getString("reason").contains("index " + k), ready::body);
                String metrics = Probe.get(leader, "/metrics").body();
                assertTrue(metrics.contains("\nfamfs_leader_bad_log_entries 1.0\n"), metrics);
                assertTrue(metrics.contains("\nfamfs_leader_ready 0.0\n"), metrics);

                // creates are refused over REST and gRPC, and write nothing
                Probe.Answer refused = Probe.post(leader, "/v1/files", "{\"path\": \"new\", \"size\": 4096}");
                assertEquals(503, refused.status(), refused::toString);
                assertEquals(
                        "UNAVAILABLE", refused.json().getJsonObject("error").getString("code"), refused::toString);
                assertTrue(
                        refused.json()
                                .getJsonObject("error")
                                .getString("message")
                                .contains("index " + k),
                        refused::toString);
                try (GrpcLeaderClient grpc =
                        GrpcLeaderClient.create(vertx, "127.0.0.1", leader.grpcPort(), leader.token())) {
                    ExecutionException e = assertThrows(
                            ExecutionException.class,
                            () -> grpc.createFile(file("new", 4096))
                                    .toCompletionStage()
                                    .toCompletableFuture()
                                    .get(30, TimeUnit.SECONDS));
                    assertEquals(ErrorCode.UNAVAILABLE, ((FamfsException) e.getCause()).code(), e::toString);
                }
                assertArrayEquals(corrupted, Probe.metadata(device), where + ": a refused create wrote");

                // the entry heals (the byte is put back): the leader's re-check with backoff sees it and serves
                RawBytes.flipByte(device, flipped);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (leader.readyStatus() != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                Probe.Ready healed = Probe.ready(leader);
                assertEquals(200, healed.status(), () -> where + ": not ready 20 s after the entry healed: " + healed);
                assertEquals("READY", healed.data().getString("state"), healed::body);
                assertEquals(new JsonArray(), healed.data().getJsonArray("bad_entries"), healed::body);
                assertTrue(client(leader).createFile(file("new", 4096)).getCreated(), where);
                assertEquals(143, leader.stop(), leader::output);
            }
            TestLog log = TestLog.of(device);
            assertEquals(List.of(), log.problems());
            assertEquals(11, log.nextIndex);
            assertEquals(4096, log.get("new").size());
        }
    }

    @Test
    void skippingABadEntryNeverHandsOutSpaceALaterEntryHolds() throws Exception {
        Random random = new Random(SEED);
        try (TestDevice dev = TestDevice.formatted()) {
            long k = buildLog(dev);
            Path device = dev.path();
            TestLog before = TestLog.of(device);
            RawBytes.flipByte(device, RawBytes.entry(k) + 16); // a byte of the size
            String where = "seed " + SEED + ", bad entry " + k;

            try (LeaderProcess leader = LeaderProcess.start(device, dev.dir(), "--skip-bad-entries")) {
                Probe.Ready ready = Probe.ready(leader);
                assertEquals(200, ready.status(), ready::body);
                assertEquals(new JsonArray().add(k), ready.data().getJsonArray("bad_entries"), ready::body);
                assertTrue(ready.data().getString("reason").contains("skipped"), ready::body);
                // more new space than the hole and everything after it: a bitmap that stopped at the bad entry would
                // hand out the space of b0..b5
                LeaderClient rest = client(leader);
                try (GrpcLeaderClient grpc =
                        GrpcLeaderClient.create(vertx, "127.0.0.1", leader.grpcPort(), leader.token())) {
                    for (int i = 0; i < 24; i++) {
                        CreateFileRequest.Builder f = file("new" + i, 1 + random.nextLong(24 * MiB)).toBuilder();
                        if (i % 4 == 3) {
                            f.setInterleave(Interleave.newBuilder()
                                    .setNbuckets(4)
                                    .setNstrips(2)
                                    .setChunkSize(2 * MiB));
                        }
                        boolean created = i % 2 == 0
                                ? rest.createFile(f.build()).getCreated()
                                : grpc.createFile(f.build())
                                        .await(30, TimeUnit.SECONDS)
                                        .getCreated();
                        assertTrue(created, where);
                    }
                }
                assertEquals(143, leader.stop(), leader::output);
            }

            TestLog log = TestLog.of(device);
            assertEquals(List.of(k), log.badEntries, where);
            // the decoder reports the bad entry, and nothing else: no overlap among the valid entries
            assertEquals(List.of("bad entries below next_index: [" + k + "]"), log.problems(), where);
            List<TestLog.Entry> fresh = log.entries.stream()
                    .filter(e -> e.index() >= before.nextIndex)
                    .toList();
            assertEquals(24, fresh.size(), where);
            List<TestLog.Entry> valid =
                    before.entries.stream().filter(e -> e.index() != k).toList();
            long later = valid.stream().filter(e -> e.index() > k).count();
            assertEquals(6, later, where);
            List<String> overlaps = new ArrayList<>();
            for (TestLog.Entry n : fresh) {
                for (TestLog.Extent x : n.extents()) {
                    for (TestLog.Entry v : valid) {
                        for (TestLog.Extent y : v.extents()) {
                            if (x.offset() < y.offset() + y.length() && y.offset() < x.offset() + x.length()) {
                                overlaps.add(n.path() + " " + x + " overlaps " + v.path() + " (index " + v.index()
                                        + ") " + y);
                            }
                        }
                    }
                }
            }
            assertEquals(List.of(), overlaps, where);
            long total = fresh.stream()
                    .flatMap(e -> e.extents().stream())
                    .mapToLong(TestLog.Extent::length)
                    .sum();
            long holeAndAfter = before.entries.stream()
                    .filter(e -> e.index() >= k)
                    .flatMap(e -> e.extents().stream())
                    .mapToLong(TestLog.Extent::length)
                    .sum();
            assertTrue(
                    total > holeAndAfter,
                    () -> where + ": new files hold " + total + " bytes, not more than " + holeAndAfter);
        }
    }
}
