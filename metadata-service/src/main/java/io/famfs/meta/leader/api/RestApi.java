package io.famfs.meta.leader.api;

import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.leader.cluster.AgentRegistry;
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
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
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
    private final AgentRegistry agents;

    public RestApi(Leader leader, Requests.Context context, LeaderMetrics metrics, AgentRegistry agents) {
        this.leader = leader;
        this.context = context;
        this.metrics = metrics;
        this.agents = agents;
    }

    /** Mounts the /v1 routes on {@code router}, behind {@code auth}. */
    public void mount(Router router, io.vertx.core.Handler<RoutingContext> auth) {
        router.route("/v1/*").handler(auth);
        // no file uploads: BodyHandler would otherwise make a "file-uploads" folder in the working directory
        router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
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
        router.get("/v1/agents").handler(ctx -> read(ctx, "agents", agents::list));
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
            checkJson(json, body.getDescriptorForType());
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

    /**
     * protobuf's JSON parser is lenient: it takes single quotes, bare names and text after the object, and a string
     * field from a number or a one-element list. The body must be one strict JSON object whose values have their
     * fields' JSON types (numbers may come as strings, as the JSON mapping allows); unknown names are left to the parser.
     */
    static void checkJson(String json, Descriptors.Descriptor type) {
        Object value;
        try {
            value = Json.decodeValue(json);
        } catch (DecodeException e) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "bad JSON: " + e.getMessage());
        }
        checkObject(value, type, "the body");
    }

    private static void checkObject(Object value, Descriptors.Descriptor type, String where) {
        if (!(value instanceof JsonObject object)) {
            throw badType(where, "an object");
        }
        String prefix = where.equals("the body") ? "" : where + ".";
        for (Map.Entry<String, Object> e : object) {
            String name = prefix + e.getKey();
            Descriptors.FieldDescriptor field = type.findFieldByName(e.getKey());
            if (field == null) {
                field = type.getFields().stream()
                        .filter(f -> f.getJsonName().equals(e.getKey()))
                        .findFirst()
                        .orElse(null);
            }
            Object v = e.getValue();
            if (field == null || v == null) {
                continue; // unknown names are the parser's to refuse; null is a field's default
            }
            if (field.isRepeated()) {
                if (!(v instanceof JsonArray list)) {
                    throw badType(name, "a list");
                }
                for (int i = 0; i < list.size(); i++) {
                    checkValue(list.getValue(i), field, name + "[" + i + "]");
                }
            } else {
                checkValue(v, field, name);
            }
        }
    }

    private static void checkValue(Object v, Descriptors.FieldDescriptor field, String where) {
        switch (field.getJavaType()) {
            case MESSAGE -> checkObject(v, field.getMessageType(), where);
            case STRING, BYTE_STRING -> {
                if (!(v instanceof String)) {
                    throw badType(where, "a string");
                }
            }
            case BOOLEAN -> {
                if (!(v instanceof Boolean)) {
                    throw badType(where, "true or false");
                }
            }
            case INT, LONG, FLOAT, DOUBLE, ENUM -> {
                if (!(v instanceof Number || v instanceof String)) {
                    throw badType(where, "a number");
                }
            }
        }
    }

    private static FamfsException badType(String where, String expected) {
        return new FamfsException(ErrorCode.INVALID_ARGUMENT, "bad JSON: " + where + " must be " + expected);
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
