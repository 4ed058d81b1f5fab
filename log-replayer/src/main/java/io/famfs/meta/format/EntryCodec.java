package io.famfs.meta.format;

import static io.famfs.meta.format.LogEntryDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Encodes and decodes the 544-byte log entries. One home of entry validation (seqnum, then CRC). */
public final class EntryCodec {
    private EntryCodec() {}

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
            throw new IllegalArgumentException("relpath longer than 79 bytes: " + relpath);
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
     * Validates a copy of entry {@code index}: the seqnum must equal the index, then the stored u64 CRC must equal the
     * CRC-32 of [0, 536). Returns null when valid.
     */
    public static FormatError check(byte[] entry, long index) {
        MemorySegment s = MemorySegment.ofArray(entry);
        if (s.get(Le.U64, SEQNUM_OFFSET) != index) {
            return FormatError.ENTRY_SEQNUM_MISMATCH;
        }
        if (s.get(Le.U64, CRC_OFFSET) != Crc32s.of(entry, 0, CRC_COVERED)) {
            return FormatError.ENTRY_CRC_MISMATCH;
        }
        return null;
    }

    /** Human detail for a failed {@link #check}. */
    public static String checkDetail(byte[] entry, long index, FormatError error) {
        MemorySegment s = MemorySegment.ofArray(entry);
        return switch (error) {
            case ENTRY_SEQNUM_MISMATCH -> "seqnum " + Long.toUnsignedString(s.get(Le.U64, SEQNUM_OFFSET));
            case ENTRY_CRC_MISMATCH ->
                String.format(
                        "stored 0x%x, computed 0x%x", s.get(Le.U64, CRC_OFFSET), Crc32s.of(entry, 0, CRC_COVERED));
            default -> "";
        };
    }

    /**
     * Decodes a valid (checked) entry. Throws {@link FormatError#ENTRY_MALFORMED} for CRC-valid bytes that cannot be
     * an entry: an unknown extent type, more than 16 extents or strips, more than one interleaved extent.
     */
    public static LogEntry decode(byte[] entry, long index) {
        MemorySegment s = MemorySegment.ofArray(entry);
        long seqnum = s.get(Le.U64, SEQNUM_OFFSET);
        int type = s.get(Le.U32, TYPE_OFFSET);
        return switch (type) {
            case TYPE_FILE -> decodeFile(entry, s, seqnum, index);
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

    private static FileEntry decodeFile(byte[] entry, MemorySegment s, long seqnum, long index) {
        int extType = s.get(Le.U32, FMAP_EXT_TYPE_OFFSET);
        long count = Integer.toUnsignedLong(s.get(Le.U32, FMAP_NEXTENTS_OFFSET));
        Fmap fmap;
        if (extType == EXT_SIMPLE) {
            if (count > Famfs.MAX_SIMPLE_EXTENTS) {
                throw malformed(index, "simple extent count " + count + " > " + Famfs.MAX_SIMPLE_EXTENTS);
            }
            fmap = new SimpleFmap(extents(s, FMAP_EXTENTS_OFFSET, (int) count));
        } else if (extType == EXT_INTERLEAVE) {
            if (count > Famfs.MAX_INTERLEAVED_EXTENTS) {
                throw malformed(index, "interleaved extent count " + count + " > " + Famfs.MAX_INTERLEAVED_EXTENTS);
            }
            List<InterleavedExtent> ies = new ArrayList<>(1);
            if (count == 1) {
                long nstrips = s.get(Le.U64, IEXT_NSTRIPS_OFFSET);
                if (nstrips < 0 || nstrips > Famfs.MAX_STRIPS) {
                    throw malformed(index, "strip count " + Long.toUnsignedString(nstrips) + " > " + Famfs.MAX_STRIPS);
                }
                ies.add(new InterleavedExtent(
                        s.get(Le.U64, IEXT_CHUNK_SIZE_OFFSET), extents(s, IEXT_STRIPS_OFFSET, (int) nstrips)));
            }
            fmap = new InterleavedFmap(ies);
        } else {
            throw malformed(index, "unknown extent type " + Integer.toUnsignedString(extType));
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
    private static int relpathLength(byte[] entry, int offset) {
        for (int i = 0; i < Famfs.RELPATH_FIELD; i++) {
            if (entry[offset + i] == 0) {
                return i;
            }
        }
        return Famfs.RELPATH_FIELD;
    }

    private static FormatException malformed(long index, String detail) {
        return new FormatException(FormatError.ENTRY_MALFORMED, index, detail);
    }
}
