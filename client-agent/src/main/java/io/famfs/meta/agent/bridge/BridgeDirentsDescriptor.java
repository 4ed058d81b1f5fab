package io.famfs.meta.agent.bridge;

/**
 * Byte layout of a READDIR reply: one page of a directory's entries (little-endian).
 *
 * <pre>
 *   0                               8               12              16
 *   +-------------------------------+---------------+---------------+-----------------
 *   | next cookie (u64)             | count (u32)   | reserved (0)  | count entries ...
 *   | 0: the directory ends here    |               |               |
 *   +-------------------------------+---------------+---------------+-----------------
 *
 *   entry (its size rounded up to a multiple of 8; the padding is zero):
 *   0                               8       9       10      12
 *   +-------------------------------+-------+-------+-------+-------------------------+-----------+
 *   | cookie (u64, never 0)         | kind  | rsvd  | name  | name (UTF-8, no NUL)    | 0 padding |
 *   | READDIR from it resumes after | (u8)  | (0)   | length|                         |           |
 *   | this entry                    |       |       | (u16) |                         |           |
 *   +-------------------------------+-------+-------+-------+-------------------------+-----------+
 * </pre>
 *
 * <p>Every entry carries its own cookie so that a FUSE bridge can hand it to the kernel as the entry's offset and stay
 * stateless. The page's next cookie is the last entry's cookie when more entries follow, else 0.
 */
public final class BridgeDirentsDescriptor {
    private BridgeDirentsDescriptor() {}

    public static final int NEXT_COOKIE_OFFSET = 0;
    public static final int COUNT_OFFSET = 8;
    public static final int RESERVED_OFFSET = 12;
    public static final int HEADER_LENGTH = 16;

    public static final int ENTRY_COOKIE_OFFSET = 0;
    public static final int ENTRY_KIND_OFFSET = 8;
    public static final int ENTRY_RESERVED_OFFSET = 9;
    public static final int ENTRY_NAME_LENGTH_OFFSET = 10;
    public static final int ENTRY_NAME_OFFSET = 12;
    public static final int ENTRY_ALIGNMENT = 8;

    /** Linux's NAME_MAX. */
    public static final int MAX_NAME_BYTES = 255;

    /** The bytes an entry with a name of {@code nameBytes} bytes takes, padding included. */
    public static int entryLength(int nameBytes) {
        return (ENTRY_NAME_OFFSET + nameBytes + ENTRY_ALIGNMENT - 1) & -ENTRY_ALIGNMENT;
    }
}
