package io.famfs.meta.shadow;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.Fmap;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.SimpleFmap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.ScannerException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * Reads a shadow YAML file as famfs_fused does (famfs-format.md 5.2): the failsafe schema, so every scalar is a string
 * ({@code path: null} is the path "null", {@code mode: 0644} stays octal), numbers converted with famfs's
 * {@code strtoull(s, 0, 0)} rules, an unknown key under {@code file:} refused, at most 16 extents or strips, the path
 * cut to 79 characters. Only the first 16 KiB are read, as famfs does.
 */
public final class ShadowYamlReader {
    private ShadowYamlReader() {}

    /** famfs reads a shadow file into a buffer of this size; anything longer is cut. */
    public static final int YAML_MAX = 16384;

    private static final Set<String> FILE_KEYS =
            Set.of("path", "size", "flags", "mode", "uid", "gid", "nextents", "simple_ext_list", "striped_ext_list");

    public static ShadowFile parse(byte[] yaml) {
        int n = Math.min(yaml.length, YAML_MAX);
        Object doc;
        try {
            doc = load(new String(yaml, 0, n, StandardCharsets.UTF_8));
        } catch (YamlEngineException e) {
            throw bad("not YAML: " + e.getMessage().lines().findFirst().orElse(""));
        } catch (NullPointerException e) {
            // snakeyaml-engine 3.2 has no constructor for an empty document (no content, only comments, or "---"
            // alone) under the failsafe schema and throws this instead of returning null.
            throw bad("no document");
        }
        Map<?, ?> file = map(map(doc, "document").get("file"), "file");
        for (Object key : file.keySet()) {
            if (!FILE_KEYS.contains(key)) {
                throw bad("unknown key under file: " + key);
            }
        }
        String path = string(file.get("path"), "path");
        if (path.length() > Famfs.MAX_RELPATH_BYTES) {
            path = path.substring(0, Famfs.MAX_RELPATH_BYTES);
        }
        long nextents = number(file.get("nextents"), "nextents");
        Fmap fmap;
        if (file.containsKey("striped_ext_list")) {
            List<InterleavedExtent> ies = new ArrayList<>();
            for (Object item : list(file.get("striped_ext_list"), "striped_ext_list")) {
                Map<?, ?> ie = map(item, "striped extent");
                long nstrips = number(ie.get("nstrips"), "nstrips");
                List<Extent> strips = extents(ie.get("simple_ext_list"));
                if (strips.size() != nstrips) {
                    throw bad("nstrips " + nstrips + " but " + strips.size() + " strips");
                }
                ies.add(new InterleavedExtent(number(ie.get("chunk_size"), "chunk_size"), strips));
            }
            if (ies.size() > Famfs.MAX_INTERLEAVED_EXTENTS) {
                throw bad("more than one striped extent");
            }
            fmap = new InterleavedFmap(ies);
        } else {
            fmap = new SimpleFmap(extents(file.get("simple_ext_list")));
        }
        if (fmap.count() != nextents) {
            throw bad("nextents " + nextents + " but " + fmap.count() + " extents");
        }
        return new ShadowFile(
                path,
                number(file.get("size"), "size"),
                number(file.get("flags"), "flags"),
                number(file.get("mode"), "mode"),
                number(file.get("uid"), "uid"),
                number(file.get("gid"), "gid"),
                nextents,
                fmap);
    }

    /** Double-quoted scalars holding {@code \L} or {@code \P} one parse may rewrite (a shadow file has one: the path). */
    private static final int MAX_ESCAPE_REWRITES = 16;

    /**
     * Loads {@code text} with the failsafe schema. libyaml (famfs's emitter and parser) knows the YAML escapes
     * {@code \L} and {@code \P} (U+2028, U+2029) and famfs writes them for paths holding those characters;
     * snakeyaml-engine 3.2 refuses them. When the scanner refuses one, the double-quoted scalar it was scanning is
     * rewritten from its opening quote with those two escapes spelled as the equivalent {@code u2028} and
     * {@code u2029} escapes, and the text is parsed again.
     */
    private static Object load(String text) {
        Load load =
                new Load(LoadSettings.builder().setSchema(new FailsafeSchema()).build());
        String current = text;
        for (int rewrites = 0; ; rewrites++) {
            try {
                return load.loadFromString(current);
            } catch (ScannerException e) {
                String rewritten = rewrites < MAX_ESCAPE_REWRITES ? spellLineSeparatorEscapes(current, e) : null;
                if (rewritten == null) {
                    throw e;
                }
                current = rewritten;
            }
        }
    }

    /** {@code text} with the refused double-quoted scalar's {@code \L} and {@code \P} rewritten; null otherwise. */
    private static String spellLineSeparatorEscapes(String text, ScannerException e) {
        int start = e.getContextMark().map(Mark::getIndex).orElse(-1); // marks count code points
        int at = e.getProblemMark().map(Mark::getIndex).orElse(-1);
        int[] cps = text.codePoints().toArray();
        if (start < 0
                || at <= start + 1
                || at >= cps.length
                || cps[start] != '"'
                || cps[at - 1] != '\\'
                || (cps[at] != 'L' && cps[at] != 'P')) {
            return null;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        int i = 0;
        for (; i <= start; i++) {
            sb.appendCodePoint(cps[i]);
        }
        for (; i < cps.length && cps[i] != '"'; i++) {
            sb.appendCodePoint(cps[i]);
            if (cps[i] == '\\' && i + 1 < cps.length) {
                int escape = cps[++i];
                if (escape == 'L' || escape == 'P') {
                    sb.append(escape == 'L' ? "u2028" : "u2029");
                } else {
                    sb.appendCodePoint(escape);
                }
            }
        }
        for (; i < cps.length; i++) {
            sb.appendCodePoint(cps[i]);
        }
        return sb.toString();
    }

    private static List<Extent> extents(Object node) {
        List<?> items = list(node, "simple_ext_list");
        if (items.size() > Famfs.MAX_SIMPLE_EXTENTS) {
            throw bad("more than 16 extents");
        }
        List<Extent> extents = new ArrayList<>(items.size());
        for (Object item : items) {
            Map<?, ?> e = map(item, "extent");
            if (!e.containsKey("offset") || !e.containsKey("length")) {
                throw bad("an extent needs offset and length");
            }
            long devindex = e.containsKey("devindex") ? number(e.get("devindex"), "devindex") : 0;
            extents.add(new Extent(devindex, number(e.get("offset"), "offset"), number(e.get("length"), "length")));
        }
        return extents;
    }

    /**
     * C's {@code strtoull(s, NULL, 0)}: leading white space, an optional sign, then {@code 0x} hex, a leading
     * {@code 0} octal or decimal, stopping at the first character that is not a digit of the base (no digits gives
     * 0); a minus negates modulo 2^64; overflow gives 2^64 - 1.
     */
    public static long strtoull(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int base = 10;
        if (i + 1 < n
                && s.charAt(i) == '0'
                && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && i + 2 < n
                && Character.digit(s.charAt(i + 2), 16) >= 0) {
            base = 16;
            i += 2;
        } else if (i < n && s.charAt(i) == '0') {
            base = 8;
        }
        long value = 0;
        boolean overflow = false;
        for (; i < n; i++) {
            int d = Character.digit(s.charAt(i), base);
            if (d < 0 || s.charAt(i) > 'z') {
                break;
            }
            long next = value * base + d;
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, base)) > 0) {
                overflow = true;
            }
            value = next;
        }
        if (overflow) {
            return -1L;
        }
        return negative ? -value : value;
    }

    private static long number(Object node, String key) {
        return strtoull(string(node, key));
    }

    private static String string(Object node, String key) {
        if (node instanceof String s) {
            return s;
        }
        throw bad(key + (node == null ? " is missing" : " is not a scalar"));
    }

    private static Map<?, ?> map(Object node, String what) {
        if (node instanceof Map<?, ?> m) {
            return m;
        }
        throw bad(what + " is not a mapping");
    }

    private static List<?> list(Object node, String what) {
        if (node instanceof List<?> l) {
            return l;
        }
        throw bad(what + (node == null ? " is missing" : " is not a sequence"));
    }

    private static FamfsException bad(String why) {
        return new FamfsException(ErrorCode.INVALID_ARGUMENT, "bad shadow YAML: " + why);
    }
}
