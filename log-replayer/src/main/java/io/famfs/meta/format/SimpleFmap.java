package io.famfs.meta.format;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.util.List;

/** Up to 16 simple extents, mapped in order. */
public record SimpleFmap(List<Extent> extents) implements Fmap {
    public SimpleFmap {
        extents = List.copyOf(extents);
        if (extents.size() > Famfs.MAX_SIMPLE_EXTENTS) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "at most 16 simple extents");
        }
    }

    public static SimpleFmap of(Extent... extents) {
        return new SimpleFmap(List.of(extents));
    }

    @Override
    public List<Extent> dataExtents() {
        return extents;
    }

    @Override
    public int count() {
        return extents.size();
    }
}
