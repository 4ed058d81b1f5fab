package io.famfs.meta.leader.cli;

import io.famfs.meta.leader.client.LeaderClient;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How the client commands find the leader: {@code --leader URL} and {@code --token}, or else the files a leader on
 * this host keeps in its state folder ({@code leader.json} and {@code token}). Each also comes from the config file
 * or the environment ({@code FAMFS_LEADER}, {@code FAMFS_TOKEN}, {@code FAMFS_STATE_DIR}).
 */
public final class ClientOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON settings file.")
    Path config;

    @Option(
            names = "--leader",
            paramLabel = "URL",
            description = "The leader's REST address, e.g. http://10.0.0.1:9480 (default: from STATE_DIR/leader.json).")
    String leader;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "Bearer token (default: STATE_DIR/token; or FAMFS_TOKEN).")
    String token;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = "/var/lib/famfs-meta",
            description = "A local leader's state folder (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    LeaderClient client() {
        return LeaderClient.of(leader, token, stateDir);
    }
}
