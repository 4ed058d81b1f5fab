package io.famfs.meta.leader.client;

import io.famfs.meta.error.FamfsException;
import io.famfs.meta.leader.api.ErrorMapping;
import io.famfs.meta.leader.api.RestApi;
import io.famfs.meta.proto.v1.CommittedEntry;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.CreateFilesRequest;
import io.famfs.meta.proto.v1.CreateFilesResponse;
import io.famfs.meta.proto.v1.EntriesRequest;
import io.famfs.meta.proto.v1.LeaderGrpcClient;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.famfs.meta.proto.v1.MkdirResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;

/**
 * A gRPC client of famfs.v1.Leader that sends the bearer token with every call (the generated client sends no
 * metadata). A call that ends with a non-OK status fails with the domain error of that status and its message.
 */
public final class GrpcLeaderClient implements AutoCloseable {
    private final GrpcClient client;
    private final SocketAddress address;
    private final String token;

    private GrpcLeaderClient(GrpcClient client, SocketAddress address, String token) {
        this.client = client;
        this.address = address;
        this.token = token;
    }

    /** A client of the leader at {@code host:port} on {@code vertx}; {@code token} may be null (no header). */
    public static GrpcLeaderClient create(Vertx vertx, String host, int port, String token) {
        GrpcClient client = GrpcClient.client(
                vertx,
                new GrpcClientOptions().setMaxMessageSize(RestApi.MAX_BODY),
                new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_2)
                        .setHttp2ClearTextUpgrade(false)
                        .setHttp2MultiplexingLimit(1000));
        return new GrpcLeaderClient(client, SocketAddress.inetSocketAddress(port, host), token);
    }

    public Future<CreateFileResponse> createFile(CreateFileRequest request) {
        return call(LeaderGrpcClient.CreateFile, request);
    }

    public Future<CreateFilesResponse> createFiles(CreateFilesRequest request) {
        return call(LeaderGrpcClient.CreateFiles, request);
    }

    public Future<MkdirResponse> mkdir(MkdirRequest request) {
        return call(LeaderGrpcClient.Mkdir, request);
    }

    /** Committed entries from {@code fromIndex} on, then each new one; the stream ends when the leader stops. */
    public Future<GrpcClientResponse<EntriesRequest, CommittedEntry>> entries(long fromIndex) {
        return client.request(address, LeaderGrpcClient.Entries).compose(req -> {
            authorize(req.headers());
            return req.send(EntriesRequest.newBuilder().setFromIndex(fromIndex).build());
        });
    }

    /** One unary call with the token; fails with the domain error the status stands for. */
    public <Q, A> Future<A> call(ServiceMethod<A, Q> method, Q request) {
        return client.request(address, method).compose(req -> {
            authorize(req.headers());
            return req.send(request)
                    .compose(resp -> resp.last()
                            .recover(failure -> Future.failedFuture(
                                    resp.status() != null && resp.status() != GrpcStatus.OK
                                            ? new FamfsException(ErrorMapping.code(resp.status()), resp.statusMessage())
                                            : failure)));
        });
    }

    private void authorize(io.vertx.core.MultiMap headers) {
        if (token != null) {
            headers.set("authorization", "Bearer " + token);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
