package io.famfs.meta.shadow;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.LogEntry;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogAppender;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Node;
import io.famfs.meta.replay.Replayer;
import io.famfs.meta.testing.TestDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ShadowTreeWriter} on real directories in /dev/shm, with namespaces built by appending entries to a device and
 * replaying its log (famfs-format.md 5.1, 3). Needs root: it checks chown.
 */
class ShadowTreeWriterTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @BeforeAll
    static void requireRoot() throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        assertEquals(0, uid, "ShadowTreeWriterTest must run as root (it checks chown of shadow directories)");
    }

    // ---- helpers ----

    /** Appends {@code entries} to a fresh log on {@code d} and replays the whole log. */
    private static Namespace replay(TestDevice d, LogEntry... entries) {
        try (Device dev = d.open(true)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            LogAppender appender = new LogAppender(volume);
            for (LogEntry e : entries) {
                appender.append(e);
            }
            Replayer.Replay replay = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD);
            assertFalse(replay.result().stopped());
            assertEquals(List.of(), replay.namespace().skipped(), "every entry applies");
            return replay.namespace();
        }
    }

    private long nextData = 10 * Famfs.MiB; // the first data offset with the default 8 MiB log

    private FileEntry file(String path, int mode, int uid, int gid) {
        long offset = nextData;
        nextData += 2 * Famfs.MiB;
        return FileEntry.create(path, 4096, mode, uid, gid, SimpleFmap.of(Extent.of(offset, 2 * Famfs.MiB)));
    }

    private FileEntry file(String path) {
        return file(path, 0644, 0, 0);
    }

    private static MkdirEntry dir(String path, int mode, int uid, int gid) {
        return MkdirEntry.create(path, mode, uid, gid);
    }

    private static MkdirEntry dir(String path) {
        return dir(path, 0755, 0, 0);
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW) & 07777;
    }

    private static int uid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", NOFOLLOW);
    }

    private static int gid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:gid", NOFOLLOW);
    }

    /**
     * Everything under {@code top} (not following links): relative path to type, mode, owner, change time and, for
     * files, contents and for links, target.
     */
    private static Map<String, String> snapshot(Path top) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                StringBuilder sb = new StringBuilder();
                if (Files.isSymbolicLink(p)) {
                    sb.append("link -> ").append(Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, NOFOLLOW)) {
                    sb.append("dir");
                } else {
                    sb.append("file ").append(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
                }
                sb.append(String.format(
                        " mode %o uid %d gid %d ctime %s mtime %s",
                        mode(p),
                        uid(p),
                        gid(p),
                        Files.getAttribute(p, "unix:ctime", NOFOLLOW),
                        Files.getLastModifiedTime(p, NOFOLLOW)));
                out.put(top.relativize(p).toString(), sb.toString());
            }
        }
        return out;
    }

    /** Relative paths under {@code top}, not following links. */
    private static List<String> listing(Path top) throws IOException {
        try (Stream<Path> walk = Files.walk(top)) {
            return walk.map(p -> top.relativize(p).toString()).sorted().toList();
        }
    }

    /** Calls umask(2) (process-wide); returns the previous mask. */
    @SuppressWarnings("restricted") // umask takes and returns a plain int
    private static int umask(int mask) {
        Linker linker = Linker.nativeLinker();
        MethodHandle h = linker.downcallHandle(
                linker.defaultLookup().find("umask").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        try {
            return (int) h.invokeExact(mask);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static String yaml(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- tests ----

    @Test
    void writesDirectoriesAndFilesAsFamfsDoes() throws IOException {
        FileEntry simple = file("dir1/simple", 0600, 1000, 1000);
        LogEntry[] entries = {
            dir("dir1", 0777, 1000, 1000),
            dir("dir1/private", 0700, 1000, 1000),
            dir("uidonly", 0775, 1000, 0),
            dir("gidonly", 0757, 0, 1000),
            dir("sticky", 01777, 0, 0),
            dir("setid", 06755, 0, 0),
            simple,
            file("dir1/private/f", 0400, 0, 0),
            file("top", 0644, 12, 34),
        };
        int[] masks = {0, 077, 022};
        for (int mask : masks) {
            try (TestDevice d = TestDevice.formatted()) {
                Namespace ns = replay(d, entries);
                Path shadow = d.dir().resolve("shadow");
                int old = umask(mask);
                ShadowTreeWriter.Result result;
                try {
                    result = new ShadowTreeWriter(shadow, false).write(ns);
                } finally {
                    umask(old);
                }
                String m = "umask " + Integer.toOctalString(mask) + ": ";
                assertEquals(new ShadowTreeWriter.Result(3, 6, 0, 0, List.of()), result, m);
                Path root = shadow.resolve("root");
                assertEquals(0755, mode(root), m + "DIR/root");
                assertEquals(0, uid(root));
                assertEquals(0, gid(root));

                assertEquals(0755, mode(root.resolve("dir1")), m + "0777 under 022");
                assertEquals(0700, mode(root.resolve("dir1/private")), m + "0700 stays");
                assertEquals(0755, mode(root.resolve("uidonly")), m + "0775 under 022");
                assertEquals(0755, mode(root.resolve("gidonly")), m + "0757 under 022");
                assertEquals(01755, mode(root.resolve("sticky")), m + "mkdir keeps the sticky bit");
                assertEquals(0755, mode(root.resolve("setid")), m + "mkdir drops set-id bits");

                assertEquals(1000, uid(root.resolve("dir1")), "uid and gid non-zero: chowned");
                assertEquals(1000, gid(root.resolve("dir1")));
                assertEquals(1000, uid(root.resolve("dir1/private")));
                assertEquals(0, uid(root.resolve("uidonly")), "gid 0: not chowned");
                assertEquals(0, gid(root.resolve("uidonly")));
                assertEquals(0, uid(root.resolve("gidonly")), "uid 0: not chowned");
                assertEquals(0, gid(root.resolve("gidonly")));

                for (String f : List.of("dir1/simple", "dir1/private/f", "top")) {
                    Path p = root.resolve(f);
                    assertTrue(Files.isRegularFile(p, NOFOLLOW), f);
                    assertEquals(0644, mode(p), m + f + ": shadow files are 0644 whatever the logged mode");
                    assertEquals(0, uid(p), f + " is root-owned");
                    assertEquals(0, gid(p), f + " is root-owned");
                }
                assertArrayEquals(ShadowYaml.write(simple), Files.readAllBytes(root.resolve("dir1/simple")));
                assertEquals("""
                        ---
                        file:
                          path: top
                          size: 4096
                          flags: 2
                          mode: 0644
                          uid: 12
                          gid: 34
                          nextents: 1
                          simple_ext_list:
                          - devindex: 0
                            offset: 0xe00000
                            length: 0x200000
                        ...
                        """, yaml(root.resolve("top")));
                assertTrue(yaml(root.resolve("dir1/simple")).contains("\n  mode: 0600\n  uid: 1000\n  gid: 1000\n"));

                // Exactly the namespace: no temporary file or anything else left behind.
                assertEquals(
                        List.of(
                                "",
                                "dir1",
                                "dir1/private",
                                "dir1/private/f",
                                "dir1/simple",
                                "gidonly",
                                "setid",
                                "sticky",
                                "top",
                                "uidonly"),
                        listing(root));
                try (Stream<Path> top = Files.list(shadow)) {
                    assertEquals(List.of(root), top.toList(), "DIR holds only root");
                }
            }
        }
    }

    @Test
    void aSymlinkWhereADirectoryGoesIsNotFollowed() throws IOException {
        try (TestDevice d = TestDevice.formatted()) {
            FileEntry other = file("other");
            Namespace ns = replay(
                    d,
                    dir("dir1"),
                    file("dir1/f"),
                    dir("dir1/sub"),
                    file("dir1/sub/g"),
                    other,
                    dir("dir2"),
                    file("dir2/h"));
            Path outside = Files.createDirectory(d.dir().resolve("outside"));
            Path root = Files.createDirectories(d.dir().resolve("shadow/root"));
            Files.createSymbolicLink(root.resolve("dir1"), outside);
            Map<String, String> before = snapshot(outside);

            ShadowTreeWriter.Result result = new ShadowTreeWriter(root.getParent(), false).write(ns);

            assertEquals(1, result.errors().size(), result.errors()::toString);
            assertTrue(
                    result.errors().getFirst().startsWith("dir1: "),
                    result.errors().getFirst());
            assertEquals(before, snapshot(outside), "nothing created outside DIR/root");
            assertEquals(List.of(""), listing(outside));
            assertEquals(outside, Files.readSymbolicLink(root.resolve("dir1")), "the link is left as it was");
            assertEquals(2, result.filesCreated(), "other and dir2/h");
            assertEquals(1, result.dirsCreated(), "dir2");
            assertArrayEquals(ShadowYaml.write(other), Files.readAllBytes(root.resolve("other")));
            assertTrue(Files.isRegularFile(root.resolve("dir2/h"), NOFOLLOW));
            assertEquals(List.of("", "dir1", "dir2", "dir2/h", "other"), listing(root));
        }
    }

    @Test
    void aSymlinkWhereAFileGoesIsNotFollowed() throws IOException {
        try (TestDevice d = TestDevice.formatted()) {
            Namespace ns = replay(d, dir("dir2"), file("dir2/g"), file("dir2/dangling"), file("dir2/ok"), file("top"));
            Path outside = Files.createDirectory(d.dir().resolve("outside"));
            Path precious = Files.writeString(outside.resolve("precious"), "keep me\n");
            Path root =
                    Files.createDirectories(d.dir().resolve("shadow/root/dir2")).getParent();
            Files.createSymbolicLink(root.resolve("dir2/g"), precious);
            Files.createSymbolicLink(root.resolve("dir2/dangling"), outside.resolve("new"));
            Map<String, String> before = snapshot(outside);

            ShadowTreeWriter.Result result = new ShadowTreeWriter(root, false).write(ns);

            assertEquals(2, result.errors().size(), result.errors()::toString);
            assertTrue(
                    result.errors().get(0).startsWith("dir2/g: "),
                    result.errors().get(0));
            assertTrue(
                    result.errors().get(1).startsWith("dir2/dangling: "),
                    result.errors().get(1));
            assertEquals(before, snapshot(outside), "nothing written through the links");
            assertEquals("keep me\n", Files.readString(precious));
            assertFalse(Files.exists(outside.resolve("new"), NOFOLLOW));
            assertEquals(precious, Files.readSymbolicLink(root.resolve("dir2/g")));
            assertEquals(2, result.filesCreated(), "dir2/ok and top");
            assertEquals(1, result.dirsExisted());
            assertEquals(List.of("", "dir2", "dir2/dangling", "dir2/g", "dir2/ok", "top"), listing(root));
        }
    }

    @Test
    void aSymlinkedRootIsRefused() throws IOException {
        try (TestDevice d = TestDevice.formatted()) {
            Namespace ns = replay(d, dir("dir1"), file("dir1/f"), file("top"));
            Path outside = Files.createDirectory(d.dir().resolve("outside"));
            Path shadow = Files.createDirectory(d.dir().resolve("shadow"));
            Files.createSymbolicLink(shadow.resolve("root"), outside);
            Map<String, String> before = snapshot(outside);
            for (Path given : List.of(shadow, shadow.resolve("root"))) {
                for (boolean dryRun : new boolean[] {false, true}) {
                    FamfsException e =
                            assertThrows(FamfsException.class, () -> new ShadowTreeWriter(given, dryRun).write(ns));
                    assertEquals(ErrorCode.IO, e.code());
                    assertTrue(e.getMessage().contains(shadow.resolve("root").toString()), e.getMessage());
                    assertEquals(before, snapshot(outside), "nothing created through the root link");
                    assertEquals(List.of(""), listing(outside));
                }
            }
            assertEquals(outside, Files.readSymbolicLink(shadow.resolve("root")));
        }
    }

    @Test
    void theOtherKindInTheWayIsReportedAndLeftAlone() throws IOException {
        try (TestDevice d = TestDevice.formatted()) {
            Namespace ns = replay(d, dir("dir1"), file("dir1/f"), file("f1"), file("f2"), dir("dir3"));
            Path root = Files.createDirectories(d.dir().resolve("shadow/root"));
            Files.writeString(root.resolve("dir1"), "a file where a directory goes\n");
            Files.createDirectory(root.resolve("f1"));
            Files.writeString(root.resolve("f1/inside"), "a directory where a file goes\n");
            Map<String, String> before = snapshot(root);

            ShadowTreeWriter.Result result = new ShadowTreeWriter(root, false).write(ns);

            assertEquals(2, result.errors().size(), result.errors()::toString);
            assertTrue(
                    result.errors().get(0).startsWith("dir1: "), result.errors().get(0));
            assertTrue(
                    result.errors().get(1).startsWith("f1: "), result.errors().get(1));
            assertEquals(1, result.filesCreated(), "f2");
            assertEquals(1, result.dirsCreated(), "dir3");
            Map<String, String> after = snapshot(root);
            for (String kept : List.of("dir1", "f1", "f1/inside")) {
                assertEquals(before.get(kept), after.get(kept), kept + " is not overwritten");
            }
            assertEquals("a file where a directory goes\n", Files.readString(root.resolve("dir1")));
            assertEquals(List.of("", "dir1", "dir3", "f1", "f1/inside", "f2"), listing(root));
        }
    }

    @Test
    void nodesWrittenOneBatchAtATimeMakeTheTreeAFullPassMakes() throws IOException {
        try (TestDevice d = TestDevice.formatted()) {
            Namespace ns = replay(
                    d,
                    dir("a", 0750, 1000, 1000),
                    file("a/f", 0600, 1000, 1000),
                    dir("a/b"),
                    file("a/b/g"),
                    file("top"),
                    dir("c", 0700, 0, 0),
                    file("c/h", 0640, 7, 0));
            Path full = d.dir().resolve("full");
            assertEquals(
                    new ShadowTreeWriter.Result(4, 3, 0, 0, List.of()), new ShadowTreeWriter(full, false).write(ns));

            // log order, in batches of 3: a directory's entry always comes before what it holds
            List<Node> inLogOrder = new java.util.ArrayList<>(ns.nodes().values());
            Path incremental = d.dir().resolve("incremental");
            ShadowTreeWriter writer = new ShadowTreeWriter(incremental, false);
            long files = 0;
            long dirs = 0;
            for (int i = 0; i < inLogOrder.size(); i += 3) {
                ShadowTreeWriter.Result r =
                        writer.writeNodes(inLogOrder.subList(i, Math.min(i + 3, inLogOrder.size())));
                assertEquals(List.of(), r.errors());
                files += r.filesCreated();
                dirs += r.dirsCreated();
            }
            assertEquals(4, files);
            assertEquals(3, dirs);
            assertEquals(withoutTimes(snapshot(full)), withoutTimes(snapshot(incremental)));
            // again: everything is there
            assertEquals(new ShadowTreeWriter.Result(0, 0, 4, 3, List.of()), writer.writeNodes(inLogOrder));
        }
    }

    private static Map<String, String> withoutTimes(Map<String, String> snapshot) {
        Map<String, String> out = new TreeMap<>();
        snapshot.forEach((k, v) -> out.put(k, v.replaceAll(" ctime .*", "")));
        return out;
    }

    @Test
    void aSecondWriteFindsEverythingAndChangesNothing() throws IOException {
        try (TestDevice d = TestDevice.formatted()) {
            Namespace ns =
                    replay(d, dir("a", 0755, 1000, 1000), dir("a/b"), file("a/b/f"), file("a/g"), file("preexisting"));
            Path shadow = d.dir().resolve("shadow");
            Path root = Files.createDirectories(shadow.resolve("root"));
            Files.writeString(root.resolve("preexisting"), "other content\n");

            ShadowTreeWriter.Result first = new ShadowTreeWriter(shadow, false).write(ns);
            assertEquals(new ShadowTreeWriter.Result(2, 2, 1, 0, List.of()), first);
            assertEquals("other content\n", Files.readString(root.resolve("preexisting")), "famfs leaves it alone");
            Map<String, String> before = snapshot(shadow);

            ShadowTreeWriter.Result second = new ShadowTreeWriter(shadow, false).write(ns);
            assertEquals(new ShadowTreeWriter.Result(0, 0, 3, 2, List.of()), second);
            assertEquals(before, snapshot(shadow), "a second pass changes nothing");

            // A directory made by hand with another mode is existing, not re-moded.
            Files.delete(root.resolve("a/b/f"));
            Files.delete(root.resolve("a/b"));
            Files.createDirectory(root.resolve("a/b"));
            Files.setPosixFilePermissions(
                    root.resolve("a/b"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            ShadowTreeWriter.Result third = new ShadowTreeWriter(shadow, false).write(ns);
            assertEquals(new ShadowTreeWriter.Result(1, 0, 2, 2, List.of()), third);
            assertEquals(0700, mode(root.resolve("a/b")));
        }
    }

    @Test
    void aDryRunWritesNothingAndReportsWhatItWouldCreate() throws IOException {
        try (TestDevice d = TestDevice.formatted()) {
            Namespace ns = replay(d, dir("a"), dir("a/b"), file("a/b/f"), file("a/g"), dir("c"), file("top"));
            Path shadow = Files.createDirectory(d.dir().resolve("shadow"));

            ShadowTreeWriter.Result dry = new ShadowTreeWriter(shadow, true).write(ns);
            assertEquals(new ShadowTreeWriter.Result(3, 3, 0, 0, List.of()), dry);
            assertEquals(List.of(""), listing(shadow), "not even DIR/root");

            // With part of the tree present, the dry run counts what exists and still writes nothing.
            Path root = shadow.resolve("root");
            Files.createDirectories(root.resolve("a"));
            Files.writeString(root.resolve("top"), "x");
            Map<String, String> before = snapshot(shadow);
            ShadowTreeWriter.Result partial = new ShadowTreeWriter(shadow, true).write(ns);
            assertEquals(new ShadowTreeWriter.Result(2, 2, 1, 1, List.of()), partial);
            assertEquals(before, snapshot(shadow));

            // A real write then creates exactly what the dry run reported.
            ShadowTreeWriter.Result real = new ShadowTreeWriter(shadow, false).write(ns);
            assertEquals(partial, real);
        }
    }

    @Test
    void aDryRunWithoutTheShadowFolderWritesNothing() throws IOException {
        try (TestDevice d = TestDevice.formatted()) {
            Namespace ns = replay(d, dir("a"), file("a/f"), file("top"));
            Path shadow = d.dir().resolve("missing/shadow");
            ShadowTreeWriter.Result dry = new ShadowTreeWriter(shadow, true).write(ns);
            assertEquals(new ShadowTreeWriter.Result(2, 1, 0, 0, List.of()), dry);
            assertFalse(Files.exists(d.dir().resolve("missing"), NOFOLLOW), "a dry run creates no folder");

            ShadowTreeWriter.Result real = new ShadowTreeWriter(shadow, false).write(ns);
            assertEquals(dry, real, "a real write creates DIR and DIR/root, then what the dry run reported");
            assertEquals(List.of("", "a", "a/f", "top"), listing(shadow.resolve("root")));
        }
    }

    @Test
    void aShadowPathEndingInRootIsTheRootItself() throws IOException {
        try (TestDevice d = TestDevice.formatted()) {
            Namespace ns = replay(d, dir("a"), file("a/f"));
            Path given = d.dir().resolve("x/root");
            ShadowTreeWriter w = new ShadowTreeWriter(given, false);
            assertEquals(given, w.root());
            assertEquals(new ShadowTreeWriter.Result(1, 1, 0, 0, List.of()), w.write(ns));
            assertEquals(List.of("", "a", "a/f"), listing(given));
            assertFalse(Files.exists(given.resolve("root"), NOFOLLOW));

            assertEquals(given, new ShadowTreeWriter(d.dir().resolve("x"), false).root());
            assertEquals(given, new ShadowTreeWriter(d.dir().resolve("x/root/"), false).root());
            assertEquals(given, new ShadowTreeWriter(d.dir().resolve("x/y/../root"), false).root());
            assertEquals(
                    d.dir().resolve("x/rootx/root"),
                    new ShadowTreeWriter(d.dir().resolve("x/rootx"), false).root());
            assertEquals(
                    d.dir().resolve("x/Root/root"), new ShadowTreeWriter(d.dir().resolve("x/Root"), false).root());
            Path relative = Path.of("some/where/root");
            assertEquals(relative.toAbsolutePath(), new ShadowTreeWriter(relative, false).root(), "made absolute");
        }
    }

    /** A namespace of many entries is written in one pass, each file equal to ShadowYaml's bytes. */
    @Test
    void everyFileEqualsShadowYaml() throws IOException {
        try (TestDevice d = TestDevice.formatted()) {
            List<LogEntry> entries = new ArrayList<>();
            List<FileEntry> files = new ArrayList<>();
            for (String path : List.of("null", "0755", "it's", "a: b", "#x", "- y", "é", "sp ace", "---")) {
                entries.add(dir("d " + path.replace("'", "")));
                FileEntry f = file("d " + path.replace("'", "") + "/" + path, 0644, 0, 0);
                entries.add(f);
                files.add(f);
            }
            Namespace ns = replay(d, entries.toArray(LogEntry[]::new));
            Path root = d.dir().resolve("shadow/root");
            ShadowTreeWriter.Result r = new ShadowTreeWriter(root, false).write(ns);
            assertEquals(new ShadowTreeWriter.Result(files.size(), files.size(), 0, 0, List.of()), r);
            for (FileEntry f : files) {
                Path p = root.resolve(f.relpath());
                assertArrayEquals(ShadowYaml.write(f), Files.readAllBytes(p), f.relpath());
                assertEquals(
                        f.relpath(),
                        ShadowYamlReader.parse(Files.readAllBytes(p)).path());
            }
        }
    }
}
