package io.famfs.meta.agent;

import io.famfs.meta.agent.status.AgentMetrics;
import io.famfs.meta.agent.status.AgentServer;
import io.famfs.meta.agent.tail.IdleStrategy;
import io.famfs.meta.agent.tail.Tailer;
import io.famfs.meta.agent.view.AgentView;
import io.famfs.meta.device.Device;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A started agent: the device mapped read-only, the view, the tailer following the log on its own thread, and the
 * operator API. {@link #close} stops them in the reverse order.
 */
public final class RunningAgent implements AutoCloseable {
    /** What an agent is started with. */
    public record Settings(
            Path device, Device.Options deviceOptions, String hostId, IdleStrategy idle, String host, int restPort) {}

    private final Settings settings;
    private final Device device;
    private final AgentView view;
    private final Tailer tailer;
    private final AgentServer server;

    private RunningAgent(Settings settings, Device device, AgentView view, Tailer tailer, AgentServer server) {
        this.settings = settings;
        this.device = device;
        this.view = view;
        this.tailer = tailer;
        this.server = server;
    }

    /** Maps the device, starts following its log, and starts the operator API; messages go to {@code out}. */
    public static RunningAgent start(Settings settings, PrintWriter out) {
        Device device = Device.open(settings.device(), settings.deviceOptions());
        AgentView view = new AgentView();
        Tailer tailer = new Tailer(device, view, settings.idle(), msg -> say(out, msg));
        AgentServer server = null;
        try {
            tailer.start();
            AgentMetrics metrics = new AgentMetrics(view, tailer);
            JsonObject about = new JsonObject()
                    .put("host_id", settings.hostId())
                    .put("device", device.path().toString())
                    .put("idle_strategy", settings.idle().toString());
            server = AgentServer.start(view, metrics, about::copy, settings.host(), settings.restPort());
            return new RunningAgent(settings, device, view, tailer, server);
        } catch (RuntimeException e) {
            tailer.close();
            device.close();
            throw e;
        }
    }

    private static void say(PrintWriter out, String message) {
        synchronized (out) {
            out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " famfs-meta agent: " + message);
            out.flush();
        }
    }

    public AgentView view() {
        return view;
    }

    public Tailer tailer() {
        return tailer;
    }

    public String restUrl() {
        return "http://" + settings.host() + ":" + server.port();
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        server.close();
        tailer.close();
        device.close();
    }
}
