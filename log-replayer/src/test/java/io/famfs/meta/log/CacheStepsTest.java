package io.famfs.meta.log;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.device.CacheControl;
import io.famfs.meta.device.Device;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Replayer;
import io.famfs.meta.testing.TestDevice;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cache steps of the commit rule (DESIGN.md invariant 2), recorded by a {@link CacheControl} that notes every
 * flush and invalidate with the next_index stored in shared memory at that moment: a writer flushes the entry while
 * next_index does not yet cover it and flushes the header once it does; a reader invalidates the header before it reads
 * next_index, and every entry before it reads it.
 */
class CacheStepsTest {
    private static final long HEADER = Famfs.LOG_OFFSET;
    private static final long NEXT_INDEX = HEADER + 40; // read here with our own offset, not the code under test's
    private static final int ENTRY = 544;

    record Step(String op, long offset, long length, long nextIndexSeen) {}

    static final class Recorder implements CacheControl {
        final List<Step> steps = new ArrayList<>();

        private void note(String op, MemorySegment mapping, long offset, long length) {
            long next = mapping.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), NEXT_INDEX);
            steps.add(new Step(op, offset, length, next));
        }

        @Override
        public void flush(MemorySegment mapping, long offset, long length) {
            note("flush", mapping, offset, length);
        }

        @Override
        public void invalidate(MemorySegment mapping, long offset, long length) {
            note("invalidate", mapping, offset, length);
        }
    }

    private static long entryOffset(long index) {
        return HEADER + 48 + ENTRY * index;
    }

    @Test
    void appendFlushesTheEntryBeforePublishingAndTheHeaderAfter() {
        Recorder rec = new Recorder();
        try (TestDevice d = TestDevice.formatted();
                Device dev = Device.open(d.path(), Device.Options.readWrite().withCache(rec))) {
            FamfsVolume volume = FamfsVolume.open(dev);
            LogAppender appender = new LogAppender(volume);
            for (long i = 0; i < 3; i++) {
                rec.steps.clear();
                appender.append(MkdirEntry.create("d" + i, 0755, 0, 0));
                List<Step> flushes =
                        rec.steps.stream().filter(s -> s.op().equals("flush")).toList();
                assertEquals(2, flushes.size(), () -> "two flushes per append: " + rec.steps);
                assertEquals(new Step("flush", entryOffset(i), ENTRY, i), flushes.get(0), "entry flushed, unpublished");
                assertEquals(new Step("flush", HEADER, 48, i + 1), flushes.get(1), "header flushed after publishing");
            }
        }
    }

    @Test
    void readersInvalidateTheHeaderThenEachEntryBeforeReadingIt() {
        Recorder rec = new Recorder();
        try (TestDevice d = TestDevice.formatted()) {
            try (Device dev = d.open(true)) {
                LogAppender appender = new LogAppender(FamfsVolume.open(dev));
                appender.append(MkdirEntry.create("dir", 0755, 0, 0));
                appender.append(FileEntry.create(
                        "dir/f", 1, 0644, 0, 0, SimpleFmap.of(Extent.of(10 * Famfs.MiB, 2 * Famfs.MiB))));
                appender.append(MkdirEntry.create("dir/sub", 0755, 0, 0));
            }
            try (Device dev = Device.open(d.path(), Device.Options.readOnly().withCache(rec))) {
                FamfsVolume volume = FamfsVolume.open(dev);
                Namespace ns = Namespace.forVolume(volume);
                rec.steps.clear();
                new Replayer(volume, ns).replay(ReadMode.STOP_AT_BAD);
                assertEquals(3, ns.nextIndex());
                List<Step> inv = rec.steps;
                assertTrue(inv.stream().allMatch(s -> s.op().equals("invalidate")), inv::toString);
                assertEquals(new Step("invalidate", HEADER, 48, 3), inv.get(0), "header before next_index");
                List<Long> entries = inv.stream()
                        .filter(s -> s.offset() != HEADER)
                        .map(Step::offset)
                        .toList();
                assertEquals(List.of(entryOffset(0), entryOffset(1), entryOffset(2)), entries, "each entry, in order");
            }
        }
    }
}
