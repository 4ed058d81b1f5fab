package io.famfs.meta.cli;

import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every device command takes, and the one place that opens the device from them. */
public final class DeviceOptions {
    @Option(
            names = {"-d", "--device"},
            paramLabel = "DEV",
            description =
                    "The famfs device: a dax character device (/dev/daxX.Y) or a regular file (an emulated device).")
    Path device;

    @Option(
            names = "--device-size",
            paramLabel = "SIZE",
            converter = Sizes.class,
            description = "Size of a character device whose sysfs size file is missing (e.g. 8g).")
    Long deviceSize;

    @Option(
            names = "--sysfs-root",
            paramLabel = "DIR",
            defaultValue = "/sys",
            description = "Where to look up dev/char/MAJ:MIN/size (default: ${DEFAULT-VALUE}).")
    Path sysfsRoot;

    /** The device named; INVALID_ARGUMENT when none was. */
    public Path path() {
        if (device == null) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "name the device: --device DEV");
        }
        return device;
    }

    /** True when a device was named. */
    public boolean given() {
        return device != null;
    }

    public Device open(boolean writable) {
        return Device.open(path(), options(writable));
    }

    /** How to open the device. */
    public Device.Options options(boolean writable) {
        return (writable ? Device.Options.readWrite() : Device.Options.readOnly())
                .withSysfsRoot(sysfsRoot)
                .withDeviceSize(deviceSize == null ? -1 : deviceSize);
    }
}
