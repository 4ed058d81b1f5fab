package io.famfs.meta.leader.cli;

import io.famfs.meta.cli.FmapText;
import io.famfs.meta.leader.core.Protos;
import io.famfs.meta.proto.v1.DirInfo;
import io.famfs.meta.proto.v1.FileInfo;
import io.famfs.meta.proto.v1.StatResponse;
import io.famfs.meta.proto.v1.UsageResponse;
import java.io.PrintWriter;

/** How the client commands print what the leader answers (files in the same layout as the device getmap). */
public final class NodeText {
    private NodeText() {}

    static void file(FileInfo f, boolean withMap, PrintWriter out) {
        out.println("path:     " + f.getPath());
        out.println("type:     file");
        out.println("size:     " + f.getSize());
        out.printf("mode:     0%o  uid %d  gid %d%n", f.getMode(), f.getUid(), f.getGid());
        out.println("index:    " + f.getLogIndex());
        if (withMap) {
            FmapText.lines(Protos.fmap(f.getFmap())).forEach(out::println);
        }
        if (f.getFlagsCount() > 0) {
            out.println("flagged:  " + String.join("; ", f.getFlagsList()));
        }
    }

    static void dir(DirInfo d, PrintWriter out) {
        out.println("path:     " + (d.getPath().isEmpty() ? "/" : d.getPath()));
        out.println("type:     directory");
        out.printf("mode:     0%o  uid %d  gid %d%n", d.getMode(), d.getUid(), d.getGid());
        out.println("index:    " + (d.getLogIndex() < 0 ? "- (the root)" : d.getLogIndex()));
    }

    /** One {@code ls -l}-like line. */
    public static String line(StatResponse node) {
        if (node.hasDir()) {
            DirInfo d = node.getDir();
            return String.format(
                    "%s %6d %6d %14s  %s/", perms('d', d.getMode()), d.getUid(), d.getGid(), "-", name(d.getPath()));
        }
        FileInfo f = node.getFile();
        return String.format(
                "%s %6d %6d %14d  %s%s",
                perms('-', f.getMode()),
                f.getUid(),
                f.getGid(),
                f.getSize(),
                name(f.getPath()),
                f.getFlagsCount() > 0 ? "  (flagged: " + String.join("; ", f.getFlagsList()) + ")" : "");
    }

    public static void usage(UsageResponse u, PrintWriter out) {
        out.println("file system:     " + u.getFsUuid());
        out.printf("log entries:     %d of %d used%n", u.getEntriesUsed(), u.getEntriesCapacity());
        out.printf("files:           %d   directories: %d%n", u.getFiles(), u.getDirectories());
        out.println("device:          " + u.getDeviceCapacity() + " bytes");
        out.printf("allocated:       %d bytes (%s%% used)%n", u.getAllocatedBytes(), u.getPercentUsed());
        out.println("free:            " + u.getFreeBytes() + " bytes");
        out.printf(
                "sum of files:    %d bytes (space amplification %s)%n",
                u.getSumOfFileSizes(), u.getSpaceAmplification());
        if (u.getBadEntries() > 0) {
            out.println("bad log entries: " + u.getBadEntries());
        }
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String perms(char type, int mode) {
        StringBuilder sb = new StringBuilder().append(type);
        String rwx = "rwx";
        for (int bit = 8; bit >= 0; bit--) {
            sb.append((mode & (1 << bit)) != 0 ? rwx.charAt(2 - bit % 3) : '-');
        }
        return sb.toString();
    }
}
