package io.famfs.meta.cli;

import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.RelPath;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.replay.DirNode;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Node;
import io.famfs.meta.replay.Replayer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "getmap",
        mixinStandardHelpOptions = true,
        description = "Print a file's size and map (extents, or strips) from the log on a device.",
        footer = {"", "Exit codes: 0 printed; 7 no such file; 2 the path is a directory or invalid."})
public final class GetmapCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions device;

    @Parameters(paramLabel = "PATH", description = "The file's path relative to the famfs mount point.")
    String path;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return print(
                device, path, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Prints the map of {@code path} as the log on {@code device} records it; returns the exit code. */
    public static int print(DeviceOptions device, String path, PrintWriter out, PrintWriter err) {
        String relpath = path.startsWith("/") ? path.substring(1) : path;
        RelPath.require(relpath);
        try (Device dev = device.open(false)) {
            Replayer.Replay replay = Replayer.replayAll(FamfsVolume.open(dev), ReadMode.STOP_AT_BAD);
            if (replay.result().stopped()) {
                err.println("famfs-meta getmap: warning: "
                        + replay.result().stoppedBy().getMessage() + "; looked up in the entries before it");
            }
            Node node = replay.namespace().get(relpath);
            if (node == null) {
                throw new FamfsException(ErrorCode.NOT_FOUND, "no such file in the log: " + relpath);
            }
            if (node instanceof DirNode) {
                throw new FamfsException(ErrorCode.INVALID_ARGUMENT, relpath + " is a directory, not a file");
            }
            FileNode file = (FileNode) node;
            out.println("path:     " + file.path());
            out.println("size:     " + file.size());
            out.printf("mode:     0%o  uid %d  gid %d%n", file.mode(), file.uid(), file.gid());
            out.println("index:    " + file.index());
            FmapText.lines(file.fmap()).forEach(out::println);
            if (file.flagged()) {
                out.println("flagged:  " + file.flags() + ": " + file.flagDetail());
            }
            return ExitCodes.OK;
        }
    }
}
