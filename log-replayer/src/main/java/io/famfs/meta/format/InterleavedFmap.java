package io.famfs.meta.format;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.util.ArrayList;
import java.util.List;

/** Interleaved extents; the on-media format holds at most one. */
public record InterleavedFmap(List<InterleavedExtent> extents) implements Fmap {
    public InterleavedFmap {
        extents = List.copyOf(extents);
        if (extents.size() > Famfs.MAX_INTERLEAVED_EXTENTS) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "at most one interleaved extent");
        }
    }

    public static InterleavedFmap of(long chunkSize, List<Extent> strips) {
        return new InterleavedFmap(List.of(new InterleavedExtent(chunkSize, strips)));
    }

    @Override
    public List<Extent> dataExtents() {
        if (extents.size() == 1) {
            return extents.getFirst().strips();
        }
        List<Extent> all = new ArrayList<>();
        for (InterleavedExtent ie : extents) {
            all.addAll(ie.strips());
        }
        return all;
    }

    @Override
    public int count() {
        return extents.size();
    }
}
