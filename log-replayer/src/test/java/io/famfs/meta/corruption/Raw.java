package io.famfs.meta.corruption;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * The test's own view of the on-media layout (famfs-format.md 1.2-1.4): offsets, little-endian fields and the CRC,
 * written here without the code under test so that expectations do not come from what they check.
 */
final class Raw {
    private Raw() {}

    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static final long MiB = 1L << 20;
    static final long GiB = 1L << 30;

    // superblock (device offset 0)
    static final long SB_MAGIC = 0x87b282ffL;
    static final int SB_VERSION = 8;
    static final int SB_LOG_LEN = 24;
    static final int SB_ALLOC_UNIT = 32;
    static final int SB_CRC = 96;
    static final int SB_FLAGS = 104;
    static final int SB_PAD = 108;
    static final int SB_DD_SIZE = 112;
    static final int SB_DD_UUID = 120;
    static final int SB_DD_DAXDEV = 136;
    static final int SB_LENGTH = 200;
    static final long SB_REGION = 2 * MiB;

    // log header (device offset 2 MiB)
    static final long LOG = 2 * MiB;
    static final long LOG_MAGIC = 0x00000badcafef00dL;
    static final int H_LEN = 8;
    static final int H_LAST_INDEX = 16;
    static final int H_CRC = 24;
    static final int H_NEXT_SEQNUM = 32;
    static final int H_NEXT_INDEX = 40;
    static final int HEADER_LENGTH = 48;

    // entries
    static final int ENTRY_LENGTH = 544;
    static final int E_CRC = 536;

    /** Device offset of log entry {@code index}. */
    static long entryOffset(long index) {
        return LOG + HEADER_LENGTH + ENTRY_LENGTH * index;
    }

    static long u64(byte[] bytes, long offset) {
        return MemorySegment.ofArray(bytes).get(U64, offset);
    }

    static long u64(MemorySegment s, long offset) {
        return s.get(U64, offset);
    }

    static void putU64(MemorySegment s, long offset, long value) {
        s.set(U64, offset, value);
    }

    /** zlib crc32 of {@code [offset, offset + length)}. */
    static long crc32(MemorySegment s, long offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(s.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        return crc.getValue();
    }

    static long crc32(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    /** Stores the right superblock CRC for the current bytes [0, 96). */
    static void resealSuperblock(MemorySegment dev) {
        putU64(dev, SB_CRC, crc32(dev, 0, SB_CRC));
    }

    /** Stores the right log header CRC for the current bytes [0, 24) of the header. */
    static void resealHeader(MemorySegment dev) {
        putU64(dev, LOG + H_CRC, crc32(dev, LOG, H_CRC));
    }

    /** Publishes {@code next} as next_seqnum and next_index, as a writer would after its entries. */
    static void publish(MemorySegment dev, long next) {
        putU64(dev, LOG + H_NEXT_SEQNUM, next);
        putU64(dev, LOG + H_NEXT_INDEX, next);
    }

    static int ucmp(long a, long b) {
        return Long.compareUnsigned(a, b);
    }
}
