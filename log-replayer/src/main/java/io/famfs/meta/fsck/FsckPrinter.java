package io.famfs.meta.fsck;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

/**
 * Prints a {@link FsckReport}: famfs's own sections with famfs's labels and spacing (so the figures can be compared
 * line by line with famfs's fsck output), then what famfs-meta checks beyond famfs.
 */
public final class FsckPrinter {
    private FsckPrinter() {}

    private static final int MAX_LISTED = 20;

    public static void print(FsckReport r, String device, boolean human, PrintWriter out) {
        var sb = r.superblock();
        out.println("famfs-meta fsck:");
        out.println("  device: " + device);
        out.println();
        out.println("Famfs Superblock:");
        out.println("  Filesystem UUID:   " + sb.fsUuid());
        out.println("  Device UUID:       " + sb.devUuid());
        out.println("  System UUID:       " + sb.systemUuid());
        out.println("  role of this node: " + (r.owner() ? "Owner" : "Client"));
        out.println("  alloc_unit:        0x" + Long.toHexString(sb.allocUnit()));
        out.println("  OMF major version: " + sb.omfMajor());
        out.println("  OMF minor version: " + sb.omfMinor());
        out.println("  sizeof superblock: 200");
        out.println("  log size (bytes):  " + sb.logLen());
        out.println("  primary: " + sb.daxdevName() + "   " + sb.devSize());
        out.println();
        out.println("Log stats:");
        out.println("  # of log entries in use: " + r.entriesUsed() + " of " + r.capacity());
        out.println("  Log size in use:          " + r.logSizeInUse());
        out.println("  Log size (total bytes)    " + r.logLen());
        out.println(
                r.clean()
                        ? "  No allocation errors found"
                        : "  ERROR: " + r.collisions() + " allocation collisions found");
        out.println();
        out.println("Capacity:");
        out.println("  Device capacity:        " + bytes(sb.devSize(), human));
        out.println("  Bitmap capacity:        " + bytes(r.bitmapCapacity(), human));
        out.println("  Sum of file sizes:      " + bytes(r.sumFileSizes(), human));
        out.println((human ? "  Allocated space:        " : "  Allocated bytes:        ")
                + bytes(r.allocatedBytes(), human));
        out.println("  Free space:             " + bytes(r.freeBytes(), human));
        out.println("  Space amplification:     " + r.spaceAmplificationText());
        out.println("  Percent used:            " + r.percentUsedText() + "%");
        out.println();
        out.println("Famfs log:");
        out.println("  " + r.entriesUsed() + " of " + r.capacity() + " entries used");
        out.println("  " + r.badEntryCount() + " bad log entries detected");
        out.println("  " + r.files() + " files");
        out.println("  " + r.directories() + " directories");

        out.println();
        out.println("famfs-meta checks:");
        out.println("  bad log entries:        " + r.badEntryCount());
        listSome(out, r.badEntries(), bad -> "index " + bad.index() + ": " + bad.getMessage());
        out.println("  entries not replayed:   " + r.skipped().size());
        listSome(
                out,
                r.skipped(),
                s -> "index " + s.index() + ": " + s.reason().name().toLowerCase() + " (" + s.detail() + ")");
        out.println("  flagged files:          " + r.flagged().size());
        listSome(out, r.flagged(), f -> "index " + f.index() + " " + f.path() + ": " + f.flagDetail());
        out.println("  allocation collisions:  " + r.collisions()
                + (r.collidingEntries().isEmpty() ? "" : " (file entries " + shortList(r) + ")"));
    }

    private static <T> void listSome(PrintWriter out, List<T> items, Function<T, String> line) {
        for (int i = 0; i < items.size(); i++) {
            if (i == MAX_LISTED) {
                out.println("    ... " + (items.size() - MAX_LISTED) + " more");
                return;
            }
            out.println("    " + line.apply(items.get(i)));
        }
    }

    private static String shortList(FsckReport r) {
        var ids = r.collidingEntries();
        String head = ids.subList(0, Math.min(ids.size(), MAX_LISTED)).toString();
        return ids.size() > MAX_LISTED ? head + " and " + (ids.size() - MAX_LISTED) + " more" : head;
    }

    /** Bytes as famfs prints them: a plain count, or with -h {@code %.2fG} of GiB. */
    private static String bytes(long n, boolean human) {
        return human ? CFormat.fixed((float) n / (float) (1L << 30), 2) + "G" : Long.toString(n);
    }
}
