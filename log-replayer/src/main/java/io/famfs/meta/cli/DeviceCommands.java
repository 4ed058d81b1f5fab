package io.famfs.meta.cli;

import java.util.List;

/** log-replayer's commands: the ones that need only a device. */
public final class DeviceCommands implements CommandModule {
    @Override
    public String module() {
        return "log-replayer";
    }

    @Override
    public String title() {
        return "Device commands";
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public List<Object> commands() {
        return List.of(
                new MkfsCommand(), new FsckCommand(), new LogplayCommand(), new GetmapCommand(), new DumpCommand());
    }
}
