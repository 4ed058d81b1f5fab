package io.famfs.meta.agent.bridge;

/**
 * Byte layout of the attributes LOOKUP and GETATTR reply with (32 bytes, little-endian).
 *
 * <pre>
 *   0       2       4               8               12              16                              24
 *   +-------+-------+---------------+---------------+---------------+-------------------------------+
 *   | kind  | rsvd  | mode (u32)    | uid (u32)     | gid (u32)     | size (u64)                    |
 *   | (u16) | (0)   | bits 07777    |               |               |                               |
 *   +-------+-------+---------------+---------------+---------------+-------------------------------+
 *   24                              32
 *   +-------------------------------+
 *   | log index (u64)               |  the log entry that made it; UINT64_MAX for the root
 *   +-------------------------------+
 * </pre>
 *
 * <p>The kind is a {@code d_type} value, so a C bridge builds {@code st_mode} as {@code DTTOIF(kind) | mode}.
 */
public final class BridgeAttrDescriptor {
    private BridgeAttrDescriptor() {}

    public static final int KIND_OFFSET = 0;
    public static final int RESERVED_OFFSET = 2;
    public static final int MODE_OFFSET = 4;
    public static final int UID_OFFSET = 8;
    public static final int GID_OFFSET = 12;
    public static final int SIZE_OFFSET = 16;
    public static final int LOG_INDEX_OFFSET = 24;
    public static final int LENGTH = 32;

    /** {@code DT_DIR}. */
    public static final int KIND_DIR = 4;
    /** {@code DT_REG}. */
    public static final int KIND_FILE = 8;

    /** The permission bits a mode may hold (setuid, setgid, sticky, rwx for all three). */
    public static final int MODE_MASK = 07777;

    /** The log index of the root directory, which no log entry creates. */
    public static final long ROOT_LOG_INDEX = -1L;
}
