package io.famfs.meta.shadow;

import io.famfs.meta.format.Extent;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.SimpleFmap;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The famfs_fused shadow file of one famfs file (famfs-format.md 5.2), byte for byte as famfs's emitter writes it:
 * keys in famfs's order, {@code mode} as {@code 0%o}, uid/gid/size/nextents decimal, offsets, lengths and chunk sizes
 * as {@code 0x%llx}, the path as libyaml writes a plain-requested scalar ({@link LibyamlScalar}).
 */
public final class ShadowYaml {
    private ShadowYaml() {}

    /** The YAML bytes for {@code file}. */
    public static byte[] write(FileEntry file) {
        StringBuilder y = new StringBuilder(512);
        y.append("---\nfile:\n  path:");
        LibyamlScalar.appendValue(y, "  path:".length(), 4, file.relpath());
        y.append('\n');
        y.append("  size: ").append(file.size()).append('\n');
        y.append("  flags: ").append(file.flags()).append('\n');
        y.append("  mode: 0").append(Integer.toOctalString(file.mode())).append('\n');
        y.append("  uid: ").append(file.uid()).append('\n');
        y.append("  gid: ").append(file.gid()).append('\n');
        y.append("  nextents: ").append(file.fmap().count()).append('\n');
        switch (file.fmap()) {
            case SimpleFmap simple -> extentList(y, "  ", simple.extents());
            case InterleavedFmap interleaved -> {
                y.append("  striped_ext_list:");
                if (interleaved.extents().isEmpty()) {
                    y.append(" []\n");
                } else {
                    y.append('\n');
                    for (InterleavedExtent ie : interleaved.extents()) {
                        y.append("  - nstrips: ").append(ie.nstrips()).append('\n');
                        y.append("    chunk_size: 0x")
                                .append(Long.toHexString(ie.chunkSize()))
                                .append('\n');
                        extentList(y, "    ", ie.strips());
                    }
                }
            }
        }
        y.append("...\n");
        return y.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A {@code simple_ext_list} at {@code indent}; libyaml writes an empty sequence in flow style. */
    private static void extentList(StringBuilder y, String indent, List<Extent> extents) {
        y.append(indent).append("simple_ext_list:");
        if (extents.isEmpty()) {
            y.append(" []\n");
            return;
        }
        y.append('\n');
        for (Extent e : extents) {
            y.append(indent).append("- devindex: ").append(e.devIndex()).append('\n');
            y.append(indent)
                    .append("  offset: 0x")
                    .append(Long.toHexString(e.offset()))
                    .append('\n');
            y.append(indent)
                    .append("  length: 0x")
                    .append(Long.toHexString(e.length()))
                    .append('\n');
        }
    }
}
