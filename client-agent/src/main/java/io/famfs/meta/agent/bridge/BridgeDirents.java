package io.famfs.meta.agent.bridge;

import static io.famfs.meta.agent.bridge.BridgeDirentsDescriptor.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a directory's entries as READDIR sends it (layout: {@link BridgeDirentsDescriptor}).
 *
 * @param entries in the directory's order; every cookie non-zero
 * @param nextCookie 0 when the directory ends with this page, else the last entry's cookie
 */
public record BridgeDirents(List<Entry> entries, long nextCookie) {
    public BridgeDirents {
        entries = List.copyOf(entries);
        if (nextCookie != 0 && (entries.isEmpty() || entries.getLast().cookie() != nextCookie)) {
            throw new IllegalArgumentException("a page's next cookie must be 0 (the end) or its last entry's cookie");
        }
    }

    /**
     * One directory entry.
     *
     * @param name 1 to 255 bytes of UTF-8, no '/' or NUL, not "." or ".."
     * @param kind {@link BridgeAttrDescriptor#KIND_FILE} or {@link BridgeAttrDescriptor#KIND_DIR}
     * @param cookie non-zero; READDIR from it resumes after this entry
     */
    public record Entry(String name, int kind, long cookie) {
        public Entry {
            String problem = nameProblem(name);
            if (problem != null) {
                throw new IllegalArgumentException("directory entry name: " + problem);
            }
            if (kind != BridgeAttrDescriptor.KIND_FILE && kind != BridgeAttrDescriptor.KIND_DIR) {
                throw new IllegalArgumentException(
                        "directory entry kind must be 4 (directory) or 8 (file), not " + kind);
            }
            if (cookie == 0) {
                throw new IllegalArgumentException("directory entry cookie must not be 0");
            }
        }

        /** The bytes this entry takes in a page. */
        public int encodedLength() {
            return entryLength(Wire.utf8Length(name));
        }
    }

    /** The bytes this page takes. */
    public int encodedLength() {
        int n = HEADER_LENGTH;
        for (Entry e : entries) {
            n += e.encodedLength();
        }
        return n;
    }

    /** Writes the page at {@code out}'s position and advances it past the page. */
    public void encode(ByteBuffer out) {
        int at = out.position();
        ByteBuffer le = Wire.littleEndian(out);
        le.putLong(at + NEXT_COOKIE_OFFSET, nextCookie);
        le.putInt(at + COUNT_OFFSET, entries.size());
        le.putInt(at + RESERVED_OFFSET, 0);
        int p = at + HEADER_LENGTH;
        for (Entry e : entries) {
            int nameLength = Wire.utf8Length(e.name());
            int length = entryLength(nameLength);
            le.putLong(p + ENTRY_COOKIE_OFFSET, e.cookie());
            le.put(p + ENTRY_KIND_OFFSET, (byte) e.kind());
            le.put(p + ENTRY_RESERVED_OFFSET, (byte) 0);
            le.putShort(p + ENTRY_NAME_LENGTH_OFFSET, (short) nameLength);
            out.position(p + ENTRY_NAME_OFFSET);
            Wire.putUtf8(out, e.name());
            for (int q = p + ENTRY_NAME_OFFSET + nameLength; q < p + length; q++) {
                out.put((byte) 0);
            }
            p += length;
        }
        out.position(p);
    }

    /**
     * Reads a page that fills {@code in} from its position to its limit, and advances it to the limit.
     *
     * @throws IllegalArgumentException a page that is truncated, has bytes past its last entry, or holds a bad entry
     */
    public static BridgeDirents decode(ByteBuffer in) {
        int at = in.position();
        int end = in.limit();
        if (end - at < HEADER_LENGTH) {
            throw new IllegalArgumentException("directory page shorter than its " + HEADER_LENGTH + "-byte header");
        }
        ByteBuffer le = Wire.littleEndian(in);
        long next = le.getLong(at + NEXT_COOKIE_OFFSET);
        long count = Integer.toUnsignedLong(le.getInt(at + COUNT_OFFSET));
        // Each entry takes at least 16 bytes: a count beyond that is refused before anything is allocated.
        if (count > (end - at - HEADER_LENGTH) / entryLength(1)) {
            throw new IllegalArgumentException(
                    "directory page claims " + count + " entries in " + (end - at) + " bytes");
        }
        List<Entry> entries = new ArrayList<>((int) count);
        byte[] name = new byte[MAX_NAME_BYTES];
        int p = at + HEADER_LENGTH;
        for (int i = 0; i < count; i++) {
            if (end - p < ENTRY_NAME_OFFSET) {
                throw new IllegalArgumentException("directory entry " + i + " is truncated");
            }
            int nameLength = Short.toUnsignedInt(le.getShort(p + ENTRY_NAME_LENGTH_OFFSET));
            int length = entryLength(nameLength);
            if (nameLength > MAX_NAME_BYTES || length > end - p) {
                throw new IllegalArgumentException("directory entry " + i + " runs past the page");
            }
            le.get(p + ENTRY_NAME_OFFSET, name, 0, nameLength);
            if (!Wire.isUtf8(name, 0, nameLength)) {
                throw new IllegalArgumentException("directory entry " + i + " has a name that is not UTF-8");
            }
            entries.add(new Entry(
                    new String(name, 0, nameLength, StandardCharsets.UTF_8),
                    Byte.toUnsignedInt(le.get(p + ENTRY_KIND_OFFSET)),
                    le.getLong(p + ENTRY_COOKIE_OFFSET)));
            p += length;
        }
        if (p != end) {
            throw new IllegalArgumentException("directory page has " + (end - p) + " bytes past its last entry");
        }
        BridgeDirents page = new BridgeDirents(entries, next);
        in.position(end);
        return page;
    }

    /** Why {@code name} cannot be a directory entry's name, or null. */
    static String nameProblem(String name) {
        int length = Wire.utf8Length(name);
        if (length < 0) {
            return "holds a lone surrogate";
        }
        if (length == 0 || length > MAX_NAME_BYTES) {
            return "must be 1 to " + MAX_NAME_BYTES + " bytes of UTF-8, not " + length;
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            return "holds a '/' or a NUL";
        }
        if (name.equals(".") || name.equals("..")) {
            return "must not be '.' or '..'";
        }
        return null;
    }

    /** A page of at most {@code budget} bytes, filled by a READDIR handler. */
    public static Builder builder(int budget) {
        return new Builder(budget);
    }

    /** Collects entries while they fit in the budget. */
    public static final class Builder {
        private final int budget;
        private final List<Entry> entries = new ArrayList<>();
        private int length = HEADER_LENGTH;

        private Builder(int budget) {
            if (budget < BridgeProtocolDescriptor.READDIR_MIN_BUDGET) {
                throw new IllegalArgumentException(
                        "a page budget must be at least " + BridgeProtocolDescriptor.READDIR_MIN_BUDGET + " bytes");
            }
            this.budget = budget;
        }

        /** Adds the entry if it fits; false (and nothing added) when it does not: end the page there. */
        public boolean add(Entry entry) {
            int n = entry.encodedLength();
            if (length + n > budget) {
                return false;
            }
            entries.add(entry);
            length += n;
            return true;
        }

        /** The page; {@code more}: entries follow it (its next cookie is then its last entry's cookie). */
        public BridgeDirents build(boolean more) {
            if (more && entries.isEmpty()) {
                throw new IllegalStateException("a page that is not the last must hold an entry");
            }
            return new BridgeDirents(entries, more ? entries.getLast().cookie() : 0);
        }
    }
}
