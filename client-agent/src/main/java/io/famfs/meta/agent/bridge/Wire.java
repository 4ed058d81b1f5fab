package io.famfs.meta.agent.bridge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Byte helpers the codecs, the server and the client share: byte order and strict UTF-8 without allocation. */
final class Wire {
    private Wire() {}

    /** {@code buf} itself when it is little-endian, else a little-endian view of it (absolute accesses only). */
    static ByteBuffer littleEndian(ByteBuffer buf) {
        return buf.order() == ByteOrder.LITTLE_ENDIAN ? buf : buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The UTF-8 length of {@code s}, or -1 when it holds a lone surrogate (which has no UTF-8 form). */
    static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                return -1;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Writes {@code s} (checked with {@link #utf8Length}) as UTF-8 at {@code out}'s position and advances it. */
    static void putUtf8(ByteBuffer out, CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xc0 | c >>> 6));
                out.put((byte) (0x80 | c & 0x3f));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.put((byte) (0xf0 | cp >>> 18));
                out.put((byte) (0x80 | (cp >>> 12) & 0x3f));
                out.put((byte) (0x80 | (cp >>> 6) & 0x3f));
                out.put((byte) (0x80 | cp & 0x3f));
            } else {
                out.put((byte) (0xe0 | c >>> 12));
                out.put((byte) (0x80 | (c >>> 6) & 0x3f));
                out.put((byte) (0x80 | c & 0x3f));
            }
        }
    }

    /**
     * True when {@code b[off, off + len)} is well-formed UTF-8: no overlong form, no surrogate, nothing above U+10FFFF,
     * no truncated sequence.
     */
    static boolean isUtf8(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int cp;
            if (c >= 0xc2 && c <= 0xdf) {
                n = 1;
                cp = c & 0x1f;
            } else if (c >= 0xe0 && c <= 0xef) {
                n = 2;
                cp = c & 0x0f;
            } else if (c >= 0xf0 && c <= 0xf4) {
                n = 3;
                cp = c & 0x07;
            } else {
                return false;
            }
            if (i + n >= end) {
                return false;
            }
            for (int k = 1; k <= n; k++) {
                int d = b[i + k] & 0xff;
                if ((d & 0xc0) != 0x80) {
                    return false;
                }
                cp = cp << 6 | d & 0x3f;
            }
            if (n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) {
                return false;
            }
            if (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) {
                return false;
            }
            i += n + 1;
        }
        return true;
    }
}
