package io.famfs.meta.agent.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.famfs.meta.format.Extent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.SimpleFmap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The test decoder rejects what section 10 says the kernel rejects, so the other tests' passes mean something. */
class V9FmapTest {
    private static final long MiB = 1L << 20;
    private static final long GiB = 1L << 30;

    /** 32-byte header, then extents at 32 and 56. */
    private static byte[] simple() throws FmapRefusedException {
        return FmapWire.encode(3 * MiB, SimpleFmap.of(Extent.of(GiB, 2 * MiB), Extent.of(2 * GiB, 2 * MiB)));
    }

    /** 32-byte header, iext at 32, strips at 56 and 80. */
    private static byte[] interleaved() throws FmapRefusedException {
        return FmapWire.encode(
                3 * MiB, InterleavedFmap.of(2 * MiB, List.of(Extent.of(GiB, 2 * MiB), Extent.of(2 * GiB, 2 * MiB))));
    }

    @Test
    void acceptsTheUnchangedReplies() throws Exception {
        assertEquals(2, V9Fmap.decode(simple()).simple.size());
        assertEquals(2, V9Fmap.decode(interleaved()).iexts.getFirst().strips().size());
    }

    @Test
    void rejectsEachClass() throws Exception {
        assertRejected("shorter than the header", Arrays.copyOf(simple(), 31));
        assertRejected("run past", Arrays.copyOf(simple(), 79));
        assertRejected("larger than", Arrays.copyOf(simple(), 4097));
        assertRejected("nextents 0", with(simple(), b -> b.putInt(8, 0)));
        assertRejected("nextents 33", with(simple(), b -> b.putInt(8, 33)));
        assertRejected("ext_type 2", with(simple(), b -> b.putInt(4, 2)));
        assertRejected("devindex 1", with(simple(), b -> b.putInt(56, 1)));
        assertRejected("not PMD aligned", with(simple(), b -> b.putLong(32 + 8, GiB + 4096)));
        assertRejected("not PMD aligned", with(simple(), b -> b.putLong(56 + 16, MiB)));
        assertRejected("less than the file size", with(simple(), b -> b.putLong(16, 4 * MiB + 1)));

        assertRejected("chunk size", with(interleaved(), b -> b.putInt(32 + 4, (int) MiB)));
        assertRejected("ie_nbytes 0", with(interleaved(), b -> b.putLong(32 + 8, 0)));
        assertRejected("nstrips 0", with(interleaved(), b -> b.putInt(32, 0)));
        assertRejected("nstrips 33", with(Arrays.copyOf(interleaved(), 32 + 24 + 33 * 24), b -> b.putInt(32, 33)));
        assertRejected("strips run past", with(interleaved(), b -> b.putInt(32, 3)));
        assertRejected("devindex 1", with(interleaved(), b -> b.putInt(80, 1)));
        assertRejected("not PMD aligned", with(interleaved(), b -> b.putLong(56 + 8, GiB + MiB)));
        assertRejected("strips sum", with(interleaved(), b -> b.putLong(16, 4 * MiB + 1)));
    }

    private static byte[] with(byte[] reply, Consumer<ByteBuffer> change) {
        change.accept(ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN));
        return reply;
    }

    private static void assertRejected(String reasonPart, byte[] reply) {
        V9Fmap.Rejected e = assertThrows(V9Fmap.Rejected.class, () -> V9Fmap.decode(reply));
        assertTrue(e.getMessage().contains(reasonPart), e.getMessage() + " lacks " + reasonPart);
    }
}
