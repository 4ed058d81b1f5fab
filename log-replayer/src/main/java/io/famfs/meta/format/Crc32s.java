package io.famfs.meta.format;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32;

/**
 * The one CRC famfs uses: zlib's crc32 (the standard reflected CRC-32), stored as a little-endian u64 whose high 32
 * bits are zero.
 */
public final class Crc32s {
    private Crc32s() {}

    public static long of(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    public static long of(MemorySegment segment, long offset, long length) {
        CRC32 crc = new CRC32();
        crc.update(segment.asSlice(offset, length).asByteBuffer());
        return crc.getValue();
    }
}
