package io.famfs.meta.agent.bridge;

import static io.famfs.meta.agent.bridge.FmapWireDescriptor.*;

import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Fmap;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.Le;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.replay.FileNode;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one place that turns a file of the replayed view into the bytes a V9 famfs kernel accepts as a {@code
 * FUSE_GET_FMAP} reply, and a daxdev into its {@code FUSE_GET_DAXDEV} record ({@link FmapWireDescriptor};
 * famfs-format.md section 10).
 *
 * <p>It sends file_type 0 (regular), fmap_version 1, every reserved byte zero, each devindex as a u32 at bytes 0-3 of
 * its record (not bytes 2-3 as the older daemon did for strips, section 5.4) and, as famfs's daemon does, ie_nbytes =
 * the file size. A map is refused ({@link FmapRefusedException}; no bytes) when the V9 kernel would reject it, and
 * also when the kernel would accept it but map file bytes outside the extents given:
 *
 * <ul>
 *   <li>more than 32 extents or strips, or a reply over one page: E2BIG; no extents or no strips: EINVAL;
 *   <li>an extent or strip not on daxdev 0, not 2 MiB aligned, or reaching 2^63 (the kernel's offsets are signed):
 *       EINVAL;
 *   <li>a chunk size of 0 (the kernel checks only its alignment, then divides by it), not 2 MiB aligned, or that does
 *       not fit ie_chunk_size's u32: EINVAL;
 *   <li>extents or strips that sum to less than the file size: EINVAL;
 *   <li>a file size of 0: EINVAL. famfs refuses to create empty files (section 2.4) and the log decoder refuses them,
 *       and an interleaved map of one would carry ie_nbytes 0, which V9 rejects; a simple one would be accepted, but
 *       one rule for both kinds is simpler and loses nothing;
 *   <li>strips of unequal length where a strip is shorter than the part of the file the kernel's chunk arithmetic puts
 *       in it. V9 checks only the sum of the strips, so it would map those bytes past the strip's end. Unequal strips
 *       that each hold their part are sent as they are;
 *   <li>more than one interleaved extent: EINVAL. With ie_nbytes = the file size the kernel resolves every offset
 *       through the first, so the others could not be used (the on-media format holds only one anyway).
 * </ul>
 *
 * Overlaps between extents are replay's to find: {@link #encode(FileNode)} refuses a file that replay flagged.
 */
public final class FmapWire {
    private FmapWire() {}

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * The GET_FMAP reply for {@code file}. A file replay flagged (misaligned, out of the data area, overlapping, short
     * map) is refused with EIO: its metadata is bad, the caller's request is not.
     */
    public static byte[] encode(FileNode file) throws FmapRefusedException {
        if (file.flagged()) {
            throw new FmapRefusedException(
                    Errno.EIO, file.path() + ": replay flagged its map (" + file.flagDetail() + ")");
        }
        return encode(file.size(), file.fmap());
    }

    /** The GET_FMAP reply for a file of {@code fileSize} bytes mapped by {@code fmap}. */
    public static byte[] encode(long fileSize, Fmap fmap) throws FmapRefusedException {
        return switch (fmap) {
            case SimpleFmap simple -> encodeSimple(fileSize, simple.extents());
            case InterleavedFmap interleaved -> encodeInterleaved(fileSize, interleaved.extents());
        };
    }

    /** A simple map; takes a list so that the V9 limits can be tested beyond the log format's 16 extents. */
    static byte[] encodeSimple(long fileSize, List<Extent> extents) throws FmapRefusedException {
        requireFileSize(fileSize);
        requireCount(extents.size(), "simple extents");
        long covered = 0;
        for (int i = 0; i < extents.size(); i++) {
            Extent e = extents.get(i);
            requireExtent("extent " + i, e);
            covered = addUpTo(covered, e.length(), fileSize);
        }
        if (covered < fileSize) {
            throw einval("the extents cover " + covered + " bytes, less than the file size " + fileSize);
        }
        // 32 extents take 800 bytes: a simple reply always fits in a page.
        byte[] reply = new byte[simpleReplyLength(extents.size())];
        MemorySegment s = MemorySegment.ofArray(reply);
        putHeader(s, EXT_SIMPLE, extents.size(), fileSize);
        for (int i = 0; i < extents.size(); i++) {
            putExtent(s, HEADER_LENGTH + (long) i * SIMPLE_EXT_LENGTH, extents.get(i));
        }
        return reply;
    }

    /** An interleaved map; takes a list so that the V9 limits can be tested beyond the log format's one extent. */
    static byte[] encodeInterleaved(long fileSize, List<InterleavedExtent> iexts) throws FmapRefusedException {
        requireFileSize(fileSize);
        requireCount(iexts.size(), "interleaved extents");
        int length = HEADER_LENGTH;
        for (int i = 0; i < iexts.size(); i++) {
            int nstrips = iexts.get(i).nstrips();
            if (nstrips < 1) {
                throw einval("interleaved extent " + i + " has no strips");
            }
            if (nstrips > MAX_STRIPS) { // unreachable while InterleavedExtent holds at most 16: the kernel's limit
                throw new FmapRefusedException(
                        Errno.E2BIG,
                        "interleaved extent " + i + " has " + nstrips + " strips; V9 accepts at most " + MAX_STRIPS);
            }
            length += iextRecordLength(nstrips);
        }
        if (length > REPLY_MAX) {
            throw new FmapRefusedException(
                    Errno.E2BIG, "the reply takes " + length + " bytes; the kernel's buffer is " + REPLY_MAX);
        }
        if (iexts.size() > 1) {
            throw einval(iexts.size() + " interleaved extents: with ie_nbytes = the file size the kernel maps every"
                    + " offset through the first, so the others cannot be represented");
        }
        InterleavedExtent ie = iexts.getFirst();
        requireChunkSize(ie.chunkSize());
        List<Extent> strips = ie.strips();
        long covered = 0;
        for (int j = 0; j < strips.size(); j++) {
            requireExtent("strip " + j, strips.get(j));
            covered = addUpTo(covered, strips.get(j).length(), fileSize);
        }
        if (covered < fileSize) {
            throw einval("the strips cover " + covered + " bytes, less than the file size " + fileSize);
        }
        for (int j = 0; j < strips.size(); j++) {
            long needed = bytesInStrip(fileSize, ie.chunkSize(), strips.size(), j);
            if (strips.get(j).length() < needed) {
                throw einval("strip " + j + " holds " + strips.get(j).length() + " bytes but the chunk layout puts "
                        + needed + " bytes of the file in it");
            }
        }

        byte[] reply = new byte[length];
        MemorySegment s = MemorySegment.ofArray(reply);
        putHeader(s, EXT_INTERLEAVE, 1, fileSize);
        s.set(Le.U32, HEADER_LENGTH + IE_NSTRIPS_OFFSET, strips.size());
        s.set(Le.U32, HEADER_LENGTH + IE_CHUNK_SIZE_OFFSET, (int) ie.chunkSize());
        s.set(Le.U64, HEADER_LENGTH + IE_NBYTES_OFFSET, fileSize);
        for (int j = 0; j < strips.size(); j++) {
            putExtent(s, HEADER_LENGTH + IEXT_LENGTH + (long) j * SIMPLE_EXT_LENGTH, strips.get(j));
        }
        return reply;
    }

    /**
     * The GET_DAXDEV record: {@code index} (0..65535) and {@code devicePath}, the host's dax character device, as
     * NUL-terminated UTF-8 of at most 255 bytes (ENAMETOOLONG beyond). An empty path, one holding a NUL, or one that
     * is not valid Unicode is refused with EINVAL.
     */
    public static byte[] encodeDaxdev(int index, String devicePath) throws FmapRefusedException {
        if (index < 0 || index > DAXDEV_INDEX_MAX) {
            throw einval("daxdev index " + index + " is outside 0.." + DAXDEV_INDEX_MAX);
        }
        byte[] name;
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(devicePath));
            name = new byte[encoded.remaining()];
            encoded.get(name);
        } catch (CharacterCodingException e) {
            throw einval("daxdev path is not valid Unicode: " + devicePath);
        }
        if (name.length == 0) {
            throw einval("daxdev path is empty");
        }
        for (byte b : name) {
            if (b == 0) {
                throw einval("daxdev path holds a NUL byte");
            }
        }
        if (name.length >= DAXDEV_NAME_MAX) {
            throw new FmapRefusedException(
                    Errno.ENAMETOOLONG,
                    "daxdev path is " + name.length + " bytes of UTF-8; with its NUL it must fit in "
                            + DAXDEV_NAME_MAX);
        }
        byte[] record = new byte[DAXDEV_OUT_LENGTH];
        MemorySegment.ofArray(record).set(U16, DAXDEV_INDEX_OFFSET, (short) index);
        System.arraycopy(name, 0, record, DAXDEV_NAME_OFFSET, name.length);
        return record;
    }

    /**
     * Bytes of a file of {@code fileSize} that the kernel's chunk arithmetic places in strip {@code strip} of
     * {@code nstrips}: up to the end of that strip's last chunk within the file.
     */
    private static long bytesInStrip(long fileSize, long chunkSize, int nstrips, int strip) {
        long lastChunk = (fileSize - 1) / chunkSize;
        if (strip > lastChunk) {
            return 0;
        }
        long chunk = strip + (lastChunk - strip) / nstrips * nstrips;
        return chunk / nstrips * chunkSize + Math.min(chunkSize, fileSize - chunk * chunkSize);
    }

    private static void putHeader(MemorySegment s, int extType, int nextents, long fileSize) {
        s.set(ValueLayout.JAVA_BYTE, HEADER_FILE_TYPE_OFFSET, (byte) FILE_REG);
        s.set(U16, HEADER_FMAP_VERSION_OFFSET, (short) FMAP_VERSION);
        s.set(Le.U32, HEADER_EXT_TYPE_OFFSET, extType);
        s.set(Le.U32, HEADER_NEXTENTS_OFFSET, nextents);
        s.set(Le.U64, HEADER_FILE_SIZE_OFFSET, fileSize);
    }

    private static void putExtent(MemorySegment s, long at, Extent e) {
        s.set(Le.U32, at + SE_DEVINDEX_OFFSET, (int) e.devIndex());
        s.set(Le.U64, at + SE_OFFSET_OFFSET, e.offset());
        s.set(Le.U64, at + SE_LEN_OFFSET, e.length());
    }

    private static void requireFileSize(long fileSize) throws FmapRefusedException {
        if (fileSize <= 0) {
            throw einval("file size " + Long.toUnsignedString(fileSize) + ": famfs files hold at least one byte");
        }
    }

    private static void requireCount(int count, String what) throws FmapRefusedException {
        if (count < 1) {
            throw einval("no " + what);
        }
        if (count > MAX_EXTENTS) {
            throw new FmapRefusedException(Errno.E2BIG, count + " " + what + "; V9 accepts at most " + MAX_EXTENTS);
        }
    }

    private static void requireExtent(String what, Extent e) throws FmapRefusedException {
        if (e.devIndex() != 0) {
            throw einval(what + " is on daxdev " + Long.toUnsignedString(e.devIndex()) + "; V9 accepts only daxdev 0");
        }
        if (e.offset() < 0 || e.length() < 0 || e.offset() > Long.MAX_VALUE - e.length()) {
            throw einval(what + " at 0x" + Long.toHexString(e.offset()) + " of 0x" + Long.toHexString(e.length())
                    + " bytes reaches 2^63");
        }
        if (e.offset() % PMD_SIZE != 0) {
            throw einval(what + " offset 0x" + Long.toHexString(e.offset()) + " is not 2 MiB aligned");
        }
        if (e.length() % PMD_SIZE != 0) {
            throw einval(what + " length 0x" + Long.toHexString(e.length()) + " is not 2 MiB aligned");
        }
    }

    private static void requireChunkSize(long chunkSize) throws FmapRefusedException {
        if (chunkSize == 0) {
            throw einval("chunk size 0");
        }
        if (chunkSize < 0 || chunkSize >= CHUNK_SIZE_LIMIT) {
            throw einval("chunk size 0x" + Long.toHexString(chunkSize) + " does not fit ie_chunk_size (u32)");
        }
        if (chunkSize % PMD_SIZE != 0) {
            throw einval("chunk size 0x" + Long.toHexString(chunkSize) + " is not 2 MiB aligned");
        }
    }

    /** {@code sum + add}, capped at {@code cap} (both non-negative, so the sum never overflows). */
    private static long addUpTo(long sum, long add, long cap) {
        return add >= cap - sum ? cap : sum + add;
    }

    private static FmapRefusedException einval(String reason) {
        return new FmapRefusedException(Errno.EINVAL, reason);
    }
}
