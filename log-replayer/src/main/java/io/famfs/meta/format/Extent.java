package io.famfs.meta.format;

/** One {@code famfs_simple_extent}: a byte range of dax device {@code devIndex}. */
public record Extent(long devIndex, long offset, long length) {
    public static Extent of(long offset, long length) {
        return new Extent(0, offset, length);
    }
}
