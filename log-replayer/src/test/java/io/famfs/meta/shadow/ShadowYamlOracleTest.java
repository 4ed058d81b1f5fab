package io.famfs.meta.shadow;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.RelPath;
import io.famfs.meta.format.SimpleFmap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ShadowYaml#write} against the real libyaml 0.2.5: for every path in {@code shadow/path-oracle.txt} our bytes
 * must equal the bytes libyaml emitted for famfs's event sequence, and {@link ShadowYamlReader} must read them back.
 *
 * <p>The fixture is the output of src/test/c/yaml_oracle.c (one line per path: hex of the path, a space, hex of the
 * YAML, with size 4096, flags 2, mode 0644, uid 0, gid 0 and one extent {0, 0xa00000, 0x200000}) over the paths of
 * {@link OraclePaths}. This test needs neither gcc nor libyaml. To regenerate it (libyaml-dev and gcc installed), from
 * the repository root:
 *
 * <pre>
 * gcc -O2 -o /tmp/yaml_oracle log-replayer/src/test/c/yaml_oracle.c -lyaml
 * java log-replayer/src/test/java/io/famfs/meta/shadow/OraclePaths.java | /tmp/yaml_oracle \
 *     &gt; log-replayer/src/test/resources/shadow/path-oracle.txt
 * </pre>
 */
class ShadowYamlOracleTest {
    private static final long OFFSET = 0xa00000L;
    private static final long LENGTH = 0x200000L;

    private record Case(byte[] pathBytes, String path, byte[] yaml) {}

    private static List<Case> cases;

    @BeforeAll
    static void load() {
        List<Case> list = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        try (InputStream in = ShadowYamlOracleTest.class.getResourceAsStream("/shadow/path-oracle.txt")) {
            assertNotNull(in, "fixture shadow/path-oracle.txt is missing from the test classpath");
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            for (String line : text.split("\n")) {
                int space = line.indexOf(' ');
                assertTrue(space > 0, () -> "malformed oracle line: " + line);
                byte[] pathBytes = hex.parseHex(line, 0, space);
                byte[] yaml = hex.parseHex(line, space + 1, line.length());
                list.add(new Case(pathBytes, new String(pathBytes, StandardCharsets.UTF_8), yaml));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cases = list;
    }

    private static FileEntry entry(String path) {
        return FileEntry.create(path, 4096, 0644, 0, 0, SimpleFmap.of(new Extent(0, OFFSET, LENGTH)));
    }

    @Test
    void fixtureHoldsTheGeneratedPathsAndOnlyValidOnes() {
        List<String> expected = OraclePaths.generate();
        assertTrue(expected.size() >= 3000, "a few thousand paths: " + expected.size());
        List<String> fixture = cases.stream().map(Case::path).toList();
        assertEquals(
                expected,
                fixture,
                "path-oracle.txt is stale: regenerate it from OraclePaths (see this class's Javadoc)");
        for (Case c : cases) {
            assertNull(
                    RelPath.check(c.pathBytes(), 0, c.pathBytes().length),
                    () -> "fixture path fails RelPath: " + HexFormat.of().formatHex(c.pathBytes()));
            assertArrayEquals(c.pathBytes(), c.path().getBytes(StandardCharsets.UTF_8), "path is not valid UTF-8");
        }
    }

    /** The fixture exercises each libyaml style, with folding in each, so a regression in any writer shows. */
    @Test
    void fixtureCoversEveryStyleAndFolding() {
        int[] styles = new int[3];
        int[] folded = new int[3];
        int escapedSpaceFolds = 0;
        int foldedTwice = 0;
        for (Case c : cases) {
            String[] lines = new String(c.yaml(), StandardCharsets.UTF_8).split("\n", -1);
            assertEquals("---", lines[0]);
            assertEquals("file:", lines[1]);
            assertTrue(lines[2].startsWith("  path: "), lines[2]);
            int style = lines[2].startsWith("  path: '") ? 1 : lines[2].startsWith("  path: \"") ? 2 : 0;
            styles[style]++;
            int k = 3;
            for (; !lines[k].startsWith("  size: "); k++) {
                assertTrue(lines[k].startsWith("    "), "continuation indent 4: " + lines[k]);
                if (lines[k].startsWith("    \\ ")) {
                    escapedSpaceFolds++;
                }
            }
            if (k > 3) {
                folded[style]++;
            }
            if (k > 4) {
                foldedTwice++;
            }
        }
        assertTrue(
                styles[0] >= 500 && styles[1] >= 500 && styles[2] >= 500,
                "plain/single/double " + styles[0] + "/" + styles[1] + "/" + styles[2]);
        assertTrue(
                folded[0] >= 30 && folded[1] >= 100 && folded[2] >= 100,
                "folded plain/single/double " + folded[0] + "/" + folded[1] + "/" + folded[2]);
        assertTrue(escapedSpaceFolds >= 10, "double-quoted folds before a second space: " + escapedSpaceFolds);
        assertTrue(foldedTwice >= 3, "values folded twice: " + foldedTwice);
    }

    @Test
    void writeIsByteIdenticalToLibyaml() {
        List<String> mismatches = new ArrayList<>();
        for (Case c : cases) {
            byte[] ours = ShadowYaml.write(entry(c.path()));
            if (!java.util.Arrays.equals(ours, c.yaml())) {
                mismatches.add("path " + HexFormat.of().formatHex(c.pathBytes()) + " (" + c.path() + ")\n  ours:\n"
                        + new String(ours, StandardCharsets.UTF_8) + "  libyaml:\n"
                        + new String(c.yaml(), StandardCharsets.UTF_8));
            }
        }
        assertTrue(
                mismatches.isEmpty(),
                () -> mismatches.size() + " of " + cases.size() + " paths differ from libyaml; first ones:\n"
                        + String.join("\n", mismatches.subList(0, Math.min(5, mismatches.size()))));
    }

    /** Paths are at most 79 bytes, so never cut; every other value comes back as written. */
    @Test
    void readerGivesBackThePathAndEveryValue() {
        List<String> failures = new ArrayList<>();
        ShadowFile expectedRest =
                new ShadowFile("", 4096, 2, 0644, 0, 0, 1, SimpleFmap.of(new Extent(0, OFFSET, LENGTH)));
        for (Case c : cases) {
            String where = HexFormat.of().formatHex(c.pathBytes()) + " "
                    + new String(c.yaml(), StandardCharsets.UTF_8)
                            .lines()
                            .skip(2)
                            .findFirst()
                            .orElse("");
            try {
                ShadowFile f = ShadowYamlReader.parse(c.yaml());
                String expectedPath = c.path().length() > Famfs.MAX_RELPATH_BYTES
                        ? c.path().substring(0, Famfs.MAX_RELPATH_BYTES)
                        : c.path();
                if (!f.equals(new ShadowFile(
                        expectedPath,
                        expectedRest.size(),
                        expectedRest.flags(),
                        expectedRest.mode(),
                        expectedRest.uid(),
                        expectedRest.gid(),
                        expectedRest.nextents(),
                        expectedRest.fmap()))) {
                    failures.add(where + ": read back as " + f);
                }
            } catch (RuntimeException e) {
                failures.add(where + ": refused: " + e);
            }
        }
        assertTrue(
                failures.isEmpty(),
                () -> failures.size() + " of " + cases.size() + " not read back:\n" + String.join("\n", failures));
    }
}
