package io.famfs.meta.replay;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.LogEntryDescriptor;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogAppender;
import io.famfs.meta.log.LogReader;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.testing.TestDevice;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A namespace written by {@link Namespace#writeSnapshot} and read back answers exactly as the one replay built, and
 * goes on applying entries exactly as it would have: compared through the public queries after the restore and after
 * more entries. Bytes it did not write are a typed CORRUPT error.
 */
class NamespaceSnapshotTest {
    private static final long MiB = 1L << 20;

    @Test
    void aRestoredNamespaceAnswersAndAppliesAsTheOriginal() throws IOException {
        try (TestDevice dev = TestDevice.formatted(16 * Famfs.GiB, Famfs.DEFAULT_LOG_LEN);
                Device device = dev.open(true)) {
            FamfsVolume volume = FamfsVolume.open(device);
            LogAppender log = new LogAppender(volume);
            long data = volume.superblock().dataStart();
            log.append(MkdirEntry.create("d", 0750, 7, 8));
            log.append(MkdirEntry.create("d/e", 0755, 0, 0));
            for (int i = 0; i < 40; i++) {
                log.append(FileEntry.create(
                        (i % 2 == 0 ? "d/f" : "d/e/g") + i,
                        1 + i * MiB,
                        0644,
                        i,
                        i + 1,
                        SimpleFmap.of(Extent.of(data + i * 64 * MiB, 64 * MiB))));
            }
            log.append(FileEntry.create(
                    "striped",
                    30 * MiB,
                    0600,
                    0,
                    0,
                    InterleavedFmap.of(
                            2 * MiB,
                            List.of(Extent.of(data + 4096 * MiB, 16 * MiB), Extent.of(data + 4160 * MiB, 16 * MiB)))));
            // flagged: over space file d/f0 holds; skipped: its parent is missing; existed: the path is taken
            log.append(FileEntry.create("overlap", MiB, 0644, 0, 0, SimpleFmap.of(Extent.of(data, 2 * MiB))));
            log.append(
                    FileEntry.create("nope/x", MiB, 0644, 0, 0, SimpleFmap.of(Extent.of(data + 8192 * MiB, 2 * MiB))));
            log.append(MkdirEntry.create("d", 0700, 0, 0));

            Namespace original =
                    Replayer.replayAll(volume, ReadMode.STOP_AT_BAD).namespace();
            assertEquals(1, original.flagged().size(), "the test log has a flagged file");
            assertEquals(1, original.skipped().size(), "the test log has a skipped entry");
            byte[] snapshot = snapshot(original);
            Namespace restored = restore(snapshot);
            assertEquals(describe(original), describe(restored));
            assertArrayEquals(snapshot, snapshot(restored), "a restored namespace writes the same snapshot");

            // more entries, some under directories that existed before the snapshot: both go on the same way
            long from = original.nextIndex();
            log.append(MkdirEntry.create("d/e/h", 0755, 1, 1));
            for (int i = 0; i < 30; i++) {
                log.append(FileEntry.create(
                        "d/e/h/n" + i,
                        MiB,
                        0644,
                        0,
                        0,
                        SimpleFmap.of(Extent.of(data + (9000 + 2 * i) * MiB, 2 * MiB))));
            }
            log.append(FileEntry.create("d/f0", MiB, 0644, 0, 0, SimpleFmap.of(Extent.of(data + 9900 * MiB, 2 * MiB))));
            LogReader reader = new LogReader(volume);
            byte[] entry = new byte[LogEntryDescriptor.LENGTH];
            for (long i = from; i < volume.readNextIndex(); i++) {
                assertNull(reader.readValidated(i, entry));
                original.apply(i, entry);
                restored.apply(i, entry);
            }
            assertEquals(describe(original), describe(restored));
            assertNotNull(restored.get("d/e/h/n29"));
            assertEquals(0755, restored.get("d/e/h").mode());
        }
    }

    @Test
    void bytesItDidNotWriteAreCorrupt() throws IOException {
        Namespace ns = new Namespace(8 * Famfs.GiB, 10 * MiB, 16);
        byte[] good = snapshot(ns);
        byte[] badMagic = good.clone();
        badMagic[0] ^= 1;
        for (byte[] bad : List.of(badMagic, java.util.Arrays.copyOf(good, good.length / 2), new byte[0])) {
            FamfsException e = assertThrows(FamfsException.class, () -> restore(bad));
            assertEquals(ErrorCode.CORRUPT, e.code(), e::toString);
        }
        assertEquals(describe(ns), describe(restore(good)));
    }

    private static byte[] snapshot(Namespace ns) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            ns.writeSnapshot(out);
        }
        return bytes.toByteArray();
    }

    private static Namespace restore(byte[] snapshot) throws IOException {
        return Namespace.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot)));
    }

    /** Everything a namespace answers, as text: every node with its attributes and map, in log order, and the counts. */
    private static String describe(Namespace ns) {
        StringBuilder b = new StringBuilder();
        describeDir(ns.root(), b);
        b.append("size ")
                .append(ns.size())
                .append(" next ")
                .append(ns.nextIndex())
                .append('\n');
        b.append("entries ").append(ns.fileEntries()).append('/').append(ns.dirEntries());
        b.append(" sum ").append(ns.sumFileSizes());
        b.append(" created ").append(ns.filesCreated()).append('/').append(ns.dirsCreated());
        b.append(" existed ").append(ns.filesExisted()).append('/').append(ns.dirsExisted());
        b.append(" ignored ")
                .append(ns.ignoredEntries())
                .append(" bad ")
                .append(ns.badEntryCount())
                .append('\n');
        b.append("skipped ").append(ns.skipped()).append('\n');
        b.append("flagged ")
                .append(ns.flagged().stream()
                        .map(f -> f.path() + ":" + f.flagDetail())
                        .toList());
        b.append(" colliding ").append(ns.collidingEntries()).append('\n');
        SpaceMap s = ns.space();
        b.append("space ")
                .append(s.allocatedBytes())
                .append(' ')
                .append(s.freeBytes())
                .append(' ');
        b.append(s.collisions()).append(' ');
        for (long u = 0; u < s.units(); u++) {
            if (s.isSet(u)) {
                b.append(u).append(',');
            }
        }
        return b.toString();
    }

    private static void describeDir(DirNode dir, StringBuilder b) {
        b.append("dir ").append(dir.path()).append(' ').append(dir.index()).append(' ');
        b.append(Integer.toOctalString(dir.mode()))
                .append(' ')
                .append(dir.uid())
                .append(' ')
                .append(dir.gid());
        b.append('\n');
        for (Node child : dir.children()) {
            switch (child) {
                case DirNode d -> describeDir(d, b);
                case FileNode f ->
                    b.append("file ")
                            .append(f.path())
                            .append(' ')
                            .append(f.index())
                            .append(' ')
                            .append(f.size())
                            .append(' ')
                            .append(Integer.toOctalString(f.mode()))
                            .append(' ')
                            .append(f.uid())
                            .append(' ')
                            .append(f.gid())
                            .append(' ')
                            .append(f.fmap())
                            .append(' ')
                            .append(f.flags())
                            .append('\n');
            }
        }
    }
}
