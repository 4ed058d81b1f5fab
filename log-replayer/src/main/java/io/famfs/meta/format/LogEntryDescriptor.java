package io.famfs.meta.format;

/**
 * Byte layout of {@code struct famfs_log_entry} (544 bytes; famfs-format.md 1.4). Entry {@code i} sits at
 * {@code 48 + 544 * i} from the start of the log and is valid only when its seqnum equals {@code i} and its CRC
 * matches.
 *
 * <pre>
 *   0        8     12    16                                                536      544
 *   +--------+-----+-----+--------------------------------------------------+--------+
 *   | seqnum |type | pad | payload union (520 bytes, unused bytes zero)     |  crc   |
 *   +--------+-----+-----+--------------------------------------------------+--------+
 *   |<------------------- CRC-32 of [0, 536), padding included ------------>|
 *
 *   FILE (type 0), famfs_log_file_meta at 16:
 *     16 fm_size u64 | 24 fm_flags u32 | 28 fm_uid u32 | 32 fm_gid u32 | 36 fm_mode u32
 *     40 fm_relpath[80] (NUL-terminated)
 *     120 fmap (416): 120 ext_type u32 | 124 pad | 128 nextents/niext u32 | 132 pad
 *         simple:       136 + 24*i  { devindex u64, offset u64, len u64 }   i &lt; 16
 *         interleaved:  136 nstrips u64 | 144 chunk_size u64 | 152 + 24*j strip { devindex, offset, len }  j &lt; 16
 *
 *   MKDIR (type 1), famfs_log_mkdir at 16:
 *     16 md_uid u32 | 20 md_gid u32 | 24 md_mode u32 | 28 md_relpath[80]
 *
 *   ADD_DAXDEV (type 3), famfs_log_add_daxdev at 16:
 *     16 dd_size u64 | 24 dd_uuid[16] | 40 dd_index u32
 * </pre>
 */
public final class LogEntryDescriptor {
    private LogEntryDescriptor() {}

    public static final int LENGTH = 544;

    public static final int SEQNUM_OFFSET = 0;
    public static final int TYPE_OFFSET = 8;
    public static final int PAYLOAD_OFFSET = 16;
    public static final int CRC_OFFSET = 536;
    public static final int CRC_COVERED = CRC_OFFSET;

    public static final int TYPE_FILE = 0;
    public static final int TYPE_MKDIR = 1;
    /** Defined by famfs, never written or handled. */
    public static final int TYPE_DELETE = 2;

    public static final int TYPE_ADD_DAXDEV = 3;

    // FILE
    public static final int FILE_SIZE_OFFSET = 16;
    public static final int FILE_FLAGS_OFFSET = 24;
    public static final int FILE_UID_OFFSET = 28;
    public static final int FILE_GID_OFFSET = 32;
    public static final int FILE_MODE_OFFSET = 36;
    public static final int FILE_RELPATH_OFFSET = 40;
    public static final int FMAP_OFFSET = 120;
    public static final int FMAP_EXT_TYPE_OFFSET = FMAP_OFFSET;
    public static final int FMAP_NEXTENTS_OFFSET = FMAP_OFFSET + 8;
    public static final int FMAP_EXTENTS_OFFSET = FMAP_OFFSET + 16;
    public static final int IEXT_NSTRIPS_OFFSET = FMAP_EXTENTS_OFFSET;
    public static final int IEXT_CHUNK_SIZE_OFFSET = FMAP_EXTENTS_OFFSET + 8;
    public static final int IEXT_STRIPS_OFFSET = FMAP_EXTENTS_OFFSET + 16;

    public static final int EXT_SIMPLE = 0;
    public static final int EXT_INTERLEAVE = 1;

    /** {@code famfs_simple_extent}: devindex, offset, length, each u64. */
    public static final int EXTENT_LENGTH = 24;

    public static final int EXTENT_DEVINDEX = 0;
    public static final int EXTENT_OFFSET = 8;
    public static final int EXTENT_LEN = 16;

    // MKDIR
    public static final int MKDIR_UID_OFFSET = 16;
    public static final int MKDIR_GID_OFFSET = 20;
    public static final int MKDIR_MODE_OFFSET = 24;
    public static final int MKDIR_RELPATH_OFFSET = 28;

    // ADD_DAXDEV
    public static final int DAXDEV_SIZE_OFFSET = 16;
    public static final int DAXDEV_UUID_OFFSET = 24;
    public static final int DAXDEV_INDEX_OFFSET = 40;
}
