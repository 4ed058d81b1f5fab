package io.famfs.meta.agent.cli;

import io.famfs.meta.cli.CommandModule;
import java.util.List;

/** client-agent's commands: the agent, and the demo (a leader and two agents on an emulated device). */
public final class AgentCommands implements CommandModule {
    @Override
    public String module() {
        return "client-agent";
    }

    @Override
    public String title() {
        return "Agent commands and the demo";
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public List<Object> commands() {
        return List.of(new DemoCommand(), new AgentCommand());
    }
}
