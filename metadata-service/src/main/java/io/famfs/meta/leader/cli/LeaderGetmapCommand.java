package io.famfs.meta.leader.cli;

import io.famfs.meta.cli.Configurable;
import io.famfs.meta.cli.DeviceOptions;
import io.famfs.meta.cli.ExitCodes;
import io.famfs.meta.cli.GetmapCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** getmap from the leader, or (with --device) straight from the log on a device as log-replayer's getmap does. */
@Command(
        name = "getmap",
        mixinStandardHelpOptions = true,
        description =
                "Print a file's size and map (extents, or strips): from the leader, or with --device from the log.",
        footer = {"", "Exit codes: 0 printed; 7 no such file; 2 the path is a directory or invalid."})
public final class LeaderGetmapCommand implements Callable<Integer>, Configurable {
    @Mixin
    ClientOptions leader;

    @Mixin
    DeviceOptions device;

    @Parameters(paramLabel = "PATH", description = "Relative to the mount point.")
    String path;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (device.given()) {
            return GetmapCommand.print(
                    device,
                    path,
                    spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
        NodeText.file(leader.client().fmap(path), true, spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
