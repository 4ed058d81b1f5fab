package io.famfs.meta.bench.agent;

import io.famfs.meta.agent.bridge.BridgeClient;
import io.famfs.meta.agent.bridge.BridgeException;
import io.famfs.meta.bench.harness.FamfsMetaProcess;
import io.famfs.meta.bench.harness.FreshDevice;
import io.famfs.meta.bench.harness.LeaderProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real agent: {@code famfs-meta agent} in its own JVM ({@link FamfsMetaProcess}) on the run's device, named
 * {@code agent-K}, with its own state folder {@code agent-K/} and bridge socket {@code agent-K/bridge.sock} in the
 * device's folder, its operator API on a port the OS picks, and the leader named with {@code --leader} (heartbeats,
 * wake-up hints). Its output goes to {@code agent-K.out} in that folder.
 */
final class AgentProcess implements AutoCloseable {
    private static final List<Pattern> BANNER =
            List.of(Pattern.compile("API    http://127\\.0\\.0\\.1:(\\d+)"), Pattern.compile("socket (\\S+)"));
    private static final Pattern LINKED = Pattern.compile("(the leader at \\S+ takes this host's heartbeats)");
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String hostId;
    private final FamfsMetaProcess process;
    private final int apiPort;
    private final Path socket;

    private AgentProcess(String hostId, FamfsMetaProcess process, int apiPort, Path socket) {
        this.hostId = hostId;
        this.process = process;
        this.apiPort = apiPort;
        this.socket = socket;
    }

    /**
     * Starts {@code count} agents side by side with idle strategy {@code idle}; returns once each serves its socket and
     * has the leader's heartbeat answered (which subscribes it to the wake-up hints). On a failure none is left
     * running.
     */
    static List<AgentProcess> start(
            FreshDevice device, int count, String idle, LeaderProcess leader, List<String> jvmOptions) {
        List<String> names = new ArrayList<>();
        List<FamfsMetaProcess> launched = new ArrayList<>();
        List<AgentProcess> agents = new ArrayList<>();
        try {
            for (int k = 1; k <= count; k++) {
                String host = "agent-" + k;
                Path state = device.dir().resolve(host);
                names.add(host);
                launched.add(FamfsMetaProcess.launch(
                        host,
                        jvmOptions,
                        List.of(
                                "agent",
                                "--device",
                                device.device().toString(),
                                "--host-id",
                                host,
                                "--api-port",
                                "0",
                                "--state-dir",
                                state.toString(),
                                "--socket",
                                state.resolve("bridge.sock").toString(),
                                "--idle",
                                idle,
                                "--leader",
                                "127.0.0.1:" + leader.grpcPort(),
                                "--leader-token-file",
                                leader.tokenFile().toString()),
                        device.dir().resolve(host + ".out")));
            }
            for (int k = 0; k < count; k++) {
                FamfsMetaProcess p = launched.get(k);
                List<String> banner = p.awaitBanner(BANNER);
                p.awaitBanner(List.of(LINKED));
                agents.add(new AgentProcess(names.get(k), p, Integer.parseInt(banner.get(0)), Path.of(banner.get(1))));
            }
            return agents;
        } catch (RuntimeException e) {
            for (FamfsMetaProcess p : launched) {
                p.kill();
            }
            throw e;
        }
    }

    /**
     * Waits until {@code path} is in this agent's view (LOOKUP answers it), polling every 10 ms; throws after 60 s or
     * on any other answer than ENOENT.
     */
    void awaitInView(String path) {
        long start = System.nanoTime();
        try (BridgeClient client = BridgeClient.connect(socket)) {
            while (true) {
                try {
                    client.lookup(path);
                    return;
                } catch (BridgeException e) {
                    if (!Watcher.notYet(e)) {
                        throw new IllegalStateException(hostId + " answered LOOKUP " + path + " with " + e, e);
                    }
                }
                if (System.nanoTime() - start > READY_TIMEOUT_NANOS) {
                    throw new IllegalStateException(hostId + " did not see " + path + " within 60 s");
                }
                Thread.sleep(10);
            }
        } catch (IOException e) {
            throw new IllegalStateException(hostId + "'s bridge socket " + socket + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The operator API's {@code /v1/status}. */
    JsonObject status() {
        try (HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/v1/status"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(hostId + "'s status answered " + r.statusCode() + ": " + r.body());
            }
            return new JsonObject(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(hostId + "'s status: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    String hostId() {
        return hostId;
    }

    Path socket() {
        return socket;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.alive();
    }

    String output() {
        return process.output();
    }

    /** SIGTERM (a graceful stop), then kill -9 if it is still there after 30 s. */
    @Override
    public void close() {
        process.close();
    }
}
