package io.famfs.meta.leader.it;

import static io.famfs.meta.leader.it.ApiSupport.MiB;
import static io.famfs.meta.leader.it.ApiSupport.json;
import static io.famfs.meta.leader.it.ApiSupport.logRegion;
import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.Message;
import io.famfs.meta.leader.testing.LeaderProcess;
import io.famfs.meta.leader.testing.TestLog;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFilesRequest;
import io.famfs.meta.proto.v1.Interleave;
import io.famfs.meta.proto.v1.LeaderGrpcClient;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.famfs.meta.proto.v1.PathRequest;
import io.famfs.meta.proto.v1.UsageRequest;
import io.famfs.meta.testing.TestDevice;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of bad inputs sent to a real leader over REST and/or gRPC: hostile paths, sizes, modes, owners, interleave
 * parameters, batches, request ids, malformed JSON and protobuf, unknown routes and methods, missing or wrong tokens.
 * Each row names the HTTP status and JSON error code and/or the gRPC status it must get, and the log region of the
 * device ([2 MiB, 2 MiB + log_len)) must be byte-identical before and after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private static final String CREATE = "famfs.v1.Leader/CreateFile";
    private static final String BATCH = "famfs.v1.Leader/CreateFiles";
    private static final String MKDIR = "famfs.v1.Leader/Mkdir";

    /** What goes in the Authorization header. */
    enum Auth {
        TOKEN,
        NONE,
        WRONG,
        BASIC,
        EMPTY_BEARER,
        TOKEN_PLUS_ONE
    }

    record Rest(String method, String route, String body, Auth auth, int status, String code) {}

    record Grpc(String method, byte[] payload, Auth auth, GrpcStatus status) {}

    record Case(String name, Rest rest, Grpc grpc) {
        @Override
        public String toString() {
            return name;
        }
    }

    private SharedLeader shared;
    private TestDevice dev;
    private LeaderProcess leader;
    private ApiSupport api;
    private long entriesAfterSetup;

    @BeforeAll
    void start() {
        shared = SharedLeader.start();
        dev = shared.dev;
        leader = shared.leader;
        api = shared.api;
        api.ok(LeaderGrpcClient.CreateFile, file("file", MiB));
        api.ok(LeaderGrpcClient.Mkdir, MkdirRequest.newBuilder().setPath("dir").build());
        entriesAfterSetup = TestLog.of(dev.path()).nextIndex;
    }

    @AfterAll
    void stop() {
        if (shared != null) {
            shared.close();
        }
    }

    // ---- the table ----

    private static CreateFileRequest file(String path, long size) {
        return CreateFileRequest.newBuilder().setPath(path).setSize(size).build();
    }

    private static CreateFileRequest striped(int nbuckets, int nstrips, long chunk) {
        return CreateFileRequest.newBuilder()
                .setPath("striped")
                .setSize(64 * MiB)
                .setInterleave(Interleave.newBuilder()
                        .setNbuckets(nbuckets)
                        .setNstrips(nstrips)
                        .setChunkSize(chunk))
                .build();
    }

    /** The same message over REST (as JSON) and over gRPC. */
    private static Case both(String name, String route, String method, Message m, int http, String code, GrpcStatus g) {
        return new Case(
                name,
                new Rest("POST", route, json(m), Auth.TOKEN, http, code),
                new Grpc(method, m.toByteArray(), Auth.TOKEN, g));
    }

    private static Case create(String name, CreateFileRequest r) {
        return both(name, "/v1/files", CREATE, r, 400, "INVALID_ARGUMENT", GrpcStatus.INVALID_ARGUMENT);
    }

    private static Case create(String name, CreateFileRequest r, int http, String code, GrpcStatus g) {
        return both(name, "/v1/files", CREATE, r, http, code, g);
    }

    private static Case batch(String name, CreateFilesRequest r) {
        return both(name, "/v1/files/batch", BATCH, r, 400, "INVALID_ARGUMENT", GrpcStatus.INVALID_ARGUMENT);
    }

    private static Case mkdir(String name, MkdirRequest r, int http, String code, GrpcStatus g) {
        return both(name, "/v1/dirs", MKDIR, r, http, code, g);
    }

    /** JSON that no protobuf message can carry: REST only. */
    private static Case rawJson(String name, String route, String body) {
        return new Case(name, new Rest("POST", route, body, Auth.TOKEN, 400, "INVALID_ARGUMENT"), null);
    }

    private static Case route(String name, String method, String route, int http, String code) {
        return new Case(name, new Rest(method, route, null, Auth.TOKEN, http, code), null);
    }

    /** Bytes that are no valid request message: gRPC only. */
    private static Case protobuf(String name, String method, byte[] payload, GrpcStatus g) {
        return new Case(name, null, new Grpc(method, payload, Auth.TOKEN, g));
    }

    /** A create that would succeed, sent with a bad Authorization header. */
    private static Case token(String name, Auth auth) {
        CreateFileRequest r = file("would-be-created", 1);
        return new Case(
                name,
                new Rest("POST", "/v1/files", json(r), auth, 401, "UNAUTHENTICATED"),
                new Grpc(CREATE, r.toByteArray(), auth, GrpcStatus.UNAUTHENTICATED));
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // hostile paths
        c.add(create("path empty", file("", 1)));
        c.add(create("path /", file("/", 1)));
        c.add(create("path //x", file("//x", 1)));
        c.add(create("path ..", file("..", 1)));
        c.add(create("path a/../b", file("a/../b", 1)));
        c.add(create("path ./a", file("./a", 1)));
        c.add(create("path dir/.", file("dir/.", 1)));
        c.add(create("path a//b", file("a//b", 1)));
        c.add(create("path of 80 bytes", file("p".repeat(80), 1)));
        c.add(create("path of 79 chars but 80 UTF-8 bytes", file("\u00e9" + "p".repeat(78), 1)));
        c.add(create("path with NUL", file("a\0b", 1)));
        c.add(create("path with a control character", file("a\u0001b", 1)));
        c.add(create("path with a newline", file("a\nb", 1)));
        c.add(create("path with DEL", file("a\u007fb", 1)));
        c.add(create("path with a trailing slash", file("dir/", 1)));
        c.add(create("path through a file", file("file/x", 1)));
        c.add(create(
                "path through a file, with parents",
                file("file/x/y", 1).toBuilder().setParents(true).build()));
        c.add(create("missing parent without parents", file("nodir/x", 1), 404, "NOT_FOUND", GrpcStatus.NOT_FOUND));
        c.add(rawJson("path with a lone surrogate", "/v1/files", "{\"path\":\"a\\ud800\",\"size\":\"1\"}"));
        c.add(protobuf(
                "path that is not UTF-8 (protobuf)",
                CREATE,
                Buffer.buffer(bytes(0x0a, 0x02, 0xc3, 0x28))
                        .appendBytes(bytes(0x10, 0x01))
                        .getBytes(),
                GrpcStatus.INVALID_ARGUMENT));
        c.add(mkdir(
                "mkdir with a missing parent",
                MkdirRequest.newBuilder().setPath("nodir/sub").build(),
                404,
                "NOT_FOUND",
                GrpcStatus.NOT_FOUND));
        c.add(mkdir(
                "mkdir ..",
                MkdirRequest.newBuilder().setPath("..").setParents(true).build(),
                400,
                "INVALID_ARGUMENT",
                GrpcStatus.INVALID_ARGUMENT));
        c.add(mkdir(
                "mkdir -p through a file",
                MkdirRequest.newBuilder().setPath("file/sub").setParents(true).build(),
                400,
                "INVALID_ARGUMENT",
                GrpcStatus.INVALID_ARGUMENT));
        c.add(mkdir(
                "mkdir over a file",
                MkdirRequest.newBuilder().setPath("file").build(),
                409,
                "ALREADY_EXISTS",
                GrpcStatus.ALREADY_EXISTS));
        c.add(create("create over a directory", file("dir", 1), 409, "ALREADY_EXISTS", GrpcStatus.ALREADY_EXISTS));
        // sizes
        c.add(create("size 0", file("s", 0)));
        c.add(rawJson("size negative", "/v1/files", "{\"path\":\"s\",\"size\":-1}"));
        c.add(create("size 2^64-1", file("s", -1L)));
        c.add(rawJson("size 2^64", "/v1/files", "{\"path\":\"s\",\"size\":\"18446744073709551616\"}"));
        c.add(rawJson("size 1.5", "/v1/files", "{\"path\":\"s\",\"size\":1.5}"));
        c.add(create("size 2^63-1", file("s", Long.MAX_VALUE), 507, "NO_SPACE", GrpcStatus.RESOURCE_EXHAUSTED));
        c.add(create("size 1 PiB", file("s", 1L << 50), 507, "NO_SPACE", GrpcStatus.RESOURCE_EXHAUSTED));
        // modes, owners
        c.add(create(
                "mode with file-type bits",
                file("m", 1).toBuilder().setMode(0100644).build()));
        c.add(create(
                "mode 01000 (sticky)", file("m", 1).toBuilder().setMode(01000).build()));
        c.add(create(
                "mode 04755 (setuid)", file("m", 1).toBuilder().setMode(04755).build()));
        c.add(create("mode 2^32-1", file("m", 1).toBuilder().setMode(-1).build()));
        c.add(mkdir(
                "mkdir mode with directory bits",
                MkdirRequest.newBuilder().setPath("md").setMode(040755).build(),
                400,
                "INVALID_ARGUMENT",
                GrpcStatus.INVALID_ARGUMENT));
        c.add(rawJson("uid negative", "/v1/files", "{\"path\":\"u\",\"size\":1,\"uid\":-1}"));
        c.add(rawJson("gid negative", "/v1/files", "{\"path\":\"u\",\"size\":1,\"gid\":-1}"));
        c.add(rawJson("uid 2^32", "/v1/files", "{\"path\":\"u\",\"size\":1,\"uid\":4294967296}"));
        c.add(rawJson("mkdir gid negative", "/v1/dirs", "{\"path\":\"u\",\"gid\":-5}"));
        // interleave parameters (an 8 GiB device)
        c.add(create("nbuckets 0 with nstrips 2", striped(0, 2, 2 * MiB)));
        c.add(create("nbuckets 65", striped(65, 2, 2 * MiB)));
        c.add(create("nstrips 17", striped(64, 17, 2 * MiB)));
        c.add(create("nstrips 0 with nbuckets 4", striped(4, 0, 2 * MiB)));
        c.add(create("nstrips above nbuckets", striped(2, 3, 2 * MiB)));
        c.add(create("chunk 0 with buckets and strips", striped(4, 2, 0)));
        c.add(create("chunk not a power of two", striped(4, 2, 6 * MiB)));
        c.add(create("chunk not a multiple of 2 MiB", striped(4, 2, MiB)));
        c.add(create("chunk 4 GiB", striped(4, 2, 4L << 30)));
        c.add(create("chunk 2^64-2^21", striped(4, 2, -2 * MiB)));
        c.add(create("buckets below 1 GiB", striped(16, 2, 2 * MiB)));
        c.add(create(
                "contiguous and interleave together",
                striped(4, 2, 2 * MiB).toBuilder().setContiguous(true).build()));
        // batches
        c.add(batch("empty batch", CreateFilesRequest.getDefaultInstance()));
        CreateFilesRequest.Builder tooMany = CreateFilesRequest.newBuilder();
        for (int i = 0; i <= 10_000; i++) {
            tooMany.addFiles(file("many-" + i, 1));
        }
        c.add(batch("batch of 10,001 files", tooMany.build()));
        c.add(batch(
                "batch member with its own request_id",
                CreateFilesRequest.newBuilder()
                        .addFiles(file("b1", 1))
                        .addFiles(file("b2", 1).toBuilder().setRequestId("mine"))
                        .build()));
        c.add(batch(
                "batch with a path twice",
                CreateFilesRequest.newBuilder()
                        .addFiles(file("twice", 1))
                        .addFiles(file("other", 1))
                        .addFiles(file("twice", 1))
                        .build()));
        c.add(batch(
                "batch with one bad path",
                CreateFilesRequest.newBuilder()
                        .addFiles(file("good-1", 1))
                        .addFiles(file("bad/../path", 1))
                        .build()));
        c.add(batch(
                "batch with a bad request_id",
                CreateFilesRequest.newBuilder()
                        .addFiles(file("good-2", 1))
                        .setRequestId("has space")
                        .build()));
        // request ids
        c.add(create(
                "request_id with a space",
                file("r", 1).toBuilder().setRequestId("a b").build()));
        c.add(create(
                "request_id of 129 characters",
                file("r", 1).toBuilder().setRequestId("x".repeat(129)).build()));
        c.add(create(
                "request_id not ASCII",
                file("r", 1).toBuilder().setRequestId("caf\u00e9").build()));
        c.add(mkdir(
                "mkdir request_id with a tab",
                MkdirRequest.newBuilder().setPath("r").setRequestId("a\tb").build(),
                400,
                "INVALID_ARGUMENT",
                GrpcStatus.INVALID_ARGUMENT));
        // malformed JSON
        c.add(rawJson("malformed JSON", "/v1/files", "{\"path\": \"j\", \"size\": 1"));
        c.add(rawJson("unknown JSON field", "/v1/files", "{\"path\":\"j\",\"size\":1,\"colour\":\"red\"}"));
        c.add(rawJson("path of the wrong type", "/v1/files", "{\"path\":[\"j\"],\"size\":1}"));
        c.add(rawJson("size of the wrong type", "/v1/files", "{\"path\":\"j\",\"size\":\"big\"}"));
        c.add(rawJson("parents of the wrong type", "/v1/files", "{\"path\":\"j\",\"size\":1,\"parents\":\"yes\"}"));
        c.add(rawJson("files not a list", "/v1/files/batch", "{\"files\":{\"path\":\"j\",\"size\":1}}"));
        c.add(rawJson("JSON with single quotes", "/v1/files", "{'path':'j','size':1}"));
        c.add(rawJson("JSON with bare names", "/v1/files", "{path:j,size:1}"));
        c.add(rawJson("JSON with text after the object", "/v1/files", "{\"path\":\"j\",\"size\":1} and more"));
        c.add(rawJson("two JSON objects", "/v1/files", "{\"path\":\"j\",\"size\":1}{\"size\":2}"));
        c.add(rawJson("path as a number", "/v1/files", "{\"path\":5,\"size\":1}"));
        c.add(rawJson("parents as a string", "/v1/files", "{\"path\":\"j\",\"size\":1,\"parents\":\"true\"}"));
        c.add(rawJson("interleave as a number", "/v1/files", "{\"path\":\"j\",\"size\":1,\"interleave\":4}"));
        c.add(rawJson("batch member as a string", "/v1/files/batch", "{\"files\":[\"j\"]}"));
        c.add(rawJson("empty body", "/v1/files", ""));
        c.add(rawJson("JSON array body", "/v1/dirs", "[]"));
        c.add(rawJson("JSON null body", "/v1/dirs", "null"));
        c.add(rawJson("not JSON at all", "/v1/dirs", "path=x"));
        // malformed protobuf
        c.add(protobuf("garbage bytes", CREATE, bytes(0xff, 0xff, 0xff, 0xff, 0xff), GrpcStatus.INVALID_ARGUMENT));
        c.add(protobuf(
                "truncated message",
                CREATE,
                Arrays.copyOf(file("truncated", 1).toByteArray(), 5),
                GrpcStatus.INVALID_ARGUMENT));
        c.add(protobuf("garbage batch", BATCH, bytes(0x0a, 0x7f, 0x01), GrpcStatus.INVALID_ARGUMENT));
        c.add(protobuf("garbage mkdir", MKDIR, bytes(0x0b, 0x0c), GrpcStatus.INVALID_ARGUMENT));
        c.add(protobuf(
                "unknown gRPC method",
                "famfs.v1.Leader/DeleteFile",
                file("x", 1).toByteArray(),
                GrpcStatus.UNIMPLEMENTED));
        // unknown routes, bad query parameters
        c.add(route("unknown route", "GET", "/v1/nope", 404, "NOT_FOUND"));
        c.add(route("DELETE a file", "DELETE", "/v1/files?path=file", 404, "NOT_FOUND"));
        c.add(route("GET on a POST route", "GET", "/v1/files", 404, "NOT_FOUND"));
        c.add(route("entries from a non-number", "GET", "/v1/entries?from=abc", 400, "INVALID_ARGUMENT"));
        c.add(route("stat of ..", "GET", "/v1/stat?path=..", 400, "INVALID_ARGUMENT"));
        c.add(route("stat of a missing file", "GET", "/v1/stat?path=missing", 404, "NOT_FOUND"));
        // tokens
        c.add(token("no token", Auth.NONE));
        c.add(token("wrong token", Auth.WRONG));
        c.add(token("Basic instead of Bearer", Auth.BASIC));
        c.add(token("Bearer without a token", Auth.EMPTY_BEARER));
        c.add(token("the token and one more character", Auth.TOKEN_PLUS_ONE));
        c.add(new Case(
                "no token for a read",
                new Rest("GET", "/v1/usage", null, Auth.NONE, 401, "UNAUTHENTICATED"),
                new Grpc(
                        "famfs.v1.Leader/Usage",
                        UsageRequest.getDefaultInstance().toByteArray(),
                        Auth.NONE,
                        GrpcStatus.UNAUTHENTICATED)));
        c.add(new Case(
                "wrong token for the entry stream",
                new Rest("GET", "/v1/entries?from=0", null, Auth.WRONG, 401, "UNAUTHENTICATED"),
                null));
        c.add(new Case(
                "no token for an unknown route",
                new Rest("GET", "/v1/nope", null, Auth.NONE, 401, "UNAUTHENTICATED"),
                new Grpc(
                        "famfs.v1.Leader/Stat",
                        PathRequest.newBuilder().setPath("file").build().toByteArray(),
                        Auth.BASIC,
                        GrpcStatus.UNAUTHENTICATED)));
        return c;
    }

    private String authorization(Auth auth) {
        return switch (auth) {
            case TOKEN -> api.bearer();
            case NONE -> null;
            case WRONG -> "Bearer not-the-token";
            case BASIC ->
                "Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString(("famfs:" + api.token).getBytes(StandardCharsets.UTF_8));
            case EMPTY_BEARER -> "Bearer ";
            case TOKEN_PLUS_ONE -> api.bearer() + "x";
        };
    }

    @Test
    void theTableHasAtLeast25Rows() {
        List<Case> all = cases();
        assertTrue(all.size() >= 25, () -> all.size() + " rows");
        assertEquals(all.size(), all.stream().map(Case::name).distinct().count(), "row names are unique");
        assertTrue(all.stream().allMatch(c -> c.rest() != null || c.grpc() != null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithItsStatusAndTheLogUnchanged(Case c) {
        byte[] before = logRegion(dev.path());
        if (c.rest() != null) {
            Rest r = c.rest();
            ApiSupport.Reply reply = api.rest(r.method(), r.route(), r.body(), authorization(r.auth()));
            assertEquals(r.status(), reply.status(), () -> "REST " + reply);
            assertEquals(r.code(), reply.errorCode(), () -> "REST " + reply);
        }
        if (c.grpc() != null) {
            Grpc g = c.grpc();
            ApiSupport.Answer<List<Buffer>> answer =
                    api.raw(g.method(), Buffer.buffer(g.payload()), authorization(g.auth()));
            assertEquals(g.status(), answer.status(), () -> "gRPC " + answer);
            assertEquals(List.of(), answer.value(), "no answer message");
            assertNotNull(answer.message(), () -> "gRPC status without a message: " + answer);
        }
        assertArrayEquals(before, logRegion(dev.path()), () -> c.name() + ": the log region changed");
    }
}
