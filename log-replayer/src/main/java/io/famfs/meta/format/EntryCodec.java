package io.famfs.meta.format;

import static io.famfs.meta.format.LogEntryDescriptor.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the 544-byte log entries, and is the one home of entry validation: seqnum == index, then the
 * CRC, then the shape of the file map ({@link #check}). Replay reads the fields of a checked copy straight from its
 * bytes ({@link #u64}, {@link #u32}); tools decode it into {@link LogEntry} records ({@link #decode}).
 */
public final class EntryCodec {
    private EntryCodec() {}

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** The little-endian u64 at {@code offset} of an entry copy. */
    public static long u64(byte[] entry, int offset) {
        return (long) LONGS.get(entry, offset);
    }

    /** The little-endian u32 at {@code offset} of an entry copy. */
    public static int u32(byte[] entry, int offset) {
        return (int) INTS.get(entry, offset);
    }

    /**
     * Writes {@code entry} with {@code seqnum} into the 544 bytes at {@code offset}: every byte is zeroed first, so
     * padding and unused union bytes are zero, then the CRC of [0, 536) is stored.
     */
    public static void encode(LogEntry entry, long seqnum, MemorySegment dst, long offset) {
        MemorySegment s = dst.asSlice(offset, LENGTH);
        s.fill((byte) 0);
        s.set(Le.U64, SEQNUM_OFFSET, seqnum);
        s.set(Le.U32, TYPE_OFFSET, entry.type());
        switch (entry) {
            case FileEntry f -> encodeFile(f, s);
            case MkdirEntry m -> {
                s.set(Le.U32, MKDIR_UID_OFFSET, m.uid());
                s.set(Le.U32, MKDIR_GID_OFFSET, m.gid());
                s.set(Le.U32, MKDIR_MODE_OFFSET, m.mode());
                putRelpath(s, MKDIR_RELPATH_OFFSET, m.relpath());
            }
            case AddDaxdevEntry d -> {
                s.set(Le.U64, DAXDEV_SIZE_OFFSET, d.devSize());
                Uuids.put(s, DAXDEV_UUID_OFFSET, d.uuid());
                s.set(Le.U32, DAXDEV_INDEX_OFFSET, d.devIndex());
            }
            case UnknownEntry u -> {
                // type only; the payload stays zero
            }
        }
        s.set(Le.U64, CRC_OFFSET, Crc32s.of(s, 0, CRC_COVERED));
    }

    /** The encoded bytes of {@code entry} with {@code seqnum}. */
    public static byte[] encode(LogEntry entry, long seqnum) {
        byte[] bytes = new byte[LENGTH];
        encode(entry, seqnum, MemorySegment.ofArray(bytes), 0);
        return bytes;
    }

    private static void encodeFile(FileEntry f, MemorySegment s) {
        s.set(Le.U64, FILE_SIZE_OFFSET, f.size());
        s.set(Le.U32, FILE_FLAGS_OFFSET, f.flags());
        s.set(Le.U32, FILE_UID_OFFSET, f.uid());
        s.set(Le.U32, FILE_GID_OFFSET, f.gid());
        s.set(Le.U32, FILE_MODE_OFFSET, f.mode());
        putRelpath(s, FILE_RELPATH_OFFSET, f.relpath());
        switch (f.fmap()) {
            case SimpleFmap simple -> {
                s.set(Le.U32, FMAP_EXT_TYPE_OFFSET, EXT_SIMPLE);
                s.set(Le.U32, FMAP_NEXTENTS_OFFSET, simple.count());
                putExtents(s, FMAP_EXTENTS_OFFSET, simple.extents());
            }
            case InterleavedFmap interleaved -> {
                s.set(Le.U32, FMAP_EXT_TYPE_OFFSET, EXT_INTERLEAVE);
                s.set(Le.U32, FMAP_NEXTENTS_OFFSET, interleaved.count());
                if (interleaved.count() == 1) {
                    InterleavedExtent ie = interleaved.extents().getFirst();
                    s.set(Le.U64, IEXT_NSTRIPS_OFFSET, ie.nstrips());
                    s.set(Le.U64, IEXT_CHUNK_SIZE_OFFSET, ie.chunkSize());
                    putExtents(s, IEXT_STRIPS_OFFSET, ie.strips());
                }
            }
        }
    }

    private static void putRelpath(MemorySegment s, int offset, String relpath) {
        byte[] bytes = relpath.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Famfs.MAX_RELPATH_BYTES) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "relpath longer than 79 bytes: " + relpath);
        }
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, offset, bytes.length);
    }

    private static void putExtents(MemorySegment s, int offset, List<Extent> extents) {
        for (int i = 0; i < extents.size(); i++) {
            Extent e = extents.get(i);
            int at = offset + i * EXTENT_LENGTH;
            s.set(Le.U64, at + EXTENT_DEVINDEX, e.devIndex());
            s.set(Le.U64, at + EXTENT_OFFSET, e.offset());
            s.set(Le.U64, at + EXTENT_LEN, e.length());
        }
    }

    /**
     * Validates a copy of entry {@code index}, in order: the seqnum must equal the index; the stored u64 CRC must equal
     * the CRC-32 of [0, 536); a FILE entry's map must have a shape famfs can write (extent type 0 or 1, at most 16
     * simple extents, at most one interleaved extent of at most 16 strips). Returns null when valid.
     */
    public static FormatError check(byte[] entry, long index) {
        if (u64(entry, SEQNUM_OFFSET) != index) {
            return FormatError.ENTRY_SEQNUM_MISMATCH;
        }
        if (u64(entry, CRC_OFFSET) != Crc32s.of(entry, 0, CRC_COVERED)) {
            return FormatError.ENTRY_CRC_MISMATCH;
        }
        return fmapProblem(entry) == null ? null : FormatError.ENTRY_MALFORMED;
    }

    /** Human detail for a failed {@link #check}. */
    public static String checkDetail(byte[] entry, long index, FormatError error) {
        return switch (error) {
            case ENTRY_SEQNUM_MISMATCH -> "seqnum " + Long.toUnsignedString(u64(entry, SEQNUM_OFFSET));
            case ENTRY_CRC_MISMATCH ->
                String.format("stored 0x%x, computed 0x%x", u64(entry, CRC_OFFSET), Crc32s.of(entry, 0, CRC_COVERED));
            case ENTRY_MALFORMED -> fmapProblem(entry);
            default -> "";
        };
    }

    /** Why a FILE entry's map cannot be decoded, or null (also null for other entry types). */
    private static String fmapProblem(byte[] entry) {
        if (u32(entry, TYPE_OFFSET) != TYPE_FILE) {
            return null;
        }
        int extType = u32(entry, FMAP_EXT_TYPE_OFFSET);
        long count = Integer.toUnsignedLong(u32(entry, FMAP_NEXTENTS_OFFSET));
        if (extType == EXT_SIMPLE) {
            return count > Famfs.MAX_SIMPLE_EXTENTS
                    ? "simple extent count " + count + " > " + Famfs.MAX_SIMPLE_EXTENTS
                    : null;
        }
        if (extType == EXT_INTERLEAVE) {
            if (count > Famfs.MAX_INTERLEAVED_EXTENTS) {
                return "interleaved extent count " + count + " > " + Famfs.MAX_INTERLEAVED_EXTENTS;
            }
            long nstrips = u64(entry, IEXT_NSTRIPS_OFFSET);
            return count == 1 && (nstrips < 0 || nstrips > Famfs.MAX_STRIPS)
                    ? "strip count " + Long.toUnsignedString(nstrips) + " > " + Famfs.MAX_STRIPS
                    : null;
        }
        return "unknown extent type " + Integer.toUnsignedString(extType);
    }

    /**
     * Decodes an entry that passed {@link #check}. An entry whose map has an impossible shape is refused with
     * {@link FormatError#ENTRY_MALFORMED} rather than decoded.
     */
    public static LogEntry decode(byte[] entry, long index) {
        String malformed = fmapProblem(entry);
        if (malformed != null) {
            throw new FormatException(FormatError.ENTRY_MALFORMED, index, malformed);
        }
        MemorySegment s = MemorySegment.ofArray(entry);
        long seqnum = s.get(Le.U64, SEQNUM_OFFSET);
        int type = s.get(Le.U32, TYPE_OFFSET);
        return switch (type) {
            case TYPE_FILE -> decodeFile(entry, s, seqnum);
            case TYPE_MKDIR -> {
                int len = relpathLength(entry, MKDIR_RELPATH_OFFSET);
                yield new MkdirEntry(
                        seqnum,
                        s.get(Le.U32, MKDIR_UID_OFFSET),
                        s.get(Le.U32, MKDIR_GID_OFFSET),
                        s.get(Le.U32, MKDIR_MODE_OFFSET),
                        RelPath.decode(entry, MKDIR_RELPATH_OFFSET, len),
                        RelPath.check(entry, MKDIR_RELPATH_OFFSET, len));
            }
            case TYPE_ADD_DAXDEV ->
                new AddDaxdevEntry(
                        seqnum,
                        s.get(Le.U64, DAXDEV_SIZE_OFFSET),
                        Uuids.get(s, DAXDEV_UUID_OFFSET),
                        s.get(Le.U32, DAXDEV_INDEX_OFFSET));
            default -> new UnknownEntry(seqnum, type);
        };
    }

    private static FileEntry decodeFile(byte[] entry, MemorySegment s, long seqnum) {
        int count = s.get(Le.U32, FMAP_NEXTENTS_OFFSET);
        Fmap fmap;
        if (s.get(Le.U32, FMAP_EXT_TYPE_OFFSET) == EXT_SIMPLE) {
            fmap = new SimpleFmap(extents(s, FMAP_EXTENTS_OFFSET, count));
        } else {
            List<InterleavedExtent> ies = new ArrayList<>(1);
            if (count == 1) {
                int nstrips = (int) s.get(Le.U64, IEXT_NSTRIPS_OFFSET);
                ies.add(new InterleavedExtent(
                        s.get(Le.U64, IEXT_CHUNK_SIZE_OFFSET), extents(s, IEXT_STRIPS_OFFSET, nstrips)));
            }
            fmap = new InterleavedFmap(ies);
        }
        int len = relpathLength(entry, FILE_RELPATH_OFFSET);
        return new FileEntry(
                seqnum,
                s.get(Le.U64, FILE_SIZE_OFFSET),
                s.get(Le.U32, FILE_FLAGS_OFFSET),
                s.get(Le.U32, FILE_UID_OFFSET),
                s.get(Le.U32, FILE_GID_OFFSET),
                s.get(Le.U32, FILE_MODE_OFFSET),
                RelPath.decode(entry, FILE_RELPATH_OFFSET, len),
                RelPath.check(entry, FILE_RELPATH_OFFSET, len),
                fmap);
    }

    private static List<Extent> extents(MemorySegment s, int offset, int count) {
        if (count == 1) {
            return List.of(extent(s, offset));
        }
        Extent[] extents = new Extent[count];
        for (int i = 0; i < count; i++) {
            extents[i] = extent(s, offset + i * EXTENT_LENGTH);
        }
        return List.of(extents);
    }

    private static Extent extent(MemorySegment s, int at) {
        return new Extent(
                s.get(Le.U64, at + EXTENT_DEVINDEX), s.get(Le.U64, at + EXTENT_OFFSET), s.get(Le.U64, at + EXTENT_LEN));
    }

    /** Bytes before the NUL in an 80-byte relpath field; 80 when there is no NUL (too long). */
    public static int relpathLength(byte[] entry, int offset) {
        return RelPath.nulTerminatedLength(entry, offset, Famfs.RELPATH_FIELD);
    }
}
