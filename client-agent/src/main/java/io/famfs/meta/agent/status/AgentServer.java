package io.famfs.meta.agent.status;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.famfs.meta.agent.view.AgentView;
import io.famfs.meta.agent.view.Lookups;
import io.famfs.meta.agent.view.ViewIdentity;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.leader.api.Requests;
import io.famfs.meta.leader.api.RestApi;
import io.famfs.meta.leader.core.Protos;
import io.famfs.meta.leader.server.OpsRoutes;
import io.famfs.meta.proto.v1.ListResponse;
import io.famfs.meta.replay.DirNode;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Node;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The agent's operator API on one HTTP port (loopback by default): {@code /v1/status}, and {@code /v1/stat},
 * {@code /v1/list}, {@code /v1/fmap} answered from this host's view in the leader's JSON shapes; {@code /health/live},
 * {@code /health/ready} (ready while the view is caught up) and {@code /metrics}. Read-only, so no token.
 */
public final class AgentServer implements AutoCloseable {
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().preservingProtoFieldNames().alwaysPrintFieldsWithNoPresence();

    private final HttpServer http;

    private AgentServer(HttpServer http) {
        this.http = http;
    }

    /**
     * Starts the server on {@code vertx} at {@code host:port} (0: any free port); {@code about} adds the agent's own
     * fields to the status.
     */
    public static AgentServer start(
            Vertx vertx, AgentView view, AgentMetrics metrics, Supplier<JsonObject> about, String host, int port) {
        Router router = Router.router(vertx);
        OpsRoutes.mount(
                vertx,
                router,
                "view",
                p -> {
                    AgentView.Status st = view.status();
                    JsonObject data = new JsonObject()
                            .put("state", st.state().name())
                            .put("applied", st.applied())
                            .put("published", st.publishedIndex());
                    p.complete(st.state() == AgentView.State.CURRENT ? Status.OK(data) : Status.KO(data));
                },
                metrics::scrape);
        router.get("/v1/status").handler(ctx -> json(ctx, status(view.status(), about.get())));
        router.get("/v1/stat").handler(ctx -> reply(ctx, () -> Protos.stat(Lookups.existing(view, path(ctx)))));
        router.get("/v1/list").handler(ctx -> reply(ctx, () -> list(view, path(ctx))));
        router.get("/v1/fmap")
                .handler(ctx -> reply(ctx, () -> {
                    if (!(Lookups.existing(view, path(ctx)) instanceof FileNode file)) {
                        throw new FamfsException(ErrorCode.INVALID_ARGUMENT, path(ctx) + " is a directory, not a file");
                    }
                    return Protos.file(file);
                }));
        router.route()
                .last()
                .handler(ctx -> RestApi.fail(
                        ctx,
                        new FamfsException(
                                ErrorCode.NOT_FOUND, "no route " + ctx.request().path())));
        HttpServer http = OpsRoutes.listen(
                vertx.createHttpServer(new HttpServerOptions().setHost(host).setHttp2ClearTextEnabled(false))
                        .requestHandler(router)
                        .listen(port));
        return new AgentServer(http);
    }

    /** The status document: the view's state and identity, how far behind it is, and what the agent adds. */
    static JsonObject status(AgentView.Status st, JsonObject about) {
        ViewIdentity id = st.identity();
        JsonObject identity = id == null
                ? null
                : new JsonObject()
                        .put("fs_uuid", id.fsUuid().toString())
                        .put("log_len", id.logLen())
                        .put("log_header_crc", id.headerCrc())
                        .put("applied", id.applied())
                        .put("last_seqnum", id.lastSeqnum())
                        .put("last_crc", id.lastCrc());
        return about.copy()
                .put("state", st.state().name())
                .put("identity", identity)
                .put("generation", st.generation())
                .put("applied", st.applied())
                .put("published", st.publishedIndex())
                .put("lag_entries", st.lag())
                .put("nodes", st.nodes())
                .put("bad_index", st.badIndex() < 0 ? null : st.badIndex())
                .put("bad_detail", st.badDetail())
                .put("stale_resets", st.staleResets())
                .put("last_stale_reason", st.lastStaleReason());
    }

    private static ListResponse list(AgentView view, String path) {
        return view.read(ns -> {
            Node node = Lookups.existing(view, path);
            if (!(node instanceof DirNode dir)) {
                throw new FamfsException(ErrorCode.INVALID_ARGUMENT, path + " is a file, not a directory");
            }
            ListResponse.Builder b = ListResponse.newBuilder().setDir(Protos.dir(dir));
            for (Node child : dir.children()) {
                b.addChildren(Protos.stat(child));
            }
            return b.build();
        });
    }

    private static String path(RoutingContext ctx) {
        String p = ctx.request().getParam("path");
        return Requests.readPath(p == null ? "" : p);
    }

    private static void reply(RoutingContext ctx, Supplier<Message> answer) {
        Message m;
        try {
            m = answer.get();
        } catch (RuntimeException e) {
            RestApi.fail(ctx, e);
            return;
        }
        try {
            ctx.response().putHeader("content-type", "application/json").end(PRINTER.print(m));
        } catch (InvalidProtocolBufferException e) {
            RestApi.fail(ctx, e);
        }
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("content-type", "application/json").end(body.encodePrettily());
    }

    public int port() {
        return http.actualPort();
    }

    @Override
    public void close() {
        try {
            http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway: the process is on its way out
        }
    }
}
