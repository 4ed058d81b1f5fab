package io.famfs.meta.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.agent.testing.AgentProcess;
import io.famfs.meta.agent.testing.Remake;
import io.famfs.meta.leader.client.LeaderClient;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFilesRequest;
import io.famfs.meta.testing.TestDevice;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent's view cache across restarts of real agent processes: a cache that matches shared memory is resumed (only
 * the entries published since are applied), one that does not (the file system was re-made) is dropped and the log
 * replayed, and an agent killed -9 resumes from its last periodic save.
 */
class AgentCacheTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern APPLIED_TOTAL = Pattern.compile("famfs_agent_entries_applied_total ([0-9.]+)");

    @Test
    void aMatchingCacheIsResumedAndAMismatchingOneReplayed() throws Exception {
        try (TestDevice dev = TestDevice.formatted()) {
            Path device = dev.path();
            try (LeaderProcess leader = LeaderProcess.start(device, dev.dir(), "--take-ownership")) {
                create(leader, "a", 50);
            }
            try (AgentProcess agent = AgentProcess.start(device, dev.dir(), "host-c")) {
                agent.awaitStatus(s -> s.getLong("applied") == 51, WAIT, "51 entries applied");
                assertEquals(143, agent.stop(), agent::output);
                assertTrue(agent.output().contains("saved the view cache at entry 51"), agent::output);
            }
            try (LeaderProcess leader = LeaderProcess.start(device, dev.dir())) {
                create(leader, "b", 5);
            }
            try (AgentProcess agent = AgentProcess.start(device, dev.dir(), "host-c")) {
                JsonObject st = agent.awaitStatus(
                        s -> s.getLong("applied") == 57 && "CURRENT".equals(s.getString("state")), WAIT, "57");
                assertTrue(agent.output().contains("resumed from the view cache"), agent::output);
                assertTrue(agent.output().contains("51 entries applied (of 57 published)"), agent::output);
                assertEquals(6, appliedTotal(agent), "only the entries since the save were read from the log");
                assertEquals(0, st.getLong("stale_resets"), st::encode);
                assertEquals(200, agent.get("/v1/fmap?path=a/f49").status());
                assertEquals(200, agent.get("/v1/fmap?path=b/f4").status());
                assertEquals(143, agent.stop(), agent::output);
            }

            // the file system is re-made while no agent runs: the cache no longer matches
            Remake.mkfs(dev);
            try (LeaderProcess leader = LeaderProcess.start(device, dev.dir(), "--take-ownership")) {
                create(leader, "c", 3);
            }
            try (AgentProcess agent = AgentProcess.start(device, dev.dir(), "host-c")) {
                agent.awaitStatus(
                        s -> s.getLong("applied") == 4 && "CURRENT".equals(s.getString("state")), WAIT, "4 entries");
                assertTrue(agent.output().contains("the view cache does not match shared memory"), agent::output);
                assertEquals(4, appliedTotal(agent), "the whole new log was replayed");
                assertEquals(404, agent.get("/v1/fmap?path=a/f1").status());
                assertEquals(200, agent.get("/v1/fmap?path=c/f2").status());
            }
        }
    }

    @Test
    void anAgentKilledHardResumesFromItsLastPeriodicSave() throws Exception {
        try (TestDevice dev = TestDevice.formatted()) {
            Path device = dev.path();
            try (LeaderProcess leader = LeaderProcess.start(device, dev.dir(), "--take-ownership")) {
                create(leader, "a", 20);
            }
            try (AgentProcess agent = AgentProcess.start(device, dev.dir(), "host-k", "--cache-every", "100ms")) {
                agent.awaitStatus(s -> s.getLong("applied") == 21, WAIT, "21 entries applied");
                Thread.sleep(1000); // several periodic saves
                agent.kill9();
            }
            try (AgentProcess agent = AgentProcess.start(device, dev.dir(), "host-k")) {
                agent.awaitStatus(s -> "CURRENT".equals(s.getString("state")), WAIT, "CURRENT");
                assertTrue(agent.output().contains("resumed from the view cache"), agent::output);
                assertEquals(0, appliedTotal(agent), agent::output);
                assertEquals(200, agent.get("/v1/fmap?path=a/f19").status());
            }
        }
    }

    /** {@code n} files under {@code dir} (one mkdir and one batch: n + 1 entries). */
    private static void create(LeaderProcess leader, String dir, int n) {
        LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
        CreateFilesRequest.Builder batch = CreateFilesRequest.newBuilder();
        for (int i = 0; i < n; i++) {
            batch.addFiles(CreateFileRequest.newBuilder()
                    .setPath(dir + "/f" + i)
                    .setSize(1)
                    .setParents(true));
        }
        rest.createFiles(batch.build());
    }

    private static long appliedTotal(AgentProcess agent) {
        Matcher m = APPLIED_TOTAL.matcher(agent.get("/metrics").body());
        assertTrue(m.find(), "no famfs_agent_entries_applied_total");
        return (long) Double.parseDouble(m.group(1));
    }
}
