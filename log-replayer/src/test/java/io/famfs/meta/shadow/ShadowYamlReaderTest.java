package io.famfs.meta.shadow;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.Fmap;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.SimpleFmap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ShadowYamlReader}: famfs_fused's reading rules (famfs-format.md 5.2). */
class ShadowYamlReaderTest {
    private static final String EXTENT =
            "  simple_ext_list:\n  - devindex: 0\n    offset: 0xa00000\n    length: 0x200000\n";

    /** A simple one-extent document with {@code path} and {@code mode} spelled as given. */
    private static String doc(String pathValue, String modeValue) {
        return "---\nfile:\n  path: " + pathValue + "\n  size: 4096\n  flags: 2\n  mode: " + modeValue
                + "\n  uid: 0\n  gid: 0\n  nextents: 1\n" + EXTENT + "...\n";
    }

    private static ShadowFile parse(String yaml) {
        return ShadowYamlReader.parse(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String yaml, String why) {
        FamfsException e = assertThrows(FamfsException.class, () -> parse(yaml), why);
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), () -> why + ": " + e.getMessage());
    }

    // ---- failsafe schema ----

    @Test
    void failsafeSchemaKeepsEveryScalarAString() {
        assertEquals("null", parse(doc("null", "0644")).path());
        assertEquals("0755", parse(doc("0755", "0644")).path());
        assertEquals("~", parse(doc("~", "0644")).path());
        assertEquals("true", parse(doc("true", "0644")).path());
        assertEquals("1e3", parse(doc("1e3", "0644")).path());
        assertEquals("0x10", parse(doc("0x10", "0644")).path());
        assertEquals(0644, parse(doc("f", "0644")).mode());
        assertEquals(420, parse(doc("f", "0644")).mode());
        assertEquals(0, parse(doc("f", "00")).mode());
        assertEquals(040, parse(doc("f", "040")).mode());
        assertEquals(644, parse(doc("f", "644")).mode(), "no leading 0: decimal, as strtoull reads it");
    }

    @Test
    void quotedPathsAreUnquoted() {
        assertEquals("it's", parse(doc("'it''s'", "0644")).path());
        assertEquals("a: b", parse(doc("'a: b'", "0644")).path());
        assertEquals("\u00e9\"\\", parse(doc("\"\\xE9\\\"\\\\\"", "0644")).path());
        assertEquals(
                "\u00a0\u0085\ufeff\ud83d\ude00",
                parse(doc("\"\\_\\N\\uFEFF\\U0001F600\"", "0644")).path());
    }

    @Test
    void aLongerPathIsCutTo79() {
        assertEquals("a".repeat(79), parse(doc("a".repeat(100), "0644")).path());
        assertEquals(
                "b".repeat(79), parse(doc("'" + "b".repeat(80) + "'", "0644")).path());
        assertEquals("c".repeat(79), parse(doc("c".repeat(79), "0644")).path());
    }

    /** libyaml writes U+2028 and U+2029 as \L and \P; famfs_fused (libyaml's parser) reads them back. */
    @Test
    void lineSeparatorEscapesAreRead() {
        assertEquals("a\u2028b", parse(doc("\"a\\Lb\"", "0644")).path());
        assertEquals("\u2029", parse(doc("\"\\P\"", "0644")).path());
        assertEquals(
                "x \u2028 \u2029 \u2028y",
                parse(doc("\"x \\L \\P \\Ly\"", "0644")).path());
        assertEquals("a\\Lb", parse(doc("\"a\\\\Lb\"", "0644")).path(), "an escaped backslash, then L");
        assertEquals("a\\\u2028b", parse(doc("\"a\\\\\\Lb\"", "0644")).path(), "an escaped backslash, then \\L");
        assertEquals("a\\Lb", parse(doc("'a\\Lb'", "0644")).path(), "no escapes in single quotes");
        assertEquals("a\\Lb", parse(doc("a\\Lb", "0644")).path(), "no escapes in plain scalars");
        // A folded double-quoted path with \L on both lines (the fold is a space, the escaped space a second one).
        assertEquals(
                "\u2028" + "a".repeat(70) + "  b\u2028",
                parse(doc("\"\\L" + "a".repeat(70) + "\n    \\ b\\L\"", "0644")).path());
        assertRefused(doc("\"a\\qb\"", "0644"), "an unknown escape is still refused");
    }

    @Test
    void keysInAnyOrderUnknownExtentKeysIgnoredDevindexOptional() {
        ShadowFile f = parse("file:\n  simple_ext_list:\n  - offset: 0x400000\n    length: 0x200000\n    colour: blue\n"
                + "  nextents: 1\n  gid: 7\n  uid: 5\n  mode: 0600\n  flags: 2\n  size: 10\n  path: p\n");
        assertEquals(new ShadowFile("p", 10, 2, 0600, 5, 7, 1, SimpleFmap.of(new Extent(0, 0x400000, 0x200000))), f);
    }

    // ---- strtoull ----

    @Test
    void strtoullFollowsC() {
        assertEquals(0x1f, ShadowYamlReader.strtoull("0x1F"));
        assertEquals(0x1f, ShadowYamlReader.strtoull("0X1f"));
        assertEquals(017, ShadowYamlReader.strtoull("017"));
        assertEquals(0, ShadowYamlReader.strtoull("0"));
        assertEquals(10, ShadowYamlReader.strtoull("10"));
        assertEquals(42, ShadowYamlReader.strtoull("  42"));
        assertEquals(42, ShadowYamlReader.strtoull("\t\n\u000b\f\r 42"));
        assertEquals(5, ShadowYamlReader.strtoull("+5"));
        assertEquals(-1L, ShadowYamlReader.strtoull("-1"), "-1 is 2^64-1");
        assertEquals(-16L, ShadowYamlReader.strtoull("-0x10"));
        assertEquals(12, ShadowYamlReader.strtoull("12abc"));
        assertEquals(0, ShadowYamlReader.strtoull("0x"), "0x without a hex digit: the 0 alone");
        assertEquals(0, ShadowYamlReader.strtoull("0xg"));
        assertEquals(1, ShadowYamlReader.strtoull("0x1g"));
        assertEquals(0, ShadowYamlReader.strtoull("abc"));
        assertEquals(0, ShadowYamlReader.strtoull(""));
        assertEquals(0, ShadowYamlReader.strtoull("-"));
        assertEquals(0, ShadowYamlReader.strtoull("+ 5"), "no space after the sign");
        assertEquals(-1L, ShadowYamlReader.strtoull("99999999999999999999"), "overflow gives 2^64-1");
        assertEquals(-1L, ShadowYamlReader.strtoull("-99999999999999999999"), "overflow ignores the sign");
        assertEquals(-1L, ShadowYamlReader.strtoull("18446744073709551615"));
        assertEquals(-1L, ShadowYamlReader.strtoull("18446744073709551616"));
        assertEquals(-2L, ShadowYamlReader.strtoull("18446744073709551614"));
        assertEquals(1, ShadowYamlReader.strtoull("-18446744073709551615"), "negation modulo 2^64");
        assertEquals(-1L, ShadowYamlReader.strtoull("0xffffffffffffffff"));
        assertEquals(-1L, ShadowYamlReader.strtoull("0x10000000000000000"));
        assertEquals(Long.MIN_VALUE, ShadowYamlReader.strtoull("0x8000000000000000"));
        assertEquals(-1L, ShadowYamlReader.strtoull("01777777777777777777777"));
        assertEquals(-1L, ShadowYamlReader.strtoull("02000000000000000000000"));
        assertEquals(0, ShadowYamlReader.strtoull("08"), "octal stops at 8");
        assertEquals(07, ShadowYamlReader.strtoull("079"));
        assertEquals(1, ShadowYamlReader.strtoull("1\u0663"), "only ASCII digits");
        assertEquals(0, ShadowYamlReader.strtoull("\uff11"), "only ASCII digits");
        assertEquals(0xabcdef, ShadowYamlReader.strtoull("0xAbCdEf"));
    }

    @Test
    void numbersInTheDocumentUseStrtoull() {
        ShadowFile f = parse(
                "file:\n  path: p\n  size: 0x1000\n  flags: '2'\n  mode: 0755\n  uid: -1\n  gid: 12abc\n"
                        + "  nextents: 0x1\n  simple_ext_list:\n  - devindex: 010\n    offset: 10485760\n    length: 0X200000\n");
        assertEquals(0x1000, f.size());
        assertEquals(2, f.flags());
        assertEquals(0755, f.mode());
        assertEquals(-1L, f.uid());
        assertEquals(12, f.gid());
        assertEquals(SimpleFmap.of(new Extent(8, 0xa00000, 0x200000)), f.fmap());
    }

    // ---- refusals ----

    @Test
    void unknownKeyUnderFileIsRefused() {
        assertRefused(doc("p", "0644").replace("  flags: 2\n", "  flags: 2\n  colour: blue\n"), "unknown key");
        assertRefused(doc("p", "0644").replace("  size:", "  Size:"), "keys are case-sensitive");
    }

    @Test
    void documentThatIsNotAMappingIsRefused() {
        assertRefused("- file\n- path\n", "a sequence");
        assertRefused("just a scalar\n", "a scalar");
        assertRefused("", "an empty stream");
        assertRefused("---\n...\n", "an empty document");
        assertRefused("file: scalar\n", "file: is a scalar");
        assertRefused("file:\n- a\n", "file: is a sequence");
    }

    @Test
    void missingFileOrRequiredKeysAreRefused() {
        assertRefused(doc("p", "0644").replace("file:", "notfile:"), "no file:");
        assertRefused(doc("p", "0644").replace("  nextents: 1\n", ""), "no nextents");
        assertRefused(doc("p", "0644").replace("  path: p\n", ""), "no path");
        assertRefused(doc("p", "0644").replace("  size: 4096\n", ""), "no size");
        assertRefused(doc("p", "0644").replace("  mode: 0644\n", ""), "no mode");
        assertRefused(doc("p", "0644").replace(EXTENT, ""), "no extent list");
        assertRefused(doc("{a: b}", "0644"), "path is a mapping");
        assertRefused(doc("[a]", "0644"), "path is a sequence");
        assertRefused(doc("p", "0644").replace(EXTENT, "  simple_ext_list: 3\n"), "extent list is a scalar");
    }

    @Test
    void moreThanSixteenExtentsAreRefused() {
        assertEquals(16, parse(simpleDoc(16, 16)).fmap().count());
        assertRefused(simpleDoc(17, 17), "17 extents");
    }

    private static String simpleDoc(int nextents, int items) {
        StringBuilder y =
                new StringBuilder("file:\n  path: p\n  size: 1\n  flags: 2\n  mode: 0644\n  uid: 0\n  gid: 0\n");
        y.append("  nextents: ").append(nextents).append("\n  simple_ext_list:\n");
        for (int i = 0; i < items; i++) {
            y.append("  - devindex: 0\n    offset: 0x").append(Long.toHexString((i + 5L) << 21));
            y.append("\n    length: 0x200000\n");
        }
        return y.toString();
    }

    @Test
    void nextentsMustMatch() {
        assertRefused(simpleDoc(2, 3), "nextents 2, 3 extents");
        assertRefused(simpleDoc(4, 3), "nextents 4, 3 extents");
        assertRefused(simpleDoc(1, 0).replace("  simple_ext_list:\n", "  simple_ext_list: []\n"), "nextents 1, none");
        assertEquals(
                0,
                parse(simpleDoc(0, 0).replace("  simple_ext_list:\n", "  simple_ext_list: []\n"))
                        .nextents());
        assertRefused(stripedDoc(2, 1, 2), "striped: nextents 2, one striped extent");
    }

    @Test
    void extentWithoutOffsetOrLengthIsRefused() {
        assertRefused(doc("p", "0644").replace("    offset: 0xa00000\n", ""), "no offset");
        assertRefused(doc("p", "0644").replace("    length: 0x200000\n", ""), "no length");
        assertRefused(doc("p", "0644").replace(EXTENT, "  simple_ext_list:\n  - 0xa00000\n"), "extent is a scalar");
    }

    /** A striped document: {@code nextents}, then {@code entries} striped extents of {@code strips} strips each. */
    private static String stripedDoc(int nextents, int entries, int strips) {
        StringBuilder y =
                new StringBuilder("file:\n  path: s\n  size: 1\n  flags: 2\n  mode: 0644\n  uid: 0\n  gid: 0\n");
        y.append("  nextents: ").append(nextents).append("\n  striped_ext_list:\n");
        for (int e = 0; e < entries; e++) {
            y.append("  - nstrips: ").append(strips).append("\n    chunk_size: 0x200000\n    simple_ext_list:\n");
            for (int i = 0; i < strips; i++) {
                y.append("    - devindex: 0\n      offset: 0x").append(Long.toHexString((i + 1L) << 30));
                y.append("\n      length: 0x600000\n");
            }
        }
        return y.toString();
    }

    @Test
    void stripedListRules() {
        ShadowFile ok = parse(stripedDoc(1, 1, 4));
        InterleavedFmap fmap = assertInstanceOf(InterleavedFmap.class, ok.fmap());
        assertEquals(1, fmap.extents().size());
        assertEquals(0x200000, fmap.extents().getFirst().chunkSize());
        assertEquals(
                new Extent(0, 3L << 30, 0x600000),
                fmap.extents().getFirst().strips().get(2));
        assertEquals(
                16,
                ((InterleavedFmap) parse(stripedDoc(1, 1, 16)).fmap())
                        .extents()
                        .getFirst()
                        .nstrips());

        assertRefused(stripedDoc(1, 1, 4).replace("nstrips: 4", "nstrips: 3"), "nstrips 3, 4 strips");
        assertRefused(stripedDoc(1, 1, 4).replace("nstrips: 4", "nstrips: 5"), "nstrips 5, 4 strips");
        assertRefused(stripedDoc(1, 1, 17), "17 strips");
        assertRefused(stripedDoc(2, 2, 2), "two striped extents");
        assertRefused(stripedDoc(1, 2, 2), "two striped extents, nextents 1");
        assertRefused(
                stripedDoc(1, 1, 2).replace("    - devindex: 0\n      offset: 0x40000000\n", "    - devindex: 0\n"),
                "a strip without offset");
    }

    @Test
    void malformedYamlIsRefused() {
        assertRefused("file:\n  path: [unclosed\n", "unclosed flow sequence");
        assertRefused("file:\n  path: 'unterminated\n", "unterminated quote");
        assertRefused("file:\n\tpath: p\n", "tab indentation");
        assertRefused("file:\n  path: p\n   size: 1\n", "bad indentation");
        assertRefused(doc("p", "0644") + doc("q", "0644"), "two documents");
        assertRefused(doc("p", "0644").replace("  size: 4096\n", "  size: 4096\n  size: 8192\n"), "duplicate key");
        assertRefused("file: &a\n  path: *b\n", "undefined alias");
    }

    // ---- 16 KiB ----

    /** {@code head}, a comment line padding it to {@code cut} bytes, then {@code tail} from byte {@code cut} on. */
    private static byte[] padded(String head, int cut, String tail) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        StringBuilder pad = new StringBuilder("#");
        pad.repeat("x", cut - h.length - 2).append('\n');
        byte[] all = (head + pad + tail).getBytes(StandardCharsets.UTF_8);
        assertEquals(cut + tail.getBytes(StandardCharsets.UTF_8).length, all.length);
        return all;
    }

    @Test
    void onlyTheFirstSixteenKibAreRead() {
        assertEquals(16384, ShadowYamlReader.YAML_MAX);
        String junk = "'junk: [ {{\n";
        // A valid document, then a comment reaching byte 16384, then junk: the junk is not read.
        ShadowFile f = ShadowYamlReader.parse(padded(doc("p", "0644"), 16384, junk));
        assertEquals("p", f.path());
        assertEquals(1, f.nextents());
        // The same junk one byte earlier is read and refused.
        FamfsException seen =
                assertThrows(FamfsException.class, () -> ShadowYamlReader.parse(padded(doc("p", "0644"), 16383, junk)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, seen.code());

        // Required keys past 16 KiB are not seen.
        String head = "file:\n  path: p\n  size: 4096\n  flags: 2\n  mode: 0644\n  uid: 0\n  gid: 0\n";
        String rest = "  nextents: 1\n" + EXTENT;
        FamfsException cut =
                assertThrows(FamfsException.class, () -> ShadowYamlReader.parse(padded(head, 16384, rest)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, cut.code());
        assertTrue(cut.getMessage().contains("nextents"), cut.getMessage());
        // ... but are when they start just before the limit.
        byte[] inside = padded(head, 16384 - rest.length(), rest);
        assertEquals(16384, inside.length);
        assertEquals(1, ShadowYamlReader.parse(inside).nextents());
    }

    // ---- round trip ----

    @Test
    void randomEntriesRoundTrip() {
        Random r = new Random(0x5ad0_0048L);
        List<String> paths = OraclePaths.generate();
        for (int n = 0; n < 2000; n++) {
            Fmap fmap;
            if (n % 2 == 0) {
                List<Extent> extents = new ArrayList<>();
                int count = n % 34 / 2; // 0..16
                for (int i = 0; i < count; i++) {
                    extents.add(randomExtent(r));
                }
                fmap = new SimpleFmap(extents);
            } else {
                List<Extent> strips = new ArrayList<>();
                int count = 1 + r.nextInt(Famfs.MAX_STRIPS);
                for (int i = 0; i < count; i++) {
                    strips.add(randomExtent(r));
                }
                fmap = new InterleavedFmap(List.of(new InterleavedExtent(r.nextLong(), strips)));
            }
            String path = paths.get(r.nextInt(paths.size()));
            FileEntry entry = new FileEntry(
                    0,
                    1 + (r.nextLong() >>> 1) % Long.MAX_VALUE,
                    r.nextInt(4) == 0 ? r.nextInt(Integer.MAX_VALUE) : 2,
                    r.nextInt(3) == 0 ? r.nextInt() : r.nextInt(65536),
                    r.nextInt(3) == 0 ? r.nextInt() : r.nextInt(65536),
                    r.nextInt(010000),
                    path,
                    null,
                    fmap);
            byte[] yaml = ShadowYaml.write(entry);
            ShadowFile f = ShadowYamlReader.parse(yaml);
            String context = "entry " + n + ":\n" + new String(yaml, StandardCharsets.UTF_8);
            assertEquals(path, f.path(), context);
            assertEquals(entry.size(), f.size(), context);
            assertEquals(entry.flags(), f.flags(), context);
            assertEquals(entry.mode(), f.mode(), context);
            assertEquals(entry.uid(), (int) f.uid(), context); // written %d, read back modulo 2^64 like famfs
            assertEquals(entry.gid(), (int) f.gid(), context);
            assertEquals(fmap.count(), f.nextents(), context);
            assertEquals(fmap, f.fmap(), context);
        }
    }

    private static Extent randomExtent(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> new Extent(r.nextInt(4), (10L + r.nextInt(1 << 16)) << 21, (1L + r.nextInt(64)) << 21);
            case 1 -> new Extent(r.nextInt(256), r.nextLong(), r.nextLong());
            default -> new Extent(0, -1L, Long.MIN_VALUE);
        };
    }
}
