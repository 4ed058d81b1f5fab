package io.famfs.meta.leader.server;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What every famfs-meta server (leader, agent) has: health routes, the metrics route, and a bounded listen. */
public final class OpsRoutes {
    private OpsRoutes() {}

    /**
     * Mounts {@code /health/live} (200 with a body while the process answers; Vert.x gives 204 to a handler with no
     * checks), {@code /health/ready} (the check {@code ready}, named {@code readyName}) and {@code /metrics}.
     */
    public static void mount(
            Vertx vertx, Router router, String readyName, Handler<Promise<Status>> ready, Supplier<String> scrape) {
        router.get("/health/live")
                .handler(HealthCheckHandler.createWithHealthChecks(
                        HealthChecks.create(vertx).register("process", p -> p.complete(Status.OK()))));
        router.get("/health/ready")
                .handler(HealthCheckHandler.createWithHealthChecks(
                        HealthChecks.create(vertx).register(readyName, ready)));
        router.get("/metrics")
                .handler(ctx -> ctx.response()
                        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(scrape.get()));
    }

    /** Waits up to 30 s for a server to listen; IO error (with the cause) when it cannot, e.g. a port is taken. */
    public static <T> T listen(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new FamfsException(ErrorCode.IO, "cannot listen: " + cause.getMessage(), cause);
        }
    }
}
