package io.famfs.meta.leader.core;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.Message;
import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.leader.alloc.InterleaveParams;
import io.famfs.meta.leader.store.RequestStore;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.log.AppendHook;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.FileInfo;
import io.famfs.meta.testing.TestDevice;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The leader core in process: what it does with queued changes when it closes, and after. */
class LeaderCoreTest {

    private static Leader start(TestDevice dev) {
        LeaderSettings settings = new LeaderSettings(
                dev.path(),
                Device.Options.readWrite(),
                dev.dir().resolve("state"),
                dev.dir().resolve("system_uuid"),
                true,
                false,
                InterleaveParams.CONTIGUOUS,
                1,
                AppendHook.NONE);
        return Leader.start(settings, new PrintWriter(new StringWriter()));
    }

    private static Op.CreateFiles file(String path) {
        return new Op.CreateFiles(List.of(new FileSpec(path, 1, 0644, 0, 0, null, false)), null, false);
    }

    @Test
    void closeFinishesEveryQueuedChangeThenRefusesNewOnes() throws Exception {
        try (TestDevice dev = TestDevice.formatted()) {
            Leader leader = start(dev);
            List<CompletableFuture<Message>> queued = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                queued.add(leader.submit(file("f" + i)));
            }
            leader.close();
            for (int i = 0; i < queued.size(); i++) {
                CreateFileResponse r = (CreateFileResponse) queued.get(i).get(0, TimeUnit.SECONDS);
                assertTrue(r.getCreated(), "f" + i);
            }
            ExecutionException late = assertThrows(
                    ExecutionException.class, () -> leader.submit(file("late")).get(10, TimeUnit.SECONDS));
            assertEquals(ErrorCode.UNAVAILABLE, ((FamfsException) late.getCause()).code());

            TestLog log = TestLog.of(dev.path());
            assertEquals(3000, log.nextIndex);
            assertEquals(List.of(), log.problems());
            assertNull(log.get("late"));
        }
    }

    @Test
    void aBatchThatCannotFitWritesNothingAndTheNextOneStillGoesIn() throws Exception {
        try (TestDevice dev = TestDevice.formatted()) {
            Leader leader = start(dev);
            try {
                long free = leader.freeBytes();
                var tooBig = new Op.CreateFiles(
                        List.of(
                                new FileSpec("ok", 1, 0644, 0, 0, null, false),
                                new FileSpec("huge", free, 0644, 0, 0, null, false)),
                        null,
                        true);
                ExecutionException e = assertThrows(
                        ExecutionException.class, () -> leader.submit(tooBig).get(10, TimeUnit.SECONDS));
                assertEquals(ErrorCode.NO_SPACE, ((FamfsException) e.getCause()).code());
                assertEquals(free, leader.freeBytes(), "the first file's space was given back");
                assertEquals(0, leader.published());
                leader.submit(file("next")).get(10, TimeUnit.SECONDS);
            } finally {
                leader.close();
            }
            TestLog log = TestLog.of(dev.path());
            assertEquals(1, log.nextIndex);
            assertEquals("next", log.entries.getFirst().path());
            assertEquals(
                    TestLog.LOG_OFFSET + log.logLen,
                    log.entries.getFirst().extents().getFirst().offset());
        }
    }

    @Test
    void aStoredAnswerWhoseEntryWasNeverPublishedIsPlannedAfresh() throws Exception {
        try (TestDevice dev = TestDevice.formatted()) {
            // as if the leader stored the answer, then died before the header published the entry
            Leader first = start(dev);
            UUID fs = first.volume().superblock().fsUuid();
            first.close();
            CreateFileResponse unpublished = CreateFileResponse.newBuilder()
                    .setCreated(true)
                    .setFile(FileInfo.newBuilder().setPath("x").setSize(1).setLogIndex(0))
                    .build();
            var op = new Op.CreateFiles(List.of(new FileSpec("x", 1, 0644, 0, 0, null, false)), "id-1", false);
            byte[] stored = StoredAnswer.encode(op, unpublished);
            try (RequestStore store = RequestStore.open(dev.dir().resolve("state/requests"), fs)) {
                store.putAll(Map.of("id-1", stored));
            }

            Leader leader = start(dev);
            try {
                CreateFileResponse r = (CreateFileResponse) leader.submit(op).get(10, TimeUnit.SECONDS);
                assertTrue(r.getCreated());
                assertEquals(1, leader.published(), "the create was written this time");
                // and now the stored answer is the published one: a retry writes nothing
                assertEquals(r, leader.submit(op).get(10, TimeUnit.SECONDS));
                assertEquals(1, leader.published());
            } finally {
                leader.close();
            }
            TestLog log = TestLog.of(dev.path());
            assertEquals(1, log.nextIndex);
            assertEquals("x", log.get("x").path());
        }
    }

    @Test
    void aRequestIdUsedAgainForADifferentRequestIsRefused() throws Exception {
        try (TestDevice dev = TestDevice.formatted()) {
            Leader leader = start(dev);
            try {
                var first = new Op.CreateFiles(List.of(new FileSpec("a", 1, 0644, 0, 0, null, false)), "id", false);
                leader.submit(first).get(10, TimeUnit.SECONDS);
                for (FileSpec other : List.of(
                        new FileSpec("b", 1, 0644, 0, 0, null, false),
                        new FileSpec("a", 2, 0644, 0, 0, null, false),
                        new FileSpec("a", 1, 0600, 0, 0, null, false),
                        new FileSpec("a", 1, 0644, 7, 0, null, false),
                        new FileSpec("a", 1, 0644, 0, 0, new InterleaveParams(4, 2, 2 << 20), false))) {
                    var again = new Op.CreateFiles(List.of(other), "id", false);
                    ExecutionException e = assertThrows(
                            ExecutionException.class, () -> leader.submit(again).get(10, TimeUnit.SECONDS));
                    assertEquals(ErrorCode.INVALID_ARGUMENT, ((FamfsException) e.getCause()).code(), other::toString);
                    assertTrue(e.getCause().getMessage().contains("different request"), e.getCause()::getMessage);
                }
                assertEquals(1, leader.published());
            } finally {
                leader.close();
            }
        }
    }
}
