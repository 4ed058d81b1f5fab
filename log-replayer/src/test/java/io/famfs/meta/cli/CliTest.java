package io.famfs.meta.cli;

import static io.famfs.meta.log.RawBytes.*;
import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.device.Device;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogAppender;
import io.famfs.meta.testing.TestDevice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The device commands' happy paths, in process, on emulated devices. */
class CliTest {
    static final long MiB = 1L << 20;
    static final long GiB = 1L << 30;

    /** Appends mkdir dir1, a 3 MiB simple file dir1/simple and a 20 MiB file striped over 4 strips. */
    static void appendSample(TestDevice d) {
        try (Device dev = d.open(true)) {
            LogAppender appender = new LogAppender(FamfsVolume.open(dev));
            appender.append(MkdirEntry.create("dir1", 0755, 1000, 1000));
            appender.append(FileEntry.create(
                    "dir1/simple", 3 * MiB, 0644, 1000, 1000, SimpleFmap.of(Extent.of(10 * MiB, 4 * MiB))));
            appender.append(FileEntry.create(
                    "striped",
                    20 * MiB,
                    0600,
                    0,
                    0,
                    InterleavedFmap.of(
                            2 * MiB,
                            List.of(
                                    Extent.of(GiB, 6 * MiB),
                                    Extent.of(2 * GiB, 6 * MiB),
                                    Extent.of(3 * GiB, 6 * MiB),
                                    Extent.of(4 * GiB, 6 * MiB)))));
        }
    }

    @Test
    void mkfsThenFsck() throws IOException {
        try (TestDevice d = TestDevice.create(8 * GiB)) {
            String dev = d.path().toString();
            Path uuidFile = d.dir().resolve("system_uuid");
            Cli.Run mkfs = Cli.run("mkfs", "--device", dev, "--system-uuid-file", uuidFile.toString())
                    .assertOk("made a famfs file system on " + dev, "15420 entries", "8589934592 bytes");
            assertEquals("", mkfs.err(), mkfs::toString);

            byte[] sb = read(d.path(), 0, 200);
            UUID owner = UUID.fromString(new String(Files.readAllBytes(uuidFile), 0, 36, StandardCharsets.US_ASCII));
            assertEquals(owner, uuid(sb, 80), "the owner is the host in --system-uuid-file");
            assertTrue(mkfs.out().contains(uuid(sb, 48).toString()), mkfs::toString);
            assertEquals(dev, new String(sb, 136, dev.length(), StandardCharsets.UTF_8), "daxdev name = DEV");
            assertEquals(8 * MiB, le64(sb, 24));

            Cli.Run fsck = Cli.run("fsck", "--device", dev, "--system-uuid-file", uuidFile.toString())
                    .assertOk("0 of 15420 entries used", "role of this node: Owner", "No allocation errors found");
            assertEquals("", fsck.err(), fsck::toString);
            // another host's view: the same device, a different identity
            Cli.run(
                            "fsck",
                            "-d",
                            dev,
                            "--system-uuid-file",
                            d.dir().resolve("missing").toString())
                    .assertOk("role of this node: Client");
        }
    }

    @Test
    void mkfsOptions() {
        try (TestDevice d = TestDevice.create(8 * GiB)) {
            String uuidFile = d.dir().resolve("system_uuid").toString();
            Cli.run(
                            "mkfs",
                            "-d",
                            d.path().toString(),
                            "--system-uuid-file",
                            uuidFile,
                            "--log-len",
                            "16m",
                            "--daxdev-name",
                            "/dev/dax7.0")
                    .assertOk("30840 entries");
            assertEquals(16 * MiB, le64(d.path(), 24));
            assertEquals(30839, le64(d.path(), LOG + HDR_LAST_INDEX));
            assertEquals("/dev/dax7.0\0", new String(read(d.path(), 136, 12), StandardCharsets.US_ASCII));
            UUID first = uuid(read(d.path(), 0, 200), 48);
            Cli.run("mkfs", "-d", d.path().toString(), "--system-uuid-file", uuidFile, "--force")
                    .assertOk("8388608");
            assertNotEquals(first, uuid(read(d.path(), 0, 200), 48));
            Cli.run("fsck", "-d", d.path().toString(), "--system-uuid-file", uuidFile, "--human")
                    .assertOk("0 of 15420 entries used", "Device capacity:        8.00G");
        }
    }

    @Test
    void dumpShowsTheHeaderAndEveryEntry() {
        try (TestDevice d = TestDevice.formatted()) {
            appendSample(d);
            Cli.Run dump = Cli.run("dump", "--device", d.path().toString())
                    .assertOk(
                            "superblock: version 48, OMF 2.2",
                            "daxdev /dev/dax0.0",
                            "log header: next_index 3, next_seqnum 3, last_index 15419",
                            "     0  MKDIR  dir1 mode 0755 uid 1000 gid 1000",
                            "     1  FILE   dir1/simple size 3145728 mode 0644 uid 1000 gid 1000 flags 2",
                            "  0: dev 0 offset 0xa00000 length 0x400000",
                            "     2  FILE   striped size 20971520 mode 0600",
                            "4 strips, chunk size 0x200000",
                            "strip 3: dev 0 offset 0x100000000 length 0x600000");
            assertEquals("", dump.err());

            Cli.Run some = Cli.run("dump", "-d", d.path().toString(), "--from", "1", "--count", "1")
                    .assertOk("     1  FILE   dir1/simple");
            assertFalse(some.out().contains("MKDIR"), some::toString);
            assertFalse(some.out().contains("striped"), some::toString);

            // a count past the end stops at next_index (it used to overflow and print nothing)
            Cli.run("dump", "-d", d.path().toString(), "--from", "1", "--count", Long.toString(Long.MAX_VALUE))
                    .assertOk("     1  FILE   dir1/simple", "     2  FILE   striped");
        }
    }

    @Test
    void dumpListsABadEntryAndGoesOn() {
        try (TestDevice d = TestDevice.formatted()) {
            appendSample(d);
            flipByte(d.path(), entry(1) + 100);
            Cli.run("dump", "-d", d.path().toString())
                    .assertOk("     1  BAD    log entry CRC mismatch at log index 1", "     2  FILE   striped");
        }
    }

    @Test
    void logplayWritesTheShadowTree() throws IOException {
        try (TestDevice d = TestDevice.formatted()) {
            appendSample(d);
            Path shadow = d.dir().resolve("shadow");
            Cli.Run run = Cli.run("logplay", "--device", d.path().toString(), "--shadow", shadow.toString())
                    .assertOk("3 log entries; 2 new files; 1 new directories", "shadow root " + shadow.resolve("root"));
            assertEquals("", run.err(), run::toString);
            assertTrue(Files.isDirectory(shadow.resolve("root/dir1")));
            String simple = Files.readString(shadow.resolve("root/dir1/simple"));
            assertTrue(simple.startsWith("---\nfile:\n  path: dir1/simple\n  size: 3145728\n"), simple);
            assertTrue(simple.contains("offset: 0xa00000\n"), simple);
            String striped = Files.readString(shadow.resolve("root/striped"));
            assertTrue(striped.contains("  - nstrips: 4\n    chunk_size: 0x200000\n"), striped);

            // a second run finds everything in place
            Cli.run("logplay", "-d", d.path().toString(), "-S", shadow.toString())
                    .assertOk("0 new files; 0 new directories", "existed: 2 files, 1 directories");

            Path dry = d.dir().resolve("dry");
            Cli.run("logplay", "-d", d.path().toString(), "-S", dry.toString(), "--dry-run")
                    .assertOk("(dry run): 3 log entries; would create 2 files and 1 directories");
            assertFalse(Files.exists(dry.resolve("root")), "a dry run writes nothing");
        }
    }

    @Test
    void getmapOfASimpleAndAStripedFile() {
        try (TestDevice d = TestDevice.formatted()) {
            appendSample(d);
            String dev = d.path().toString();
            Cli.Run simple = Cli.run("getmap", "--device", dev, "dir1/simple")
                    .assertOk(
                            "path:     dir1/simple\n",
                            "size:     3145728\n",
                            "mode:     0644  uid 1000  gid 1000\n",
                            "index:    1\n",
                            "extents:  1 simple\n",
                            "  0: dev 0 offset 0xa00000 length 0x400000\n");
            assertEquals("", simple.err());
            Cli.run("getmap", "-d", dev, "/striped")
                    .assertOk(
                            "size:     20971520\n",
                            "extents:  1 interleaved\n",
                            "  4 strips, chunk size 0x200000\n",
                            "  strip 0: dev 0 offset 0x40000000 length 0x600000\n",
                            "  strip 1: dev 0 offset 0x80000000 length 0x600000\n",
                            "  strip 2: dev 0 offset 0xc0000000 length 0x600000\n",
                            "  strip 3: dev 0 offset 0x100000000 length 0x600000\n");
        }
    }

    @Test
    void sizesTakeBinarySuffixes() {
        assertEquals(8L << 20, Sizes.parse("8m"));
        assertEquals(8L << 20, Sizes.parse("8MiB"));
        assertEquals(8L << 30, Sizes.parse("8G"));
        assertEquals(4096, Sizes.parse("4096"));
        assertEquals(2L << 40, Sizes.parse("2t"));
        assertEquals(3L << 10, Sizes.parse("3kb"));
    }
}
