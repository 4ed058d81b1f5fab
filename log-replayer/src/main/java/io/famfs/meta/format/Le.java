package io.famfs.meta.format;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Value layouts of the on-media format: little-endian, read at any alignment (heap copies are byte arrays). UUIDs are
 * the exception: their bytes are in RFC-4122 (big-endian) order.
 */
public final class Le {
    private Le() {}

    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
}
