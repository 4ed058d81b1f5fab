package io.famfs.meta.bench.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.famfs.meta.agent.bridge.FmapWire;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.SimpleFmap;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FmapHeaderDescriptorTest {
    static final long MiB = 1L << 20;

    @Test
    void acceptsARegularFileOfTheSizeAsked() {
        assertNull(FmapHeaderDescriptor.check(V9Header.reply(0, 1, 4096), 4096));
        assertNull(FmapHeaderDescriptor.check(V9Header.reply(0, 3, 5 * MiB), 5 * MiB));
    }

    /** What the agent's encoder sends, simple and interleaved, reads the same way. */
    @Test
    void acceptsTheAgentsOwnEncoding() throws Exception {
        assertNull(FmapHeaderDescriptor.check(
                FmapWire.encode(4096, SimpleFmap.of(Extent.of(20 * MiB, 2 * MiB))), 4096));
        byte[] striped = FmapWire.encode(
                3 * MiB,
                InterleavedFmap.of(2 * MiB, List.of(Extent.of(20 * MiB, 2 * MiB), Extent.of(40 * MiB, 2 * MiB))));
        assertNull(FmapHeaderDescriptor.check(striped, 3 * MiB));
        assertTrue(FmapHeaderDescriptor.check(striped, 4 * MiB).contains("file size 3145728"));
    }

    @Test
    void refusesAReplyShorterThanTheHeader() {
        byte[] whole = V9Header.reply(0, 1, 4096);
        for (int n : new int[] {0, 1, 31}) {
            String why = FmapHeaderDescriptor.check(Arrays.copyOf(whole, n), 4096);
            assertEquals("a GET_FMAP reply of " + n + " bytes, shorter than its 32-byte header", why);
        }
    }

    @Test
    void refusesAnotherSize() {
        String why = FmapHeaderDescriptor.check(V9Header.reply(0, 1, 8192), 4096);
        assertTrue(why.contains("file size 8192") && why.contains("of 4096 bytes"), why);
    }

    @Test
    void refusesAnotherFileType() {
        for (int type : new int[] {1, 2, 255}) {
            String why = FmapHeaderDescriptor.check(V9Header.reply(type, 1, 4096), 4096);
            assertTrue(why.contains("file type " + type + ","), why);
        }
    }

    @Test
    void refusesAMapWithoutExtents() {
        String why = FmapHeaderDescriptor.check(V9Header.reply(0, 0, 4096), 4096);
        assertTrue(why.contains(", 0 extents,"), why);
    }
}
