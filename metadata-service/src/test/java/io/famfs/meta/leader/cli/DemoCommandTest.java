package io.famfs.meta.leader.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.cli.Cli;
import io.famfs.meta.cli.ExitCodes;
import io.famfs.meta.log.RawBytes;
import io.famfs.meta.testing.TestDevice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The demo, in process through the launcher (which finds it in this module by ServiceLoader). */
class DemoCommandTest {

    @Test
    void demoMakesAndChecksADeviceTwice() throws IOException {
        try (TestDevice holder = TestDevice.create(0)) {
            Path dir = holder.dir().resolve("demo");
            Path device = dir.resolve("dax0.img");
            Cli.Run first = Cli.run("demo", "--dir", dir.toString())
                    .assertOk(
                            "made an emulated device: " + device,
                            "The device is " + device,
                            "0 of 15420 entries used",
                            "role of this node: Owner");
            assertEquals("", first.err(), first::toString);
            assertTrue(Files.isRegularFile(device));
            assertEquals(8L << 30, Files.size(device));
            byte[] sb = RawBytes.read(device, 0, 200);
            assertEquals(0x87b282ffL, RawBytes.le64(sb, 0));
            assertEquals(RawBytes.crc32(sb, 0, 96), RawBytes.le64(sb, 96));
            UUID fs1 = RawBytes.uuid(sb, 48);
            UUID owner = RawBytes.uuid(sb, 80);
            Path uuidFile = dir.resolve("system_uuid");
            assertEquals(owner.toString(), new String(Files.readAllBytes(uuidFile), 0, 36, StandardCharsets.US_ASCII));

            // the commands the demo suggests work on its device
            Cli.run("fsck", "--device", device.toString(), "--system-uuid-file", uuidFile.toString())
                    .assertOk("0 of 15420 entries used", "role of this node: Owner");
            Cli.run("dump", "--device", device.toString()).assertOk("next_index 0");

            // a second run re-makes the device: a new file system, the same host identity
            Cli.Run second = Cli.run("demo", "--dir", dir.toString()).assertOk("The device is " + device);
            assertEquals("", second.err(), second::toString);
            byte[] sb2 = RawBytes.read(device, 0, 200);
            assertNotEquals(fs1, RawBytes.uuid(sb2, 48));
            assertEquals(owner, RawBytes.uuid(sb2, 80));
        }
    }

    @Test
    void aDemoFolderThatCannotBeMadeIsAnIoErrorNotABug() throws IOException {
        try (TestDevice holder = TestDevice.create(0)) {
            Path file = Files.writeString(holder.dir().resolve("afile"), "x");
            Cli.run("demo", "--dir", file.resolve("sub").toString()).assertError(ExitCodes.IO, "I/O error", "afile");
        }
    }

    @Test
    void demoWithASmallSizeIsAUsageError() {
        try (TestDevice holder = TestDevice.create(0)) {
            Path dir = holder.dir().resolve("demo");
            Cli.run("demo", "--dir", dir.toString(), "--size", "1g").assertError(ExitCodes.USAGE, "--size", "4g");
            assertFalse(Files.exists(dir.resolve("dax0.img")));
        }
    }

    @Test
    void demoHelp() {
        Cli.Run run = Cli.run("demo", "--help").assertOk("Usage: famfs-meta demo", "--dir", "--size");
        assertEquals("", run.err());
    }

    @Test
    void theLauncherListsBothModulesCommands() {
        String out = Cli.run("--help").assertOk().out();
        int device = out.indexOf("Device commands (log-replayer):");
        int leader = out.indexOf("Leader commands (metadata-service):");
        assertTrue(device >= 0 && leader > device, out);
        for (String command : new String[] {"mkfs", "fsck", "logplay", "getmap", "dump"}) {
            int at = out.indexOf("\n  " + command + " ");
            assertTrue(at > device && at < leader, command + " under Device commands:\n" + out);
        }
        assertTrue(out.indexOf("\n  demo ") > leader, out);
    }
}
