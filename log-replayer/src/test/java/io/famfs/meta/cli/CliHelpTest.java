package io.famfs.meta.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** --help of the launcher and of each device command (demo's is tested in metadata-service). */
class CliHelpTest {
    private static final List<String> DEVICE_COMMANDS = List.of("mkfs", "fsck", "logplay", "getmap", "dump");

    @Test
    void everyDeviceCommandPrintsItsUsage() {
        for (String command : DEVICE_COMMANDS) {
            for (String flag : new String[] {"--help", "-h"}) {
                Cli.Run run = Cli.run(command, flag).assertOk("Usage: famfs-meta " + command, "--device");
                assertEquals("", run.err(), run::toString);
            }
        }
    }

    @Test
    void commandOptionsAreDocumented() {
        Cli.run("mkfs", "--help").assertOk("--force", "--log-len", "--system-uuid-file", "--daxdev-name");
        Cli.run("fsck", "--help").assertOk("--human", "--system-uuid-file", "Exit codes");
        Cli.run("logplay", "--help").assertOk("--shadow", "--dry-run");
        Cli.run("getmap", "--help").assertOk("PATH");
        Cli.run("dump", "--help").assertOk("--from", "--count");
    }

    @Test
    void theLauncherListsTheDeviceCommandsUnderTheirHeading() {
        Cli.Run run = Cli.run("--help").assertOk("Usage: famfs-meta", "Device commands (log-replayer):");
        String out = run.out();
        int heading = out.indexOf("Device commands (log-replayer):");
        for (String command : DEVICE_COMMANDS) {
            assertTrue(
                    out.indexOf("\n  " + command + " ", heading) > heading,
                    () -> command + " is not listed under its heading:\n" + out);
        }
        assertEquals("", run.err());
    }

    @Test
    void versionNamesTheFormatVersion() {
        Cli.run("--version").assertOk("famfs format version 48");
    }
}
