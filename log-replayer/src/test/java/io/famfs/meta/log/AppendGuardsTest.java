package io.famfs.meta.log;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.LogEntry;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.format.UnknownEntry;
import io.famfs.meta.replay.Replayer;
import io.famfs.meta.testing.TestDevice;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The append primitive refuses what famfs would never log, and a writer that dies mid-publish can be settled. */
class AppendGuardsTest {
    private static final long HEADER = Famfs.LOG_OFFSET;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static byte[] metadata(Device dev) {
        return dev.segment()
                .asSlice(0, Famfs.LOG_OFFSET + Famfs.DEFAULT_LOG_LEN)
                .toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void entriesFamfsWouldNeverWriteAreRefusedWithNoChange() {
        SimpleFmap map = SimpleFmap.of(Extent.of(10 * Famfs.MiB, 2 * Famfs.MiB));
        List<LogEntry> bad = List.of(
                new MkdirEntry(0, 0, 0, 0755, "../etc", null),
                new MkdirEntry(0, 0, 0, 0755, "/abs", null),
                new MkdirEntry(0, 0, 0, 0755, "x".repeat(80), null),
                new FileEntry(0, 4096, 2, 0, 0, 0644, "a\nb", null, map),
                new FileEntry(0, 0, 2, 0, 0, 0644, "empty", null, map),
                new FileEntry(0, -5, 2, 0, 0, 0644, "negative", null, map),
                new UnknownEntry(0, 0),
                new UnknownEntry(0, 7));
        try (TestDevice d = TestDevice.formatted();
                Device dev = d.open(true)) {
            LogAppender appender = new LogAppender(FamfsVolume.open(dev));
            appender.append(MkdirEntry.create("ok", 0755, 0, 0));
            byte[] before = metadata(dev);
            for (LogEntry e : bad) {
                FamfsException x = assertThrows(FamfsException.class, () -> appender.append(e), e::toString);
                assertEquals(ErrorCode.INVALID_ARGUMENT, x.code(), e::toString);
                assertArrayEquals(before, metadata(dev), () -> "changed by " + e);
            }
        }
    }

    @Test
    void aWriterThatDiedBetweenThePublishesIsRolledForward() {
        try (TestDevice d = TestDevice.formatted();
                Device dev = d.open(true)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            new LogAppender(volume).append(MkdirEntry.create("a", 0755, 0, 0));
            LogAppender dying = new LogAppender(volume, (step, index) -> {
                if (step == AppendStep.SEQNUM_PUBLISHED) {
                    throw new IllegalStateException("killed");
                }
            });
            assertThrows(IllegalStateException.class, () -> dying.append(MkdirEntry.create("a/b", 0755, 0, 0)));
            assertEquals(2, dev.segment().get(U64, HEADER + 32), "next_seqnum published");
            assertEquals(1, dev.segment().get(U64, HEADER + 40), "next_index not");

            LogAppender next = new LogAppender(volume);
            FamfsException refused =
                    assertThrows(FamfsException.class, () -> next.append(MkdirEntry.create("c", 0755, 0, 0)));
            assertEquals(ErrorCode.FAILED_PRECONDITION, refused.code());

            assertEquals(LogAppender.Repair.ROLLED_FORWARD, next.repairHalfPublished());
            assertEquals(2, dev.segment().get(U64, HEADER + 40), "the complete entry is committed");
            assertEquals(LogAppender.Repair.NONE, next.repairHalfPublished());
            assertEquals(2, next.append(MkdirEntry.create("c", 0755, 0, 0)));
            var ns = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD).namespace();
            assertNotNull(ns.get("a/b"));
            assertNotNull(ns.get("c"));
        }
    }

    @Test
    void aBatchWhoseWriterDiedBetweenThePublishesIsRolledForwardAsAWhole() {
        try (TestDevice d = TestDevice.formatted();
                Device dev = d.open(true)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            new LogAppender(volume).append(MkdirEntry.create("a", 0755, 0, 0));
            LogAppender dying = new LogAppender(volume, (step, index) -> {
                if (step == AppendStep.SEQNUM_PUBLISHED) {
                    throw new IllegalStateException("killed");
                }
            });
            LogAppender.Batch batch = dying.begin();
            batch.add(MkdirEntry.create("a/b", 0755, 0, 0));
            batch.add(MkdirEntry.create("a/c", 0755, 0, 0));
            batch.add(MkdirEntry.create("a/d", 0755, 0, 0));
            assertThrows(IllegalStateException.class, batch::publish);
            assertEquals(4, dev.segment().get(U64, HEADER + 32), "next_seqnum published over the whole batch");
            assertEquals(1, dev.segment().get(U64, HEADER + 40), "next_index not");

            LogAppender next = new LogAppender(volume);
            assertEquals(LogAppender.Repair.ROLLED_FORWARD, next.repairHalfPublished());
            assertEquals(4, dev.segment().get(U64, HEADER + 40), "the three complete entries are committed");
            var ns = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD).namespace();
            assertNotNull(ns.get("a/b"));
            assertNotNull(ns.get("a/d"));

            // ahead by two over one complete slot and one that does not validate: not what any append leaves
            LogAppender.Batch torn = dying.begin();
            torn.add(MkdirEntry.create("e", 0755, 0, 0));
            dev.segment().set(U64, HEADER + 32, 6L);
            FamfsException odd = assertThrows(FamfsException.class, next::repairHalfPublished);
            assertEquals(ErrorCode.FAILED_PRECONDITION, odd.code());
            assertEquals(6, dev.segment().get(U64, HEADER + 32), "left alone");
            assertEquals(4, dev.segment().get(U64, HEADER + 40), "left alone");
        }
    }

    @Test
    void aHalfPublishedHeaderOverAnIncompleteSlotIsRolledBack() {
        try (TestDevice d = TestDevice.formatted();
                Device dev = d.open(true)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            LogAppender appender = new LogAppender(volume);
            appender.append(MkdirEntry.create("a", 0755, 0, 0));
            dev.segment().set(U64, HEADER + 32, 2L); // next_seqnum ahead over an empty slot 1
            assertEquals(LogAppender.Repair.ROLLED_BACK, appender.repairHalfPublished());
            assertEquals(1, dev.segment().get(U64, HEADER + 32));
            assertEquals(1, dev.segment().get(U64, HEADER + 40));
            assertEquals(1, appender.append(MkdirEntry.create("b", 0755, 0, 0)));

            dev.segment().set(U64, HEADER + 32, 7L); // not what any single append leaves
            FamfsException odd = assertThrows(FamfsException.class, appender::repairHalfPublished);
            assertEquals(ErrorCode.FAILED_PRECONDITION, odd.code());
            assertEquals(7, dev.segment().get(U64, HEADER + 32), "left alone");
        }
    }
}
