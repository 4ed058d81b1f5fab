package io.famfs.meta.agent.cli;

import io.famfs.meta.agent.RunningAgent;
import io.famfs.meta.agent.tail.IdleStrategy;
import io.famfs.meta.cli.Configurable;
import io.famfs.meta.cli.DeviceOptions;
import io.famfs.meta.cli.ExitCodes;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        description = "Run this host's agent: follow the log in shared memory and serve this host's view of it.",
        footer = {
            "",
            "Settings, lowest first: the defaults; a YAML or JSON --config FILE (keys are the long",
            "option names: 'api-port: 9490'); FAMFS_* environment variables (FAMFS_API_PORT);",
            "these flags. It runs until SIGINT or SIGTERM."
        })
public final class AgentCommand implements Callable<Integer>, Configurable {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON settings file.")
    Path config;

    @Mixin
    DeviceOptions device;

    @Option(
            names = "--host-id",
            paramLabel = "ID",
            description = "This host's name in status, metrics and at the leader (default: the host name).")
    String hostId;

    @Option(
            names = "--api-host",
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "Address of the operator API (default: ${DEFAULT-VALUE}).")
    String apiHost;

    @Option(
            names = "--api-port",
            paramLabel = "PORT",
            defaultValue = "9490",
            description = "Port of the operator API, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(
            names = "--idle",
            paramLabel = "STRATEGY",
            defaultValue = "backoff",
            description = "What the tailer does while the log is still: spin (lowest latency, one core busy),"
                    + " backoff (spin briefly, then park) or park (default: ${DEFAULT-VALUE}).")
    String idle;

    @Option(
            names = "--idle-park-max",
            paramLabel = "DURATION",
            defaultValue = "500us",
            converter = Durations.class,
            description = "Longest park between polls of an idle log, e.g. 500us, 2ms (default: ${DEFAULT-VALUE}).")
    Duration idleParkMax;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = "/var/lib/famfs-meta/agent",
            description =
                    "The view cache (RocksDB), so that a restart resumes where it was (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(
            names = "--socket",
            paramLabel = "PATH",
            description = "The bridge socket the host's FUSE daemon asks for maps (default: STATE_DIR/bridge.sock;"
                    + " owner-only; docs/bridge-protocol.md).")
    Path socket;

    @Option(
            names = "--system-uuid-file",
            paramLabel = "FILE",
            defaultValue = "/opt/famfs/system_uuid",
            description = "This host's identity, to tell Owner from Client in the status (default: ${DEFAULT-VALUE};"
                    + " read, never created).")
    Path systemUuidFile;

    @Option(
            names = "--shadow",
            paramLabel = "DIR",
            description = "Keep the famfs_fused shadow tree under DIR/root up with the log, as famfs logplay writes it"
                    + " (default: none).")
    Path shadow;

    @Option(names = "--no-cache", description = "Keep no view cache: every start replays the whole log.")
    boolean noCache;

    @Option(
            names = "--cache-every",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = Durations.class,
            description =
                    "How often a moved view is saved to the cache (and once more at stop; default: ${DEFAULT-VALUE}).")
    Duration cacheEvery;

    @Option(
            names = "--leader",
            paramLabel = "HOST:PORT",
            description = "The leader's gRPC address: heartbeats (the leader shows this host's lag) and wake-up hints."
                    + " Optional: metadata comes from shared memory either way.")
    String leader;

    @Option(
            names = "--leader-token-file",
            paramLabel = "FILE",
            description = "File holding the leader's token (its STATE_DIR/token).")
    Path leaderTokenFile;

    @Option(
            names = "--leader-token",
            paramLabel = "TOKEN",
            description = "The leader's token (prefer --leader-token-file or FAMFS_LEADER_TOKEN: flags show in ps).")
    String leaderToken;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        IdleStrategy strategy;
        try {
            strategy = IdleStrategy.named(idle, idleParkMax);
        } catch (IllegalArgumentException e) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "--idle: " + e.getMessage());
        }
        RunningAgent agent = RunningAgent.start(
                new RunningAgent.Settings(
                        device.path(),
                        device.options(false),
                        hostId(),
                        strategy,
                        apiHost,
                        apiPort,
                        leader(),
                        noCache ? null : stateDir,
                        cacheEvery,
                        socket == null ? stateDir.resolve("bridge.sock") : socket,
                        shadow,
                        systemUuidFile),
                out);
        out.println("famfs-meta agent: following " + device.path() + " as host " + hostId());
        out.println(
                "  API    " + agent.restUrl() + "   (/v1/status, /v1/stat, /v1/list, /v1/fmap, /health/*, /metrics)");
        out.println("  idle   " + strategy);
        out.println("  socket " + agent.socket() + "   (LOOKUP, GETATTR, READDIR, GET_FMAP, GET_DAXDEV)");
        out.println("  shadow "
                + (shadow == null
                        ? "(none: --shadow DIR keeps one)"
                        : agent.shadow().root()));
        out.println("  cache  " + (noCache ? "(none: --no-cache)" : stateDir.resolve("view")));
        out.println("  leader " + (leader == null ? "(none named: no heartbeats, no wake-up hints)" : leader));
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            out.println("famfs-meta agent: stopped");
            out.flush();
            stopped.countDown();
        }));
        stopped.await();
        return ExitCodes.OK;
    }

    private RunningAgent.Leader leader() {
        if (leader == null || leader.isBlank()) {
            return null;
        }
        int colon = leader.lastIndexOf(':');
        int port;
        try {
            port = colon < 1 ? -1 : Integer.parseInt(leader.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT, "--leader must be HOST:PORT (gRPC), not '" + leader + "'");
        }
        String token = leaderToken;
        if (leaderTokenFile != null) {
            try {
                token = Files.readString(leaderTokenFile).trim();
            } catch (IOException e) {
                throw new FamfsException(
                        ErrorCode.INVALID_ARGUMENT,
                        "--leader-token-file " + leaderTokenFile + ": cannot read it: " + e);
            }
        }
        return new RunningAgent.Leader(leader.substring(0, colon), port, token);
    }

    private String hostId() {
        if (hostId != null && !hostId.isBlank()) {
            return hostId;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
