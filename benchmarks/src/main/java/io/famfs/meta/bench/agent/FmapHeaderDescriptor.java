package io.famfs.meta.bench.agent;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The header of a V9 GET_FMAP reply ({@code fuse_famfs_fmap_header}, famfs-format.md section 10), read here from the
 * format document, not with the agent's encoder, to check what an agent served. Little-endian.
 *
 * <pre>
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
 * </pre>
 */
final class FmapHeaderDescriptor {
    static final int FILE_TYPE_OFFSET = 0;
    static final int NEXTENTS_OFFSET = 8;
    static final int FILE_SIZE_OFFSET = 16;
    static final int LENGTH = 32;

    /** {@code FUSE_FAMFS_FILE_REG}. */
    static final int FILE_TYPE_REG = 0;

    private FmapHeaderDescriptor() {}

    /** Null when {@code reply} maps a regular file of {@code size} bytes with some extent, else what is wrong. */
    static String check(byte[] reply, long size) {
        if (reply.length < LENGTH) {
            return "a GET_FMAP reply of " + reply.length + " bytes, shorter than its " + LENGTH + "-byte header";
        }
        ByteBuffer b = ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN);
        int type = Byte.toUnsignedInt(b.get(FILE_TYPE_OFFSET));
        long extents = Integer.toUnsignedLong(b.getInt(NEXTENTS_OFFSET));
        long fileSize = b.getLong(FILE_SIZE_OFFSET);
        if (type != FILE_TYPE_REG || extents < 1 || fileSize != size) {
            return "a GET_FMAP header of file type " + type + ", " + extents + " extents, file size " + fileSize
                    + "; expected a regular file (type 0) of " + size + " bytes with extents";
        }
        return null;
    }
}
