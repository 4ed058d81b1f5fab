package io.famfs.meta.format;

/**
 * Byte layout of {@code struct famfs_superblock} (200 bytes at device offset 0; famfs-format.md 1.2).
 *
 * <pre>
 *   0                               8                              16
 *   +-------------------------------+-------------------------------+
 *   | ts_magic        0x87b282ff    | ts_version      48            | 0x00 -.
 *   | ts_log_offset   0x200000      | ts_log_len                    | 0x10  |
 *   | ts_alloc_unit   0x200000      | omf_major u32 | omf_minor u32 | 0x20  | CRC-32 of
 *   | ts_uuid (16 bytes, RFC-4122 byte order)                       | 0x30  | [0, 0x60)
 *   | ts_dev_uuid                                                   | 0x40  |
 *   | ts_system_uuid (the owner host)                               | 0x50 -'
 *   | ts_crc (u64, high 32 bits 0)  | sb_flags u32  | padding u32   | 0x60
 *   | dd_size (u64)                 | dd_uuid ...                   | 0x70
 *   | ... dd_uuid                   | dd_daxdev[64] (NUL-padded)... | 0x80
 *   | ...                                                           | 0xc8 = 200
 *   +---------------------------------------------------------------+
 * </pre>
 *
 * The CRC covers neither the flags nor the embedded daxdev (size, uuid, name).
 */
public final class SuperblockDescriptor {
    private SuperblockDescriptor() {}

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int LOG_OFFSET_OFFSET = 16;
    public static final int LOG_LEN_OFFSET = 24;
    public static final int ALLOC_UNIT_OFFSET = 32;
    public static final int OMF_MAJOR_OFFSET = 40;
    public static final int OMF_MINOR_OFFSET = 44;
    public static final int FS_UUID_OFFSET = 48;
    public static final int DEV_UUID_OFFSET = 64;
    public static final int SYSTEM_UUID_OFFSET = 80;
    public static final int CRC_OFFSET = 96;
    public static final int FLAGS_OFFSET = 104;
    public static final int DAXDEV_SIZE_OFFSET = 112;
    public static final int DAXDEV_UUID_OFFSET = 120;
    public static final int DAXDEV_NAME_OFFSET = 136;

    /** Bytes covered by the CRC: [0, CRC_OFFSET). */
    public static final int CRC_COVERED = CRC_OFFSET;

    public static final int LENGTH = 200;
}
