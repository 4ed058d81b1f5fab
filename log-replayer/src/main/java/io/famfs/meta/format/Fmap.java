package io.famfs.meta.format;

import java.util.List;

/** A file's map: simple extents, or interleaved extents of strips (famfs-format.md 1.4, 1.5). */
public sealed interface Fmap permits SimpleFmap, InterleavedFmap {

    /** Every range that holds file data: the simple extents, or every strip of every interleaved extent. */
    List<Extent> dataExtents();

    /** Number of extents as the entry counts them (fmap_nextents or fmap_niext). */
    int count();
}
