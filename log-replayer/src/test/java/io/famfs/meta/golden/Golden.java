package io.famfs.meta.golden;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.famfs.meta.device.Device;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Fmap;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.log.Mkfs;
import io.famfs.meta.replay.DirNode;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Node;
import io.famfs.meta.testing.GoldenCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Shared expectations of the golden suite: values from case.json, and the check of a replayed namespace. */
final class Golden {
    private Golden() {}

    /** The host the golden cases were made on (their superblocks' system UUID): fsck reports role Owner. */
    static final String GOLDEN_HOST = "75d2b7b9-d854-4ece-a309-12bfe4d9df5d";

    private static final ConcurrentHashMap<String, GoldenCase> CASES = new ConcurrentHashMap<>();

    /** The case, its case.json parsed once per test JVM (a2's is 3.8 MB). */
    static GoldenCase load(String name) {
        return CASES.computeIfAbsent(name, GoldenCase::load);
    }

    /** mkfs with exactly the values case.json recorded for famfs's mkfs (superblock_decoded), nothing from the image. */
    static void mkfsAsRecorded(Device dev, JsonNode sb) {
        Mkfs.format(
                dev,
                new Mkfs.Params(
                        UUID.fromString(sb.get("fs_uuid").asText()),
                        UUID.fromString(sb.get("dev_uuid").asText()),
                        UUID.fromString(sb.get("system_uuid").asText()),
                        sb.get("log_len").asLong(),
                        sb.get("daxdev_name").asText(),
                        false));
    }

    /** An octal mode string as case.json holds it ("0755"). */
    static int octal(String mode) {
        assertTrue(mode.matches("0[0-7]+"), () -> "not an octal mode string: " + mode);
        return Integer.parseInt(mode, 8);
    }

    static List<JsonNode> files(GoldenCase c) {
        return list(c.json().get("files"));
    }

    static List<JsonNode> directories(GoldenCase c) {
        return list(c.json().get("directories"));
    }

    static List<JsonNode> list(JsonNode array) {
        assertNotNull(array);
        assertTrue(array.isArray());
        List<JsonNode> out = new ArrayList<>(array.size());
        array.forEach(out::add);
        return out;
    }

    /** directories[] and files[] merged in log_index order (each index exactly once, 0 .. num_entries - 1). */
    static List<JsonNode> entriesInLogOrder(GoldenCase c) {
        List<JsonNode> all = new ArrayList<>(files(c));
        all.addAll(directories(c));
        all.sort(Comparator.comparingLong(n -> n.get("log_index").asLong()));
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i, all.get(i).get("log_index").asLong(), c.name() + ": log indexes are not dense");
        }
        assertEquals(c.json().get("num_entries").asLong(), all.size(), c.name() + ": entries in case.json");
        return all;
    }

    static boolean isFile(JsonNode entry) {
        return entry.has("size");
    }

    static Extent extent(JsonNode e) {
        return new Extent(
                e.get("devindex").asLong(),
                e.get("offset").asLong(),
                e.get("length").asLong());
    }

    /** The map a case.json file describes (extents or striped_extents, by extent_type). */
    static Fmap expectedFmap(JsonNode file) {
        String type = file.get("extent_type").asText();
        switch (type) {
            case "simple" -> {
                List<Extent> extents = new ArrayList<>();
                file.get("extents").forEach(e -> extents.add(extent(e)));
                return new SimpleFmap(extents);
            }
            case "interleaved" -> {
                List<InterleavedExtent> ies = new ArrayList<>();
                for (JsonNode ie : file.get("striped_extents")) {
                    List<Extent> strips = new ArrayList<>();
                    ie.get("strips").forEach(e -> strips.add(extent(e)));
                    assertEquals(ie.get("nstrips").asInt(), strips.size(), "nstrips vs strips in case.json");
                    ies.add(new InterleavedExtent(ie.get("chunk_size").asLong(), strips));
                }
                return new InterleavedFmap(ies);
            }
            default -> throw new AssertionError("unknown extent_type " + type);
        }
    }

    /**
     * Asserts that {@code actual} is the map case.json describes: same kind, count, and for each extent (or each
     * striped extent's nstrips, chunk size and strips) the same devindex, offset and length, in order.
     */
    static void assertFmap(JsonNode file, Fmap actual, String where) {
        assertEquals(file.get("nextents").asInt(), actual.count(), where + ": nextents");
        switch (file.get("extent_type").asText()) {
            case "simple" -> {
                SimpleFmap simple = assertInstanceOf(SimpleFmap.class, actual, where + ": extent type");
                assertExtents(file.get("extents"), simple.extents(), where);
            }
            case "interleaved" -> {
                InterleavedFmap inter = assertInstanceOf(InterleavedFmap.class, actual, where + ": extent type");
                JsonNode expected = file.get("striped_extents");
                assertEquals(expected.size(), inter.extents().size(), where + ": striped extents");
                for (int i = 0; i < expected.size(); i++) {
                    JsonNode e = expected.get(i);
                    InterleavedExtent a = inter.extents().get(i);
                    String w = where + " striped extent " + i;
                    assertEquals(e.get("nstrips").asInt(), a.nstrips(), w + ": nstrips");
                    assertEquals(e.get("chunk_size").asLong(), a.chunkSize(), w + ": chunk_size");
                    assertExtents(e.get("strips"), a.strips(), w);
                }
            }
            default -> fail(where + ": unknown extent_type " + file.get("extent_type"));
        }
    }

    private static void assertExtents(JsonNode expected, List<Extent> actual, String where) {
        assertEquals(expected.size(), actual.size(), where + ": number of extents");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(extent(expected.get(i)), actual.get(i), where + ": extent " + i);
        }
    }

    /**
     * Asserts that a namespace replayed from the case's image holds exactly its files and directories, with every
     * logged attribute and map, nothing skipped or flagged, and nothing else.
     */
    static void assertNamespaceMatches(GoldenCase c, Namespace ns) {
        String name = c.name();
        assertEquals(List.of(), ns.skipped(), name + ": skipped entries");
        assertEquals(List.of(), ns.flagged(), name + ": flagged files");
        assertEquals(List.of(), ns.badEntries(), name + ": bad entries");
        assertEquals(0, ns.space().collisions(), name + ": allocation collisions");

        Set<String> expectedPaths = new HashSet<>();
        List<JsonNode> files = files(c);
        for (JsonNode f : files) {
            String path = f.get("relpath").asText();
            assertTrue(expectedPaths.add(path), name + ": duplicate path in case.json " + path);
            String where = name + " file " + path;
            FileNode node = assertInstanceOf(FileNode.class, ns.get(path), where);
            assertEquals(path, node.path(), where + ": relpath");
            assertEquals(f.get("log_index").asLong(), node.index(), where + ": log index");
            assertEquals(node.index(), node.entry().seqnum(), where + ": seqnum");
            assertEquals(f.get("size").asLong(), node.size(), where + ": size");
            assertEquals(f.get("flags").asInt(), node.entry().flags(), where + ": flags");
            assertEquals(f.get("mode_int").asInt(), node.mode(), where + ": mode");
            assertEquals(octal(f.get("mode").asText()), node.mode(), where + ": mode string");
            assertEquals(f.get("uid").asInt(), node.uid(), where + ": uid");
            assertEquals(f.get("gid").asInt(), node.gid(), where + ": gid");
            assertFalse(node.flagged(), () -> where + ": flagged " + node.flagDetail());
            assertFmap(f, node.fmap(), where);
        }
        List<JsonNode> dirs = directories(c);
        for (JsonNode d : dirs) {
            String path = d.get("relpath").asText();
            assertTrue(expectedPaths.add(path), name + ": duplicate path in case.json " + path);
            String where = name + " directory " + path;
            DirNode node = assertInstanceOf(DirNode.class, ns.get(path), where);
            assertEquals(path, node.path(), where + ": relpath");
            assertEquals(d.get("log_index").asLong(), node.index(), where + ": log index");
            assertEquals(octal(d.get("logged_mode").asText()), node.mode(), where + ": logged mode");
            assertEquals(d.get("logged_uid").asInt(), node.uid(), where + ": logged uid");
            assertEquals(d.get("logged_gid").asInt(), node.gid(), where + ": logged gid");
        }
        assertEquals(new TreeSet<>(expectedPaths), new TreeSet<>(ns.nodes().keySet()), name + ": paths");

        // The tree reaches every node once, under its parent, children in log order.
        Set<String> reached = new HashSet<>();
        walk(ns.root(), reached, name);
        assertEquals(expectedPaths, reached, name + ": paths reachable from the root");

        assertEquals(files.size(), ns.filesCreated(), name + ": files created");
        assertEquals(dirs.size(), ns.dirsCreated(), name + ": directories created");
        assertEquals(files.size(), ns.fileEntries(), name + ": file entries");
        assertEquals(dirs.size(), ns.dirEntries(), name + ": mkdir entries");
        assertEquals(0, ns.filesExisted(), name + ": files existed");
        assertEquals(0, ns.dirsExisted(), name + ": directories existed");
        assertEquals(0, ns.ignoredEntries(), name + ": ignored entries");
        JsonNode summary = c.json().get("replay_summary");
        assertEquals(summary.get("shadow_files").asLong(), ns.filesCreated(), name + ": replay_summary files");
        assertEquals(
                summary.get("shadow_directories").asLong(), ns.dirsCreated(), name + ": replay_summary directories");
    }

    private static void walk(DirNode dir, Set<String> reached, String name) {
        long lastIndex = -1;
        String prefix = dir.path().isEmpty() ? "" : dir.path() + "/";
        for (Node child : dir.children()) {
            assertTrue(
                    child.path().startsWith(prefix) && child.path().indexOf('/', prefix.length()) < 0,
                    name + ": " + child.path() + " is not a child of '" + dir.path() + "'");
            assertTrue(child.index() > lastIndex, name + ": children of '" + dir.path() + "' not in log order");
            lastIndex = child.index();
            assertTrue(reached.add(child.path()), name + ": reached twice " + child.path());
            if (child instanceof DirNode d) {
                walk(d, reached, name);
            }
        }
    }

    /**
     * The lines famfs and we both print for fsck: from "Famfs Superblock:" through the last line of the "Famfs log:"
     * block (the block ends at the first empty line or at the end).
     */
    static List<String> fsckSection(List<String> lines, String what) {
        int start = lines.indexOf("Famfs Superblock:");
        assertTrue(start >= 0, what + ": no \"Famfs Superblock:\" line");
        int log = lines.subList(start, lines.size()).indexOf("Famfs log:");
        assertTrue(log >= 0, what + ": no \"Famfs log:\" line after the superblock");
        int end = start + log + 1;
        while (end < lines.size() && !lines.get(end).isEmpty()) {
            end++;
        }
        assertTrue(end > start + log + 1, what + ": empty \"Famfs log:\" block");
        return List.copyOf(lines.subList(start, end));
    }

    /** Asserts line-by-line equality, naming the first line that differs. */
    static void assertSameLines(List<String> expected, List<String> actual, String what) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            int line = i;
            assertEquals(expected.get(i), actual.get(i), () -> what + ": line " + (line + 1) + " of the section");
        }
        assertEquals(
                expected.size(),
                actual.size(),
                what + ": number of lines\nexpected " + expected + "\nactual " + actual);
    }

    static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh folder under /dev/shm, deleted (with everything in it) on close. */
    static final class ShmDir implements AutoCloseable {
        private final Path path;

        ShmDir(String prefix) {
            try {
                path = Files.createTempDirectory(Path.of("/dev/shm"), prefix);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Path path() {
            return path;
        }

        @Override
        public void close() {
            try (Stream<Path> walk = Files.walk(path)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
