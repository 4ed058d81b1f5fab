package io.famfs.meta.leader.server;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.leader.api.GrpcApi;
import io.famfs.meta.leader.api.Requests;
import io.famfs.meta.leader.api.RestApi;
import io.famfs.meta.leader.api.Tokens;
import io.famfs.meta.leader.cluster.AgentRegistry;
import io.famfs.meta.leader.core.Leader;
import io.famfs.meta.leader.core.LeaderStatus;
import io.famfs.meta.proto.v1.LeaderGrpcService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The leader's network side: a REST server (/health/live, /health/ready, /metrics, and the /v1 API behind the token)
 * and a gRPC server (famfs.v1.Leader behind the token, grpc.health.v1 and server reflection open), on Vert.x event
 * loops. The log writer is not an event loop: requests only queue for it.
 */
public final class LeaderServer implements AutoCloseable {
    /** Where to listen; port 0 picks a free one. */
    public record Settings(String host, int restPort, int grpcPort, String token) {}

    private static final Duration DRAIN = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final Leader leader;
    private final HttpServer rest;
    private final HttpServer grpc;
    private final LeaderMetrics metrics;

    private LeaderServer(Vertx vertx, Leader leader, HttpServer rest, HttpServer grpc, LeaderMetrics metrics) {
        this.vertx = vertx;
        this.leader = leader;
        this.rest = rest;
        this.grpc = grpc;
        this.metrics = metrics;
    }

    /** Starts both servers and returns once they listen (IO error when a port is taken). */
    public static LeaderServer start(Leader leader, Settings settings, Requests.Context context) {
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors())));
        LeaderMetrics metrics = new LeaderMetrics(leader);
        AgentRegistry agents = new AgentRegistry(
                leader::published, leader.volume().superblock().fsUuid().toString(), metrics::agent);
        try {
            Router router = Router.router(vertx);
            OpsRoutes.mount(
                    vertx,
                    router,
                    "leader",
                    p -> {
                        LeaderStatus st = leader.status();
                        JsonObject data = new JsonObject()
                                .put("state", st.state().name())
                                .put("reason", st.reason())
                                .put("next_index", st.nextIndex())
                                .put("capacity", st.capacity())
                                .put("bad_entries", new JsonArray(st.badEntries()));
                        p.complete(st.ready() ? Status.OK(data) : Status.KO(data));
                    },
                    metrics::scrape);
            new RestApi(leader, context, metrics, agents).mount(router, ctx -> {
                if (Tokens.matches(ctx.request().getHeader("authorization"), settings.token())) {
                    ctx.next();
                } else {
                    RestApi.fail(ctx, unauthenticated());
                }
            });

            GrpcServer grpcServer =
                    GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(RestApi.MAX_BODY));
            grpcServer.addService(new GrpcApi(leader, context, metrics, agents).service());
            grpcServer.addService(HealthService.create(vertx)
                    .register(
                            LeaderGrpcService.SERVICE_NAME,
                            () -> Future.succeededFuture(leader.status().ready())));
            grpcServer.addService(ReflectionService.v1());

            // REST is HTTP/1.1 only: the JDK's HttpClient asks for an h2c upgrade by default, and an upgraded
            // exchange was seen to hang under load with its request timeout never firing (gRPC has its own port)
            HttpServer rest = OpsRoutes.listen(vertx.createHttpServer(
                            new HttpServerOptions().setHost(settings.host()).setHttp2ClearTextEnabled(false))
                    .requestHandler(router)
                    .listen(settings.restPort()));
            HttpServer grpc = OpsRoutes.listen(vertx.createHttpServer(
                            new HttpServerOptions().setHost(settings.host()).setHttp2ClearTextEnabled(true))
                    .requestHandler(req -> {
                        if (openToAll(req) || Tokens.matches(req.getHeader("authorization"), settings.token())) {
                            grpcServer.handle(req);
                        } else {
                            refuse(req);
                        }
                    })
                    .listen(settings.grpcPort()));
            return new LeaderServer(vertx, leader, rest, grpc, metrics);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** gRPC health and reflection need no token. */
    private static boolean openToAll(HttpServerRequest req) {
        String path = req.path();
        return path.startsWith("/grpc.health.v1.Health/") || path.startsWith("/grpc.reflection.");
    }

    /** A trailers-only gRPC answer: UNAUTHENTICATED. */
    private static void refuse(HttpServerRequest req) {
        req.response()
                .putHeader("content-type", "application/grpc")
                .putHeader("grpc-status", "16")
                .putHeader("grpc-message", "missing or wrong bearer token")
                .end();
    }

    private static FamfsException unauthenticated() {
        return new FamfsException(
                ErrorCode.UNAUTHENTICATED, "missing or wrong bearer token (Authorization: Bearer ...)");
    }

    public int restPort() {
        return rest.actualPort();
    }

    public int grpcPort() {
        return grpc.actualPort();
    }

    public LeaderMetrics metrics() {
        return metrics;
    }

    /**
     * Graceful stop: the servers stop accepting and let the requests in flight finish (the writer is still running),
     * then the leader drains its queue and closes the log and the request store, then Vert.x closes.
     */
    @Override
    public void close() {
        try {
            Future.all(
                            rest.shutdown(DRAIN.toSeconds(), TimeUnit.SECONDS),
                            grpc.shutdown(DRAIN.toSeconds(), TimeUnit.SECONDS))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(DRAIN.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // past the drain time, what is left is cut off
        }
        leader.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the process is ending anyway
        }
    }
}
