package io.famfs.meta.cli;

import static io.famfs.meta.log.RawBytes.*;
import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.device.Device;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogAppender;
import io.famfs.meta.testing.TestDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every error: the exit code from the README table (ExitCodes), exactly one line on stderr naming the problem, no
 * stack trace.
 */
class CliErrorTest {
    private static final long MiB = CliTest.MiB;
    private static final long GiB = CliTest.GiB;

    @Test
    void aMissingDeviceIsNotFound() {
        try (TestDevice holder = TestDevice.create(0)) {
            String missing = holder.dir().resolve("nope.img").toString();
            for (String command : new String[] {"fsck", "dump"}) {
                Cli.run(command, "--device", missing)
                        .assertError(ExitCodes.NOT_FOUND, "famfs-meta " + command + ":", "device not found", missing);
            }
            Cli.run("getmap", "--device", missing, "f").assertError(ExitCodes.NOT_FOUND, missing);
            Cli.run(
                            "logplay",
                            "--device",
                            missing,
                            "-S",
                            holder.dir().resolve("s").toString())
                    .assertError(ExitCodes.NOT_FOUND, missing);
            Cli.run(
                            "mkfs",
                            "--device",
                            missing,
                            "--system-uuid-file",
                            holder.dir().resolve("u").toString())
                    .assertError(ExitCodes.NOT_FOUND, missing);
            assertFalse(Files.exists(Path.of(missing)), "no command creates a missing device");
        }
    }

    @Test
    void aBadSizeIsAUsageError() {
        try (TestDevice d = TestDevice.create(8 * GiB)) {
            Cli.run("mkfs", "-d", d.path().toString(), "--log-len", "8x")
                    .assertError(ExitCodes.USAGE, "--log-len", "'8x'");
            Cli.run("fsck", "-d", d.path().toString(), "--device-size", "8x")
                    .assertError(ExitCodes.USAGE, "--device-size", "'8x'");
            assertEquals(0, le64(d.path(), 0), "nothing written");
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        try (TestDevice d = TestDevice.formatted()) {
            Cli.run("fsck", "-d", d.path().toString(), "--frobnicate").assertError(ExitCodes.USAGE, "--frobnicate");
        }
        Cli.run("--frobnicate").assertError(ExitCodes.USAGE, "--frobnicate");
    }

    @Test
    void aMissingRequiredOptionIsAUsageError() {
        Cli.run("fsck").assertError(ExitCodes.USAGE, "--device");
        Cli.run("logplay", "-d", "/dev/shm/x").assertError(ExitCodes.USAGE, "--shadow");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        Cli.run("frobnicate").assertError(ExitCodes.USAGE, "frobnicate");
        Cli.run("fsk", "-d", "/dev/shm/x").assertError(ExitCodes.USAGE, "fsk");
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Run run = Cli.run().assertError(ExitCodes.USAGE, "missing command", "--help");
        assertTrue(run.err().startsWith("famfs-meta: "), run::toString);
    }

    @Test
    void mkfsOverAFileSystemExists() {
        try (TestDevice d = TestDevice.formatted()) {
            byte[] before = read(d.path(), 0, 200);
            Cli.run(
                            "mkfs",
                            "-d",
                            d.path().toString(),
                            "--system-uuid-file",
                            d.dir().resolve("u").toString())
                    .assertError(ExitCodes.EXISTS, "holds a famfs file system", "--force");
            assertArrayEquals(before, read(d.path(), 0, 200));
        }
    }

    @Test
    void mkfsOnA1GiBFileIsRefused() {
        try (TestDevice d = TestDevice.create(GiB)) {
            Cli.run(
                            "mkfs",
                            "-d",
                            d.path().toString(),
                            "--system-uuid-file",
                            d.dir().resolve("u").toString())
                    .assertError(ExitCodes.USAGE, "at least 4 GiB");
            assertEquals(0, le64(d.path(), 0));
        }
    }

    @Test
    void mkfsWithALogLengthNotAPowerOfTwo() {
        try (TestDevice d = TestDevice.create(8 * GiB)) {
            Cli.run(
                            "mkfs",
                            "-d",
                            d.path().toString(),
                            "--system-uuid-file",
                            d.dir().resolve("u").toString(),
                            "-l",
                            "12m")
                    .assertError(ExitCodes.USAGE, "power of two");
            Cli.run(
                            "mkfs",
                            "-d",
                            d.path().toString(),
                            "--system-uuid-file",
                            d.dir().resolve("u").toString(),
                            "--daxdev-name",
                            "n".repeat(64))
                    .assertError(ExitCodes.USAGE, "daxdev name");
            assertEquals(0, le64(d.path(), 0));
        }
    }

    @Test
    void aCorruptSuperblockIsCorrupt() {
        try (TestDevice d = TestDevice.formatted()) {
            CliTest.appendSample(d);
            flipByte(d.path(), 50); // inside ts_uuid: the CRC no longer matches
            String dev = d.path().toString();
            String shadow = d.dir().resolve("shadow").toString();
            for (String[] args : new String[][] {
                {"fsck", "-d", dev},
                {"logplay", "-d", dev, "-S", shadow},
                {"getmap", "-d", dev, "dir1/simple"},
                {"dump", "-d", dev}
            }) {
                Cli.run(args).assertError(ExitCodes.CORRUPT, "famfs-meta " + args[0] + ":", "superblock CRC mismatch");
            }
            assertFalse(Files.exists(Path.of(shadow)), "logplay writes nothing for a corrupt superblock");
            putLe64(d.path(), 0, 0); // magic killed
            Cli.run("fsck", "-d", dev).assertError(ExitCodes.CORRUPT, "bad superblock magic");
        }
    }

    @Test
    void getmapOfAMissingPathOrADirectory() {
        try (TestDevice d = TestDevice.formatted()) {
            CliTest.appendSample(d);
            String dev = d.path().toString();
            Cli.run("getmap", "-d", dev, "dir1/nothing").assertError(ExitCodes.NOT_FOUND, "dir1/nothing");
            Cli.run("getmap", "-d", dev, "dir1").assertError(ExitCodes.USAGE, "dir1 is a directory");
            Cli.run("getmap", "-d", dev, "a/../b").assertError(ExitCodes.USAGE);
        }
    }

    @Test
    void logplayStopsAtABadEntryInTheMiddle() {
        try (TestDevice d = TestDevice.formatted()) {
            try (Device dev = d.open(true)) {
                LogAppender a = new LogAppender(FamfsVolume.open(dev));
                a.append(MkdirEntry.create("d0", 0755, 0, 0));
                a.append(file("d0/f1", 10));
                a.append(file("f2", 20));
                a.append(file("f3", 30));
                a.append(MkdirEntry.create("d4", 0755, 0, 0));
            }
            flipByte(d.path(), entry(2) + 60); // inside f2's relpath
            Path shadow = d.dir().resolve("shadow");
            Cli.Run run = Cli.run("logplay", "-d", d.path().toString(), "-S", shadow.toString())
                    .assertError(ExitCodes.CORRUPT, "replay stopped", "log index 2", "CRC mismatch");
            assertTrue(run.out().contains("2 log entries; 1 new files; 1 new directories"), run::toString);
            assertTrue(Files.isDirectory(shadow.resolve("root/d0")));
            assertTrue(Files.isRegularFile(shadow.resolve("root/d0/f1")));
            assertFalse(Files.exists(shadow.resolve("root/f2")));
            assertFalse(Files.exists(shadow.resolve("root/f3")));
            assertFalse(Files.exists(shadow.resolve("root/d4")));
        }
    }

    @Test
    void fsckFindsOverlappingFilesAndNamesTheEntry() {
        try (TestDevice d = TestDevice.formatted()) {
            try (Device dev = d.open(true)) {
                LogAppender a = new LogAppender(FamfsVolume.open(dev));
                a.append(file("first", 10)); // [10 MiB, 14 MiB)
                a.append(MkdirEntry.create("d", 0755, 0, 0));
                a.append(FileEntry.create(
                        "d/second", MiB, 0644, 0, 0, SimpleFmap.of(Extent.of(12 * MiB, 2 * MiB)))); // overlaps
                a.append(file("third", 100));
            }
            Cli.Run run = Cli.run("fsck", "-d", d.path().toString());
            assertEquals(ExitCodes.COLLISIONS, run.exit(), run::toString);
            assertTrue(run.out().contains("4 of 15420 entries used"), run::toString);
            assertTrue(run.out().contains("ERROR: 1 allocation collisions found"), run::toString);
            assertTrue(run.out().contains("allocation collisions:  1 (file entries [2])"), run::toString);
            assertEquals("", run.err());
        }
    }

    @Test
    void anUnsupportedVersionIsUnsupported() {
        try (TestDevice d = TestDevice.formatted()) {
            CliTest.appendSample(d);
            putLe64(d.path(), SB_VERSION, 46);
            fixSuperblockCrc(d.path());
            Path shadow = d.dir().resolve("shadow");
            Cli.run("logplay", "-d", d.path().toString(), "-S", shadow.toString())
                    .assertError(ExitCodes.UNSUPPORTED, "unsupported famfs version", "version 46");
            assertFalse(Files.exists(shadow));
            Cli.run("fsck", "-d", d.path().toString()).assertError(ExitCodes.UNSUPPORTED, "version 46");

            // version 47 with a layout that is not the current one
            putLe64(d.path(), SB_VERSION, 47);
            putLe64(d.path(), SB_ALLOC_UNIT, 0x1000000);
            fixSuperblockCrc(d.path());
            Cli.run("logplay", "-d", d.path().toString(), "-S", shadow.toString())
                    .assertError(ExitCodes.UNSUPPORTED, "v47 layout");
        }
    }

    @Test
    void aValidV47FileSystemReplaysButMkfsStillRefuses() {
        try (TestDevice d = TestDevice.formatted()) {
            CliTest.appendSample(d);
            putLe64(d.path(), SB_VERSION, 47);
            fixSuperblockCrc(d.path());
            Path shadow = d.dir().resolve("shadow");
            Cli.run("logplay", "-d", d.path().toString(), "-S", shadow.toString())
                    .assertOk("3 log entries; 2 new files");
            Cli.run(
                            "mkfs",
                            "-d",
                            d.path().toString(),
                            "--system-uuid-file",
                            d.dir().resolve("u").toString())
                    .assertError(ExitCodes.EXISTS);
        }
    }

    private static FileEntry file(String path, long offsetMiB) {
        return FileEntry.create(path, MiB, 0644, 0, 0, SimpleFmap.of(Extent.of(offsetMiB * MiB, 4 * MiB)));
    }
}
