package io.famfs.meta.leader.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.leader.core.Leader;
import io.famfs.meta.leader.core.Op;
import io.famfs.meta.leader.server.LeaderMetrics;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.CreateFilesRequest;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.famfs.meta.proto.v1.MkdirResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The REST mirror of famfs.v1.Leader under /v1: the same messages as JSON (protobuf's JSON mapping; unknown fields
 * are refused), the same validation ({@link Requests}) and the same error table ({@link ErrorMapping}), errors as
 * {@code {"error": {"code", "status", "message"}}}.
 *
 * <pre>
 *   POST /v1/files          CreateFileRequest   -> CreateFileResponse (201 created, 200 existed)
 *   POST /v1/files/batch    CreateFilesRequest  -> CreateFilesResponse
 *   POST /v1/dirs           MkdirRequest        -> MkdirResponse (201 created, 200 existed with parents)
 *   GET  /v1/stat?path=P                        -> StatResponse
 *   GET  /v1/list?path=P                        -> ListResponse
 *   GET  /v1/fmap?path=P                        -> FileInfo
 *   GET  /v1/usage                              -> UsageResponse
 *   GET  /v1/entries?from=N[&amp;follow=true]       -> CommittedEntry, one JSON object per line
 * </pre>
 */
public final class RestApi {
    /**
     * Largest request body (a full batch of 10,000 files is about 1.5 MB); also the gRPC server's and client's largest
     * message, whose default (256 KiB) would refuse such a batch and its answer.
     */
    public static final long MAX_BODY = 16L << 20;

    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().preservingProtoFieldNames().alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Printer LINE_PRINTER = PRINTER.omittingInsignificantWhitespace();

    private final Leader leader;
    private final Requests.Context context;
    private final LeaderMetrics metrics;

    public RestApi(Leader leader, Requests.Context context, LeaderMetrics metrics) {
        this.leader = leader;
        this.context = context;
        this.metrics = metrics;
    }

    /** Mounts the /v1 routes on {@code router}, behind {@code auth}. */
    public void mount(Router router, io.vertx.core.Handler<RoutingContext> auth) {
        router.route("/v1/*").handler(auth);
        router.route("/v1/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY));
        router.post("/v1/files")
                .handler(ctx -> change(
                        ctx,
                        "create",
                        CreateFileRequest.newBuilder(),
                        b -> Requests.createFile((CreateFileRequest) b.build(), context)));
        router.post("/v1/files/batch")
                .handler(ctx -> change(
                        ctx,
                        "create_batch",
                        CreateFilesRequest.newBuilder(),
                        b -> Requests.createFiles((CreateFilesRequest) b.build(), context)));
        router.post("/v1/dirs")
                .handler(ctx ->
                        change(ctx, "mkdir", MkdirRequest.newBuilder(), b -> Requests.mkdir((MkdirRequest) b.build())));
        router.get("/v1/stat").handler(ctx -> read(ctx, "stat", () -> leader.stat(path(ctx))));
        router.get("/v1/list").handler(ctx -> read(ctx, "list", () -> leader.list(path(ctx))));
        router.get("/v1/fmap").handler(ctx -> read(ctx, "fmap", () -> leader.fmap(path(ctx))));
        router.get("/v1/usage").handler(ctx -> read(ctx, "usage", leader::usage));
        router.get("/v1/entries").handler(this::entries);
        router.route("/v1/*")
                .last()
                .handler(ctx -> fail(
                        ctx,
                        new FamfsException(
                                ErrorCode.NOT_FOUND,
                                "no such API: " + ctx.request().method() + " "
                                        + ctx.request().path())));
    }

    private static String path(RoutingContext ctx) {
        String p = ctx.request().getParam("path");
        return Requests.readPath(p == null ? "" : p);
    }

    private void change(RoutingContext ctx, String op, Message.Builder body, Function<Message.Builder, Op> toOp) {
        long started = metrics.start();
        Future<Message> answer;
        try {
            String json = ctx.body().asString();
            if (json == null || json.isBlank()) {
                throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "the request needs a JSON body");
            }
            PARSER.merge(json, body);
            answer = Future.fromCompletionStage(leader.submit(toOp.apply(body)), Vertx.currentContext());
        } catch (InvalidProtocolBufferException e) {
            answer = Future.failedFuture(new FamfsException(ErrorCode.INVALID_ARGUMENT, "bad JSON: " + e.getMessage()));
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        answer.onComplete(ar -> {
            metrics.done(started, op, "rest", ar.result(), ar.cause());
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            Message m = ar.result();
            boolean created = switch (m) {
                case CreateFileResponse file -> file.getCreated();
                case MkdirResponse dir -> dir.getCreatedCount() > 0;
                default -> false;
            };
            reply(ctx, created ? 201 : 200, m);
        });
    }

    private void read(RoutingContext ctx, String op, Supplier<Message> read) {
        long started = metrics.start();
        try {
            Message m = read.get();
            metrics.done(started, op, "rest", m, null);
            reply(ctx, 200, m);
        } catch (RuntimeException e) {
            metrics.done(started, op, "rest", null, e);
            fail(ctx, e);
        }
    }

    private void entries(RoutingContext ctx) {
        long from;
        try {
            String given = ctx.request().getParam("from");
            from = given == null ? 0 : Long.parseUnsignedLong(given);
        } catch (NumberFormatException e) {
            fail(ctx, new FamfsException(ErrorCode.INVALID_ARGUMENT, "from must be a log index"));
            return;
        }
        boolean follow = "true".equals(ctx.request().getParam("follow"));
        var response = ctx.response().setChunked(true).putHeader("content-type", "application/x-ndjson");
        EntryFeed<Buffer> feed = new EntryFeed<>(
                leader,
                Vertx.currentContext(),
                from,
                response,
                e -> Buffer.buffer(json(LINE_PRINTER, e) + "\n"),
                follow,
                failure -> response.end(ErrorMapping.of(failure).json().encode() + "\n"));
        ctx.request().connection().closeHandler(v -> feed.stop());
        feed.start();
    }

    private static void reply(RoutingContext ctx, int status, Message m) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(json(PRINTER, m));
    }

    /** Writes {@code failure} as the JSON error body with its HTTP status. */
    public static void fail(RoutingContext ctx, Throwable failure) {
        var m = ErrorMapping.of(failure);
        ctx.response()
                .setStatusCode(m.http())
                .putHeader("content-type", "application/json")
                .end(m.json().encode());
    }

    private static String json(JsonFormat.Printer printer, Message m) {
        try {
            return printer.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
