package io.famfs.meta.leader.cli;

import io.famfs.meta.cli.Configurable;
import io.famfs.meta.cli.ExitCodes;
import io.famfs.meta.cli.Sizes;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.Interleave;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "creat",
        mixinStandardHelpOptions = true,
        description = "Create a file through the leader: allocate its space and log it (famfs creat).",
        footer = {
            "",
            "An identical file that exists already is success (nothing is written); anything else at the path exits 8.",
            "Exit codes: 0 created or existed; 2 invalid; 7 parent missing; 8 exists; 9 no space or log full;",
            "11 leader unreachable or not ready; 12 token refused."
        })
public final class CreatCommand implements Callable<Integer>, Configurable {
    @Mixin
    ClientOptions leader;

    @Parameters(paramLabel = "PATH", description = "Relative to the mount point (a leading '/' is dropped).")
    String path;

    @Option(
            names = {"-s", "--size"},
            required = true,
            converter = Sizes.class,
            paramLabel = "SIZE",
            description = "File size (e.g. 4096, 2m, 1g).")
    long size;

    @Mixin
    AttrOptions attrs;

    @Option(
            names = {"-p", "--parents"},
            description = "Create missing parent directories.")
    boolean parents;

    @Option(
            names = {"-B", "--nbuckets"},
            description = "Striping: buckets the device is cut into (with -N and -C; default: the leader's).")
    Integer nbuckets;

    @Option(
            names = {"-N", "--nstrips"},
            description = "Striping: strips per file.")
    Integer nstrips;

    @Option(
            names = {"-C", "--chunk-size"},
            converter = Sizes.class,
            paramLabel = "SIZE",
            description = "Striping: chunk size (a power-of-two multiple of 2m).")
    Long chunkSize;

    @Option(names = "--contiguous", description = "One contiguous extent even when the leader's default is striped.")
    boolean contiguous;

    @Option(
            names = "--request-id",
            paramLabel = "ID",
            description = "Makes retries safe: the same id gets the same answer and writes nothing again.")
    String requestId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CreateFileRequest.Builder r = CreateFileRequest.newBuilder()
                .setPath(path)
                .setSize(size)
                .setUid(attrs.uid())
                .setGid(attrs.gid())
                .setParents(parents)
                .setContiguous(contiguous);
        if (attrs.mode != null) {
            r.setMode(attrs.mode);
        }
        if (nbuckets != null || nstrips != null || chunkSize != null) {
            r.setInterleave(Interleave.newBuilder()
                    .setNbuckets(nbuckets == null ? 0 : nbuckets)
                    .setNstrips(nstrips == null ? 0 : nstrips)
                    .setChunkSize(chunkSize == null ? 0 : chunkSize));
        }
        if (requestId != null) {
            r.setRequestId(requestId);
        }
        CreateFileResponse answer = leader.client().createFile(r.build());
        PrintWriter out = spec.commandLine().getOut();
        out.println(answer.getCreated() ? "created" : "exists (identical; nothing written)");
        NodeText.file(answer.getFile(), true, out);
        return ExitCodes.OK;
    }
}
