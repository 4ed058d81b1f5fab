package io.famfs.meta.cli;

import io.famfs.meta.device.Device;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every device command takes, and the one place that opens the device from them. */
public final class DeviceOptions {
    @Option(
            names = {"-d", "--device"},
            required = true,
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

    public Path path() {
        return device;
    }

    public Device open(boolean writable) {
        Device.Options options = (writable ? Device.Options.readWrite() : Device.Options.readOnly())
                .withSysfsRoot(sysfsRoot)
                .withDeviceSize(deviceSize == null ? -1 : deviceSize);
        return Device.open(device, options);
    }
}
