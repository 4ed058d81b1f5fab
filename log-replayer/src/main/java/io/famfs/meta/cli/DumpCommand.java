package io.famfs.meta.cli;

import io.famfs.meta.device.Device;
import io.famfs.meta.format.AddDaxdevEntry;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.LogEntry;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.RelPath;
import io.famfs.meta.format.Superblock;
import io.famfs.meta.format.UnknownEntry;
import io.famfs.meta.log.EntryVisitor;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogReader;
import io.famfs.meta.log.ReadMode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "dump",
        mixinStandardHelpOptions = true,
        description = "Print the superblock, the log header and the log entry by entry (bad entries included).")
final class DumpCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions device;

    @Option(names = "--from", paramLabel = "INDEX", defaultValue = "0", description = "First entry (default: 0).")
    long from;

    @Option(names = "--count", paramLabel = "N", description = "At most N entries (default: all up to next_index).")
    Long count;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Device dev = device.open(false)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            Superblock sb = volume.superblock();
            out.printf(
                    "superblock: version %d, OMF %d.%d, fs %s, dev %s, owner %s, crc 0x%x%n",
                    sb.version(),
                    sb.omfMajor(),
                    sb.omfMinor(),
                    sb.fsUuid(),
                    sb.devUuid(),
                    sb.systemUuid(),
                    sb.storedCrc());
            out.printf(
                    "            dd_size %d, daxdev %s, alloc unit 0x%x, log 0x%x + %d bytes%n",
                    sb.devSize(), sb.daxdevName(), sb.allocUnit(), sb.logOffset(), sb.logLen());
            long next = volume.readNextIndex();
            out.printf(
                    "log header: next_index %d, next_seqnum %d, last_index %d, crc 0x%x%n",
                    next,
                    volume.readNextSeqnum(),
                    volume.lastIndex(),
                    volume.openedHeader().storedCrc());
            long start = Math.min(Math.max(0, from), next);
            long end = count == null || count >= next - start ? next : start + Math.max(0, count);
            new LogReader(volume).read(start, end, ReadMode.SKIP_BAD, new EntryVisitor() {
                @Override
                public void entry(long index, LogEntry entry) {
                    out.println(describe(index, entry));
                    if (entry instanceof FileEntry f) {
                        FmapText.lines(f.fmap()).forEach(l -> out.println("        " + l));
                    }
                }

                @Override
                public void skipped(FormatException error) {
                    out.println(String.format("%6d  BAD    %s", error.index(), error.getMessage()));
                }
            });
            return ExitCodes.OK;
        }
    }

    private static String describe(long index, LogEntry entry) {
        return switch (entry) {
            case FileEntry f ->
                String.format(
                        "%6d  FILE   %s size %d mode 0%o uid %d gid %d flags %d%s",
                        index, f.relpath(), f.size(), f.mode(), f.uid(), f.gid(), f.flags(), problem(f.pathProblem()));
            case MkdirEntry m ->
                String.format(
                        "%6d  MKDIR  %s mode 0%o uid %d gid %d%s",
                        index, m.relpath(), m.mode(), m.uid(), m.gid(), problem(m.pathProblem()));
            case AddDaxdevEntry d ->
                String.format("%6d  DAXDEV index %d uuid %s size %d", index, d.devIndex(), d.uuid(), d.devSize());
            case UnknownEntry u -> String.format("%6d  TYPE %d (not handled)", index, u.type());
        };
    }

    private static String problem(RelPath.Problem p) {
        return p == null ? "" : "  [bad path: " + p.text() + "]";
    }
}
