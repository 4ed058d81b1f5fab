package io.famfs.meta.shadow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The paths fed to the libyaml oracle (src/test/c/yaml_oracle.c) to build {@code shadow/path-oracle.txt}: a few
 * thousand relpaths famfs could log, chosen to hit every branch of libyaml's scalar analysis and writers (indicators
 * at the start, middle and end of a component, spaces, document markers, quotes, backslash, 2/3/4-byte UTF-8, folding
 * past column 80 in each style) plus a seeded random mix. Depends only on the JDK so it runs as a single-file program:
 *
 * <pre>
 * java log-replayer/src/test/java/io/famfs/meta/shadow/OraclePaths.java | /tmp/yaml_oracle \
 *     &gt; log-replayer/src/test/resources/shadow/path-oracle.txt
 * </pre>
 *
 * Paths are written as UTF-8, one per line; none holds a byte below 0x20, so none holds '\n'.
 */
public final class OraclePaths {
    private OraclePaths() {}

    static final long SEED = 0x48_5ad0_7a41L;

    /** Every ASCII punctuation character except '/', which separates components. */
    static final String PUNCT = "!\"#$%&'()*+,-.:;<=>?@[\\]^_`{|}~";

    /** Non-ASCII code points of 2, 3 and 4 UTF-8 bytes, with libyaml's special cases (breaks, BOM, NBSP). */
    static final int[] NON_ASCII = {
        0x80,
        0x85,
        0x9f,
        0xa0,
        0xad,
        0xe9,
        0xdf,
        0xff,
        0x100,
        0x7ff, // 2 bytes
        0x800,
        0x2028,
        0x2029,
        0x4e2d,
        0xd7ff,
        0xe000,
        0xfeff,
        0xfffc,
        0xfffd,
        0xfffe,
        0xffff, // 3 bytes
        0x10000,
        0x1f600,
        0x1f4a9,
        0x10ffff // 4 bytes
    };

    public static void main(String[] args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : generate()) {
            out.write(p.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        System.out.write(out.toByteArray());
        System.out.flush();
    }

    /** The paths, in a fixed order, each once. */
    static List<String> generate() {
        Set<String> out = new LinkedHashSet<>();
        punctuation(out);
        spaces(out);
        markersAndQuotes(out);
        nonAscii(out);
        plainLooking(out);
        folding(out, new Random(SEED));
        wide(out, new Random(SEED + 2));
        random(out, new Random(SEED + 1), 900);
        return new ArrayList<>(out);
    }

    private static void punctuation(Set<String> out) {
        for (char p : PUNCT.toCharArray()) {
            String c = String.valueOf(p);
            for (String s : new String[] {
                c,
                c + c,
                c + "name",
                "na" + c + "me",
                "name" + c,
                c + c + "x",
                "x" + c + c,
                c + " name",
                "name " + c,
                "na " + c + " me",
                "na" + c + " me",
                "na " + c + "me",
                " " + c,
                c + " ",
                "dir/" + c,
                "dir/" + c + "name",
                "dir/na" + c + "me",
                "dir/name" + c,
                "dir/" + c + " x",
                c + "dir/name",
                "d" + c + "/x",
                c + "/x",
                "a " + c + "/b",
                "a/" + c + " b",
                c + "a" + c,
            }) {
                add(out, s);
            }
        }
    }

    private static void spaces(Set<String> out) {
        for (String s : new String[] {
            " ",
            "  ",
            " a",
            "  a",
            "a ",
            "a  ",
            " a ",
            "a b",
            "a  b",
            "a   b",
            "a b c d",
            "a : b",
            "a: b",
            "a :b",
            "a:b",
            "a:",
            "a :",
            ":a",
            ": a",
            ":",
            "::",
            "a::b",
            "a #b",
            "a# b",
            "a#b",
            "a #",
            "#a",
            " #a",
            "# a",
            "a  #b",
            "a:#b",
            "a: #b",
            "a/ b",
            "a /b",
            "dir/ a",
            "dir/a ",
            " dir/a",
            "dir /a",
            "a b/c d",
            "? a",
            "?a",
            "a?",
            "a ?",
            "- a",
            "-a",
            "-",
            "a -",
            "a - b",
            "a:/b",
            "a: /b",
            "dir/: a",
            "dir/a: b",
            "dir/#a",
            "dir/ #a",
            "x/ ",
            " /x",
            "a/b c/d e/f",
            "a b:c d",
            "a,b",
            "a, b",
            "a[0]",
            "a{b}",
            "a | b",
            "a > b",
            "a & b",
            "a * b",
            "a ! b",
            "a % b",
            "a @ b",
            "a ` b",
        }) {
            add(out, s);
        }
    }

    private static void markersAndQuotes(Set<String> out) {
        for (String s : new String[] {
            "---",
            "---a",
            "--- a",
            "----",
            "---/x",
            "-- -",
            "--",
            "--a",
            "x---",
            "x ---",
            "dir/---",
            "dir/--- a",
            "...",
            "...a",
            "... a",
            "....",
            ".../x",
            "..a",
            ".a",
            "..a/b",
            "x...",
            "x ...",
            "dir/...",
            ".hidden",
            "dir/.hidden",
            "a.",
            "a..",
            "it's",
            "'a'",
            "''",
            "'",
            "'''",
            "a'",
            "a'b",
            "a''b",
            "a 'b' c",
            "'a b'",
            "\"",
            "\"\"",
            "\"a\"",
            "a\"b",
            "a\"",
            "a \"b\" c",
            "\"a\" 'b'",
            "'\"'",
            "\\",
            "\\\\",
            "a\\b",
            "a\\",
            "\\a",
            "\\n",
            "\\x41",
            "\\\"",
            "'\\'",
            "a \\ b",
            "dir/\\",
            "a\\/b",
        }) {
            add(out, s);
        }
    }

    private static void nonAscii(Set<String> out) {
        for (int cp : NON_ASCII) {
            String c = Character.toString(cp);
            for (String s : new String[] {
                c,
                c + c,
                c + "x",
                "x" + c,
                "x" + c + "y",
                c + " x",
                "x " + c,
                "x " + c + " y",
                "dir/" + c,
                c + "/x",
                "'" + c,
                c + "'",
                "#" + c,
                c + ": x",
                "x " + c + " " + c + " y",
            }) {
                add(out, s);
            }
        }
        for (String s : new String[] {
            "café",
            "naïve file",
            "Ünïcödé/fïlé",
            "日本語/ファイル",
            "日本語 ファイル",
            "emoji 😀 here",
            "😀😀😀😀",
            "a\u00a0b",
            "\u00a0",
            "a\u2028b",
            "a \u2028 b",
            "\u0085a",
            "a\u0085",
            "a \u0085",
            "\u0085 a",
            "\ufeffbom",
            "x\ufeff",
            "it’s",
            "“quoted”",
            "x\"é\\",
            "é'",
            "-é",
            "- é",
            "---é",
            "...é",
        }) {
            add(out, s);
        }
    }

    private static void plainLooking(Set<String> out) {
        for (String s : new String[] {
            "null",
            "Null",
            "NULL",
            "~",
            "true",
            "false",
            "True",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
            "0755",
            "0644",
            "0x10",
            "0o17",
            "1e3",
            "1.5",
            "-1",
            "+1",
            "123",
            ".inf",
            "-.inf",
            ".nan",
            "<<",
            "=",
            "2001-12-14",
            "12:30:00",
            "1_000",
            "a=b",
            "key: value",
            "[a, b]",
            "{a: b}",
            "*alias",
            "&anchor",
            "!tag",
            "!!str",
            "%YAML",
            "@x",
            "`x`",
            "|",
            ">",
            "|-",
            ">+",
            "file",
            "path",
            "dir1/simple",
            ".meta/.superblock",
            ".meta/.log",
        }) {
            add(out, s);
        }
    }

    /**
     * Paths of 60 to 79 bytes whose spaces fall around column 80 (the value starts at column 8): a first word of
     * length k and a tail, single and double spaces, in each style (plain, single-quoted forced by a leading '#' or
     * a trailing space or ": ", double-quoted forced by a non-ASCII character early or late).
     */
    private static void folding(Set<String> out, Random r) {
        String[] prefixes = {"", "#", "'", "- ", "' ", "é", "😀", "\\", "\"", "a\u00a0"};
        String[] gaps = {" ", "  ", "   ", " : ", " # ", " ' ", " \" ", " é ", "\u00a0 "};
        for (String prefix : prefixes) {
            for (String gap : gaps) {
                for (int k = 62; k <= 78; k++) {
                    String head = prefix + letters(r, Math.max(1, k - prefix.length()));
                    String body = head + gap;
                    int room = 79 - bytes(body);
                    if (room < 1) {
                        continue;
                    }
                    switch (k % 4) {
                        case 0 -> add(out, body + letters(r, room));
                        case 1 -> add(out, body + letters(r, 1 + r.nextInt(room)));
                        case 2 -> add(out, room >= 3 ? body + letters(r, room - 2) + " x" : body + "x");
                        default -> add(out, room >= 2 ? body + letters(r, room - 1) + " " : body + "y");
                    }
                }
            }
        }
        // Words separated by spaces, 60..79 bytes, many spaces landing past column 80.
        for (int i = 0; i < 420; i++) {
            StringBuilder sb = new StringBuilder();
            int target = 60 + r.nextInt(20);
            int style = i % 6;
            if (style == 1) {
                sb.append(r.nextBoolean() ? "'" : "#");
            } else if (style == 2) {
                sb.append(r.nextBoolean() ? "é" : "😀");
            }
            while (bytes(sb) < target) {
                sb.append(letters(r, 1 + r.nextInt(r.nextInt(3) == 0 ? 12 : 4)));
                int spaces = r.nextInt(5) == 0 ? 2 : 1;
                sb.append(" ".repeat(spaces));
                if (style == 3 && r.nextInt(6) == 0) {
                    sb.append(r.nextBoolean() ? "': " : "\\ ");
                }
                if (style == 4 && r.nextInt(8) == 0) {
                    sb.append(Character.toString(NON_ASCII[r.nextInt(NON_ASCII.length)]));
                }
                if (style == 5 && r.nextInt(6) == 0) {
                    sb.append("/");
                }
            }
            String s = sb.toString();
            while (bytes(s) > 79) {
                s = s.substring(0, s.length() - 1);
            }
            add(out, s);
        }
    }

    /**
     * Paths whose quoted form is much wider than their bytes, so the value folds more than once: single-quoted with
     * many doubled quotes, double-quoted with escapes (an emoji is 10 columns for 4 bytes, a quote or a backslash 2
     * columns for 1 byte).
     */
    private static void wide(Set<String> out, Random r) {
        String[] singleTokens = {"'", "''", "'''", "a'", "'b", "x''y"};
        String[] doubleTokens = {"\\", "\"", "\\\"", "a\\", "é", "ﬀ", "😀", "😀😀", "\u00a0", "\u2028", "\ufeff"};
        String[] units = {"😀", "😀😀", "é", "éé", "\u2028", "\\", "\"\\", "'", "''", "'''", "a'"};
        String[] seps = {" ", "  ", " x "};
        for (String unit : units) {
            for (String sep : seps) {
                for (String lead : new String[] {"", "#", "x"}) {
                    StringBuilder sb = new StringBuilder(lead);
                    while (bytes(sb) + bytes(unit) + bytes(sep) <= 79) {
                        sb.append(unit).append(sep);
                    }
                    add(out, sb.toString());
                    add(out, sb.toString().strip());
                    add(out, sb + "z");
                }
            }
        }
        for (int i = 0; i < 240; i++) {
            boolean single = i % 2 == 0;
            String[] tokens = single ? singleTokens : doubleTokens;
            StringBuilder sb = new StringBuilder();
            if (single) {
                sb.append(r.nextBoolean() ? "'" : "#");
            }
            int target = 50 + r.nextInt(30);
            while (bytes(sb) < target) {
                sb.append(tokens[r.nextInt(tokens.length)]);
                if (r.nextInt(3) == 0) {
                    sb.append(letters(r, 1 + r.nextInt(3)));
                }
                sb.append(r.nextInt(4) == 0 ? "  " : " ");
            }
            String s = sb.toString();
            while (bytes(s) > 79) {
                s = s.substring(0, s.length() - (Character.isLowSurrogate(s.charAt(s.length() - 1)) ? 2 : 1));
            }
            add(out, s);
        }
    }

    /** Random mixes of every kind of character, 1..79 bytes. */
    private static void random(Set<String> out, Random r, int count) {
        String ascii = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789" + PUNCT + "      ///";
        int added = 0;
        while (added < count) {
            int target = 1 + r.nextInt(r.nextInt(4) == 0 ? 79 : 24);
            StringBuilder sb = new StringBuilder();
            while (bytes(sb) < target) {
                int pick = r.nextInt(20);
                if (pick == 0) {
                    sb.appendCodePoint(NON_ASCII[r.nextInt(NON_ASCII.length)]);
                } else if (pick == 1) {
                    sb.append(r.nextBoolean() ? "---" : "...");
                } else if (pick == 2) {
                    sb.append(r.nextBoolean() ? ": " : " #");
                } else {
                    sb.append(ascii.charAt(r.nextInt(ascii.length())));
                }
            }
            String s = sb.toString();
            if (bytes(s) <= 79 && valid(s) && out.add(s)) {
                added++;
            }
        }
    }

    private static String letters(Random r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    private static int bytes(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static void add(Set<String> out, String s) {
        if (valid(s)) {
            out.add(s);
        }
    }

    /**
     * The relpath rule, restated here independently of RelPath: 1..79 UTF-8 bytes, no leading '/', no empty, "." or
     * ".." component, no byte below 0x20 or equal to 0x7f.
     */
    static boolean valid(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length < 1 || b.length > 79 || b[0] == '/') {
            return false;
        }
        for (byte x : b) {
            if ((x & 0xff) < 0x20 || x == 0x7f) {
                return false;
            }
        }
        for (String component : s.split("/", -1)) {
            if (component.isEmpty() || component.equals(".") || component.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
