package io.famfs.meta.golden;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.famfs.meta.device.Device;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Replayer;
import io.famfs.meta.shadow.ShadowFile;
import io.famfs.meta.shadow.ShadowTreeWriter;
import io.famfs.meta.shadow.ShadowYamlReader;
import io.famfs.meta.testing.GoldenCase;
import io.famfs.meta.testing.TestDevice;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Our shadow tree of each golden image equals the one famfs's logplay wrote (shadow/shadow-tree.tar.gz): the same
 * directories and files, directory modes and owners, YAML files byte for byte; and a second write over it changes
 * nothing (famfs's logplay rerun).
 */
class GoldenShadowTest {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;

    /**
     * One entry of a shadow tree: a directory or a regular file, its permission bits, numeric owner, bytes (files;
     * ISO-8859-1, so byte-exact) and inode (ours only; -1 for the tarball).
     */
    record Item(boolean dir, int perm, long uid, long gid, String bytes, long inode) {
        byte[] raw() {
            return bytes.getBytes(StandardCharsets.ISO_8859_1);
        }

        Item withoutInode() {
            return new Item(dir, perm, uid, gid, bytes, -1);
        }
    }

    @BeforeAll
    static void requireRoot() throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (uid != 0) {
            fail("GoldenShadowTest must run as root (uid " + uid + "): the shadow writer chowns directories to"
                    + " their logged uid/gid, as famfs logplay (run as root) did for the golden trees");
        }
    }

    private static Namespace replay(GoldenCase c) {
        try (TestDevice d = c.device();
                Device dev = d.open(false)) {
            Replayer.Replay replay = Replayer.replayAll(FamfsVolume.open(dev), ReadMode.STOP_AT_BAD);
            assertFalse(replay.result().stopped(), c.name() + ": replay stopped");
            return replay.namespace();
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.famfs.meta.testing.GoldenCase#ALL")
    void shadowTreeEqualsFamfsTree(String name) {
        GoldenCase c = Golden.load(name);
        Namespace ns = replay(c);
        Map<String, Item> famfs = readTarball(c.dir().resolve("shadow/shadow-tree.tar.gz"));
        List<JsonNode> files = Golden.files(c);
        List<JsonNode> dirs = Golden.directories(c);

        try (Golden.ShmDir shm = new Golden.ShmDir("famfs-golden-shadow-")) {
            ShadowTreeWriter writer = new ShadowTreeWriter(shm.path(), false);
            assertEquals(shm.path().resolve("root"), writer.root());
            ShadowTreeWriter.Result result = writer.write(ns);
            assertEquals(List.of(), result.errors(), name + ": shadow write errors");
            assertEquals(new ShadowTreeWriter.Result(files.size(), dirs.size(), 0, 0, List.of()), result);
            long[] stats = logplayStats(
                    c.json().get("logplay").get("stats_lines").get(0).asText());
            assertEquals(c.json().get("num_entries").asLong(), stats[0], name + ": famfs stats line entries");
            assertEquals(stats[1], result.filesCreated(), name + ": famfs's new files");
            assertEquals(stats[2], result.dirsCreated(), name + ": famfs's new directories");

            Map<String, Item> ours = walk(shm.path());

            // The same set of entries, nothing extra on either side.
            assertEquals(famfs.keySet(), ours.keySet(), name + ": entries of the shadow tree");
            assertEquals(1 + files.size() + dirs.size(), ours.size(), name + ": root + files + directories");
            for (var e : famfs.entrySet()) {
                Item f = e.getValue();
                Item o = ours.get(e.getKey());
                String where = name + " " + e.getKey();
                assertEquals(f.dir(), o.dir(), where + ": kind");
                assertEquals(Integer.toOctalString(f.perm()), Integer.toOctalString(o.perm()), where + ": mode");
                assertEquals(f.uid(), o.uid(), where + ": uid");
                assertEquals(f.gid(), o.gid(), where + ": gid");
                assertArrayEquals(f.raw(), o.raw(), where + ": bytes");
            }

            // Directories: famfs's stat of each, as case.json records it, and the tarball agree with ours.
            Item root = ours.get("root");
            assertTrue(root.dir(), "root is a directory");
            assertEquals(0755, root.perm(), "root mode");
            for (JsonNode d : dirs) {
                String rel = d.get("relpath").asText();
                Item o = ours.get("root/" + rel);
                assertNotNull(o, name + ": missing directory " + rel);
                assertTrue(o.dir(), name + ": not a directory " + rel);
                assertEquals(Golden.octal(d.get("shadow_mode").asText()), o.perm(), name + " " + rel + ": mode");
                assertEquals(d.get("shadow_uid").asLong(), o.uid(), name + " " + rel + ": uid");
                assertEquals(d.get("shadow_gid").asLong(), o.gid(), name + " " + rel + ": gid");
            }

            // Files: the YAML famfs wrote, byte for byte, and what both parse to.
            Path loose = c.dir().resolve("shadow/root");
            boolean hasLoose = !c.json().get("shadow").get("loose_copy").isNull();
            assertEquals(hasLoose, Files.isDirectory(loose), name + ": loose copy presence");
            MessageDigest sha = sha256();
            for (JsonNode f : files) {
                String rel = f.get("relpath").asText();
                assertEquals(rel, f.get("shadow_file").asText(), name + ": shadow_file");
                String where = name + " file " + rel;
                Item o = ours.get("root/" + rel);
                assertNotNull(o, where + ": missing");
                assertFalse(o.dir(), where + ": is a directory");
                assertEquals(0644, o.perm(), where + ": mode");
                byte[] our = o.raw();
                assertEquals(
                        f.get("yaml_sha256").asText(),
                        HexFormat.of().formatHex(sha.digest(our)),
                        where + ": SHA-256 of our YAML\n" + o.bytes());
                byte[] theirs = famfs.get("root/" + rel).raw();
                assertArrayEquals(theirs, our, where + ": bytes vs tarball");
                if (hasLoose) {
                    assertArrayEquals(read(loose.resolve(rel)), our, where + ": bytes vs loose copy");
                }
                assertShadowFile(f, ShadowYamlReader.parse(our), where + " (our YAML)");
                assertShadowFile(f, ShadowYamlReader.parse(theirs), where + " (famfs's YAML)");
            }
            if (hasLoose) {
                long looseFiles;
                try (Stream<Path> s = Files.walk(loose)) {
                    looseFiles = s.filter(Files::isRegularFile).count();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                assertEquals(files.size(), looseFiles, name + ": files in the loose copy");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.famfs.meta.testing.GoldenCase#ALL")
    void secondWriteChangesNothing(String name) {
        GoldenCase c = Golden.load(name);
        Namespace ns = replay(c);
        int files = Golden.files(c).size();
        int dirs = Golden.directories(c).size();
        try (Golden.ShmDir shm = new Golden.ShmDir("famfs-golden-shadow-")) {
            ShadowTreeWriter.Result first = new ShadowTreeWriter(shm.path(), false).write(ns);
            assertEquals(new ShadowTreeWriter.Result(files, dirs, 0, 0, List.of()), first, name + ": first write");
            Map<String, Item> before = walk(shm.path());

            ShadowTreeWriter.Result second = new ShadowTreeWriter(shm.path(), false).write(ns);
            assertEquals(new ShadowTreeWriter.Result(0, 0, files, dirs, List.of()), second, name + ": second write");
            long[] rerun = logplayStats(Golden.readLines(c.famfsOutput("logplay_rerun_shadowtest.txt"))
                    .getFirst());
            assertEquals(rerun[1], second.filesCreated(), name + ": famfs rerun's new files");
            assertEquals(rerun[2], second.dirsCreated(), name + ": famfs rerun's new directories");

            // Same entries, modes, owners, bytes and inodes: nothing was replaced or rewritten.
            assertEquals(before, walk(shm.path()), name + ": tree after the second write");
        }
    }

    private static void assertShadowFile(JsonNode f, ShadowFile s, String where) {
        assertEquals(f.get("relpath").asText(), s.path(), where + ": path");
        assertEquals(f.get("size").asLong(), s.size(), where + ": size");
        assertEquals(f.get("flags").asLong(), s.flags(), where + ": flags");
        assertEquals(f.get("mode_int").asLong(), s.mode(), where + ": mode");
        assertEquals(f.get("uid").asLong(), s.uid(), where + ": uid");
        assertEquals(f.get("gid").asLong(), s.gid(), where + ": gid");
        assertEquals(f.get("nextents").asLong(), s.nextents(), where + ": nextents");
        Golden.assertFmap(f, s.fmap(), where);
    }

    /** "famfs_logplay(shadow): N log entries; X new files; Y new directories" as {N, X, Y}. */
    private static long[] logplayStats(String line) {
        Matcher m = Pattern.compile(
                        "famfs_logplay\\(shadow\\): (\\d+) log entries; (\\d+) new files; (\\d+) new directories")
                .matcher(line);
        assertTrue(m.matches(), "not a famfs logplay stats line: " + line);
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
    }

    /** The tarball's entries by name without the trailing '/' of directories. */
    private static Map<String, Item> readTarball(Path tarball) {
        Map<String, Item> items = new TreeMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
                GzipCompressorInputStream gz = new GzipCompressorInputStream(raw);
                TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName().endsWith("/")
                        ? e.getName().substring(0, e.getName().length() - 1)
                        : e.getName();
                assertTrue(e.isDirectory() || e.isFile(), tarball + ": " + name + " is neither directory nor file");
                String bytes = e.isDirectory() ? "" : new String(tar.readAllBytes(), StandardCharsets.ISO_8859_1);
                Item prev = items.put(
                        name,
                        new Item(
                                e.isDirectory(),
                                e.getMode() & 07777,
                                e.getLongUserId(),
                                e.getLongGroupId(),
                                bytes,
                                -1));
                assertNull(prev, tarball + ": " + name + " twice");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertFalse(items.isEmpty(), tarball + " is empty");
        return items;
    }

    /** Every entry under {@code dir} (not {@code dir} itself), by path relative to it. */
    private static Map<String, Item> walk(Path dir) {
        Map<String, Item> items = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(dir)) {
                    continue;
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,ino", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                int type = mode & S_IFMT;
                String rel = dir.relativize(p).toString();
                assertTrue(type == S_IFDIR || type == S_IFREG, rel + " is neither directory nor regular file");
                boolean isDir = type == S_IFDIR;
                String bytes = isDir ? "" : new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                items.put(
                        rel, new Item(isDir, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"), bytes, (Long)
                                a.get("ino")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return items;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
