package io.famfs.meta.leader.cli;

import io.famfs.meta.cli.CommandModule;
import java.util.List;

/** metadata-service's commands: the leader, and the client commands that talk to it. */
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
        return List.of(
                new LeaderCommand(),
                new CreatCommand(),
                new MkdirCommand(),
                new LsCommand(),
                new StatCommand(),
                new LeaderGetmapCommand(),
                new UsageCommand());
    }
}
