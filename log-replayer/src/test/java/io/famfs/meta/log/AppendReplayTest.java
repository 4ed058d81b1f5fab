package io.famfs.meta.log;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.replay.DirNode;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Replayer;
import io.famfs.meta.testing.TestDevice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppendReplayTest {
    private static final long DATA = 10 * Famfs.MiB; // first data offset with an 8 MiB log

    @Test
    void appendedEntriesReplayIncrementally() {
        try (TestDevice d = TestDevice.formatted();
                Device dev = d.open(true)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            LogAppender appender = new LogAppender(volume);
            assertEquals(0, appender.append(MkdirEntry.create("dir1", 0755, 1000, 1000)));
            assertEquals(
                    1,
                    appender.append(FileEntry.create(
                            "dir1/simple",
                            3 * Famfs.MiB,
                            0644,
                            1000,
                            1000,
                            SimpleFmap.of(Extent.of(DATA, 4 * Famfs.MiB)))));

            Namespace ns = Namespace.forVolume(volume);
            Replayer replayer = new Replayer(volume, ns);
            assertFalse(replayer.replay(ReadMode.STOP_AT_BAD).stopped());
            assertEquals(2, ns.nextIndex());
            assertInstanceOf(DirNode.class, ns.get("dir1"));

            appender.append(FileEntry.create(
                    "striped",
                    20 * Famfs.MiB,
                    0600,
                    0,
                    0,
                    InterleavedFmap.of(
                            2 * Famfs.MiB,
                            List.of(
                                    Extent.of(Famfs.GiB, 6 * Famfs.MiB),
                                    Extent.of(2 * Famfs.GiB, 6 * Famfs.MiB),
                                    Extent.of(3 * Famfs.GiB, 6 * Famfs.MiB),
                                    Extent.of(4 * Famfs.GiB, 6 * Famfs.MiB)))));
            var second = replayer.replay(ReadMode.STOP_AT_BAD);
            assertEquals(2, second.from());
            assertEquals(3, second.end());
            FileNode striped = (FileNode) ns.get("striped");
            assertFalse(striped.flagged(), striped::flagDetail);
            assertEquals(20 * Famfs.MiB, striped.size());
            assertEquals(2, ns.filesCreated());
            assertEquals(0, ns.space().collisions());
        }
    }

    @Test
    void appendRunsTheStepsInOrderAndAFullLogIsRefused() {
        try (TestDevice d = TestDevice.formatted();
                Device dev = d.open(true)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            List<AppendStep> steps = new ArrayList<>();
            LogAppender appender = new LogAppender(volume, (step, index) -> steps.add(step));
            appender.append(MkdirEntry.create("a", 0755, 0, 0));
            assertEquals(List.of(AppendStep.values()), steps);

            for (long i = 1; i <= volume.lastIndex(); i++) {
                appender.append(MkdirEntry.create("d" + i, 0755, 0, 0));
            }
            assertEquals(volume.capacity(), volume.readNextIndex());
            byte[] before = dev.segment()
                    .asSlice(0, Famfs.LOG_OFFSET + volume.logLen())
                    .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            FamfsException full =
                    assertThrows(FamfsException.class, () -> appender.append(MkdirEntry.create("x", 0755, 0, 0)));
            assertEquals(ErrorCode.LOG_FULL, full.code());
            assertArrayEquals(
                    before,
                    dev.segment()
                            .asSlice(0, Famfs.LOG_OFFSET + volume.logLen())
                            .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
    }
}
