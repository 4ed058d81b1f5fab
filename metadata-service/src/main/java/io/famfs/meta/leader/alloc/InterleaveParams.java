package io.famfs.meta.leader.alloc;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Famfs;

/**
 * famfs's interleave parameters ({@code creat -B/-N/-C}; famfs-format.md 2.3): the device is cut into {@code nbuckets}
 * equal buckets, and a file is striped over {@code nstrips} of them, {@code chunkSize} bytes at a time.
 */
public record InterleaveParams(int nbuckets, int nstrips, long chunkSize) {
    public static final int MAX_BUCKETS = 64;
    public static final int MAX_STRIPS = Famfs.MAX_STRIPS;
    /** The kernel's interleaved-extent wire field for the chunk size is 32 bits. */
    public static final long CHUNK_LIMIT = 1L << 32;

    public static final long MIN_BUCKET = Famfs.GiB;

    /** No striping. */
    public static final InterleaveParams CONTIGUOUS = new InterleaveParams(0, 0, 0);

    /** True when all three are zero: famfs's way of saying "contiguous". */
    public boolean contiguous() {
        return nbuckets == 0 && nstrips == 0 && chunkSize == 0;
    }

    /** The one home of the interleave rules; INVALID_ARGUMENT naming the first broken one. */
    public InterleaveParams validate(long devSize) {
        if (contiguous()) {
            return this;
        }
        if (nbuckets <= 0 || nbuckets > MAX_BUCKETS) {
            throw invalid("nbuckets must be 1 to " + MAX_BUCKETS + ": " + Integer.toUnsignedString(nbuckets));
        }
        if (nstrips <= 0 || nstrips > MAX_STRIPS || nstrips > nbuckets) {
            throw invalid("nstrips must be 1 to " + MAX_STRIPS + " and at most nbuckets (" + nbuckets + "): "
                    + Integer.toUnsignedString(nstrips));
        }
        if (chunkSize <= 0
                || Long.bitCount(chunkSize) != 1
                || chunkSize % Famfs.ALLOC_UNIT != 0
                || chunkSize >= CHUNK_LIMIT) {
            throw invalid("chunk size must be a power of two, a multiple of 2 MiB and below 4 GiB: "
                    + Long.toUnsignedString(chunkSize));
        }
        if (devSize / nbuckets < MIN_BUCKET) {
            throw invalid("buckets of " + (devSize / nbuckets) + " bytes: famfs needs buckets of at least 1 GiB ("
                    + nbuckets + " buckets on " + devSize + " bytes)");
        }
        return this;
    }

    private static FamfsException invalid(String why) {
        return new FamfsException(ErrorCode.INVALID_ARGUMENT, "invalid interleave: " + why);
    }
}
