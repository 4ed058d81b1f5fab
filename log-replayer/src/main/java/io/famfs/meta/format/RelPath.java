package io.famfs.meta.format;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one home of the relative-path rule, shared by replay (log bytes any host can write) and the leader's API.
 *
 * <p>A relpath is 1 to 79 bytes of UTF-8, relative (no leading {@code /}), with no empty, {@code .} or {@code ..}
 * component and no byte below 0x20 or equal to 0x7f. famfs itself writes only such paths.
 */
public final class RelPath {
    private RelPath() {}

    /** Why a relpath is refused. */
    public enum Problem {
        EMPTY("empty path"),
        ABSOLUTE("path starts with '/'"),
        TOO_LONG("path longer than " + Famfs.MAX_RELPATH_BYTES + " bytes"),
        EMPTY_COMPONENT("path has an empty component"),
        DOT_COMPONENT("path has a '.' component"),
        DOTDOT_COMPONENT("path has a '..' component"),
        CONTROL_CHARACTER("path holds a control character"),
        NOT_UTF8("path is not valid UTF-8");

        private final String text;

        Problem(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** Checks {@code length} path bytes (no NUL) at {@code offset}; null when the path is acceptable. */
    public static Problem check(byte[] bytes, int offset, int length) {
        return problemOf(checkPath(bytes, offset, length));
    }

    /**
     * Checks {@code length} path bytes at {@code offset} like {@link #check} and, in the same pass, finds the last '/'.
     * Read the result with {@link #problemOf} and {@link #lastSlashOf}.
     */
    public static long checkPath(byte[] bytes, int offset, int length) {
        return scan(bytes, offset, offset + length, false);
    }

    /**
     * Checks the NUL-terminated path in a log entry's field of {@code fieldLength} bytes in one pass: finds its length
     * ({@link #lengthOf}; no NUL means too long), its last '/' and its problem.
     */
    public static long checkField(byte[] bytes, int offset, int fieldLength) {
        return scan(bytes, offset, offset + fieldLength, true);
    }

    /** The path's length a {@link #checkField} or {@link #checkPath} result records. */
    public static int lengthOf(long checked) {
        return (int) ((checked >>> 16) & 0xffff);
    }

    /**
     * The rule, in one pass over {@code bytes[offset, limit)} (up to a NUL when {@code nulTerminated}): eight bytes at a
     * time while no byte needs a look, byte by byte otherwise. Problems are reported in a fixed order: too long, empty,
     * absolute, then the first control byte or bad component, then invalid UTF-8.
     */
    private static long scan(byte[] bytes, int offset, int limit, boolean nulTerminated) {
        boolean ascii = true;
        boolean terminated = !nulTerminated;
        int componentStart = offset;
        Problem first = null;
        int end = limit;
        int i = offset;
        scan:
        while (i < end) {
            if (end - i >= 8 && !special((long) WORDS.get(bytes, i))) {
                i += 8;
                continue;
            }
            int stop = Math.min(end, i + 8);
            for (; i < stop; i++) {
                int c = bytes[i] & 0xff;
                if (c == 0 && nulTerminated) {
                    end = i;
                    terminated = true;
                    break scan;
                }
                if (first != null) {
                    continue; // only the NUL is still of interest
                }
                if (c < 0x20 || c == 0x7f) {
                    first = Problem.CONTROL_CHARACTER;
                } else if (c >= 0x80) {
                    ascii = false;
                } else if (c == '/') {
                    first = checkComponent(bytes, componentStart, i);
                    componentStart = i + 1;
                }
            }
        }
        int length = end - offset;
        Problem p;
        if (!terminated || length > Famfs.MAX_RELPATH_BYTES) {
            p = Problem.TOO_LONG;
        } else if (length == 0) {
            p = Problem.EMPTY;
        } else if (bytes[offset] == '/') {
            p = Problem.ABSOLUTE;
        } else if (first != null) {
            p = first;
        } else {
            p = checkComponent(bytes, componentStart, end);
            if (p == null && !ascii && !isUtf8(bytes, offset, length)) {
                p = Problem.NOT_UTF8;
            }
        }
        return ((long) (p == null ? 0 : p.ordinal() + 1) << 32) | ((long) length << 16) | (componentStart - offset);
    }

    /** The problem a {@link #checkPath} result records, or null. */
    public static Problem problemOf(long checked) {
        int ordinal = (int) (checked >>> 32);
        return ordinal == 0 ? null : PROBLEMS[ordinal - 1];
    }

    /** The position of the last '/' a check result records (-1 for none; meaningful for a good path). */
    public static int lastSlashOf(long checked) {
        return (int) (checked & 0xffff) - 1;
    }

    private static final Problem[] PROBLEMS = Problem.values();

    /**
     * True when some byte of {@code w} may be below 0x20, 0x7f, '/' or non-ASCII (SWAR tests; a false positive only
     * sends the word to the byte-by-byte loop).
     */
    private static boolean special(long w) {
        long below20 = (w - 0x20 * ONES) & ~w;
        long del = hasZero(w ^ (0x7f * ONES));
        long slash = hasZero(w ^ ('/' * ONES));
        return ((below20 | del | slash | w) & HIGHS) != 0;
    }

    private static long hasZero(long x) {
        return (x - ONES) & ~x;
    }

    /** Position of the first NUL in {@code bytes[offset, offset + max)}, or {@code max} when there is none. */
    public static int nulTerminatedLength(byte[] bytes, int offset, int max) {
        int i = 0;
        for (; i + 8 <= max; i += 8) {
            long zero = hasZero((long) WORDS.get(bytes, offset + i)) & HIGHS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < max; i++) {
            if (bytes[offset + i] == 0) {
                return i;
            }
        }
        return max;
    }

    /** Checks a path given as text (API input). */
    public static Problem check(String path) {
        if (isAscii(path)) { // the common case, without the UTF-8 round trip below
            return path.length() > Famfs.MAX_RELPATH_BYTES
                    ? Problem.TOO_LONG
                    : check(path.getBytes(StandardCharsets.ISO_8859_1), 0, path.length());
        }
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Famfs.MAX_RELPATH_BYTES) {
            return Problem.TOO_LONG;
        }
        // Lone surrogates encode to '?', which would pass: refuse them here.
        if (!isUtf8(bytes, 0, bytes.length) || !path.equals(new String(bytes, StandardCharsets.UTF_8))) {
            return Problem.NOT_UTF8;
        }
        return check(bytes, 0, bytes.length);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code path} when acceptable, else throws INVALID_ARGUMENT naming the problem. */
    public static String require(String path) {
        Problem p = check(path);
        if (p != null) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "invalid relative path '" + path + "': " + p.text());
        }
        return path;
    }

    /** Decodes path bytes: plain Latin-1 copy for ASCII (fast), lenient UTF-8 otherwise. */
    public static String decode(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                return new String(bytes, offset, length, StandardCharsets.UTF_8);
            }
        }
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }

    /** The last component of a relpath. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static Problem checkComponent(byte[] bytes, int start, int end) {
        int n = end - start;
        if (n == 0) {
            return Problem.EMPTY_COMPONENT;
        }
        if (bytes[start] == '.') {
            if (n == 1) {
                return Problem.DOT_COMPONENT;
            }
            if (n == 2 && bytes[start + 1] == '.') {
                return Problem.DOTDOT_COMPONENT;
            }
        }
        return null;
    }

    private static boolean isUtf8(byte[] bytes, int offset, int length) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
