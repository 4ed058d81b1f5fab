package io.famfs.meta.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * The tests' own access to the bytes of a device file: reads and patches little-endian fields at the documented
 * offsets (famfs-format.md 1.2-1.4) through a plain FileChannel, and computes CRCs with java.util.zip.CRC32. Never
 * goes through the code under test.
 */
public final class RawBytes {
    private RawBytes() {}

    /** Device offset of the log header. */
    public static final long LOG = 2L << 20;

    public static final int SB_VERSION = 8;
    public static final int SB_ALLOC_UNIT = 32;
    public static final int SB_OMF_MAJOR = 40;
    public static final int SB_CRC = 96;
    public static final int HDR_LAST_INDEX = 16;
    public static final int HDR_CRC = 24;
    public static final int HDR_NEXT_INDEX = 40;
    public static final int ENTRY_LENGTH = 544;
    public static final int ENTRY_CRC = 536;

    /** Device offset of log entry {@code index}. */
    public static long entry(long index) {
        return LOG + 48 + ENTRY_LENGTH * index;
    }

    public static byte[] read(Path file, long offset, int length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    break; // past the end of the file: the rest stays zero
                }
            }
            return buf.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, long offset, byte[] bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf, offset + buf.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long le64(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(off);
    }

    public static int le32(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(off);
    }

    public static long le64(Path file, long offset) {
        return le64(read(file, offset, 8), 0);
    }

    public static void putLe64(Path file, long offset, long value) {
        write(
                file,
                offset,
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(value)
                        .array());
    }

    public static void putLe32(Path file, long offset, int value) {
        write(
                file,
                offset,
                ByteBuffer.allocate(4)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(value)
                        .array());
    }

    /** Flips every bit of the byte at {@code offset}. */
    public static void flipByte(Path file, long offset) {
        byte[] b = read(file, offset, 1);
        b[0] = (byte) ~b[0];
        write(file, offset, b);
    }

    public static long crc32(byte[] b, int from, int to) {
        CRC32 crc = new CRC32();
        crc.update(b, from, to - from);
        return crc.getValue();
    }

    /** Stores CRC-32 of superblock bytes [0, 96) at offset 96. */
    public static void fixSuperblockCrc(Path file) {
        putLe64(file, SB_CRC, crc32(read(file, 0, 96), 0, 96));
    }

    /** Stores CRC-32 of log header bytes [0, 24) at header offset 24. */
    public static void fixHeaderCrc(Path file) {
        putLe64(file, LOG + HDR_CRC, crc32(read(file, LOG, 24), 0, 24));
    }

    /** A UUID field: 16 bytes in RFC-4122 (big-endian) order. */
    public static UUID uuid(byte[] b, int off) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        return new UUID(buf.getLong(off), buf.getLong(off + 8));
    }

    /** The 16 bytes of {@code uuid} in RFC-4122 order. */
    public static byte[] bytes(UUID uuid) {
        return ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
    }
}
