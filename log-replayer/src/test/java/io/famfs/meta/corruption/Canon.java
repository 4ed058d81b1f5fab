package io.famfs.meta.corruption;

import io.famfs.meta.format.Extent;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.replay.DirNode;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Node;
import io.famfs.meta.replay.SkippedEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cheap canonical text of a namespace: one sorted line per directory and file (path, creating index, mode, uid,
 * gid; for files size, fm_flags, the map and the replay flags), per skipped or bad entry, and the counters. Two
 * namespaces with the same text hold the same paths with the same attributes.
 */
final class Canon {
    private Canon() {}

    /** Everything, file flags and the bitmap collision count included. */
    static String of(Namespace ns) {
        return of(ns, true);
    }

    /** Without file flags or collisions: what a still-valid dd_size change must leave alone. */
    static String withoutFlags(Namespace ns) {
        return of(ns, false);
    }

    private static String of(Namespace ns, boolean withFlags) {
        List<String> lines = new ArrayList<>(ns.nodes().size() + ns.skipped().size() + 2);
        StringBuilder sb = new StringBuilder(160);
        for (Node node : ns.nodes().values()) {
            sb.setLength(0);
            switch (node) {
                case DirNode d -> sb.append("D ").append(d.path()).append(" @").append(d.index());
                case FileNode f -> {
                    sb.append("F ").append(f.path()).append(" @").append(f.index());
                    sb.append(" size=")
                            .append(f.size())
                            .append(" fm=")
                            .append(f.entry().flags());
                    switch (f.fmap()) {
                        case SimpleFmap simple -> {
                            sb.append(" simple");
                            extents(sb, simple.extents());
                        }
                        case InterleavedFmap il -> {
                            sb.append(" interleaved");
                            for (InterleavedExtent ie : il.extents()) {
                                sb.append(" chunk=").append(ie.chunkSize());
                                extents(sb, ie.strips());
                            }
                        }
                    }
                    if (withFlags) {
                        sb.append(" flags=").append(f.flags());
                    }
                }
            }
            sb.append(" mode=").append(Integer.toOctalString(node.mode()));
            sb.append(" uid=").append(node.uid()).append(" gid=").append(node.gid());
            lines.add(sb.toString());
        }
        for (SkippedEntry s : ns.skipped()) {
            lines.add("S @" + s.index() + " " + s.reason());
        }
        for (FormatException bad : ns.badEntries()) {
            lines.add("B @" + bad.index() + " " + bad.error());
        }
        Collections.sort(lines);
        lines.add("C fileEntries=" + ns.fileEntries() + " dirEntries=" + ns.dirEntries() + " filesCreated="
                + ns.filesCreated() + " dirsCreated=" + ns.dirsCreated() + " filesExisted=" + ns.filesExisted()
                + " dirsExisted=" + ns.dirsExisted() + " ignored=" + ns.ignoredEntries() + " sizes="
                + ns.sumFileSizes() + (withFlags ? " collisions=" + ns.space().collisions() : ""));
        return String.join("\n", lines);
    }

    private static void extents(StringBuilder sb, List<Extent> extents) {
        sb.append(" [");
        for (Extent e : extents) {
            sb.append(' ')
                    .append(e.devIndex())
                    .append(':')
                    .append(Long.toHexString(e.offset()))
                    .append('+');
            sb.append(Long.toHexString(e.length()));
        }
        sb.append(" ]");
    }

    /** The set of directory and file paths of a namespace, each prefixed by its kind. */
    static Set<String> paths(Namespace ns) {
        Set<String> paths = new TreeSet<>();
        for (Node node : ns.nodes().values()) {
            paths.add((node instanceof DirNode ? "D " : "F ") + node.path());
        }
        return paths;
    }
}
