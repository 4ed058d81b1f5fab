package io.famfs.meta.bench;

import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Fmap;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.replay.DirNode;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Namespace;
import java.util.List;

/**
 * An order-independent checksum over every path, attribute and extent: the sum of a 64-bit hash per node. The
 * generator computes it from what it wrote, the benchmark from what replay built.
 */
final class NodeChecksum {
    private NodeChecksum() {}

    static long dir(String path, int mode, int uid, int gid) {
        long h = fnv(path);
        h = mix(h + 1);
        h = mix(h + mode);
        h = mix(h + uid);
        return mix(h + gid);
    }

    static long file(String path, long size, int mode, int uid, int gid, long chunk, List<Extent> extents) {
        long h = fnv(path);
        h = mix(h + 2);
        h = mix(h + size);
        h = mix(h + mode);
        h = mix(h + uid);
        h = mix(h + gid);
        h = mix(h + chunk);
        for (Extent e : extents) {
            h = mix(h + e.devIndex());
            h = mix(h + e.offset());
            h = mix(h + e.length());
        }
        return h;
    }

    /** The checksum of a replayed namespace. */
    static long of(Namespace ns) {
        long[] sum = {0};
        ns.forEachNode(node -> sum[0] += switch (node) {
            case DirNode d -> dir(d.path(), d.mode(), d.uid(), d.gid());
            case FileNode f ->
                file(
                        f.path(),
                        f.size(),
                        f.mode(),
                        f.uid(),
                        f.gid(),
                        chunk(f.fmap()),
                        f.fmap().dataExtents());
        });
        return sum[0];
    }

    private static long chunk(Fmap fmap) {
        if (fmap instanceof InterleavedFmap i) {
            long c = 0;
            for (InterleavedExtent ie : i.extents()) {
                c += ie.chunkSize();
            }
            return c;
        }
        return 0;
    }

    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** splitmix64's finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
