package io.famfs.meta.cli;

import io.famfs.meta.device.Device;
import io.famfs.meta.fsck.Fsck;
import io.famfs.meta.fsck.FsckPrinter;
import io.famfs.meta.fsck.FsckReport;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.SystemUuidFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "fsck",
        mixinStandardHelpOptions = true,
        description = "Check a famfs file system: superblock, log, capacity and allocation collisions.",
        footer = {
            "",
            "Exit codes: 0 consistent; 6 allocation collisions found; 4 bad superblock or log header;",
            "5 unsupported version; see the README for the rest. Bad entries are reported but, as in famfs,",
            "do not change the exit code."
        })
final class FsckCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions device;

    @Option(
            names = {"-H", "--human"},
            description = "Capacity in GiB, as famfs's fsck -h prints it.")
    boolean human;

    @Option(
            names = "--system-uuid-file",
            paramLabel = "FILE",
            defaultValue = "/opt/famfs/system_uuid",
            description = "This host's identity, to tell Owner from Client (default: ${DEFAULT-VALUE}; not created).")
    Path systemUuidFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (Device dev = device.open(false)) {
            FamfsVolume volume = FamfsVolume.open(dev);
            FsckReport report =
                    Fsck.check(volume, SystemUuidFile.read(systemUuidFile).orElse(null));
            FsckPrinter.print(report, dev.toString(), human, spec.commandLine().getOut());
            return report.clean() ? ExitCodes.OK : ExitCodes.COLLISIONS;
        }
    }
}
