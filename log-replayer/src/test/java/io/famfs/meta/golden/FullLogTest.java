package io.famfs.meta.golden;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.LogEntry;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogAppender;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.replay.Replayer;
import io.famfs.meta.replay.SpaceMap;
import io.famfs.meta.testing.GoldenCase;
import io.famfs.meta.testing.TestDevice;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** a2-full-log is the log-full boundary: it holds exactly capacity entries, and one more append is refused intact. */
class FullLogTest {
    private static final int LOG_OFFSET = 2 << 20;

    @Test
    void fullLogRefusesOneMoreEntryAndStaysUnchanged() {
        GoldenCase c = Golden.load("a2-full-log");
        byte[] image = c.imageBytes();
        long logLen = c.logLen();
        assertEquals(LOG_OFFSET + logLen, image.length);

        // Our own reading of famfs's header: last_index at 16, next_seqnum at 32, next_index at 40.
        ByteBuffer h = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        long lastIndex = h.getLong(LOG_OFFSET + 16);
        long nextSeqnum = h.getLong(LOG_OFFSET + 32);
        long nextIndex = h.getLong(LOG_OFFSET + 40);
        assertEquals(15419, lastIndex, "last_index");
        assertEquals(15420, nextIndex, "next_index");
        assertEquals(lastIndex + 1, nextIndex, "next_index == last_index + 1");
        assertEquals(nextIndex, nextSeqnum, "next_seqnum");
        assertEquals(c.json().get("num_entries").asLong(), nextIndex);
        assertEquals(c.json().get("log_capacity_entries").asLong(), nextIndex);

        try (TestDevice d = c.device();
                Device dev = d.open(true)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            assertTrue(volume.writable(), "a read-write mapping of a v48 file system is writable");
            assertEquals(15420, volume.capacity());
            assertEquals(15420, volume.readNextIndex());

            // What famfs tried (log_full_attempts): one more file, one more directory, one more striped file.
            long freeUnit = firstFreeUnit(c, volume);
            List<LogEntry> attempts = new ArrayList<>();
            attempts.add(FileEntry.create(
                    "one_more_file",
                    Famfs.MiB,
                    0644,
                    0,
                    0,
                    SimpleFmap.of(Extent.of(freeUnit * Famfs.ALLOC_UNIT, Famfs.ALLOC_UNIT))));
            attempts.add(MkdirEntry.create("one_more_dir", 0755, 0, 0));
            attempts.add(FileEntry.create(
                    "one_more_striped",
                    4 * Famfs.MiB,
                    0644,
                    0,
                    0,
                    InterleavedFmap.of(
                            Famfs.ALLOC_UNIT,
                            List.of(
                                    Extent.of(freeUnit * Famfs.ALLOC_UNIT, Famfs.ALLOC_UNIT),
                                    Extent.of((freeUnit + 1) * Famfs.ALLOC_UNIT, Famfs.ALLOC_UNIT)))));
            assertEquals(3, c.json().get("log_full_attempts").get("results").size(), "famfs's attempts");

            LogAppender appender = new LogAppender(volume);
            for (LogEntry e : attempts) {
                FamfsException full = assertThrows(FamfsException.class, () -> appender.append(e), e.toString());
                assertEquals(ErrorCode.LOG_FULL, full.code(), () -> "refusal of " + e + ": " + full.getMessage());
            }
            assertTrue(c.json()
                    .get("log_full_attempts")
                    .get("image_unchanged_after_attempts")
                    .asBoolean());
            byte[] after = dev.segment().asSlice(0, LOG_OFFSET + logLen).toArray(ValueLayout.JAVA_BYTE);
            assertArrayEquals(image, after, "superblock and log after the refused appends");

            // The same namespace as before.
            Replayer.Replay replay = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD);
            assertFalse(replay.result().stopped());
            assertEquals(15420, replay.namespace().nextIndex());
            Golden.assertNamespaceMatches(c, replay.namespace());
            assertNull(replay.namespace().get("one_more_file"));
            assertNull(replay.namespace().get("one_more_dir"));
            assertNull(replay.namespace().get("one_more_striped"));
        }
    }

    /** A data unit no file holds, with a free unit after it too (so the attempted maps are valid ones). */
    private static long firstFreeUnit(GoldenCase c, FamfsVolume volume) {
        SpaceMap space =
                Replayer.replayAll(volume, ReadMode.STOP_AT_BAD).namespace().space();
        long firstData = (LOG_OFFSET + c.logLen()) / Famfs.ALLOC_UNIT;
        for (long u = firstData; u + 1 < space.units(); u++) {
            if (!space.isSet(u) && !space.isSet(u + 1)) {
                return u;
            }
        }
        throw new AssertionError("a2-full-log has free space (fsck free_space "
                + c.json().get("fsck").get("free_space") + "), but no two free units were found");
    }
}
