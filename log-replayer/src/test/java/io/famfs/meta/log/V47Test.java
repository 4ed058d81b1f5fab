package io.famfs.meta.log;

import static io.famfs.meta.log.RawBytes.*;
import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.FormatError;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.replay.DirNode;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Replayer;
import io.famfs.meta.testing.GoldenCase;
import io.famfs.meta.testing.TestDevice;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Version 47 (famfs-format.md 1.8): readable, read-only, only when the current layout checks pass; otherwise
 * UNSUPPORTED_V47_LAYOUT. The same damage on a version-48 image gives its own specific error.
 */
class V47Test {
    private static final GoldenCase A1 = GoldenCase.load("a1-basic");

    /** a1-basic with the damage applied, then (for v47) ts_version 47 and the superblock CRC recomputed. */
    private static TestDevice image(boolean v47, Consumer<Path> damage) {
        TestDevice d = A1.device();
        damage.accept(d.path());
        if (v47) {
            putLe64(d.path(), SB_VERSION, 47);
            fixSuperblockCrc(d.path());
        }
        return d;
    }

    private static FormatException refused(TestDevice d) {
        try (Device dev = d.open(true)) {
            return assertThrows(FormatException.class, () -> FamfsVolume.open(dev));
        }
    }

    @Test
    void aValidV47ImageOpensReadOnlyAndReplays() {
        try (TestDevice d = image(true, p -> {})) {
            assertEquals(47, le64(d.path(), SB_VERSION));
            byte[] before = read(d.path(), 0, (int) (LOG + A1.logLen()));
            try (Device dev = d.open(true)) {
                assertTrue(dev.writable(), "the mapping itself is read-write");
                FamfsVolume volume = FamfsVolume.open(dev);
                assertEquals(47, volume.superblock().version());
                assertFalse(volume.writable());
                FamfsException e = assertThrows(FamfsException.class, () -> new LogAppender(volume));
                assertEquals(ErrorCode.READ_ONLY, e.code());
                assertTrue(e.getMessage().contains("47"), e.getMessage());

                Replayer.Replay replay = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD);
                assertFalse(replay.result().stopped());
                assertEquals(3, replay.result().end());
                assertInstanceOf(DirNode.class, replay.namespace().get("dir1"));
                assertEquals(3L << 20, ((FileNode) replay.namespace().get("dir1/simple")).size());
                assertEquals(20L << 20, ((FileNode) replay.namespace().get("striped")).size());
            }
            assertArrayEquals(before, read(d.path(), 0, (int) (LOG + A1.logLen())), "opening must write nothing");
        }
    }

    @Test
    void anEmptyV47FileSystemOpensAndIsReadOnly() {
        try (TestDevice d = TestDevice.formatted()) {
            putLe64(d.path(), SB_VERSION, 47);
            fixSuperblockCrc(d.path());
            try (Device dev = d.open(true)) {
                FamfsVolume volume = FamfsVolume.open(dev);
                assertFalse(volume.writable());
                assertEquals(0, volume.readNextIndex());
                assertEquals(
                        ErrorCode.READ_ONLY,
                        assertThrows(FamfsException.class, () -> new LogAppender(volume))
                                .code());
            }
            // the same file system at version 48 takes appends
            putLe64(d.path(), SB_VERSION, 48);
            fixSuperblockCrc(d.path());
            try (Device dev = d.open(true)) {
                FamfsVolume volume = FamfsVolume.open(dev);
                assertTrue(volume.writable());
                assertEquals(0, new LogAppender(volume).append(MkdirEntry.create("x", 0755, 0, 0)));
            }
        }
    }

    @Test
    void otherVersionsAreUnsupported() {
        for (long version : new long[] {46, 49, 0, -1}) {
            try (TestDevice d = image(false, p -> {
                putLe64(p, SB_VERSION, version);
                fixSuperblockCrc(p);
            })) {
                FormatException e = refused(d);
                assertEquals(FormatError.SB_UNSUPPORTED_VERSION, e.error(), "version " + version);
                assertEquals(ErrorCode.UNSUPPORTED, e.code());
            }
        }
    }

    @Test
    void allocUnit16MiB() {
        Consumer<Path> damage = p -> {
            putLe64(p, SB_ALLOC_UNIT, 0x1000000);
            fixSuperblockCrc(p);
        };
        assertV47Layout(damage, "bad allocation unit");
        assertV48Error(damage, FormatError.SB_BAD_ALLOC_UNIT);
    }

    @Test
    void omfMajor1() {
        Consumer<Path> damage = p -> {
            putLe32(p, SB_OMF_MAJOR, 1);
            fixSuperblockCrc(p);
        };
        assertV47Layout(damage, "OMF major 1");
        // version 48 readers do not check the OMF version, as famfs does not: the image opens and replays
        try (TestDevice d = image(false, damage);
                Device dev = d.open(false)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            assertEquals(1, volume.superblock().omfMajor());
            assertEquals(
                    3, Replayer.replayAll(volume, ReadMode.STOP_AT_BAD).result().end());
        }
    }

    @Test
    void badLogHeaderCrc() {
        Consumer<Path> damage = p -> flipByte(p, LOG + HDR_CRC);
        assertV47Layout(damage, "log header CRC mismatch");
        assertV48Error(damage, FormatError.LOG_CRC_MISMATCH);
    }

    @Test
    void wrongLastIndex() {
        Consumer<Path> damage = p -> {
            putLe64(p, LOG + HDR_LAST_INDEX, 15418);
            fixHeaderCrc(p);
        };
        assertV47Layout(damage, "last_index");
        assertV48Error(damage, FormatError.LOG_BAD_LAST_INDEX);
    }

    @Test
    void invalidEntryZero() {
        for (long offset : new long[] {entry(0) + ENTRY_CRC, entry(0), entry(0) + 200}) {
            Consumer<Path> damage = p -> flipByte(p, offset);
            assertV47Layout(damage, "entry 0");
            // version 48: the volume opens and replay stops at entry 0 with the entry's own error
            try (TestDevice d = image(false, damage);
                    Device dev = d.open(false)) {
                FamfsVolume volume = FamfsVolume.open(dev);
                Replayer.Replay replay = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD);
                assertTrue(replay.result().stopped());
                assertEquals(0, replay.result().end());
                FormatException bad = replay.result().stoppedBy();
                assertEquals(0, bad.index());
                FormatError expected =
                        offset == entry(0) ? FormatError.ENTRY_SEQNUM_MISMATCH : FormatError.ENTRY_CRC_MISMATCH;
                assertEquals(expected, bad.error());
            }
        }
    }

    @Test
    void aBadEntryAfterEntryZeroDoesNotStopAV47Open() {
        try (TestDevice d = image(true, p -> flipByte(p, entry(1) + ENTRY_CRC));
                Device dev = d.open(false)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            Replayer.Replay replay = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD);
            assertEquals(1, replay.result().end());
            assertEquals(
                    FormatError.ENTRY_CRC_MISMATCH, replay.result().stoppedBy().error());
        }
    }

    /**
     * A real v47 superblock from before 2024-11 has no ts_alloc_unit and no OMF version: its UUIDs start at 32 and its
     * CRC of [0, 80) sits at 80. Built here field by field, it is refused as an unsupported layout, not as damage.
     */
    @Test
    void theV47LayoutFromBeforeTheAllocUnitIsUnsupported() {
        try (TestDevice d = A1.device()) {
            byte[] sb = read(d.path(), 0, 200);
            byte[] old = new byte[200];
            System.arraycopy(sb, 0, old, 0, 32); // magic, version, log offset, log length
            putBytesLe64(old, 8, 47);
            System.arraycopy(sb, 48, old, 32, 48); // the three UUIDs, moved up 16 bytes
            putBytesLe64(old, 80, crc32(old, 0, 80));
            write(d.path(), 0, old);
            FormatException e = refused(d);
            assertEquals(FormatError.UNSUPPORTED_V47_LAYOUT, e.error(), e.getMessage());
            assertEquals(ErrorCode.UNSUPPORTED, e.code());
            assertTrue(e.getMessage().contains("offset 80"), e.getMessage());
        }
        // the same bytes at version 48 are simply damaged
        try (TestDevice d = A1.device()) {
            putLe64(d.path(), 90, 0x1234L);
            assertEquals(FormatError.SB_CRC_MISMATCH, refused(d).error());
        }
    }

    private static void putBytesLe64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void assertV47Layout(Consumer<Path> damage, String detail) {
        try (TestDevice d = image(true, damage)) {
            FormatException e = refused(d);
            assertEquals(FormatError.UNSUPPORTED_V47_LAYOUT, e.error(), e.getMessage());
            assertEquals(ErrorCode.UNSUPPORTED, e.code());
            assertTrue(e.getMessage().contains(detail), e.getMessage());
        }
    }

    private static void assertV48Error(Consumer<Path> damage, FormatError expected) {
        try (TestDevice d = image(false, damage)) {
            assertEquals(48, le64(d.path(), SB_VERSION));
            FormatException e = refused(d);
            assertEquals(expected, e.error(), e.getMessage());
            assertEquals(ErrorCode.CORRUPT, e.code());
        }
    }
}
