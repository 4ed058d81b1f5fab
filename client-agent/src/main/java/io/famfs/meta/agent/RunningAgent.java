package io.famfs.meta.agent;

import io.famfs.meta.agent.bridge.BridgeServer;
import io.famfs.meta.agent.bridge.ViewBridge;
import io.famfs.meta.agent.link.LeaderLink;
import io.famfs.meta.agent.shadow.ShadowFollower;
import io.famfs.meta.agent.status.AgentMetrics;
import io.famfs.meta.agent.status.AgentServer;
import io.famfs.meta.agent.tail.IdleStrategy;
import io.famfs.meta.agent.tail.Tailer;
import io.famfs.meta.agent.view.AgentView;
import io.famfs.meta.agent.view.ViewCache;
import io.famfs.meta.agent.view.ViewSaver;
import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.SuperblockDescriptor;
import io.famfs.meta.format.Uuids;
import io.famfs.meta.log.SystemUuidFile;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A started agent: the device mapped read-only, the view, the tailer following the log on its own thread, the
 * operator API, and (when a leader is named) the heartbeats and wake-up hints. {@link #close} stops them in the
 * reverse order.
 */
public final class RunningAgent implements AutoCloseable {
    /** The leader to report to: its gRPC address and token (null: no token). */
    public record Leader(String host, int port, String token) {}

    /**
     * What an agent is started with; {@code leader} may be null, {@code stateDir} null for no view cache, {@code socket}
     * null for no bridge socket, {@code shadow} null for no shadow tree.
     */
    public record Settings(
            Path device,
            Device.Options deviceOptions,
            String hostId,
            IdleStrategy idle,
            String apiHost,
            int apiPort,
            Leader leader,
            Path stateDir,
            Duration cacheEvery,
            Path socket,
            Path shadow,
            Path systemUuidFile) {}

    private final Settings settings;
    private final Device device;
    private final AgentView view;
    private final Tailer tailer;
    private final Vertx vertx;
    private final AgentServer server;
    private final LeaderLink link;
    private final ViewCache cache;
    private final ViewSaver saver;
    private final BridgeServer bridge;
    private final ShadowFollower shadow;

    private RunningAgent(
            Settings settings,
            Device device,
            AgentView view,
            Tailer tailer,
            Vertx vertx,
            AgentServer server,
            LeaderLink link,
            ViewCache cache,
            ViewSaver saver,
            BridgeServer bridge,
            ShadowFollower shadow) {
        this.settings = settings;
        this.device = device;
        this.view = view;
        this.tailer = tailer;
        this.vertx = vertx;
        this.server = server;
        this.link = link;
        this.cache = cache;
        this.saver = saver;
        this.bridge = bridge;
        this.shadow = shadow;
    }

    /** Maps the device, starts following its log, the operator API and the leader link; messages go to {@code out}. */
    public static RunningAgent start(Settings settings, PrintWriter out) {
        Device device = Device.open(settings.device(), settings.deviceOptions());
        ViewCache cache;
        try {
            cache = settings.stateDir() == null
                    ? null
                    : ViewCache.open(settings.stateDir().resolve("view"));
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
        AgentView view = new AgentView();
        Tailer tailer = new Tailer(device, view, cache, settings.idle(), msg -> say(out, msg));
        ViewSaver saver =
                cache == null ? null : new ViewSaver(view, cache, settings.cacheEvery(), msg -> say(out, msg));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
        BridgeServer bridge = null;
        ShadowFollower shadow = null;
        try {
            tailer.start();
            if (saver != null) {
                saver.start();
            }
            AgentMetrics metrics = new AgentMetrics(view, tailer);
            bridge = settings.socket() == null ? null : startBridge(settings, view);
            if (bridge != null) {
                metrics.bridge(bridge);
            }
            LeaderLink[] link = {null};
            ShadowFollower[] shadowRef = {null};
            JsonObject about = new JsonObject()
                    .put("host_id", settings.hostId())
                    .put("device", device.path().toString())
                    .put("idle_strategy", settings.idle().toString());
            AgentServer server = AgentServer.start(
                    vertx,
                    view,
                    metrics,
                    () -> about.copy()
                            .put("role", role(view, settings.systemUuidFile()))
                            .put("leader", link[0] == null ? null : link[0].status())
                            .put("shadow", shadowStatus(shadowRef[0])),
                    settings.apiHost(),
                    settings.apiPort());
            String apiUrl = "http://" + settings.apiHost() + ":" + server.port();
            if (settings.leader() != null) {
                link[0] = new LeaderLink(
                        vertx, settings.leader(), settings.hostId(), apiUrl, view, tailer, msg -> say(out, msg));
            }
            if (settings.shadow() != null) {
                shadow = new ShadowFollower(view, settings.shadow(), msg -> say(out, msg)).start();
                shadowRef[0] = shadow;
            }
            return new RunningAgent(
                    settings, device, view, tailer, vertx, server, link[0], cache, saver, bridge, shadow);
        } catch (RuntimeException e) {
            if (shadow != null) {
                shadow.close();
            }
            closeQuietly(bridge);
            tailer.close();
            closeVertx(vertx);
            if (cache != null) {
                cache.close();
            }
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

    public String restUrl() {
        return "http://" + settings.apiHost() + ":" + server.port();
    }

    public Settings settings() {
        return settings;
    }

    private static void closeVertx(Vertx vertx) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway: the process is on its way out
        }
    }

    /**
     * famfs's role of this host: Owner when the UUID in its system UUID file (read each time: a leader may create it)
     * is the one the superblock in shared memory holds now (a new leader rewrites it), else Client.
     */
    private static String role(AgentView view, Path systemUuidFile) {
        var volume = view.volume();
        if (volume == null) {
            return null;
        }
        volume.device().invalidate(0, SuperblockDescriptor.LENGTH);
        UUID owner = Uuids.get(volume.device().segment(), SuperblockDescriptor.SYSTEM_UUID_OFFSET);
        Optional<UUID> mine = systemUuidFile == null ? Optional.empty() : SystemUuidFile.read(systemUuidFile);
        return mine.isPresent() && mine.get().equals(owner) ? "Owner" : "Client";
    }

    private static JsonObject shadowStatus(ShadowFollower shadow) {
        return shadow == null
                ? null
                : new JsonObject().put("root", shadow.root().toString()).put("entries_written", shadow.written());
    }

    private static BridgeServer startBridge(Settings settings, AgentView view) {
        try {
            return BridgeServer.start(
                    settings.socket(), new ViewBridge(view, settings.device().toString()));
        } catch (IOException e) {
            throw new FamfsException(
                    ErrorCode.IO, "cannot serve the bridge socket " + settings.socket() + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(BridgeServer bridge) {
        if (bridge != null) {
            try {
                bridge.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** The bridge socket (null when none is served). */
    public Path socket() {
        return bridge == null ? null : bridge.socket();
    }

    /** The shadow tree's follower (null when none is kept). */
    public ShadowFollower shadow() {
        return shadow;
    }

    @Override
    public void close() {
        if (shadow != null) {
            shadow.close();
        }
        closeQuietly(bridge);
        if (link != null) {
            link.close();
        }
        server.close();
        closeVertx(vertx);
        tailer.close();
        if (saver != null) {
            saver.close(); // after the tailer: the last save is of the final view
        }
        if (cache != null) {
            cache.close();
        }
        device.close();
    }
}
