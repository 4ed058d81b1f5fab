package io.famfs.meta.bench.agent;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * GET_FMAP replies built by the tests from famfs-format.md section 10: a 32-byte {@code fuse_famfs_fmap_header}
 * (file_type u8 @0, fmap_version u16 @2, ext_type u32 @4, nextents u32 @8, file_size u64 @16) and {@code nextents}
 * 24-byte simple extents (devindex u32 @0, offset u64 @8, length u64 @16), each one 2 MiB unit.
 */
final class V9Header {
    private V9Header() {}

    static byte[] reply(int fileType, int nextents, long fileSize) {
        ByteBuffer b = ByteBuffer.allocate(32 + 24 * nextents).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) fileType);
        b.putShort(2, (short) 1);
        b.putInt(4, 0);
        b.putInt(8, nextents);
        b.putLong(16, fileSize);
        for (int k = 0; k < nextents; k++) {
            int at = 32 + 24 * k;
            b.putInt(at, 0);
            b.putLong(at + 8, (10L + k) << 21);
            b.putLong(at + 16, 1L << 21);
        }
        return b.array();
    }
}
