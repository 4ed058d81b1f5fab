package io.famfs.meta.leader.api;

import com.google.protobuf.Message;
import io.famfs.meta.leader.cluster.AgentRegistry;
import io.famfs.meta.leader.core.Leader;
import io.famfs.meta.leader.core.Op;
import io.famfs.meta.leader.server.LeaderMetrics;
import io.famfs.meta.proto.v1.AgentHeartbeatRequest;
import io.famfs.meta.proto.v1.AgentHeartbeatResponse;
import io.famfs.meta.proto.v1.AgentsRequest;
import io.famfs.meta.proto.v1.AgentsResponse;
import io.famfs.meta.proto.v1.CommittedEntry;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.CreateFilesRequest;
import io.famfs.meta.proto.v1.CreateFilesResponse;
import io.famfs.meta.proto.v1.EntriesRequest;
import io.famfs.meta.proto.v1.FileInfo;
import io.famfs.meta.proto.v1.LeaderGrpcService;
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
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.WireFormat;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;
import io.vertx.grpc.server.ServiceBuilder;
import io.vertx.grpc.server.StatusException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The gRPC service famfs.v1.Leader: requests validated by {@link Requests}, errors mapped by {@link ErrorMapping}.
 * Serve it through {@link #service()}.
 */
public final class GrpcApi extends LeaderService {
    private final Leader leader;
    private final Requests.Context context;
    private final LeaderMetrics metrics;
    private final AgentRegistry agents;

    public GrpcApi(Leader leader, Requests.Context context, LeaderMetrics metrics, AgentRegistry agents) {
        this.leader = leader;
        this.context = context;
        this.metrics = metrics;
        this.agents = agents;
    }

    /** A request that did not decode as its message. */
    private record Malformed(CodecException cause) {}

    /**
     * famfs.v1.Leader as a Vert.x service (reflection included) that answers a request whose bytes are not its message
     * with INVALID_ARGUMENT: Vert.x's own binding resets the stream, which a client sees as a bare CANCELLED.
     */
    public Service service() {
        ServiceBuilder b = Service.service(LeaderGrpcService.SERVICE_NAME, LeaderGrpcService.SERVICE_DESCRIPTOR);
        unary(b, LeaderGrpcService.CreateFile, this::createFile);
        unary(b, LeaderGrpcService.CreateFiles, this::createFiles);
        unary(b, LeaderGrpcService.Mkdir, this::mkdir);
        unary(b, LeaderGrpcService.Stat, this::stat);
        unary(b, LeaderGrpcService.List, this::list);
        unary(b, LeaderGrpcService.GetFmap, this::getFmap);
        unary(b, LeaderGrpcService.Usage, this::usage);
        unary(b, LeaderGrpcService.AgentHeartbeat, this::agentHeartbeat);
        unary(b, LeaderGrpcService.Agents, this::agents);
        ServiceMethod<Object, CommittedEntry> entries = checked(LeaderGrpcService.Entries);
        b.bind(
                entries,
                req -> req.handler(m -> {
                    if (m instanceof Malformed bad) {
                        refuse(req.response(), bad);
                    } else {
                        entries((EntriesRequest) m, req.response());
                    }
                }));
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static <Q, A> void unary(ServiceBuilder b, ServiceMethod<Q, A> method, Function<Q, Future<A>> call) {
        b.bind(
                checked(method),
                req -> req.handler(m -> {
                    if (m instanceof Malformed bad) {
                        refuse(req.response(), bad);
                        return;
                    }
                    call.apply((Q) m).onComplete(ar -> {
                        if (ar.succeeded()) {
                            req.response().end(ar.result());
                        } else {
                            req.response().fail(ar.cause());
                        }
                    });
                }));
    }

    /** {@code method} with a decoder that hands on what does not decode as {@link Malformed}. */
    private static <Q, A> ServiceMethod<Object, A> checked(ServiceMethod<Q, A> method) {
        GrpcMessageDecoder<Q> decoder = method.decoder();
        GrpcMessageDecoder<Object> lenient = new GrpcMessageDecoder<>() {
            @Override
            public Object decode(GrpcMessage message) {
                try {
                    return decoder.decode(message);
                } catch (CodecException e) {
                    return new Malformed(e);
                }
            }

            @Override
            public boolean accepts(WireFormat format) {
                return decoder.accepts(format);
            }
        };
        return ServiceMethod.server(method.serviceName(), method.methodName(), method.encoder(), lenient);
    }

    private static void refuse(GrpcServerResponse<?, ?> response, Malformed bad) {
        response.status(GrpcStatus.INVALID_ARGUMENT)
                .statusMessage(
                        "the request is not a valid message: " + bad.cause().getMessage())
                .end();
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
    public Future<AgentHeartbeatResponse> agentHeartbeat(AgentHeartbeatRequest request) {
        return read("agent_heartbeat", () -> {
            agents.heartbeat(request);
            return AgentHeartbeatResponse.newBuilder()
                    .setPublished(leader.published())
                    .setFsUuid(leader.volume().superblock().fsUuid().toString())
                    .build();
        });
    }

    @Override
    public Future<AgentsResponse> agents(AgentsRequest request) {
        return read("agents", agents::list);
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
