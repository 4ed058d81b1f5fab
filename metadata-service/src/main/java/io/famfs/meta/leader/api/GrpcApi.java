package io.famfs.meta.leader.api;

import com.google.protobuf.Message;
import io.famfs.meta.leader.core.Leader;
import io.famfs.meta.leader.core.Op;
import io.famfs.meta.leader.server.LeaderMetrics;
import io.famfs.meta.proto.v1.CommittedEntry;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.CreateFilesRequest;
import io.famfs.meta.proto.v1.CreateFilesResponse;
import io.famfs.meta.proto.v1.EntriesRequest;
import io.famfs.meta.proto.v1.FileInfo;
import io.famfs.meta.proto.v1.LeaderService;
import io.famfs.meta.proto.v1.ListResponse;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.famfs.meta.proto.v1.MkdirResponse;
import io.famfs.meta.proto.v1.PathRequest;
import io.famfs.meta.proto.v1.StatResponse;
import io.famfs.meta.proto.v1.UsageRequest;
import io.famfs.meta.proto.v1.UsageResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;
import java.util.function.Supplier;

/** The gRPC service famfs.v1.Leader: requests validated by {@link Requests}, errors mapped by {@link ErrorMapping}. */
public final class GrpcApi extends LeaderService {
    private final Leader leader;
    private final Requests.Context context;
    private final LeaderMetrics metrics;

    public GrpcApi(Leader leader, Requests.Context context, LeaderMetrics metrics) {
        this.leader = leader;
        this.context = context;
        this.metrics = metrics;
    }

    @Override
    public Future<CreateFileResponse> createFile(CreateFileRequest request) {
        return change("create", () -> Requests.createFile(request, context));
    }

    @Override
    public Future<CreateFilesResponse> createFiles(CreateFilesRequest request) {
        return change("create_batch", () -> Requests.createFiles(request, context));
    }

    @Override
    public Future<MkdirResponse> mkdir(MkdirRequest request) {
        return change("mkdir", () -> Requests.mkdir(request));
    }

    @Override
    public Future<StatResponse> stat(PathRequest request) {
        return read("stat", () -> leader.stat(Requests.readPath(request.getPath())));
    }

    @Override
    public Future<ListResponse> list(PathRequest request) {
        return read("list", () -> leader.list(Requests.readPath(request.getPath())));
    }

    @Override
    public Future<FileInfo> getFmap(PathRequest request) {
        return read("fmap", () -> leader.fmap(Requests.readPath(request.getPath())));
    }

    @Override
    public Future<UsageResponse> usage(UsageRequest request) {
        return read("usage", leader::usage);
    }

    @Override
    protected void entries(EntriesRequest request, WriteStream<CommittedEntry> response) {
        new EntryFeed<>(leader, Vertx.currentContext(), request.getFromIndex(), response, e -> e, true, failure -> {
                    var m = ErrorMapping.of(failure);
                    ((GrpcServerResponse<?, ?>) response)
                            .status(m.grpc())
                            .statusMessage(m.message())
                            .end();
                })
                .start();
    }

    @SuppressWarnings("unchecked")
    private <T extends Message> Future<T> change(String op, Supplier<Op> request) {
        long started = metrics.start();
        Future<Message> answer;
        try {
            answer = Future.fromCompletionStage(leader.submit(request.get()), Vertx.currentContext());
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        return answer.andThen(ar -> metrics.done(started, op, "grpc", ar.result(), ar.cause()))
                .map(m -> (T) m)
                .recover(GrpcApi::status);
    }

    private <T extends Message> Future<T> read(String op, Supplier<T> read) {
        long started = metrics.start();
        try {
            T answer = read.get();
            metrics.done(started, op, "grpc", answer, null);
            return Future.succeededFuture(answer);
        } catch (RuntimeException e) {
            metrics.done(started, op, "grpc", null, e);
            return status(e);
        }
    }

    private static <T> Future<T> status(Throwable failure) {
        var m = ErrorMapping.of(failure);
        return Future.failedFuture(new StatusException(m.grpc(), m.message()));
    }
}
