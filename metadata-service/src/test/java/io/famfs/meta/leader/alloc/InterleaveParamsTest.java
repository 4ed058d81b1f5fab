package io.famfs.meta.leader.alloc;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** famfs's interleave rules (famfs-format.md 2.3) plus the kernel's 32-bit chunk field. */
class InterleaveParamsTest {
    private static final long GiB = 1L << 30;

    @ParameterizedTest(name = "{0}/{1}/{2} on {3} GiB")
    @CsvSource({
        "0, 0, 0, 4", // contiguous
        "1, 1, 2097152, 4",
        "8, 4, 2097152, 8",
        "64, 16, 2097152, 64",
        "4, 4, 2147483648, 4", // 2 GiB chunk: the largest power of two below 4 GiB
    })
    void valid(int nbuckets, int nstrips, long chunk, long devGiB) {
        InterleaveParams p = new InterleaveParams(nbuckets, nstrips, chunk);
        assertSame(p, p.validate(devGiB * GiB));
    }

    @ParameterizedTest(name = "{0}/{1}/{2} on {3} GiB: {4}")
    @CsvSource({
        "0, 2, 2097152, 8, nbuckets",
        "65, 4, 2097152, 128, nbuckets",
        "-1, 4, 2097152, 8, nbuckets",
        "4, 0, 2097152, 8, nstrips",
        "4, 5, 2097152, 8, nstrips",
        "32, 17, 2097152, 32, nstrips",
        "4, 2, 0, 8, chunk size",
        "4, 2, 3145728, 8, chunk size", // 3 MiB: not a power of two
        "4, 2, 1048576, 8, chunk size", // 1 MiB: not a multiple of 2 MiB
        "4, 2, 4294967296, 8, chunk size", // 4 GiB: past the kernel's 32-bit field
        "8, 2, 2097152, 4, at least 1 GiB", // buckets of 512 MiB
    })
    void invalid(int nbuckets, int nstrips, long chunk, long devGiB, String names) {
        FamfsException e = assertThrows(
                FamfsException.class, () -> new InterleaveParams(nbuckets, nstrips, chunk).validate(devGiB * GiB));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(names), e.getMessage());
    }
}
