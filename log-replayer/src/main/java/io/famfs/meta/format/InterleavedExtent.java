package io.famfs.meta.format;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.util.List;

/** One {@code famfs_interleaved_ext}: data laid out chunk by chunk across up to 16 strips. */
public record InterleavedExtent(long chunkSize, List<Extent> strips) {
    public InterleavedExtent {
        strips = List.copyOf(strips);
        if (strips.size() > Famfs.MAX_STRIPS) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "at most 16 strips");
        }
    }

    public int nstrips() {
        return strips.size();
    }
}
