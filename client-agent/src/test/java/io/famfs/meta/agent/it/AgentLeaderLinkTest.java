package io.famfs.meta.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.agent.testing.AgentProcess;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.leader.client.GrpcLeaderClient;
import io.famfs.meta.leader.client.LeaderClient;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.proto.v1.AgentHeartbeatRequest;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.LeaderGrpcClient;
import io.famfs.meta.testing.TestDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An agent that names its leader: its heartbeats make the leader list it with its lag (REST, gRPC, metrics), the
 * leader's entry stream wakes its tailer, and it goes on without the leader.
 */
class AgentLeaderLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theLeaderSeesEachAgentsLagAndItsHintsWakeTheAgent() throws Exception {
        try (TestDevice dev = TestDevice.formatted();
                LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership");
                AgentProcess agent = AgentProcess.start(
                        dev.path(),
                        dev.dir(),
                        "host-l",
                        "--leader",
                        "127.0.0.1:" + leader.grpcPort(),
                        "--leader-token-file",
                        leader.stateDir().resolve("token").toString(),
                        // parks long enough that only a hint makes a create visible quickly
                        "--idle",
                        "park",
                        "--idle-park-max",
                        "2s")) {
            JsonObject listed = awaitAgent(leader, "host-l", a -> "CURRENT".equals(a.getString("state")));
            assertTrue(listed.getBoolean("alive"), listed::encode);
            assertTrue(listed.getString("api_url").endsWith(":" + agent.apiPort()), listed::encode);

            LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
            for (int i = 0; i < 20; i++) {
                rest.createFile(CreateFileRequest.newBuilder()
                        .setPath("f" + i)
                        .setSize(1)
                        .build());
            }
            JsonObject st = agent.awaitStatus(s -> s.getLong("applied") == 20, WAIT, "20 entries applied");
            JsonObject link = st.getJsonObject("leader");
            assertTrue(link.getBoolean("reachable"), st::encode);
            assertTrue(link.getLong("heartbeats") >= 1, st::encode);
            agent.awaitStatus(
                    s -> s.getJsonObject("leader").getLong("wake_up_hints") >= 1, WAIT, "a wake-up hint arrived");

            JsonObject caughtUp = awaitAgent(leader, "host-l", a -> num(a, "applied") == 20);
            assertEquals(0, num(caughtUp, "lag_entries"), caughtUp::encode);
            String metrics = get(leader, "/metrics", null).body();
            assertTrue(metrics.contains("famfs_agent_lag_entries{host=\"host-l\"} 0.0"), metrics);
            assertTrue(metrics.contains("famfs_agent_up{host=\"host-l\"} 1.0"), metrics);

            // a heartbeat that names no host is refused, and changes nothing
            Vertx vertx = Vertx.vertx();
            try (GrpcLeaderClient grpc =
                    GrpcLeaderClient.create(vertx, "127.0.0.1", leader.grpcPort(), leader.token())) {
                ExecutionException refused = assertThrows(
                        ExecutionException.class,
                        () -> grpc.call(
                                        LeaderGrpcClient.AgentHeartbeat,
                                        AgentHeartbeatRequest.newBuilder()
                                                .setHostId("has space")
                                                .build())
                                .toCompletionStage()
                                .toCompletableFuture()
                                .get(30, TimeUnit.SECONDS));
                assertEquals(ErrorCode.INVALID_ARGUMENT, ((FamfsException) refused.getCause()).code());
            } finally {
                vertx.close().await(30, TimeUnit.SECONDS);
            }
            assertEquals(1, agents(leader).size(), "only host-l is listed");

            // without the leader the agent goes on, and says the leader is gone
            leader.kill9();
            st = agent.awaitStatus(
                    s -> !s.getJsonObject("leader").getBoolean("reachable"), WAIT, "the leader unreachable");
            assertEquals("CURRENT", st.getString("state"), st::encode);
            assertEquals(200, agent.get("/v1/fmap?path=f19").status());
            assertTrue(agent.output().contains("is not reachable"), agent::output);
        }
    }

    private static JsonObject awaitAgent(LeaderProcess leader, String host, java.util.function.Predicate<JsonObject> p)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonArray last = null;
        while (System.nanoTime() < deadline) {
            last = agents(leader);
            for (int i = 0; i < last.size(); i++) {
                JsonObject a = last.getJsonObject(i);
                if (host.equals(a.getString("host_id")) && p.test(a)) {
                    return a;
                }
            }
            Thread.sleep(50);
        }
        fail("the leader does not list " + host + " as expected: " + last);
        return null;
    }

    /** A number of the leader's JSON (protobuf's mapping writes 64-bit integers as strings). */
    private static long num(JsonObject o, String key) {
        Object v = o.getValue(key);
        return v == null ? 0 : Long.parseLong(v.toString());
    }

    private static JsonArray agents(LeaderProcess leader) throws Exception {
        HttpResponse<String> r = get(leader, "/v1/agents", leader.token());
        assertEquals(200, r.statusCode(), r::body);
        return new JsonObject(r.body()).getJsonArray("agents", new JsonArray());
    }

    private static HttpResponse<String> get(LeaderProcess leader, String path, String token) throws Exception {
        try (HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(leader.restUrl() + path)).timeout(Duration.ofSeconds(30));
            if (token != null) {
                b.header("authorization", "Bearer " + token);
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
