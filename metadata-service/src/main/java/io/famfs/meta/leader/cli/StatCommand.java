package io.famfs.meta.leader.cli;

import io.famfs.meta.cli.Configurable;
import io.famfs.meta.cli.ExitCodes;
import io.famfs.meta.proto.v1.StatResponse;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "stat",
        mixinStandardHelpOptions = true,
        description = "Show a file's or directory's attributes as the leader sees them.",
        footer = {"", "Exit codes: 0 shown; 7 no such file or directory; 2 invalid path."})
public final class StatCommand implements Callable<Integer>, Configurable {
    @Mixin
    ClientOptions leader;

    @Parameters(paramLabel = "PATH")
    String path;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StatResponse stat = leader.client().stat(path);
        PrintWriter out = spec.commandLine().getOut();
        if (stat.hasFile()) {
            NodeText.file(stat.getFile(), false, out);
        } else {
            NodeText.dir(stat.getDir(), out);
        }
        return ExitCodes.OK;
    }
}
