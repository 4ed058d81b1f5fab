package io.famfs.meta.leader.cli;

import io.famfs.meta.cli.Configurable;
import io.famfs.meta.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "usage",
        mixinStandardHelpOptions = true,
        description = "Show the leader's fsck summary: log entries, files, allocated and free space.")
public final class UsageCommand implements Callable<Integer>, Configurable {
    @Mixin
    ClientOptions leader;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        NodeText.usage(leader.client().usage(), spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
