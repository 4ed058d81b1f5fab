package io.famfs.meta.agent.it;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.agent.testing.AgentProcess;
import io.famfs.meta.agent.testing.Remake;
import io.famfs.meta.cli.Cli;
import io.famfs.meta.leader.client.LeaderClient;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.Interleave;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.famfs.meta.testing.TestDevice;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A real agent keeping a famfs_fused shadow tree (--shadow) while a real leader creates files: the tree it keeps is
 * the tree `famfs-meta logplay` writes for the same log (whose bytes the golden tests hold to famfs's own), file by
 * file, byte by byte, with the same modes and owners; a re-made file system's tree is removed and written again.
 */
class AgentShadowTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theAgentsShadowTreeIsTheOneLogplayWrites() throws Exception {
        try (TestDevice dev = TestDevice.formatted()) {
            Path shadow = dev.dir().resolve("shadow");
            try (LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership");
                    AgentProcess agent =
                            AgentProcess.start(dev.path(), dev.dir(), "host-s", "--shadow", shadow.toString())) {
                LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
                rest.mkdir(MkdirRequest.newBuilder()
                        .setPath("models/llama")
                        .setParents(true)
                        .setMode(0750)
                        .setUid(1000)
                        .setGid(1000)
                        .build());
                rest.createFile(CreateFileRequest.newBuilder()
                        .setPath("models/llama/weights.bin")
                        .setSize(64L << 20)
                        .setInterleave(Interleave.newBuilder()
                                .setNbuckets(4)
                                .setNstrips(2)
                                .setChunkSize(2 << 20))
                        .build());
                for (int i = 0; i < 20; i++) {
                    rest.createFile(CreateFileRequest.newBuilder()
                            .setPath("models/llama/part " + i + (i % 3 == 0 ? ": yes" : ""))
                            .setSize(1 + i)
                            .setMode(0640)
                            .setUid(i)
                            .setGid(i == 0 ? 0 : 100)
                            .build());
                }
                JsonObject st = awaitShadow(agent, 23);
                assertEquals(
                        shadow.resolve("root").toString(),
                        st.getJsonObject("shadow").getString("root"),
                        st::encode);
            }
            Path replayed = dev.dir().resolve("logplay");
            Cli.Run logplay = Cli.run("logplay", "--device", dev.path().toString(), "--shadow", replayed.toString());
            assertEquals(0, logplay.exit(), logplay::toString);
            Map<String, String> expected = tree(replayed.resolve("root"));
            assertEquals(24, expected.size(), expected::toString); // root, 2 directories, 21 files
            assertEquals(expected, tree(shadow.resolve("root")));
        }
    }

    @Test
    void aReMadeFileSystemsTreeIsWrittenAgain() throws Exception {
        try (TestDevice dev = TestDevice.formatted()) {
            Path shadow = dev.dir().resolve("shadow");
            try (LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership")) {
                new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token())
                        .createFile(CreateFileRequest.newBuilder()
                                .setPath("old")
                                .setSize(1)
                                .build());
            }
            try (AgentProcess agent =
                    AgentProcess.start(dev.path(), dev.dir(), "host-r", "--shadow", shadow.toString())) {
                awaitShadow(agent, 1);
                assertTrue(Files.isRegularFile(shadow.resolve("root/old")));
                Remake.mkfs(dev);
                try (LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership")) {
                    new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token())
                            .createFile(CreateFileRequest.newBuilder()
                                    .setPath("new")
                                    .setSize(1)
                                    .build());
                }
                agent.awaitStatus(
                        s -> s.getLong("stale_resets") >= 1
                                && s.getLong("applied") == 1
                                && s.getJsonObject("shadow").getLong("entries_written") == 1
                                && Files.exists(shadow.resolve("root/new")),
                        WAIT,
                        "the new file system's tree");
                assertFalse(Files.exists(shadow.resolve("root/old"), LinkOption.NOFOLLOW_LINKS), agent::output);
            }
        }
    }

    private static JsonObject awaitShadow(AgentProcess agent, long entries) {
        return agent.awaitStatus(
                s -> s.getLong("applied") == entries
                        && s.getJsonObject("shadow").getLong("entries_written") == entries,
                WAIT,
                entries + " entries in the shadow tree");
    }

    /** Every path under {@code root}: its type, mode, owner, and a file's bytes. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String what = a.isDirectory() ? "dir" : a.isRegularFile() ? "file " + Files.readString(p) : "other";
                out.put(
                        root.relativize(p).toString(),
                        what + " " + PosixFilePermissions.toString(a.permissions()) + " "
                                + Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
                                + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS));
            }
        }
        return out;
    }
}
