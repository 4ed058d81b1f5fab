package io.famfs.meta.agent.cli;

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

    private static final String[] ANY_PORTS = {
        "--rest-port", "0", "--grpc-port", "0", "--agent-ports", "0,0", "--no-wait"
    };

    private static Cli.Run demo(Path dir) {
        String[] args = new String[3 + ANY_PORTS.length];
        args[0] = "demo";
        args[1] = "--dir";
        args[2] = dir.toString();
        System.arraycopy(ANY_PORTS, 0, args, 3, ANY_PORTS.length);
        return Cli.run(args);
    }

    @Test
    void demoMakesADeviceAndCreatesFilesThroughTheLeaderTwice() throws IOException {
        try (TestDevice holder = TestDevice.create(0)) {
            Path dir = holder.dir().resolve("demo");
            Path device = dir.resolve("dax0.img");
            Cli.Run first = demo(dir)
                    .assertOk(
                            "made an emulated device: " + device,
                            "REST   http://127.0.0.1:",
                            "gRPC   127.0.0.1:",
                            "host-a  http://127.0.0.1:",
                            "host-b  http://127.0.0.1:",
                            "hello.txt, created after them, was visible on host-a ",
                            "µs after the leader's answer; host-b ",
                            "token  " + dir.resolve("state/token"),
                            "weights.bin",
                            "shard-7",
                            "14 of 15420 used",
                            "curl -s -H \"Authorization: Bearer $(cat " + dir.resolve("state/token") + ")\"");
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
            // the leader stopped and took its address file with it; the token stays for the next run
            assertFalse(Files.exists(dir.resolve("state/leader.json")));
            assertTrue(Files.isRegularFile(dir.resolve("state/token")));

            // the commands the demo suggests work on its device: 13 entries, no collision, the striped file
            Cli.run("fsck", "--device", device.toString(), "--system-uuid-file", uuidFile.toString())
                    .assertOk("14 of 15420 entries used", "role of this node: Owner");
            Cli.run("getmap", "--device", device.toString(), "models/llama/weights.bin")
                    .assertOk("size:     1073741824", "1 interleaved", "4 strips, chunk size 0x200000");

            // a second run re-makes the device: a new file system, the same host identity
            Cli.Run second = demo(dir).assertOk("14 of 15420 used");
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
            demo(file.resolve("sub")).assertError(ExitCodes.IO, "I/O error", "afile");
        }
    }

    @Test
    void demoWithASmallSizeIsAUsageError() {
        try (TestDevice holder = TestDevice.create(0)) {
            Path dir = holder.dir().resolve("demo");
            Cli.run("demo", "--dir", dir.toString(), "--size", "1g", "--no-wait")
                    .assertError(ExitCodes.USAGE, "--size", "4g");
            assertFalse(Files.exists(dir.resolve("dax0.img")));
        }
    }

    @Test
    void demoHelp() {
        Cli.Run run = Cli.run("demo", "--help")
                .assertOk("Usage: famfs-meta demo", "--dir", "--size", "--rest-port", "--no-wait");
        assertEquals("", run.err());
    }

    @Test
    void theLauncherListsBothModulesCommands() {
        String out = Cli.run("--help").assertOk().out();
        int device = out.indexOf("Device commands (log-replayer):");
        int leader = out.indexOf("Leader commands (metadata-service):");
        assertTrue(device >= 0 && leader > device, out);
        for (String command : new String[] {"mkfs", "fsck", "logplay", "dump"}) {
            int at = out.indexOf("\n  " + command + " ");
            assertTrue(at > device && at < leader, command + " under Device commands:\n" + out);
        }
        // getmap moves to the leader's module, which extends it (from the leader, or --device)
        for (String command : new String[] {"demo", "leader", "creat", "mkdir", "ls", "stat", "getmap", "usage"}) {
            assertTrue(out.indexOf("\n  " + command + " ") > leader, command + " under Leader commands:\n" + out);
        }
    }
}
