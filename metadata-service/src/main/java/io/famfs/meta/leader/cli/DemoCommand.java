package io.famfs.meta.leader.cli;

import io.famfs.meta.cli.ExitCodes;
import io.famfs.meta.cli.Sizes;
import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.Superblock;
import io.famfs.meta.fsck.Fsck;
import io.famfs.meta.fsck.FsckPrinter;
import io.famfs.meta.fsck.FsckReport;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.Mkfs;
import io.famfs.meta.log.SystemUuidFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job on an embedded default: an emulated device (a sparse file), mkfs, fsck. The leader issue extends it
 * with a running leader and files created through the API.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Make an emulated famfs device (a sparse file), mkfs it, fsck it, and show what it did.")
public final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "/dev/shm/famfs-meta-demo",
            description = "Folder for the demo's device and host identity (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
            names = "--size",
            paramLabel = "SIZE",
            converter = Sizes.class,
            defaultValue = "8g",
            description = "Size of the emulated device; sparse, so it costs nothing until written"
                    + " (default: ${DEFAULT-VALUE}).")
    long size;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (size < Famfs.MIN_DEVICE_SIZE) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "--size must be at least 4g");
        }
        Files.createDirectories(dir);
        Path device = dir.resolve("dax0.img");
        Path systemUuidFile = dir.resolve("system_uuid");
        // The demo owns this device: it is re-made on every run.
        Files.deleteIfExists(device);
        try (RandomAccessFile file = new RandomAccessFile(device.toFile(), "rw")) {
            file.setLength(size);
        }
        out.println("1. made an emulated device: " + device + " (" + size + " bytes, sparse)");

        UUID owner = SystemUuidFile.readOrCreate(systemUuidFile);
        try (Device dev = Device.open(device, Device.Options.readWrite())) {
            Superblock sb = Mkfs.format(
                    dev,
                    new Mkfs.Params(
                            UUID.randomUUID(), UUID.randomUUID(), owner, Famfs.DEFAULT_LOG_LEN, "/dev/dax0.0", true));
            out.println("2. mkfs: famfs file system " + sb.fsUuid() + ", 8 MiB log, owner " + owner + " (from "
                    + systemUuidFile + ")");
            FsckReport report = Fsck.check(FamfsVolume.open(dev), owner);
            out.println("3. fsck:");
            out.println();
            FsckPrinter.print(report, dev.toString(), false, out);
            out.println();
            out.println("The device is " + device + ". Try:");
            out.println("  ./famfs-meta fsck --device " + device + " --system-uuid-file " + systemUuidFile);
            out.println("  ./famfs-meta dump --device " + device);
            out.println("  ./famfs-meta logplay --device " + device + " --shadow " + dir.resolve("shadow"));
            return report.clean() ? ExitCodes.OK : ExitCodes.COLLISIONS;
        }
    }
}
