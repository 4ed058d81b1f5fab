package io.famfs.meta.leader.cli;

import io.famfs.meta.cli.Configurable;
import io.famfs.meta.cli.ExitCodes;
import io.famfs.meta.proto.v1.DirInfo;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.famfs.meta.proto.v1.MkdirResponse;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "mkdir",
        mixinStandardHelpOptions = true,
        description = "Create a directory through the leader (famfs mkdir).",
        footer = {"", "Exit codes: 0 created (or, with -p, existed); 7 parent missing; 8 exists; see creat."})
public final class MkdirCommand implements Callable<Integer>, Configurable {
    @Mixin
    ClientOptions leader;

    @Parameters(paramLabel = "PATH", description = "Relative to the mount point.")
    String path;

    @Option(
            names = {"-p", "--parents"},
            description = "Create missing parents; an existing directory is success.")
    boolean parents;

    @Mixin
    AttrOptions attrs;

    @Option(names = "--request-id", paramLabel = "ID", description = "Makes retries safe (see creat).")
    String requestId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MkdirRequest.Builder r = MkdirRequest.newBuilder()
                .setPath(path)
                .setParents(parents)
                .setUid(attrs.uid())
                .setGid(attrs.gid());
        if (attrs.mode != null) {
            r.setMode(attrs.mode);
        }
        if (requestId != null) {
            r.setRequestId(requestId);
        }
        MkdirResponse answer = leader.client().mkdir(r.build());
        PrintWriter out = spec.commandLine().getOut();
        if (answer.getCreatedCount() == 0) {
            out.println("exists: " + answer.getDir().getPath());
        }
        for (DirInfo d : answer.getCreatedList()) {
            out.println("created: " + d.getPath() + " (log index " + d.getLogIndex() + ")");
        }
        return ExitCodes.OK;
    }
}
