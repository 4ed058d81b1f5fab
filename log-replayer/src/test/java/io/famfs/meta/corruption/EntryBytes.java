package io.famfs.meta.corruption;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Builds a 544-byte log entry by hand (famfs-format.md 1.4): any field value, hostile ones included, then the seqnum
 * and a correct CRC of [0, 536). Independent of the production encoder.
 */
final class EntryBytes {
    static final int TYPE_FILE = 0;
    static final int TYPE_MKDIR = 1;

    static final int FILE_SIZE = 16;
    static final int FILE_FLAGS = 24;
    static final int FILE_UID = 28;
    static final int FILE_GID = 32;
    static final int FILE_MODE = 36;
    static final int FILE_RELPATH = 40;
    static final int FMAP_EXT_TYPE = 120;
    static final int FMAP_NEXTENTS = 128;
    static final int FMAP_EXTENTS = 136;
    static final int IEXT_NSTRIPS = 136;
    static final int IEXT_CHUNK = 144;
    static final int IEXT_STRIPS = 152;
    static final int MKDIR_UID = 16;
    static final int MKDIR_GID = 20;
    static final int MKDIR_MODE = 24;
    static final int MKDIR_RELPATH = 28;
    static final int RELPATH_FIELD = 80;

    private final byte[] bytes = new byte[Raw.ENTRY_LENGTH];
    private final MemorySegment s = MemorySegment.ofArray(bytes);

    private EntryBytes() {}

    static EntryBytes mkdir(byte[] relpath, int mode, int uid, int gid) {
        EntryBytes e = new EntryBytes().u32(8, TYPE_MKDIR);
        e.u32(MKDIR_UID, uid).u32(MKDIR_GID, gid).u32(MKDIR_MODE, mode);
        return e.path(MKDIR_RELPATH, relpath);
    }

    static EntryBytes file(byte[] relpath, long size, int mode, int uid, int gid) {
        EntryBytes e = new EntryBytes().u32(8, TYPE_FILE);
        e.u64(FILE_SIZE, size)
                .u32(FILE_FLAGS, 2)
                .u32(FILE_UID, uid)
                .u32(FILE_GID, gid)
                .u32(FILE_MODE, mode);
        return e.path(FILE_RELPATH, relpath);
    }

    /** A simple fmap: ext type 0, one extent on daxdev 0 per (offset, length) pair. */
    EntryBytes simple(long... offsetLength) {
        u32(FMAP_EXT_TYPE, 0).u32(FMAP_NEXTENTS, offsetLength.length / 2);
        for (int i = 0; i < offsetLength.length / 2; i++) {
            u64(FMAP_EXTENTS + 24 * i + 8, offsetLength[2 * i])
                    .u64(FMAP_EXTENTS + 24 * i + 16, offsetLength[2 * i + 1]);
        }
        return this;
    }

    /** An interleaved fmap: ext type 1, niext 1, one strip per (offset, length) pair. */
    EntryBytes interleaved(long chunkSize, long... offsetLength) {
        u32(FMAP_EXT_TYPE, 1).u32(FMAP_NEXTENTS, 1);
        u64(IEXT_NSTRIPS, offsetLength.length / 2).u64(IEXT_CHUNK, chunkSize);
        for (int j = 0; j < offsetLength.length / 2; j++) {
            u64(IEXT_STRIPS + 24 * j + 8, offsetLength[2 * j]).u64(IEXT_STRIPS + 24 * j + 16, offsetLength[2 * j + 1]);
        }
        return this;
    }

    EntryBytes u32(int offset, int value) {
        s.set(Raw.U32, offset, value);
        return this;
    }

    EntryBytes u64(int offset, long value) {
        s.set(Raw.U64, offset, value);
        return this;
    }

    private EntryBytes path(int offset, byte[] relpath) {
        if (relpath.length > RELPATH_FIELD) {
            throw new IllegalArgumentException("relpath field is 80 bytes");
        }
        System.arraycopy(relpath, 0, bytes, offset, relpath.length);
        return this;
    }

    /** The finished entry: seqnum {@code seqnum}, CRC of [0, 536) stored as a u64 at 536. */
    byte[] sealed(long seqnum) {
        s.set(Raw.U64, 0, seqnum);
        s.set(Raw.U64, Raw.E_CRC, Raw.crc32(bytes, 0, Raw.E_CRC));
        return bytes.clone();
    }

    /** Writes the sealed entry into slot {@code index} of the device (seqnum = index); publishes nothing. */
    void writeAt(MemorySegment dev, long index) {
        byte[] sealed = sealed(index);
        MemorySegment.copy(sealed, 0, dev, ValueLayout.JAVA_BYTE, Raw.entryOffset(index), sealed.length);
    }
}
