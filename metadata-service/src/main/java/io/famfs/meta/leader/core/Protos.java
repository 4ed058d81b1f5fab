package io.famfs.meta.leader.core;

import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Fmap;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.proto.v1.DirInfo;
import io.famfs.meta.proto.v1.FileInfo;
import io.famfs.meta.proto.v1.StatResponse;
import io.famfs.meta.replay.DirNode;
import io.famfs.meta.replay.FileFlag;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Node;

/** The one place namespace nodes become API messages. */
public final class Protos {
    private Protos() {}

    public static FileInfo file(FileNode f) {
        FileInfo.Builder b = FileInfo.newBuilder()
                .setPath(f.path())
                .setSize(f.size())
                .setMode(f.mode())
                .setUid(f.uid())
                .setGid(f.gid())
                .setLogIndex(f.index())
                .setFmap(fmap(f.fmap()));
        for (FileFlag flag : f.flags()) {
            b.addFlags(flag.name().toLowerCase() + (f.flagDetail() == null ? "" : ": " + f.flagDetail()));
        }
        return b.build();
    }

    /** A file this leader just logged (same values as its entry; no snapshot of the namespace needed). */
    public static FileInfo file(String path, long size, int mode, int uid, int gid, long index, Fmap fmap) {
        return FileInfo.newBuilder()
                .setPath(path)
                .setSize(size)
                .setMode(mode)
                .setUid(uid)
                .setGid(gid)
                .setLogIndex(index)
                .setFmap(fmap(fmap))
                .build();
    }

    public static DirInfo dir(DirNode d) {
        return dir(d.path(), d.mode(), d.uid(), d.gid(), d.index());
    }

    public static DirInfo dir(String path, int mode, int uid, int gid, long index) {
        return DirInfo.newBuilder()
                .setPath(path)
                .setMode(mode)
                .setUid(uid)
                .setGid(gid)
                .setLogIndex(index)
                .build();
    }

    public static StatResponse stat(Node node) {
        return switch (node) {
            case FileNode f -> StatResponse.newBuilder().setFile(file(f)).build();
            case DirNode d -> StatResponse.newBuilder().setDir(dir(d)).build();
        };
    }

    public static io.famfs.meta.proto.v1.Fmap fmap(Fmap fmap) {
        io.famfs.meta.proto.v1.Fmap.Builder b = io.famfs.meta.proto.v1.Fmap.newBuilder();
        switch (fmap) {
            case SimpleFmap simple -> {
                b.setKind(io.famfs.meta.proto.v1.Fmap.Kind.SIMPLE);
                simple.extents().forEach(e -> b.addExtents(extent(e)));
            }
            case InterleavedFmap interleaved -> {
                b.setKind(io.famfs.meta.proto.v1.Fmap.Kind.INTERLEAVED);
                for (InterleavedExtent ie : interleaved.extents()) {
                    b.setChunkSize(ie.chunkSize());
                    ie.strips().forEach(e -> b.addExtents(extent(e)));
                }
            }
        }
        return b.build();
    }

    private static io.famfs.meta.proto.v1.Extent extent(Extent e) {
        return io.famfs.meta.proto.v1.Extent.newBuilder()
                .setDevindex(e.devIndex())
                .setOffset(e.offset())
                .setLength(e.length())
                .build();
    }

    /** The file map an API message describes (what {@code fmap(Fmap)} made of it). */
    public static Fmap fmap(io.famfs.meta.proto.v1.Fmap fmap) {
        java.util.List<Extent> extents = fmap.getExtentsList().stream()
                .map(e -> new Extent(e.getDevindex(), e.getOffset(), e.getLength()))
                .toList();
        return fmap.getKind() == io.famfs.meta.proto.v1.Fmap.Kind.INTERLEAVED
                ? InterleavedFmap.of(fmap.getChunkSize(), extents)
                : new SimpleFmap(extents);
    }
}
