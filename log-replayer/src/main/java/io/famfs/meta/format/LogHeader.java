package io.famfs.meta.format;

import static io.famfs.meta.format.LogHeaderDescriptor.*;

import java.lang.foreign.MemorySegment;

/** A decoded log header, as stored. */
public record LogHeader(long magic, long logLen, long lastIndex, long storedCrc, long nextSeqnum, long nextIndex) {

    /** The header mkfs writes: empty log, CRC computed. */
    public static LogHeader forMkfs(long logLen) {
        LogHeader h = new LogHeader(Famfs.LOG_MAGIC, logLen, lastIndexFor(logLen), 0, 0, 0);
        return new LogHeader(h.magic, h.logLen, h.lastIndex, h.computedCrc(), 0, 0);
    }

    public static LogHeader decode(MemorySegment segment, long offset) {
        MemorySegment s = segment.asSlice(offset, LENGTH);
        return new LogHeader(
                s.get(Le.U64, MAGIC_OFFSET),
                s.get(Le.U64, LEN_OFFSET),
                s.get(Le.U64, LAST_INDEX_OFFSET),
                s.get(Le.U64, CRC_OFFSET),
                s.get(Le.U64, NEXT_SEQNUM_OFFSET),
                s.get(Le.U64, NEXT_INDEX_OFFSET));
    }

    public void encode(MemorySegment segment, long offset) {
        MemorySegment s = segment.asSlice(offset, LENGTH);
        s.set(Le.U64, MAGIC_OFFSET, magic);
        s.set(Le.U64, LEN_OFFSET, logLen);
        s.set(Le.U64, LAST_INDEX_OFFSET, lastIndex);
        s.set(Le.U64, CRC_OFFSET, storedCrc);
        s.set(Le.U64, NEXT_SEQNUM_OFFSET, nextSeqnum);
        s.set(Le.U64, NEXT_INDEX_OFFSET, nextIndex);
    }

    /** CRC-32 of magic, length and last index: bytes [0, 24). */
    public long computedCrc() {
        byte[] bytes = new byte[CRC_COVERED];
        MemorySegment s = MemorySegment.ofArray(bytes);
        s.set(Le.U64, MAGIC_OFFSET, magic);
        s.set(Le.U64, LEN_OFFSET, logLen);
        s.set(Le.U64, LAST_INDEX_OFFSET, lastIndex);
        return Crc32s.of(bytes, 0, CRC_COVERED);
    }

    /** Number of slots: last index + 1. */
    public long capacity() {
        return lastIndex + 1;
    }
}
