package io.famfs.meta.leader.it;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.proto.v1.CommittedEntry;
import io.famfs.meta.proto.v1.DirInfo;
import io.famfs.meta.proto.v1.EntriesRequest;
import io.famfs.meta.proto.v1.FileInfo;
import io.famfs.meta.proto.v1.Fmap;
import io.famfs.meta.proto.v1.LeaderGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the API tests share: plain REST requests (java.net.http, any method, body and Authorization header), gRPC
 * calls that report the exact status (typed, or raw bytes to a full method name), the entry streams, and the bytes of
 * the log region of a device. One instance per leader process (its ports); close it before the leader goes.
 */
final class ApiSupport implements AutoCloseable {
    static final long MiB = 1L << 20;
    static final long GiB = 1L << 30;
    static final Duration WAIT = Duration.ofSeconds(60);

    /** Large enough for the answer to a batch of 10,000 files. */
    static final long MAX_MESSAGE = 64 * MiB;

    /** protobuf's JSON mapping, as a REST client writes it. */
    static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    /** Strict: an answer with a field the API does not define fails the test. */
    static final JsonFormat.Parser PARSER = JsonFormat.parser();

    final LeaderProcess leader;
    final String token;
    final Vertx vertx = Vertx.vertx();
    private final GrpcClient grpc;
    private final SocketAddress address;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    ApiSupport(LeaderProcess leader) {
        this.leader = leader;
        this.token = leader.token();
        this.grpc = GrpcClient.client(
                vertx,
                new GrpcClientOptions().setMaxMessageSize(MAX_MESSAGE),
                new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_2)
                        .setHttp2ClearTextUpgrade(false)
                        .setHttp2MultiplexingLimit(100));
        this.address = SocketAddress.inetSocketAddress(leader.grpcPort(), "127.0.0.1");
    }

    String bearer() {
        return "Bearer " + token;
    }

    // ---- REST ----

    /** An HTTP answer: status and body. */
    record Reply(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }

        /** The JSON error body's code, after checking the body is the documented error shape. */
        String errorCode() {
            JsonObject error = json().getJsonObject("error");
            assertNotNull(error, () -> "no error object in " + body);
            assertEquals(status, error.getInteger("status"), () -> "error.status differs from HTTP status: " + body);
            assertFalse(error.getString("message", "").isBlank(), () -> "error without message: " + body);
            return error.getString("code");
        }

        @SuppressWarnings("unchecked")
        <T extends Message> T as(Message.Builder builder) {
            return (T) parse(body, builder);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }

    Reply rest(String method, String route, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(leader.restUrl() + route))
                .timeout(WAIT)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("content-type", "application/json");
        }
        if (authorization != null) {
            b.header("authorization", authorization);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    Reply get(String route) {
        return rest("GET", route, null, bearer());
    }

    /** GET {@code route?path=PATH} with the path URL-encoded. */
    Reply get(String route, String path) {
        return get(route + "?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
    }

    Reply post(String route, Message request) {
        return rest("POST", route, json(request), bearer());
    }

    static String json(Message m) {
        try {
            return JSON.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    static Message parse(String json, Message.Builder builder) {
        try {
            PARSER.merge(json, builder);
            return builder.build();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(
                    "answer does not parse as " + builder.getDescriptorForType().getName() + ": " + json, e);
        }
    }

    // ---- gRPC ----

    /** A gRPC call's end: its status and message, and the answer when OK. */
    record Answer<A>(GrpcStatus status, String message, A value) {
        @Override
        public String toString() {
            return "gRPC " + status + " '" + message + "' " + value;
        }
    }

    /** One unary call with {@code authorization} (null: no header); the exact status the leader ended it with. */
    <Q, A> Answer<A> call(ServiceMethod<A, Q> method, Q request, String authorization) {
        return await(grpc.request(address, method).compose(req -> {
            if (authorization != null) {
                req.headers().set("authorization", authorization);
            }
            return req.send(request)
                    .compose(resp -> resp.last()
                            .transform(ar -> Future.succeededFuture(new Answer<>(
                                    resp.status(), resp.statusMessage(), ar.succeeded() ? ar.result() : null))));
        }));
    }

    /** A call with the right token that must succeed; its answer. */
    <Q, A> A ok(ServiceMethod<A, Q> method, Q request) {
        Answer<A> a = call(method, request, bearer());
        assertEquals(GrpcStatus.OK, a.status(), a::toString);
        assertNotNull(a.value(), a::toString);
        return a.value();
    }

    /** A call with the right token; asserts it ended with {@code expected} and returns its message. */
    <Q, A> String fails(ServiceMethod<A, Q> method, Q request, GrpcStatus expected) {
        Answer<A> a = call(method, request, bearer());
        assertEquals(expected, a.status(), a::toString);
        assertNull(a.value(), a::toString);
        assertNotNull(a.message(), a::toString);
        return a.message();
    }

    /** Raw bytes as the one request message to {@code fullMethodName} ("package.Service/Method"); every reply message. */
    Answer<List<Buffer>> raw(String fullMethodName, Buffer payload, String authorization) {
        return await(grpc.request(address).compose(req -> {
            req.fullMethodName(fullMethodName);
            if (authorization != null) {
                req.headers().set("authorization", authorization);
            }
            return req.send(payload).compose(resp -> {
                List<Buffer> got = new ArrayList<>();
                resp.handler(got::add);
                return resp.end()
                        .transform(
                                ar -> Future.succeededFuture(new Answer<>(resp.status(), resp.statusMessage(), got)));
            });
        }));
    }

    /** An open stream: what it delivered so far, and how to cancel it. */
    record Feed<T>(BlockingQueue<T> queue, Runnable cancel) implements AutoCloseable {
        @Override
        public void close() {
            cancel.run();
        }
    }

    /** The leader's Entries stream from {@code from} (with the token): every message lands in the queue. */
    Feed<CommittedEntry> grpcEntries(long from) {
        BlockingQueue<CommittedEntry> q = new LinkedBlockingQueue<>();
        var request = await(grpc.request(address, LeaderGrpcClient.Entries).compose(req -> {
            req.headers().set("authorization", bearer());
            return req.send(EntriesRequest.newBuilder().setFromIndex(from).build())
                    .map(resp -> {
                        resp.handler(q::add); // on the event loop, before any message can pass
                        return req;
                    });
        }));
        return new Feed<>(q, request::cancel);
    }

    /** GET /v1/entries?from=N&follow=true on Vert.x's HTTP client: every line lands in the queue. */
    Feed<String> restFollow(long from) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        var client = vertx.createHttpClient();
        var request = await(client.request(
                        HttpMethod.GET, leader.restPort(), "127.0.0.1", "/v1/entries?from=" + from + "&follow=true")
                .compose(req -> {
                    req.putHeader("authorization", bearer());
                    return req.send().map(resp -> {
                        assertEquals(200, resp.statusCode());
                        resp.handler(RecordParser.newDelimited("\n", line -> q.add(line.toString())));
                        return req;
                    });
                }));
        return new Feed<>(q, () -> await(request.connection().close()));
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("call failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("call did not end within " + WAIT, e);
        }
    }

    static <T> T take(BlockingQueue<T> q) {
        try {
            T t = q.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(t, "nothing arrived within " + WAIT);
            return t;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- answers against the log ----

    /** A file the API answered with is exactly what the log holds at its index (decoded by the tests' own reader). */
    static void assertMatches(TestLog.Entry logged, FileInfo f) {
        assertNotNull(logged, () -> "not in the log: " + f.getPath());
        assertTrue(logged.file(), () -> logged + " is not a file");
        assertEquals(logged.index(), f.getLogIndex(), "log index");
        assertEquals(logged.path(), f.getPath(), "path");
        assertEquals(logged.size(), f.getSize(), "size");
        assertEquals(logged.mode(), f.getMode(), "mode");
        assertEquals(logged.uid(), f.getUid(), "uid");
        assertEquals(logged.gid(), f.getGid(), "gid");
        assertEquals(
                logged.interleaved() ? Fmap.Kind.INTERLEAVED : Fmap.Kind.SIMPLE,
                f.getFmap().getKind(),
                "kind");
        if (logged.interleaved()) {
            assertEquals(logged.chunkSize(), f.getFmap().getChunkSize(), "chunk size");
        }
        assertEquals(
                logged.extents(),
                f.getFmap().getExtentsList().stream()
                        .map(e -> new TestLog.Extent(e.getDevindex(), e.getOffset(), e.getLength()))
                        .toList(),
                "extents");
        assertEquals(List.of(), f.getFlagsList(), "flags");
    }

    static void assertMatches(TestLog.Entry logged, DirInfo d) {
        assertNotNull(logged, () -> "not in the log: " + d.getPath());
        assertFalse(logged.file(), () -> logged + " is not a directory");
        assertEquals(logged.index(), d.getLogIndex(), "log index");
        assertEquals(logged.path(), d.getPath(), "path");
        assertEquals(logged.mode(), d.getMode(), "mode");
        assertEquals(logged.uid(), d.getUid(), "uid");
        assertEquals(logged.gid(), d.getGid(), "gid");
    }

    /** A committed entry the stream delivered is the log's entry at that index. */
    static void assertMatches(TestLog.Entry logged, CommittedEntry e) {
        assertEquals(logged.index(), e.getIndex(), "index");
        if (logged.file()) {
            assertTrue(e.hasFile(), e::toString);
            assertMatches(logged, e.getFile());
        } else {
            assertTrue(e.hasDir(), e::toString);
            assertMatches(logged, e.getDir());
        }
    }

    // ---- the device ----

    /** The log region's bytes, [2 MiB, 2 MiB + log_len): header and every slot, used or not. */
    static byte[] logRegion(Path device) {
        long logLen = TestLog.of(device).logLen;
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(logLen));
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ)) {
            while (b.hasRemaining()) {
                if (ch.read(b, TestLog.LOG_OFFSET + b.position()) < 0) {
                    throw new IOException("short device");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.array();
    }

    @Override
    public void close() {
        http.shutdownNow();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("vertx did not close", e);
        }
    }
}
