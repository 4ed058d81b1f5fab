package io.famfs.meta.agent.status;

import io.famfs.meta.agent.bridge.BridgeProtocolDescriptor;
import io.famfs.meta.agent.bridge.BridgeServer;
import io.famfs.meta.agent.tail.Tailer;
import io.famfs.meta.agent.view.AgentView;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The agent's Prometheus metrics, read from the view and the tailer when scraped: how far the view is
 * ({@code famfs_agent_applied_entries}, {@code famfs_agent_lag_entries}), how often it went stale
 * ({@code famfs_agent_stale_resets_total}), whether it stopped at a bad entry, and the tailer's work.
 */
public final class AgentMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public AgentMetrics(AgentView view, Tailer tailer) {
        Gauge.builder("famfs.agent.applied.entries", view, v -> v.status().applied())
                .description("Log entries applied to this host's view")
                .register(registry);
        Gauge.builder("famfs.log.entries.published", view, v -> v.status().publishedIndex())
                .description("Log entries published in shared memory (next_index) at the last poll")
                .register(registry);
        Gauge.builder("famfs.agent.lag.entries", view, v -> v.status().lag())
                .description("Published entries not yet applied to this host's view")
                .register(registry);
        Gauge.builder("famfs.agent.view.nodes", view, v -> v.status().nodes())
                .description("Files and directories in this host's view")
                .register(registry);
        Gauge.builder("famfs.agent.bad.log.entries", view, v -> v.status().badIndex() >= 0 ? 1 : 0)
                .description("1 while the view is stopped at a bad log entry")
                .register(registry);
        Gauge.builder("famfs.agent.ready", view, v -> v.status().state() == AgentView.State.CURRENT ? 1 : 0)
                .description("1 while the view is caught up with the log")
                .register(registry);
        FunctionCounter.builder(
                        "famfs.agent.stale.resets", view, v -> v.status().staleResets())
                .description("Times the view was found stale, purged and replayed")
                .register(registry);
        FunctionCounter.builder("famfs.agent.entries.applied", tailer, Tailer::entriesApplied)
                .description("Log entries applied (across purges)")
                .register(registry);
        FunctionCounter.builder("famfs.agent.polls", tailer, Tailer::polls)
                .description("Polls of the log header in shared memory")
                .register(registry);
    }

    /** The bridge socket's counters: requests and error answers per op, malformed frames, open connections. */
    public void bridge(BridgeServer server) {
        for (int op = 0; op < BridgeProtocolDescriptor.OP_COUNT; op++) {
            int o = op;
            String name = BridgeProtocolDescriptor.opName(op).toLowerCase(java.util.Locale.ROOT);
            FunctionCounter.builder("famfs.agent.bridge.requests", server, s -> s.requests(o))
                    .tags("op", name)
                    .description("Requests on the bridge socket")
                    .register(registry);
            FunctionCounter.builder("famfs.agent.bridge.errors", server, s -> s.errors(o))
                    .tags("op", name)
                    .description("Requests on the bridge socket answered with an errno")
                    .register(registry);
        }
        FunctionCounter.builder("famfs.agent.bridge.bad.frames", server, BridgeServer::badFrames)
                .description("Malformed frames on the bridge socket")
                .register(registry);
        Gauge.builder("famfs.agent.bridge.connections", server, BridgeServer::connections)
                .description("Open connections to the bridge socket")
                .register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }
}
