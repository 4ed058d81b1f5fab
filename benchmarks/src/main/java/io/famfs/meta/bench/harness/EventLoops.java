package io.famfs.meta.bench.harness;

import io.vertx.core.Context;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Event loop contexts of our own, for the load generators' clients. */
public final class EventLoops {
    private EventLoops() {}

    /** {@code n} event loop contexts on {@code vertx} (distinct loops when it has {@code n} or more). */
    public static List<Context> contexts(Vertx vertx, int n) throws TimeoutException {
        List<Context> loops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Holder h = new Holder();
            vertx.deployVerticle(h).await(30, TimeUnit.SECONDS);
            loops.add(h.context());
        }
        return loops;
    }

    /** A verticle only to get an event loop context. */
    private static final class Holder extends VerticleBase {
        Context context() {
            return context;
        }
    }
}
