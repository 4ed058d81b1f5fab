package io.famfs.meta.agent.bridge;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.agent.testing.AgentProcess;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.leader.client.LeaderClient;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.Extent;
import io.famfs.meta.proto.v1.FileInfo;
import io.famfs.meta.proto.v1.Interleave;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.famfs.meta.testing.TestDevice;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * End to end: files created through a real leader, fetched from a real agent's bridge socket, the GET_FMAP bytes
 * checked by the tests' own V9 decoder ({@link V9Fmap}, written from famfs-format.md §10) and every sampled file offset
 * resolved the kernel's way to the device byte the leader's answer allocated for it.
 */
class AgentBridgeTest {
    private static final long MiB = 1L << 20;

    @Test
    void getFmapOfSimpleAndStripedFilesResolvesToWhatTheLeaderAllocated() throws Exception {
        try (TestDevice dev = TestDevice.formatted(64 * Famfs.GiB, Famfs.DEFAULT_LOG_LEN);
                LeaderProcess leader = LeaderProcess.start(dev.path(), dev.dir(), "--take-ownership");
                AgentProcess agent = AgentProcess.start(dev.path(), dev.dir(), "host-f")) {
            LeaderClient rest = new LeaderClient(URI.create(leader.restUrl() + "/"), leader.token());
            rest.mkdir(MkdirRequest.newBuilder().setPath("d").setMode(0750).build());
            List<FileInfo> files = new ArrayList<>();
            for (long size : new long[] {1, 2 * MiB, 2 * MiB + 1, 37 * MiB + 5}) {
                files.add(rest.createFile(CreateFileRequest.newBuilder()
                                .setPath("d/simple-" + size)
                                .setSize(size)
                                .setMode(0640)
                                .setUid(1000)
                                .setGid(100)
                                .build())
                        .getFile());
            }
            for (int nstrips : new int[] {2, 3, 4, 7, 8, 16}) {
                for (long chunk : new long[] {2 * MiB, 4 * MiB}) {
                    files.add(rest.createFile(CreateFileRequest.newBuilder()
                                    .setPath("d/striped-" + nstrips + "-" + chunk / MiB)
                                    .setSize(nstrips * chunk * 3 + 12345)
                                    .setInterleave(Interleave.newBuilder()
                                            .setNbuckets(32)
                                            .setNstrips(nstrips)
                                            .setChunkSize(chunk))
                                    .build())
                            .getFile());
                }
            }
            Path socket = dev.dir().resolve("agent-host-f/bridge.sock");
            assertTrue(Files.exists(socket), agent::output);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            Random random = new Random(11);
            try (BridgeClient bridge = BridgeClient.connect(socket)) {
                for (FileInfo f : files) {
                    byte[] reply = awaitFmap(bridge, f.getPath());
                    V9Fmap map = V9Fmap.decode(reply); // every check the V9 kernel makes
                    assertEquals(f.getSize(), map.fileSize, f.getPath());
                    assertEquals(striped(f) ? 1 : 0, map.extType, f.getPath());
                    List<Long> offsets = new ArrayList<>(List.of(0L, f.getSize() - 1));
                    for (int i = 0; i < 200; i++) {
                        offsets.add(Math.floorMod(random.nextLong(), f.getSize()));
                    }
                    for (long off : offsets) {
                        V9Fmap.Resolved r = map.resolve(off);
                        assertEquals(0, r.devIndex());
                        assertEquals(allocated(f, off), r.devOffset(), () -> f.getPath() + " at " + off);
                    }

                    BridgeAttr a = bridge.getattr(f.getPath());
                    assertEquals(f.getSize(), a.size());
                    assertEquals(f.getMode(), a.mode());
                    assertEquals(f.getUid(), a.uid());
                    assertEquals(f.getGid(), a.gid());
                    assertEquals(f.getLogIndex(), a.logIndex());
                    assertFalse(a.isDirectory());
                }
                BridgeAttr d = bridge.lookup("d");
                assertTrue(d.isDirectory());
                assertEquals(0750, d.mode());
                List<String> names = bridge.readdir("d").stream()
                        .map(BridgeDirents.Entry::name)
                        .toList();
                assertEquals(
                        files.stream().map(f -> f.getPath().substring(2)).toList(),
                        names,
                        "readdir lists the files in log order");

                byte[] daxdev = bridge.getDaxdev(0);
                assertEquals(280, daxdev.length);
                String name = new String(daxdev, 24, 256, StandardCharsets.UTF_8);
                assertEquals(dev.path().toString(), name.substring(0, name.indexOf('\0')));
                assertErrno(Errno.EINVAL, () -> bridge.getDaxdev(1));
                assertErrno(Errno.ENOENT, () -> bridge.getFmap("d/nothing"));
                assertErrno(Errno.EINVAL, () -> bridge.getFmap("d"));
                assertErrno(Errno.ENOTDIR, () -> bridge.readdir("d/simple-1"));
            }
        }
    }

    /** Where the leader put file offset {@code off}: the §10 rules applied to the leader's own answer. */
    private static long allocated(FileInfo f, long off) {
        if (!striped(f)) {
            long skipped = 0;
            for (Extent e : f.getFmap().getExtentsList()) {
                if (off < skipped + e.getLength()) {
                    return e.getOffset() + (off - skipped);
                }
                skipped += e.getLength();
            }
            throw new AssertionError("offset " + off + " past the extents of " + f);
        }
        long chunk = f.getFmap().getChunkSize();
        List<Extent> strips = f.getFmap().getExtentsList();
        long c = off / chunk;
        return strips.get((int) (c % strips.size())).getOffset() + (c / strips.size()) * chunk + off % chunk;
    }

    private static boolean striped(FileInfo f) {
        return f.getFmap().getKind() == io.famfs.meta.proto.v1.Fmap.Kind.INTERLEAVED;
    }

    private static byte[] awaitFmap(BridgeClient bridge, String path) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return bridge.getFmap(path);
            } catch (BridgeException e) {
                if (e.errno() != Errno.ENOENT.value() || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1);
            }
        }
    }

    private interface Call {
        void run() throws IOException;
    }

    private static void assertErrno(Errno expected, Call call) {
        BridgeException e = assertThrows(BridgeException.class, call::run);
        assertEquals(expected.value(), e.errno(), e::toString);
    }
}
