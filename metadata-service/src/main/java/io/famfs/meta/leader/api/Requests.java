package io.famfs.meta.leader.api;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.RelPath;
import io.famfs.meta.leader.alloc.InterleaveParams;
import io.famfs.meta.leader.core.FileSpec;
import io.famfs.meta.leader.core.Op;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFilesRequest;
import io.famfs.meta.proto.v1.MkdirRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The one home of request validation, for gRPC and REST alike: a request becomes an {@link Op} here or is refused
 * with INVALID_ARGUMENT naming the field. Paths follow {@link RelPath} (relative, at most 79 bytes of UTF-8, no empty,
 * "." or ".." component, no control character; a leading '/' is taken as the mount point and dropped); sizes are
 * above 0 (and below 2^63); modes are permission bits only; uid and gid are unsigned 32-bit numbers (the wire type
 * refuses negatives); interleave parameters follow {@link InterleaveParams}.
 */
public final class Requests {
    private Requests() {}

    /** Files in one batch, at most. */
    public static final int MAX_BATCH = 10_000;

    public static final int MAX_REQUEST_ID = 128;

    public static final int DEFAULT_FILE_MODE = 0644;
    public static final int DEFAULT_DIR_MODE = 0755;

    /** What requests are checked against: the device size and the leader's default striping. */
    public record Context(long devSize, InterleaveParams defaultInterleave) {}

    public static Op.CreateFiles createFile(CreateFileRequest r, Context ctx) {
        return new Op.CreateFiles(List.of(file(r, ctx, "")), requestId(r.getRequestId()), false);
    }

    public static Op.CreateFiles createFiles(CreateFilesRequest r, Context ctx) {
        if (r.getFilesCount() == 0) {
            throw invalid("a batch needs at least one file");
        }
        if (r.getFilesCount() > MAX_BATCH) {
            throw invalid("a batch holds at most " + MAX_BATCH + " files, not " + r.getFilesCount());
        }
        List<FileSpec> files = new ArrayList<>(r.getFilesCount());
        for (int i = 0; i < r.getFilesCount(); i++) {
            CreateFileRequest f = r.getFiles(i);
            if (!f.getRequestId().isEmpty()) {
                throw invalid("files[" + i + "]: request_id belongs to the batch, not to its files");
            }
            files.add(file(f, ctx, "files[" + i + "]: "));
        }
        return new Op.CreateFiles(files, requestId(r.getRequestId()), true);
    }

    public static Op.Mkdir mkdir(MkdirRequest r) {
        int mode = r.hasMode() ? mode(r.getMode(), "") : DEFAULT_DIR_MODE;
        return new Op.Mkdir(
                path(r.getPath(), ""), mode, r.getUid(), r.getGid(), r.getParents(), requestId(r.getRequestId()));
    }

    private static FileSpec file(CreateFileRequest r, Context ctx, String where) {
        String path = path(r.getPath(), where);
        long size = r.getSize();
        if (size <= 0) {
            throw invalid(where + "size must be above 0: " + Long.toUnsignedString(size));
        }
        int mode = r.hasMode() ? mode(r.getMode(), where) : DEFAULT_FILE_MODE;
        InterleaveParams interleave;
        if (r.getContiguous()) {
            if (r.hasInterleave()) {
                throw invalid(where + "contiguous and interleave exclude each other");
            }
            interleave = null;
        } else if (r.hasInterleave()) {
            var i = r.getInterleave();
            interleave = wrapped(
                    where,
                    () -> new InterleaveParams(i.getNbuckets(), i.getNstrips(), i.getChunkSize())
                            .validate(ctx.devSize()));
        } else {
            interleave = ctx.defaultInterleave();
        }
        return new FileSpec(path, size, mode, r.getUid(), r.getGid(), interleave, r.getParents());
    }

    /** A path as a client gives it: a leading '/' (the mount point) is dropped, the rest must pass {@link RelPath}. */
    public static String path(String given, String where) {
        String p = given.startsWith("/") ? given.substring(1) : given;
        RelPath.Problem problem = RelPath.check(p);
        if (problem != null) {
            throw invalid(where + "path '" + given + "': " + problem.text());
        }
        return p;
    }

    /** A path to read ("" or "/" is the root). */
    public static String readPath(String given) {
        return given.isEmpty() || given.equals("/") ? "" : path(given, "");
    }

    private static int mode(int mode, String where) {
        if ((mode & ~0777) != 0) {
            throw invalid(where + "mode must hold permission bits only (0 to 0777): 0" + Integer.toOctalString(mode));
        }
        return mode;
    }

    private static String requestId(String id) {
        if (id.isEmpty()) {
            return null;
        }
        if (id.length() > MAX_REQUEST_ID || id.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw invalid("request_id must be 1 to " + MAX_REQUEST_ID + " printable ASCII characters without spaces");
        }
        return id;
    }

    private static <T> T wrapped(String where, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (FamfsException e) {
            throw invalid(where + e.getMessage());
        }
    }

    private static FamfsException invalid(String why) {
        return new FamfsException(ErrorCode.INVALID_ARGUMENT, why);
    }
}
