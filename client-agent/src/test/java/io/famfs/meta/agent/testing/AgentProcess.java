package io.famfs.meta.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.famfs.meta.leader.testing.LeaderProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real agent: {@code famfs-meta agent} in its own JVM on loopback, its operator API on a port the OS picks, output
 * to a file in the test's folder. Its HTTP helpers read the operator API.
 */
public final class AgentProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern API = Pattern.compile("API    http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path output;
    private final int apiPort;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private AgentProcess(Process process, Path output, int apiPort) {
        this.process = process;
        this.output = output;
        this.apiPort = apiPort;
    }

    /**
     * Starts an agent on {@code device} named {@code hostId}, with its state in {@code work/agent-HOSTID} and the host
     * identity the test leaders use ({@code work/system_uuid}); {@code extra} adds to the arguments.
     */
    public static AgentProcess start(Path device, Path work, String hostId, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "agent",
                "--device",
                device.toString(),
                "--host-id",
                hostId,
                "--api-port",
                "0",
                "--state-dir",
                work.resolve("agent-" + hostId).toString(),
                "--system-uuid-file",
                work.resolve("system_uuid").toString()));
        args.addAll(List.of(extra));
        Path output = work.resolve("agent-" + hostId + "-" + System.nanoTime() + ".out");
        Process p = LeaderProcess.launch(args, output);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            String text = LeaderProcess.read(output);
            Matcher m = API.matcher(text);
            if (m.find()) {
                return new AgentProcess(p, output, Integer.parseInt(m.group(1)));
            }
            if (!p.isAlive()) {
                fail("the agent exited with " + p.exitValue() + " before serving:\n" + text);
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("the agent did not serve within " + START_TIMEOUT + ":\n" + text);
            }
            sleep(20);
        }
    }

    /** GET {@code path} on the operator API: the status code and body. */
    public Reply get(String pathAndQuery) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + pathAndQuery))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Reply(int status, String body) {
        public JsonObject json() {
            return new JsonObject(body);
        }
    }

    public JsonObject status() {
        Reply r = get("/v1/status");
        if (r.status() != 200) {
            fail("status answered " + r);
        }
        return r.json();
    }

    /** Polls the status until {@code until} holds; fails after {@code timeout} with the last status and the output. */
    public JsonObject awaitStatus(Predicate<JsonObject> until, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            last = status();
            if (until.test(last)) {
                return last;
            }
            sleep(5);
        }
        fail("the agent did not reach '" + what + "' within " + timeout + "; last status " + last + "\n" + output());
        return null;
    }

    public int apiPort() {
        return apiPort;
    }

    public String output() {
        return LeaderProcess.read(output);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM; returns the exit code. */
    public int stop() {
        process.destroy();
        return waitFor(Duration.ofSeconds(30));
    }

    public void kill9() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    private int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("the agent did not end within " + timeout + ":\n" + output());
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
