package io.famfs.meta.leader.cli;

import io.famfs.meta.cli.CommandModule;
import java.util.List;

/** metadata-service's commands: the leader and its clients (the leader issue adds them), and the demo. */
public final class LeaderCommands implements CommandModule {
    @Override
    public String module() {
        return "metadata-service";
    }

    @Override
    public String title() {
        return "Leader commands";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public List<Object> commands() {
        return List.of(new DemoCommand());
    }
}
