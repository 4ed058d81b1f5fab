package io.famfs.meta.leader.it;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.cli.Cli;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.log.RawBytes;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** What the crash and bad-entry tests look at from outside a leader: HTTP answers, raw bytes, fsck. */
final class Probe {
    private Probe() {}

    record Answer(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }

    static Answer get(LeaderProcess leader, String route) {
        return send(HttpRequest.newBuilder(URI.create(leader.restUrl() + route))
                .GET()
                .build());
    }

    /** POST of a JSON body with the leader's token. */
    static Answer post(LeaderProcess leader, String route, String json) {
        return send(HttpRequest.newBuilder(URI.create(leader.restUrl() + route))
                .header("authorization", "Bearer " + leader.token())
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private static Answer send(HttpRequest request) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** /health/ready's status and the leader check's data (state, reason, bad_entries, ...). */
    record Ready(int status, JsonObject data, String body) {}

    static Ready ready(LeaderProcess leader) {
        Answer a = get(leader, "/health/ready");
        JsonObject data = a.json().getJsonArray("checks").getJsonObject(0).getJsonObject("data");
        return new Ready(a.status(), data, a.body());
    }

    /** The superblock and the whole log: every byte a create could change. */
    static byte[] metadata(Path device) {
        TestLog log = TestLog.of(device);
        return RawBytes.read(device, 0, Math.toIntExact(TestLog.LOG_OFFSET + log.logLen));
    }

    /**
     * {@code famfs-meta fsck} in process: it must replay the log cleanly (exit 0), with no bad entry and no collision,
     * and count the entries the tests' decoder counts.
     */
    static void assertFsckClean(Path device, Path work, TestLog log, String where) {
        Cli.Run fsck = Cli.run(
                "fsck",
                "--device",
                device.toString(),
                "--system-uuid-file",
                work.resolve("system_uuid").toString());
        assertEquals(0, fsck.exit(), () -> where + ": fsck\n" + fsck);
        assertTrue(fsck.out().contains("  No allocation errors found"), () -> where + ": fsck\n" + fsck);
        assertTrue(fsck.out().contains("  allocation collisions:  0\n"), () -> where + ": fsck\n" + fsck);
        assertTrue(fsck.out().contains("  bad log entries:        0\n"), () -> where + ": fsck\n" + fsck);
        assertTrue(fsck.out().contains("  flagged files:          0\n"), () -> where + ": fsck\n" + fsck);
        assertTrue(
                fsck.out().contains("  # of log entries in use: " + log.nextIndex + " of "),
                () -> where + ": fsck counts other entries than the decoder (" + log.nextIndex + ")\n" + fsck);
    }

    /** The header as one writer leaves it: its CRC right, next_seqnum == next_index, no bad entry below it. */
    static void assertHeaderConsistent(TestLog log, String where) {
        assertTrue(log.headerCrcOk, () -> where + ": log header CRC");
        assertEquals(log.nextIndex, log.nextSeqnum, () -> where + ": next_seqnum vs next_index");
        assertEquals(java.util.List.of(), log.badEntries, () -> where + ": bad entries below next_index");
        assertEquals(java.util.List.of(), log.problems(), () -> where + ": the decoder's problems");
    }
}
