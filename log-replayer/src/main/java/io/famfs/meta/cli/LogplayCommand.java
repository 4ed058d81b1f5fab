package io.famfs.meta.cli;

import io.famfs.meta.device.Device;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.log.ReadResult;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Replayer;
import io.famfs.meta.replay.SkippedEntry;
import io.famfs.meta.shadow.ShadowTreeWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "logplay",
        mixinStandardHelpOptions = true,
        description = "Replay the log into a famfs_fused shadow tree (DIR/root), as famfs logplay --shadow does.",
        footer = {
            "",
            "Replay stops at the first bad entry (its index and reason are printed; the valid prefix is written).",
            "Exit codes: 0 replayed cleanly; 4 stopped at a bad entry or entries were not replayed;",
            "3 the shadow tree could not be written in full."
        })
final class LogplayCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions device;

    @Option(
            names = {"-S", "--shadow"},
            required = true,
            paramLabel = "DIR",
            description = "Shadow folder; files go under DIR/root (DIR itself when it ends in /root).")
    Path shadow;

    @Option(
            names = {"-n", "--dry-run"},
            description = "Replay and report what would be created; write nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Device dev = device.open(false)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            Replayer.Replay replay = Replayer.replayAll(volume, ReadMode.STOP_AT_BAD);
            Namespace ns = replay.namespace();
            ReadResult read = replay.result();
            ShadowTreeWriter writer = new ShadowTreeWriter(shadow, dryRun);
            ShadowTreeWriter.Result written = writer.write(ns);

            if (dryRun) {
                out.printf(
                        "famfs-meta logplay (dry run): %d log entries; would create %d files and %d directories%n",
                        read.end(), written.filesCreated(), written.dirsCreated());
            } else {
                out.printf(
                        "famfs-meta logplay: %d log entries; %d new files; %d new directories%n",
                        read.end(), written.filesCreated(), written.dirsCreated());
            }
            out.printf(
                    "  existed: %d files, %d directories; shadow root %s%n",
                    written.filesExisted(), written.dirsExisted(), writer.root());
            for (SkippedEntry s : ns.skipped()) {
                err.println("famfs-meta logplay: entry " + s.index() + " not replayed: "
                        + s.reason().name().toLowerCase() + " (" + s.detail() + ")");
            }
            for (FileNode f : ns.flagged()) {
                err.println("famfs-meta logplay: warning: file " + f.path() + " (entry " + f.index() + ") is flagged: "
                        + f.flagDetail());
            }
            for (String e : written.errors()) {
                err.println("famfs-meta logplay: " + e);
            }
            if (read.stopped()) {
                err.println("famfs-meta logplay: replay stopped: "
                        + read.stoppedBy().getMessage() + "; entries before it were replayed");
                return ExitCodes.CORRUPT;
            }
            if (!written.errors().isEmpty()) {
                return ExitCodes.IO;
            }
            return ns.skipped().isEmpty() ? ExitCodes.OK : ExitCodes.CORRUPT;
        }
    }
}
