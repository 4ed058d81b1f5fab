package io.famfs.meta.cli;

import io.famfs.meta.device.Device;
import io.famfs.meta.format.LogHeaderDescriptor;
import io.famfs.meta.format.Superblock;
import io.famfs.meta.log.Mkfs;
import io.famfs.meta.log.SystemUuidFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "mkfs",
        mixinStandardHelpOptions = true,
        description = "Make a famfs file system (format version 48) on a device of at least 4 GiB.")
final class MkfsCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions device;

    @Option(
            names = {"-f", "--force"},
            description = "Overwrite an existing famfs file system.")
    boolean force;

    @Option(
            names = {"-l", "--log-len"},
            paramLabel = "SIZE",
            converter = Sizes.class,
            defaultValue = "8m",
            description = "Log length: a power of two of at least 8m (default: ${DEFAULT-VALUE}).")
    long logLen;

    @Option(
            names = "--system-uuid-file",
            paramLabel = "FILE",
            defaultValue = "/opt/famfs/system_uuid",
            description = "This host's identity, recorded as the owner; created as famfs creates it when missing"
                    + " (default: ${DEFAULT-VALUE}).")
    Path systemUuidFile;

    @Option(
            names = "--daxdev-name",
            paramLabel = "NAME",
            description = "Device name to record in the superblock (under 64 bytes; default: DEV as given).")
    String daxdevName;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String name = daxdevName != null ? daxdevName : device.path().toString();
        Superblock.checkDaxdevName(name);
        try (Device dev = device.open(true)) {
            UUID owner = SystemUuidFile.readOrCreate(systemUuidFile); // only once the device is known to open
            Superblock sb =
                    Mkfs.format(dev, new Mkfs.Params(UUID.randomUUID(), UUID.randomUUID(), owner, logLen, name, force));
            PrintWriter out = spec.commandLine().getOut();
            out.println("famfs-meta mkfs: made a famfs file system on " + device.path());
            out.println("  Filesystem UUID:   " + sb.fsUuid());
            out.println("  Device UUID:       " + sb.devUuid());
            out.println("  System UUID:       " + sb.systemUuid() + " (owner, from " + systemUuidFile + ")");
            out.println("  device size:       " + sb.devSize() + " bytes (dd_size)");
            out.println("  log size (bytes):  " + sb.logLen() + " ("
                    + (LogHeaderDescriptor.lastIndexFor(sb.logLen()) + 1) + " entries)");
            out.println("  daxdev name:       " + sb.daxdevName());
        }
        return ExitCodes.OK;
    }
}
