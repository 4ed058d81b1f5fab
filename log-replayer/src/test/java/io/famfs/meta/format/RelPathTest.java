package io.famfs.meta.format;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The path rule, checked against a plain byte-by-byte reference written here from the rule's text (not from the
 * word-at-a-time code under test), on hand-picked and random byte strings, through both entry points: a path of known
 * length and a NUL-terminated 80-byte log field.
 */
class RelPathTest {

    /** The rule as the issue states it, one byte at a time, with the documented precedence. */
    private static RelPath.Problem reference(byte[] b, int len, boolean terminated) {
        if (!terminated || len > 79) {
            return RelPath.Problem.TOO_LONG;
        }
        if (len == 0) {
            return RelPath.Problem.EMPTY;
        }
        if (b[0] == '/') {
            return RelPath.Problem.ABSOLUTE;
        }
        int start = 0;
        for (int i = 0; i <= len; i++) {
            if (i < len) {
                int c = b[i] & 0xff;
                if (c < 0x20 || c == 0x7f) {
                    return RelPath.Problem.CONTROL_CHARACTER;
                }
                if (c != '/') {
                    continue;
                }
            }
            int n = i - start;
            if (n == 0) {
                return RelPath.Problem.EMPTY_COMPONENT;
            }
            if (n == 1 && b[start] == '.') {
                return RelPath.Problem.DOT_COMPONENT;
            }
            if (n == 2 && b[start] == '.' && b[start + 1] == '.') {
                return RelPath.Problem.DOTDOT_COMPONENT;
            }
            start = i + 1;
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, 0, len));
        } catch (CharacterCodingException e) {
            return RelPath.Problem.NOT_UTF8;
        }
        return null;
    }

    private static int referenceLastSlash(byte[] b, int len) {
        for (int i = len - 1; i >= 0; i--) {
            if (b[i] == '/') {
                return i;
            }
        }
        return -1;
    }

    /** Checks {@code path} both ways: as a path of known length, and as an entry field (80 bytes, NUL-padded). */
    private static void agree(byte[] path, String what) {
        int len = path.length;
        RelPath.Problem expected = reference(path, len, true);
        long checked = RelPath.checkPath(path, 0, len);
        assertEquals(expected, RelPath.problemOf(checked), what);
        assertEquals(expected, RelPath.check(path, 0, len), what);
        if (expected == null) {
            assertEquals(referenceLastSlash(path, len), RelPath.lastSlashOf(checked), what);
        }

        // The same bytes in a field at an odd offset of a larger array, garbage after the NUL.
        byte[] entry = new byte[200];
        java.util.Arrays.fill(entry, (byte) 0x7f);
        int off = 37;
        if (len < 80) {
            System.arraycopy(path, 0, entry, off, len);
            entry[off + len] = 0;
            long field = RelPath.checkField(entry, off, 80);
            assertEquals(len, RelPath.lengthOf(field), what);
            assertEquals(expected, RelPath.problemOf(field), what);
            if (expected == null) {
                assertEquals(referenceLastSlash(path, len), RelPath.lastSlashOf(field), what);
            }
        }
    }

    @Test
    void handPickedPaths() {
        String[] paths = {
            "a",
            "dir1/simple",
            "a/b/c/d.e",
            ".hidden",
            "..x",
            "x..",
            "a/.b",
            "a/..b",
            "a/b.",
            "a.",
            ".",
            "..",
            "./a",
            "../a",
            "a/.",
            "a/..",
            "a/./b",
            "a/../b",
            "a//b",
            "a/",
            "/a",
            "",
            "a\tb",
            "a\u007fb",
            "caf\u00e9",
            "a b/c d",
            "x".repeat(79),
            "x".repeat(80),
            "d/".repeat(39) + "f",
            "12345678/12345678/1234567/",
            "abcdefg/",
            "abcdefgh/i",
            "/".repeat(9),
            "a".repeat(8) + "/" + "b".repeat(8)
        };
        for (String p : paths) {
            agree(p.getBytes(StandardCharsets.UTF_8), "path '" + p + "'");
        }
    }

    @Test
    void randomBytesAgreeWithTheReference() {
        SplittableRandom rnd = new SplittableRandom(424242);
        byte[] alphabet = "ab./\u0001\u007f\u0000x ".getBytes(StandardCharsets.ISO_8859_1);
        for (int n = 0; n < 200_000; n++) {
            int len = rnd.nextInt(0, 82);
            byte[] path = new byte[len];
            for (int i = 0; i < len; i++) {
                int pick = rnd.nextInt(20);
                path[i] = pick < alphabet.length ? alphabet[pick] : (byte) (pick < 17 ? 'a' + pick : rnd.nextInt(256));
            }
            // A NUL inside a path of known length is a control byte; in a field it ends the path.
            agree(stripNul(path), "random path #" + n);
        }
    }

    @Test
    void aFieldWithoutNulIsTooLong() {
        byte[] entry = new byte[100];
        java.util.Arrays.fill(entry, (byte) 'a');
        assertEquals(RelPath.Problem.TOO_LONG, RelPath.problemOf(RelPath.checkField(entry, 10, 80)));
        entry[10 + 79] = 0;
        long field = RelPath.checkField(entry, 10, 80);
        assertNull(RelPath.problemOf(field));
        assertEquals(79, RelPath.lengthOf(field));
    }

    @Test
    void textPathsFromTheApi() {
        assertNull(RelPath.check("dir/file"));
        assertEquals(RelPath.Problem.NOT_UTF8, RelPath.check("a\uD800b"), "a lone surrogate");
        assertEquals(RelPath.Problem.CONTROL_CHARACTER, RelPath.check("a\u0000b"));
        assertEquals(RelPath.Problem.TOO_LONG, RelPath.check("\u00e9".repeat(40)), "80 bytes of UTF-8");
        FamfsException e = assertThrows(FamfsException.class, () -> RelPath.require("a/../b"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("'..'"), e.getMessage());
    }

    private static byte[] stripNul(byte[] path) {
        int n = 0;
        while (n < path.length && path[n] != 0) {
            n++;
        }
        return java.util.Arrays.copyOf(path, n);
    }
}
