package io.famfs.meta.format;

import java.lang.foreign.MemorySegment;
import java.util.UUID;

/** UUID fields: 16 bytes in RFC-4122 textual (big-endian) order, as libuuid's uuid_t is memcpy'd by famfs. */
public final class Uuids {
    private Uuids() {}

    public static final UUID NIL = new UUID(0, 0);

    public static UUID get(MemorySegment segment, long offset) {
        return new UUID(segment.get(Le.BE64, offset), segment.get(Le.BE64, offset + 8));
    }

    public static void put(MemorySegment segment, long offset, UUID uuid) {
        segment.set(Le.BE64, offset, uuid.getMostSignificantBits());
        segment.set(Le.BE64, offset + 8, uuid.getLeastSignificantBits());
    }
}
