package io.famfs.meta.corruption;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.device.Device;
import io.famfs.meta.format.FormatError;
import io.famfs.meta.format.LogHeader;
import io.famfs.meta.format.Superblock;
import io.famfs.meta.fsck.Fsck;
import io.famfs.meta.fsck.FsckReport;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogReader;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.replay.Replayer;
import io.famfs.meta.testing.TestDevice;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * next_index is not covered by any CRC. A full 1 GiB log whose next_index claims all 1,973,790 slots while every entry
 * is junk (here: zero, as sparse memory reads) must cost memory for what is really there, not for what next_index
 * claims: fsck counts every bad entry but keeps only the first thousand, and nothing is allocated up front for two
 * million nodes. (Before the fix this ran out of the tests' 2 GiB heap.)
 */
class HostileNextIndexTest {

    @Test
    void aFullLogOfJunkIsCheckedInBoundedMemory() {
        long logLen = Raw.GiB;
        try (TestDevice d = TestDevice.create(8 * Raw.GiB);
                Device dev = d.open(true)) {
            // The metadata by hand: mkfs would zero the whole gigabyte; the sparse file already reads as zeros.
            Superblock.forMkfs(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), logLen, 8 * Raw.GiB, "dev")
                    .encode(dev.segment(), 0);
            LogHeader empty = LogHeader.forMkfs(logLen);
            long capacity = empty.capacity();
            new LogHeader(empty.magic(), logLen, empty.lastIndex(), empty.storedCrc(), capacity, capacity)
                    .encode(dev.segment(), Raw.LOG);

            FamfsVolume volume = FamfsVolume.open(dev);
            assertEquals(1_973_790, volume.readNextIndex());

            Replayer.Replay replay = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD);
            assertTrue(replay.result().stopped());
            assertEquals(0, replay.result().end());
            assertEquals(
                    FormatError.ENTRY_CRC_MISMATCH, replay.result().stoppedBy().error());

            long before = usedHeapAfterGc();
            FsckReport report = Fsck.check(volume, null);
            long retained = usedHeapAfterGc() - before;
            // A kept error is a message and a small object; two million of them with stack traces were over 1 GiB.
            assertTrue(retained < 64L << 20, "fsck's report retains " + (retained >> 20) + " MiB");
            assertEquals(capacity, report.badEntryCount(), "every slot is counted");
            assertEquals(LogReader.KEPT_ERRORS, report.badEntries().size(), "only the first are kept");
            assertEquals(0, report.badEntries().getFirst().index());
            assertEquals(0, report.files());
            assertEquals(0, report.badEntries().getFirst().getStackTrace().length, "data errors carry no trace");
        }
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
