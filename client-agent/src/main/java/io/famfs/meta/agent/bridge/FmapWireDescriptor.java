package io.famfs.meta.agent.bridge;

/**
 * Byte layouts and limits of the V9 famfs FUSE replies (famfs-format.md section 10): the {@code FUSE_GET_FMAP} reply
 * and the {@code FUSE_GET_DAXDEV} record. Little-endian; every reserved field is zero.
 *
 * <p>A GET_FMAP reply is a header followed by {@code nextents} records: simple extents, or interleaved extents each
 * followed by its {@code ie_nstrips} strips (simple-extent records). It must fit in one page ({@link #REPLY_MAX}); the
 * kernel's declared ceiling {@code FAMFS_FMAP_MAX} (32768) is not what it allocates.
 *
 * <pre>
 * fuse_famfs_fmap_header, 32 bytes
 *   0       1       2               4                               8
 *   +-------+-------+---------------+-------------------------------+
 *   | ftype | rsvd  | fmap_version  | ext_type (u32)                | 0x00
 *   +-------+-------+---------------+-------------------------------+
 *   | nextents (u32)                | reserved0 (u32)               | 0x08
 *   +-------------------------------+-------------------------------+
 *   | file_size (u64)                                               | 0x10
 *   +---------------------------------------------------------------+
 *   | reserved1 (u64)                                               | 0x18
 *   +---------------------------------------------------------------+ 0x20
 *
 * fuse_famfs_simple_ext, 24 bytes (also each strip of an interleaved extent)
 *   +-------------------------------+-------------------------------+
 *   | se_devindex (u32)             | reserved (u32)                | 0x00
 *   +-------------------------------+-------------------------------+
 *   | se_offset (u64): byte offset on the dax device                | 0x08
 *   +---------------------------------------------------------------+
 *   | se_len (u64)                                                  | 0x10
 *   +---------------------------------------------------------------+ 0x18
 *
 * fuse_famfs_iext, 24 bytes, followed by ie_nstrips fuse_famfs_simple_ext
 *   +-------------------------------+-------------------------------+
 *   | ie_nstrips (u32)              | ie_chunk_size (u32)           | 0x00
 *   +-------------------------------+-------------------------------+
 *   | ie_nbytes (u64): the file size                                | 0x08
 *   +---------------------------------------------------------------+
 *   | reserved (u64)                                                | 0x10
 *   +---------------------------------------------------------------+ 0x18
 *
 * fuse_daxdev_out, 280 bytes
 *   +---------------+---------------+-------------------------------+
 *   | index (u16)   | reserved      | reserved2 (u32)               | 0x00
 *   +---------------+---------------+-------------------------------+
 *   | reserved3 (u64)                                               | 0x08
 *   | reserved4 (u64)                                               | 0x10
 *   +---------------------------------------------------------------+
 *   | name[256]: the dax device path, NUL-terminated, zero-filled   | 0x18
 *   +---------------------------------------------------------------+ 0x118
 * </pre>
 */
public final class FmapWireDescriptor {
    private FmapWireDescriptor() {}

    public static final int FMAP_VERSION = 1;

    public static final int EXT_SIMPLE = 0;
    public static final int EXT_INTERLEAVE = 1;

    public static final int FILE_REG = 0;
    public static final int FILE_SUPERBLOCK = 1;
    public static final int FILE_LOG = 2;

    /** Simple extents, or interleaved extents, in one reply. */
    public static final int MAX_EXTENTS = 32;
    /** Strips of one interleaved extent. */
    public static final int MAX_STRIPS = 32;
    /** The kernel allocates one page for the reply. */
    public static final int REPLY_MAX = 4096;
    /** Offsets, lengths and chunk sizes must be multiples of the PMD page. */
    public static final long PMD_SIZE = 2L << 20;
    /** ie_chunk_size is a u32. */
    public static final long CHUNK_SIZE_LIMIT = 1L << 32;

    public static final int HEADER_FILE_TYPE_OFFSET = 0;
    public static final int HEADER_RESERVED_OFFSET = 1;
    public static final int HEADER_FMAP_VERSION_OFFSET = 2;
    public static final int HEADER_EXT_TYPE_OFFSET = 4;
    public static final int HEADER_NEXTENTS_OFFSET = 8;
    public static final int HEADER_RESERVED0_OFFSET = 12;
    public static final int HEADER_FILE_SIZE_OFFSET = 16;
    public static final int HEADER_RESERVED1_OFFSET = 24;
    public static final int HEADER_LENGTH = 32;

    public static final int SE_DEVINDEX_OFFSET = 0;
    public static final int SE_RESERVED_OFFSET = 4;
    public static final int SE_OFFSET_OFFSET = 8;
    public static final int SE_LEN_OFFSET = 16;
    public static final int SIMPLE_EXT_LENGTH = 24;

    public static final int IE_NSTRIPS_OFFSET = 0;
    public static final int IE_CHUNK_SIZE_OFFSET = 4;
    public static final int IE_NBYTES_OFFSET = 8;
    public static final int IE_RESERVED_OFFSET = 16;
    public static final int IEXT_LENGTH = 24;

    public static final int DAXDEV_INDEX_OFFSET = 0;
    public static final int DAXDEV_RESERVED_OFFSET = 2;
    public static final int DAXDEV_RESERVED2_OFFSET = 4;
    public static final int DAXDEV_RESERVED3_OFFSET = 8;
    public static final int DAXDEV_RESERVED4_OFFSET = 16;
    public static final int DAXDEV_NAME_OFFSET = 24;
    /** Bytes of the name field, including the NUL. */
    public static final int DAXDEV_NAME_MAX = 256;

    public static final int DAXDEV_OUT_LENGTH = 280;
    /** index is a u16. */
    public static final int DAXDEV_INDEX_MAX = 0xffff;

    /** Length of a simple reply of {@code nextents} extents. */
    public static int simpleReplyLength(int nextents) {
        return HEADER_LENGTH + nextents * SIMPLE_EXT_LENGTH;
    }

    /** Length of one interleaved extent record with its {@code nstrips} strips. */
    public static int iextRecordLength(int nstrips) {
        return IEXT_LENGTH + nstrips * SIMPLE_EXT_LENGTH;
    }
}
