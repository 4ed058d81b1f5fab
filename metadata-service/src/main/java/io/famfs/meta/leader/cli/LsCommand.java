package io.famfs.meta.leader.cli;

import io.famfs.meta.cli.Configurable;
import io.famfs.meta.cli.ExitCodes;
import io.famfs.meta.proto.v1.ListResponse;
import io.famfs.meta.proto.v1.StatResponse;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "ls",
        mixinStandardHelpOptions = true,
        description = "List a directory as the leader sees it: mode, uid, gid, size, name.")
public final class LsCommand implements Callable<Integer>, Configurable {
    @Mixin
    ClientOptions leader;

    @Parameters(paramLabel = "DIR", defaultValue = "/", description = "Default: the root.")
    String path;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ListResponse list = leader.client().list(path);
        PrintWriter out = spec.commandLine().getOut();
        for (StatResponse child : list.getChildrenList()) {
            out.println(NodeText.line(child));
        }
        return ExitCodes.OK;
    }
}
