package io.famfs.meta.agent.cli;

import io.famfs.meta.agent.RunningAgent;
import io.famfs.meta.agent.tail.IdleStrategy;
import io.famfs.meta.cli.Configurable;
import io.famfs.meta.cli.DeviceOptions;
import io.famfs.meta.cli.ExitCodes;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
                new RunningAgent.Settings(device.path(), device.options(false), hostId(), strategy, apiHost, apiPort),
                out);
        out.println("famfs-meta agent: following " + device.path() + " as host " + hostId());
        out.println(
                "  API    " + agent.restUrl() + "   (/v1/status, /v1/stat, /v1/list, /v1/fmap, /health/*, /metrics)");
        out.println("  idle   " + strategy);
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
