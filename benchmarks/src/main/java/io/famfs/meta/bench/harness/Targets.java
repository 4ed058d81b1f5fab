package io.famfs.meta.bench.harness;

import com.google.protobuf.Message;
import io.famfs.meta.leader.api.Requests;
import io.famfs.meta.leader.client.GrpcLeaderClient;
import io.famfs.meta.leader.core.Leader;
import io.famfs.meta.leader.core.Op;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.CreateFilesRequest;
import io.famfs.meta.proto.v1.CreateFilesResponse;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The requests a run sends. Request {@code n} creates files {@code n * filesPerRequest} and on; file {@code i} is
 * {@code load/dDDD/fIIIIIIIIII} in one of {@link #DIRS} directories made before the run (a hundred consecutive files
 * share a directory). Every answer is checked: each file must be reported created (a new entry), else the run fails.
 */
public final class Targets {
    /** Directories the files go to, {@code load/d000} to {@code load/d255}. */
    public static final int DIRS = 256;

    private Targets() {}

    public static String dir(int d) {
        return "load/d" + pad(d, 3);
    }

    public static String path(long file) {
        return dir((int) ((file / 100) % DIRS)) + "/f" + pad(file, 10);
    }

    /** Makes load/ and its DIRS directories (in parallel, 32 at a time), before a run. */
    public static void mkdirs(Function<MkdirRequest, Future<Void>> mkdir) {
        try {
            mkdir.apply(MkdirRequest.newBuilder().setPath("load").build()).await(30, TimeUnit.SECONDS);
            for (int d = 0; d < DIRS; d += 32) {
                List<Future<Void>> some = new ArrayList<>();
                for (int k = d; k < Math.min(DIRS, d + 32); k++) {
                    some.add(mkdir.apply(
                            MkdirRequest.newBuilder().setPath(dir(k)).build()));
                }
                Future.all(some).await(30, TimeUnit.SECONDS);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("mkdir took over 30 s", e);
        }
    }

    private static String pad(long value, int width) {
        String s = Long.toString(value);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }

    private static CreateFileRequest file(long i, long size) {
        return CreateFileRequest.newBuilder().setPath(path(i)).setSize(size).build();
    }

    private static CreateFilesRequest batch(long n, int files, long size) {
        CreateFilesRequest.Builder b = CreateFilesRequest.newBuilder();
        for (int k = 0; k < files; k++) {
            b.addFiles(file(n * files + k, size));
        }
        return b.build();
    }

    /** Null when the answer reports every file created, else what is wrong with it. */
    public static Throwable check(Message answer, int files) {
        return switch (answer) {
            case CreateFileResponse one ->
                one.getCreated() ? null : wrong("file existed: " + one.getFile().getPath());
            case CreateFilesResponse many -> {
                if (many.getResultsCount() != files) {
                    yield wrong(many.getResultsCount() + " results for " + files + " files");
                }
                for (CreateFileResponse r : many.getResultsList()) {
                    if (!r.getCreated()) {
                        yield wrong("file existed: " + r.getFile().getPath());
                    }
                }
                yield null;
            }
            default -> wrong("unexpected answer " + answer.getClass().getSimpleName());
        };
    }

    private static IllegalStateException wrong(String why) {
        return new IllegalStateException(why);
    }

    private static void complete(Future<? extends Message> answer, int files, Driver.Done done) {
        answer.onComplete(ar -> done.done(ar.failed() ? ar.cause() : check(ar.result(), files)));
    }

    /** CreateFiles over gRPC: {@code files} per batch. */
    public static Driver.Target grpcBatch(GrpcLeaderClient client, int files, long size) {
        return new Driver.Target() {
            @Override
            public int filesPerRequest() {
                return files;
            }

            @Override
            public void send(long n, Driver.Done done) {
                complete(client.createFiles(batch(n, files, size)), files, done);
            }
        };
    }

    /** CreateFile over gRPC. */
    public static Driver.Target grpcSingle(GrpcLeaderClient client, long size) {
        return new Driver.Target() {
            @Override
            public int filesPerRequest() {
                return 1;
            }

            @Override
            public void send(long n, Driver.Done done) {
                complete(client.createFile(file(n, size)), 1, done);
            }
        };
    }

    /** POST /v1/files with a JSON body (HTTP/1.1 keep-alive; the client's pool holds the connections). */
    public static Driver.Target restSingle(HttpClientAgent http, int port, String token, long size) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/v1/files")
                .putHeader("authorization", "Bearer " + token)
                .putHeader("content-type", "application/json");
        return new Driver.Target() {
            @Override
            public int filesPerRequest() {
                return 1;
            }

            @Override
            public void send(long n, Driver.Done done) {
                Buffer body = Buffer.buffer("{\"path\":\"" + path(n) + "\",\"size\":" + size + "}");
                http.request(options)
                        .compose(req -> req.send(body))
                        .compose(resp -> resp.body()
                                .map(b -> resp.statusCode() == 201
                                        ? (Throwable) null
                                        : wrong("HTTP " + resp.statusCode() + ": " + b)))
                        .onComplete(ar -> done.done(ar.failed() ? ar.cause() : ar.result()));
            }
        };
    }

    /**
     * The leader core in this JVM, without network: the request validated as the API validates it, submitted to the
     * writer, and the answer handed back to the driver's event loop (as the API hands it to its event loop).
     */
    public static Driver.Target inProcess(
            Leader leader, Requests.Context requests, Context context, boolean batched, int files, long size) {
        return new Driver.Target() {
            @Override
            public int filesPerRequest() {
                return files;
            }

            @Override
            public void send(long n, Driver.Done done) {
                Op op = batched
                        ? Requests.createFiles(batch(n, files, size), requests)
                        : Requests.createFile(file(n, size), requests);
                leader.submit(op)
                        .whenComplete((m, e) -> context.runOnContext(v -> done.done(e != null ? e : check(m, files))));
            }
        };
    }
}
