package io.famfs.meta.shadow;

/**
 * Writes one scalar the way libyaml 0.2.5's emitter does with famfs's settings (plain style requested, both implicit
 * flags set, block context, ASCII-only output, best width 80), so our shadow files are byte-identical to famfs's for
 * any path, not just plain ones:
 *
 * <ul>
 *   <li>plain when libyaml's scalar analysis allows a block plain scalar ({@code null} and {@code 0755} stay plain);
 *   <li>single-quoted ({@code '} doubled) after indicators, leading or trailing spaces, {@code " #"}, {@code ": "},
 *       or a leading {@code ---}/{@code ...};
 *   <li>double-quoted with escapes for anything not printable ASCII ({@code \xE9}, {@code \u2028}, ...);
 *   <li>a space past column 80 in a plain or quoted scalar becomes a line break and the continuation indent.
 * </ul>
 *
 * Checked against the real libyaml by {@code ShadowYamlOracleTest} (fixtures from src/test/c/yaml_oracle.c).
 */
final class LibyamlScalar {
    private LibyamlScalar() {}

    static final int BEST_WIDTH = 80;

    private enum Style {
        PLAIN,
        SINGLE,
        DOUBLE
    }

    /**
     * Appends {@code value} to {@code out} as a mapping value whose line currently holds {@code column} characters
     * (after the key's ':'), continuing folded lines at {@code indent}.
     */
    static void appendValue(StringBuilder out, int column, int indent, String value) {
        int[] cps = value.codePoints().toArray();
        if (cps.length == 0) {
            return; // an empty block value is plain and writes nothing, not even the space
        }
        Writer w = new Writer(out, column, indent);
        switch (select(cps)) {
            case PLAIN -> w.plain(cps);
            case SINGLE -> w.singleQuoted(cps);
            case DOUBLE -> w.doubleQuoted(cps);
        }
    }

    private static Style select(int[] s) {
        boolean blockIndicators = false;
        boolean specialCharacters = false;
        boolean lineBreaks = false;
        boolean leadingSpace = false;
        boolean leadingBreak = false;
        boolean trailingSpace = false;
        boolean trailingBreak = false;
        boolean breakSpace = false;
        boolean spaceBreak = false;
        boolean previousSpace = false;
        boolean previousBreak = false;

        if (s.length >= 3
                && ((s[0] == '-' && s[1] == '-' && s[2] == '-') || (s[0] == '.' && s[1] == '.' && s[2] == '.'))) {
            blockIndicators = true;
        }
        boolean precededByWhitespace = true;
        boolean followedByWhitespace = isBlankz(s, 1);
        for (int i = 0; i < s.length; i++) {
            int c = s[i];
            if (i == 0) {
                if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) {
                    blockIndicators = true;
                }
                if ((c == '?' || c == ':') && followedByWhitespace) {
                    blockIndicators = true;
                }
                if (c == '-' && followedByWhitespace) {
                    blockIndicators = true;
                }
            } else {
                if (c == ':' && followedByWhitespace) {
                    blockIndicators = true;
                }
                if (c == '#' && precededByWhitespace) {
                    blockIndicators = true;
                }
            }
            if (!isPrintable(c) || c > 0x7f) {
                specialCharacters = true;
            }
            if (isBreak(c)) {
                lineBreaks = true;
            }
            if (c == ' ') {
                leadingSpace |= i == 0;
                trailingSpace |= i == s.length - 1;
                breakSpace |= previousBreak;
                previousSpace = true;
                previousBreak = false;
            } else if (isBreak(c)) {
                leadingBreak |= i == 0;
                trailingBreak |= i == s.length - 1;
                spaceBreak |= previousSpace;
                previousSpace = false;
                previousBreak = true;
            } else {
                previousSpace = false;
                previousBreak = false;
            }
            precededByWhitespace = isBlankz(s, i);
            followedByWhitespace = isBlankz(s, i + 2);
        }
        boolean blockPlain = true;
        boolean singleQuoted = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
            blockPlain = false;
        }
        if (breakSpace) {
            blockPlain = false;
            singleQuoted = false;
        }
        if (spaceBreak || specialCharacters) {
            blockPlain = false;
            singleQuoted = false;
        }
        if (lineBreaks || blockIndicators) {
            blockPlain = false;
        }
        if (blockPlain) {
            return Style.PLAIN;
        }
        return singleQuoted ? Style.SINGLE : Style.DOUBLE;
    }

    /** libyaml's IS_BLANKZ at position {@code i}: space, tab, a break, or the end. */
    private static boolean isBlankz(int[] s, int i) {
        return i >= s.length || s[i] == ' ' || s[i] == '\t' || isBreak(s[i]);
    }

    private static boolean isBreak(int c) {
        return c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    /** libyaml's IS_PRINTABLE, on code points. */
    private static boolean isPrintable(int c) {
        return c == 0x0a
                || (c >= 0x20 && c <= 0x7e)
                || c == 0x85
                || (c >= 0xa0 && c <= 0xd7ff)
                || (c >= 0xe000 && c <= 0xfffd && c != 0xfeff)
                || (c >= 0x10000 && c <= 0x10ffff);
    }

    /** Output with libyaml's column tracking (one column per character). */
    private static final class Writer {
        private final StringBuilder out;
        private final int indent;
        private int column;

        Writer(StringBuilder out, int column, int indent) {
            this.out = out;
            this.column = column;
            this.indent = indent;
        }

        private void put(int c) {
            out.appendCodePoint(c);
            column++;
        }

        private void writeIndent() {
            out.append('\n');
            column = 0;
            while (column < indent) {
                put(' ');
            }
        }

        void plain(int[] s) {
            put(' ');
            boolean spaces = false;
            for (int i = 0; i < s.length; i++) {
                if (s[i] == ' ') {
                    if (!spaces && column > BEST_WIDTH && !(i + 1 < s.length && s[i + 1] == ' ')) {
                        writeIndent();
                    } else {
                        put(' ');
                    }
                    spaces = true;
                } else {
                    put(s[i]);
                    spaces = false;
                }
            }
        }

        void singleQuoted(int[] s) {
            put(' ');
            put('\'');
            boolean spaces = false;
            for (int i = 0; i < s.length; i++) {
                if (s[i] == ' ') {
                    if (!spaces
                            && column > BEST_WIDTH
                            && i != 0
                            && i != s.length - 1
                            && !(i + 1 < s.length && s[i + 1] == ' ')) {
                        writeIndent();
                    } else {
                        put(' ');
                    }
                    spaces = true;
                } else {
                    if (s[i] == '\'') {
                        put('\'');
                    }
                    put(s[i]);
                    spaces = false;
                }
            }
            put('\'');
        }

        void doubleQuoted(int[] s) {
            put(' ');
            put('"');
            boolean spaces = false;
            for (int i = 0; i < s.length; i++) {
                int c = s[i];
                if (!isPrintable(c) || c > 0x7f || c == 0xfeff || isBreak(c) || c == '"' || c == '\\') {
                    put('\\');
                    switch (c) {
                        case 0x00 -> put('0');
                        case 0x07 -> put('a');
                        case 0x08 -> put('b');
                        case 0x09 -> put('t');
                        case 0x0a -> put('n');
                        case 0x0b -> put('v');
                        case 0x0c -> put('f');
                        case 0x0d -> put('r');
                        case 0x1b -> put('e');
                        case '"' -> put('"');
                        case '\\' -> put('\\');
                        case 0x85 -> put('N');
                        case 0xa0 -> put('_');
                        case 0x2028 -> put('L');
                        case 0x2029 -> put('P');
                        default -> {
                            int width = c <= 0xff ? 2 : c <= 0xffff ? 4 : 8;
                            put(c <= 0xff ? 'x' : c <= 0xffff ? 'u' : 'U');
                            for (int k = (width - 1) * 4; k >= 0; k -= 4) {
                                put("0123456789ABCDEF".charAt((c >>> k) & 0xf));
                            }
                        }
                    }
                    spaces = false;
                } else if (c == ' ') {
                    if (!spaces && column > BEST_WIDTH && i != 0 && i != s.length - 1) {
                        writeIndent();
                        if (i + 1 < s.length && s[i + 1] == ' ') {
                            put('\\');
                        }
                    } else {
                        put(' ');
                    }
                    spaces = true;
                } else {
                    put(c);
                    spaces = false;
                }
            }
            put('"');
        }
    }
}
