package io.famfs.meta.leader.cluster;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.proto.v1.AgentHeartbeatRequest;
import io.famfs.meta.proto.v1.AgentInfo;
import io.famfs.meta.proto.v1.AgentsResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The agents that sent heartbeats, by host id, each with its last heartbeat: how far behind the leader each host's
 * view is. Kept in memory (a restarted leader learns them again within a heartbeat). Bounded: at most
 * {@link #MAX_AGENTS} hosts.
 */
public final class AgentRegistry {
    public static final int MAX_AGENTS = 1024;
    public static final int MAX_HOST_ID = 128;
    /** An agent without a heartbeat for this long is shown as not alive. */
    public static final Duration ALIVE = Duration.ofSeconds(10);

    private record Seen(AgentHeartbeatRequest beat, long atNanos) {}

    private final Map<String, Seen> agents = new ConcurrentHashMap<>();
    private final LongSupplier published;
    private final String fsUuid;
    private final BiConsumer<AgentRegistry, String> onNewHost;

    /**
     * @param published the leader's published entry count
     * @param fsUuid the leader's file system
     * @param onNewHost called once per host id on its first heartbeat (to register its metrics)
     */
    public AgentRegistry(LongSupplier published, String fsUuid, BiConsumer<AgentRegistry, String> onNewHost) {
        this.published = published;
        this.fsUuid = fsUuid;
        this.onNewHost = onNewHost;
    }

    /** Records a heartbeat; INVALID_ARGUMENT for a bad host id, FAILED_PRECONDITION past {@link #MAX_AGENTS}. */
    public void heartbeat(AgentHeartbeatRequest beat) {
        String id = beat.getHostId();
        if (id.isEmpty() || id.length() > MAX_HOST_ID || id.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT,
                    "host_id must be 1 to " + MAX_HOST_ID + " printable ASCII characters without spaces");
        }
        if (!agents.containsKey(id) && agents.size() >= MAX_AGENTS) {
            throw new FamfsException(
                    ErrorCode.FAILED_PRECONDITION, "the leader already follows " + MAX_AGENTS + " agents");
        }
        if (agents.put(id, new Seen(beat, System.nanoTime())) == null) {
            onNewHost.accept(this, id);
        }
    }

    /** The lag of {@code hostId}'s view in entries (-1 for a host never seen). */
    public long lag(String hostId) {
        Seen s = agents.get(hostId);
        return s == null ? -1 : lag(s.beat());
    }

    /** 1 while {@code hostId} sent a heartbeat within {@link #ALIVE}, else 0. */
    public int alive(String hostId) {
        Seen s = agents.get(hostId);
        return s != null && System.nanoTime() - s.atNanos() < ALIVE.toNanos() ? 1 : 0;
    }

    private long lag(AgentHeartbeatRequest b) {
        long p = published.getAsLong();
        return b.getFsUuid().equals(fsUuid) ? Math.max(0, p - b.getApplied()) : p;
    }

    public AgentsResponse list() {
        long now = System.nanoTime();
        AgentsResponse.Builder r = AgentsResponse.newBuilder().setPublished(published.getAsLong());
        agents.values().stream()
                .sorted(Comparator.comparing(s -> s.beat().getHostId()))
                .forEach(s -> {
                    AgentHeartbeatRequest b = s.beat();
                    long ago = Duration.ofNanos(now - s.atNanos()).toMillis();
                    r.addAgents(AgentInfo.newBuilder()
                            .setHostId(b.getHostId())
                            .setFsUuid(b.getFsUuid())
                            .setApplied(b.getApplied())
                            .setLagEntries(lag(b))
                            .setState(b.getState())
                            .setStaleResets(b.getStaleResets())
                            .setBadIndex(b.getBadIndex())
                            .setApiUrl(b.getApiUrl())
                            .setLastHeartbeatMsAgo(ago)
                            .setAlive(ago < ALIVE.toMillis()));
                });
        return r.build();
    }
}
