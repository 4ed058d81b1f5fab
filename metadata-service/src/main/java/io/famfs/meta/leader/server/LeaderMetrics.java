package io.famfs.meta.leader.server;

import com.google.protobuf.Message;
import io.famfs.meta.leader.api.ErrorMapping;
import io.famfs.meta.leader.cluster.AgentRegistry;
import io.famfs.meta.leader.core.Leader;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.CreateFilesResponse;
import io.famfs.meta.proto.v1.MkdirResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The leader's metrics, served at /metrics: request rate and latency per operation and API, files and directories
 * created, log and space usage, readiness. Names carry the famfs_ prefix and base units; labels are low-cardinality
 * (operation, api, outcome), never a path.
 */
public final class LeaderMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter filesCreated;
    private final Counter dirsCreated;

    public LeaderMetrics(Leader leader) {
        Gauge.builder("famfs.log.entries.used", leader, l -> l.published())
                .description("log entries in use (next_index)")
                .register(registry);
        Gauge.builder("famfs.log.entries.capacity", leader, l -> l.volume().capacity())
                .description("log slots in all")
                .register(registry);
        Gauge.builder("famfs.space.capacity", leader, Leader::devSize)
                .baseUnit("bytes")
                .description("the file system's size (dd_size)")
                .register(registry);
        Gauge.builder("famfs.space.free", leader, Leader::freeBytes)
                .baseUnit("bytes")
                .description("space the allocator can still hand out")
                .register(registry);
        Gauge.builder("famfs.leader.ready", leader, l -> l.status().ready() ? 1 : 0)
                .description("1 when the leader takes creates")
                .register(registry);
        Gauge.builder(
                        "famfs.leader.bad.log.entries",
                        leader,
                        l -> l.status().badEntries().size())
                .description("log entries still bad after their re-read")
                .register(registry);
        filesCreated = Counter.builder("famfs.leader.files")
                .description("files this leader logged")
                .register(registry);
        dirsCreated = Counter.builder("famfs.leader.dirs")
                .description("directories this leader logged")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** Starts timing a request. */
    public long start() {
        return System.nanoTime();
    }

    /** Records a request's latency and outcome, and what it created. */
    public void done(long started, String op, String api, Message answer, Throwable failure) {
        String outcome = failure == null ? "ok" : codeOf(failure);
        Timer.builder("famfs.leader.request")
                .description("request latency, receipt to answer")
                .tags("op", op, "api", api, "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofMillis(1).dividedBy(20))
                .maximumExpectedValue(java.time.Duration.ofSeconds(10))
                .register(registry)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        switch (answer) {
            case CreateFileResponse r when r.getCreated() -> filesCreated.increment();
            case CreateFilesResponse r ->
                filesCreated.increment(r.getResultsList().stream()
                        .filter(CreateFileResponse::getCreated)
                        .count());
            case MkdirResponse r -> dirsCreated.increment(r.getCreatedCount());
            case null, default -> {}
        }
    }

    private static String codeOf(Throwable failure) {
        var code = ErrorMapping.of(failure).code();
        return code == null ? "internal" : code.name().toLowerCase();
    }

    /** The gauges of one agent's host, registered on its first heartbeat: its lag and whether it is alive. */
    public void agent(AgentRegistry agents, String host) {
        Gauge.builder("famfs.agent.lag.entries", agents, a -> a.lag(host))
                .tags("host", host)
                .description("entries the host's agent has not applied yet, as of its last heartbeat")
                .register(registry);
        Gauge.builder("famfs.agent.up", agents, a -> a.alive(host))
                .tags("host", host)
                .description("1 while the host's agent sends heartbeats")
                .register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
