package io.famfs.meta.agent.link;

import io.famfs.meta.agent.RunningAgent;
import io.famfs.meta.agent.tail.Tailer;
import io.famfs.meta.agent.view.AgentView;
import io.famfs.meta.leader.client.GrpcLeaderClient;
import io.famfs.meta.proto.v1.AgentHeartbeatRequest;
import io.famfs.meta.proto.v1.AgentHeartbeatResponse;
import io.famfs.meta.proto.v1.LeaderGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The agent's side of the network, all of it optional: a heartbeat to the leader every second (the first registers
 * this host; each reports how far the view is, so the leader shows every host's lag), and the leader's entry stream
 * as a wake-up hint for the tailer. A hint only ends an idle park: what the agent serves comes from shared memory,
 * never from the stream. Without a leader, or while it is down, the agent goes on following the log.
 */
public final class LeaderLink implements AutoCloseable {
    static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final GrpcLeaderClient client;
    private final String address;
    private final String hostId;
    private final String apiUrl;
    private final AgentView view;
    private final Tailer tailer;
    private final Consumer<String> log;
    private final long timer;
    // written on the Vert.x event loop; volatile for the status readers
    private volatile boolean subscribed;
    private volatile Boolean reachable;
    private volatile long published = -1;
    private volatile long heartbeats;
    private volatile long hints;

    /** Starts heartbeats to {@code leader} (its gRPC address and token) and follows its entry stream as a hint. */
    public LeaderLink(
            Vertx vertx,
            RunningAgent.Leader leader,
            String hostId,
            String apiUrl,
            AgentView view,
            Tailer tailer,
            Consumer<String> log) {
        this.vertx = vertx;
        this.client = GrpcLeaderClient.create(vertx, leader.host(), leader.port(), leader.token());
        this.address = leader.host() + ":" + leader.port();
        this.hostId = hostId;
        this.apiUrl = apiUrl;
        this.view = view;
        this.tailer = tailer;
        this.log = log;
        this.timer = vertx.setPeriodic(0, HEARTBEAT.toMillis(), id -> beat());
    }

    private void beat() {
        AgentView.Status st = view.status();
        AgentHeartbeatRequest beat = AgentHeartbeatRequest.newBuilder()
                .setHostId(hostId)
                .setFsUuid(st.identity() == null ? "" : st.identity().fsUuid().toString())
                .setApplied(st.applied())
                .setState(st.state().name())
                .setStaleResets(st.staleResets())
                .setBadIndex(st.badIndex())
                .setApiUrl(apiUrl)
                .build();
        client.call(LeaderGrpcClient.AgentHeartbeat, beat).onComplete(ar -> {
            if (ar.succeeded()) {
                heartbeats++;
                reached(true, null);
                AgentHeartbeatResponse r = ar.result();
                published = r.getPublished();
                if (!subscribed) {
                    subscribe(r.getPublished());
                }
            } else {
                reached(false, ar.cause());
            }
        });
    }

    /** Follows the leader's entry stream from {@code from}: each entry wakes the tailer. */
    private void subscribe(long from) {
        subscribed = true;
        client.entries(from)
                .onSuccess(stream -> {
                    stream.handler(entry -> {
                        hints++;
                        tailer.wake();
                    });
                    stream.endHandler(v -> subscribed = false);
                    stream.exceptionHandler(e -> subscribed = false);
                })
                .onFailure(e -> subscribed = false);
    }

    private void reached(boolean ok, Throwable failure) {
        if (reachable == null || reachable != ok) {
            log.accept(
                    ok
                            ? "the leader at " + address + " takes this host's heartbeats"
                            : "the leader at " + address + " is not reachable (" + failure.getMessage()
                                    + "); following the log without it");
        }
        reachable = ok;
    }

    /** What the status reports of the link. */
    public JsonObject status() {
        return new JsonObject()
                .put("address", address)
                .put("reachable", reachable != null && reachable)
                .put("published", published < 0 ? null : published)
                .put("heartbeats", heartbeats)
                .put("wake_up_hints", hints);
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
        client.close();
    }
}
