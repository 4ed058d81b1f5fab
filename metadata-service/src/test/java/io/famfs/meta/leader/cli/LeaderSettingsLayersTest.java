package io.famfs.meta.leader.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.cli.Cli;
import io.famfs.meta.cli.ExitCodes;
import io.famfs.meta.testing.TestDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The leader's and the client commands' settings in layers: defaults < config file < FAMFS_* environment < flags.
 * Each run stops at a setting it reports in its error (a device or state folder that does not exist), so the test
 * sees which layer won without starting a server.
 */
class LeaderSettingsLayersTest {

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheConfigFile() throws Exception {
        try (TestDevice holder = TestDevice.create(0)) {
            Path config = Files.writeString(
                    holder.dir().resolve("leader.yaml"), "device: /nonexistent/from-file\nrest-port: 0\n");
            String c = config.toString();

            Cli.runWithEnv(Map.of(), "leader", "--config", c)
                    .assertError(ExitCodes.NOT_FOUND, "/nonexistent/from-file");
            Cli.runWithEnv(Map.of("FAMFS_DEVICE", "/nonexistent/from-env"), "leader", "--config", c)
                    .assertError(ExitCodes.NOT_FOUND, "/nonexistent/from-env");
            Cli.runWithEnv(
                            Map.of("FAMFS_DEVICE", "/nonexistent/from-env"),
                            "leader",
                            "--config",
                            c,
                            "--device",
                            "/nonexistent/from-flag")
                    .assertError(ExitCodes.NOT_FOUND, "/nonexistent/from-flag");
            // FAMFS_CONFIG names the file when --config does not
            Cli.runWithEnv(Map.of("FAMFS_CONFIG", c), "leader")
                    .assertError(ExitCodes.NOT_FOUND, "/nonexistent/from-file");
        }
    }

    @Test
    void aTypoInTheConfigFileIsAnErrorNotIgnored() throws Exception {
        try (TestDevice holder = TestDevice.create(0)) {
            Path config = Files.writeString(holder.dir().resolve("leader.yaml"), "device: /x\nrest-prot: 9480\n");
            Cli.run("leader", "--config", config.toString())
                    .assertError(ExitCodes.USAGE, "unknown setting 'rest-prot'", "rest-port");
            Path list = Files.writeString(holder.dir().resolve("list.yaml"), "- a\n- b\n");
            Cli.run("leader", "--config", list.toString()).assertError(ExitCodes.USAGE, "not a mapping");
            Cli.run("leader", "--config", holder.dir().resolve("missing.yaml").toString())
                    .assertError(ExitCodes.USAGE, "cannot read config file");
        }
    }

    @Test
    void withoutADeviceTheLeaderSaysHowToNameOne() {
        Cli.runWithEnv(Map.of(), "leader").assertError(ExitCodes.USAGE, "--device");
    }

    @Test
    void clientCommandsFindTheLeaderThroughTheirStateFolderSetting() throws Exception {
        try (TestDevice holder = TestDevice.create(0)) {
            Path state = holder.dir().resolve("no-leader-here");
            Cli.runWithEnv(Map.of("FAMFS_STATE_DIR", state.toString()), "ls")
                    .assertError(
                            ExitCodes.UNAVAILABLE,
                            "no leader address",
                            state.resolve("leader.json").toString());
            // one file may hold the settings of the leader and of the clients: each command takes what it knows
            Path config = Files.writeString(
                    holder.dir().resolve("host.yaml"),
                    "leader: http://127.0.0.1:1\ndevice: /dev/dax0.0\nrest-port: 1\n");
            Cli.runWithEnv(Map.of("FAMFS_TOKEN", "t"), "stat", "a", "--config", config.toString())
                    .assertError(ExitCodes.UNAVAILABLE, "cannot reach the leader at http://127.0.0.1:1/");
            Cli.run("usage", "--leader", "ftp://x", "--token", "t").assertError(ExitCodes.USAGE, "http://HOST:PORT");
        }
    }
}
