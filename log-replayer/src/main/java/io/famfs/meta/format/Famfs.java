package io.famfs.meta.format;

/** Constants of the famfs on-media format, version 48 (OMF 2.2); famfs-format.md section 1. */
public final class Famfs {
    private Famfs() {}

    public static final long MiB = 1L << 20;
    public static final long GiB = 1L << 30;

    public static final long SUPER_MAGIC = 0x87b282ffL;
    public static final long LOG_MAGIC = 0x00000badcafef00dL;

    /** The version we write, and read without conditions. */
    public static final long CURRENT_VERSION = 48;
    /** The previous version number; readable only when the current layout checks pass (format doc 1.8). */
    public static final long V47 = 47;

    public static final int OMF_MAJOR = 2;
    public static final int OMF_MINOR = 2;

    /** The superblock region: one PMD page, of which famfs uses the first 200 bytes. */
    public static final long SUPERBLOCK_REGION = 2 * MiB;
    /** The log always starts right after the superblock region. */
    public static final long LOG_OFFSET = 2 * MiB;

    public static final long DEFAULT_LOG_LEN = 8 * MiB;
    public static final long MIN_LOG_LEN = 8 * MiB;

    /** The allocation unit mkfs writes; also the alignment we require of every extent. */
    public static final long ALLOC_UNIT = 2 * MiB;
    /** The other allocation unit famfs accepts in a superblock. */
    public static final long ALLOC_UNIT_4K = 4096;

    /** famfs's mkfs refuses smaller devices, and we refuse to open smaller file systems. */
    public static final long MIN_DEVICE_SIZE = 4 * GiB;

    /** Bytes of a relpath field, including its NUL. */
    public static final int RELPATH_FIELD = 80;
    /** Longest relpath: 79 bytes plus the NUL. */
    public static final int MAX_RELPATH_BYTES = RELPATH_FIELD - 1;

    public static final int MAX_SIMPLE_EXTENTS = 16;
    public static final int MAX_INTERLEAVED_EXTENTS = 1;
    public static final int MAX_STRIPS = 16;

    /** Size of the superblock's daxdev name field; names must be shorter (NUL-terminated). */
    public static final int DAXDEV_NAME_FIELD = 64;

    /** fm_flags value famfs always writes. */
    public static final int FM_ALL_HOSTS_RW = 2;

    /** True for a power of two that is at least {@link #MIN_LOG_LEN}. */
    public static boolean isValidLogLen(long logLen) {
        return logLen >= MIN_LOG_LEN && Long.bitCount(logLen) == 1;
    }

    public static boolean isAuAligned(long value) {
        return (value & (ALLOC_UNIT - 1)) == 0;
    }
}
