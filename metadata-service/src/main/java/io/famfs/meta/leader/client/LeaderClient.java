package io.famfs.meta.leader.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.leader.api.ErrorMapping;
import io.famfs.meta.leader.api.Tokens;
import io.famfs.meta.proto.v1.CreateFileRequest;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.CreateFilesRequest;
import io.famfs.meta.proto.v1.CreateFilesResponse;
import io.famfs.meta.proto.v1.FileInfo;
import io.famfs.meta.proto.v1.ListResponse;
import io.famfs.meta.proto.v1.MkdirRequest;
import io.famfs.meta.proto.v1.MkdirResponse;
import io.famfs.meta.proto.v1.StatResponse;
import io.famfs.meta.proto.v1.UsageResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A small REST client of the leader (the CLI's): the API's messages go out and come back as JSON. An error comes back
 * as the leader's JSON error body and becomes the same domain error, so the CLI exits with the code the leader meant.
 */
public final class LeaderClient {
    /** Where a leader records its addresses: {@code STATE_DIR/leader.json}. */
    public static final String ADDRESS_FILE = "leader.json";

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    // A newer leader may answer with fields this client does not know yet.
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade (see LeaderServer)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;
    private final String token;

    public LeaderClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The leader named by {@code url}/{@code token}, or else by the leader's own files in {@code stateDir}. */
    public static LeaderClient of(String url, String token, Path stateDir) {
        String u = url;
        if (u == null || u.isBlank()) {
            Path file = stateDir.resolve(ADDRESS_FILE);
            try {
                u = new JsonObject(Files.readString(file)).getString("rest");
            } catch (NoSuchFileException e) {
                throw new FamfsException(
                        ErrorCode.UNAVAILABLE,
                        "no leader address: " + file + " does not exist (is a leader running with --state-dir "
                                + stateDir + "?); pass --leader URL");
            } catch (IOException | DecodeException e) {
                throw new FamfsException(ErrorCode.IO, "cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        String t = token;
        if (t == null || t.isBlank()) {
            Path file = stateDir.resolve(Tokens.FILE);
            try {
                t = Files.readString(file).trim();
            } catch (NoSuchFileException e) {
                throw new FamfsException(
                        ErrorCode.UNAUTHENTICATED,
                        "no token: " + file + " does not exist; pass --token or FAMFS_TOKEN");
            } catch (IOException e) {
                throw new FamfsException(ErrorCode.IO, "cannot read the token " + file + ": " + e.getMessage(), e);
            }
        }
        URI uri;
        try {
            uri = URI.create(u.endsWith("/") ? u : u + "/");
        } catch (IllegalArgumentException e) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "not a URL: " + u);
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT, "the leader's URL must look like http://HOST:PORT, not " + u);
        }
        return new LeaderClient(uri, t);
    }

    public URI base() {
        return base;
    }

    public CreateFileResponse createFile(CreateFileRequest request) {
        return post("v1/files", request, CreateFileResponse.newBuilder());
    }

    public CreateFilesResponse createFiles(CreateFilesRequest request) {
        return post("v1/files/batch", request, CreateFilesResponse.newBuilder());
    }

    public MkdirResponse mkdir(MkdirRequest request) {
        return post("v1/dirs", request, MkdirResponse.newBuilder());
    }

    public StatResponse stat(String path) {
        return get("v1/stat", path, StatResponse.newBuilder());
    }

    public ListResponse list(String path) {
        return get("v1/list", path, ListResponse.newBuilder());
    }

    public FileInfo fmap(String path) {
        return get("v1/fmap", path, FileInfo.newBuilder());
    }

    public UsageResponse usage() {
        return get("v1/usage", null, UsageResponse.newBuilder());
    }

    private <T extends Message> T get(String route, String path, Message.Builder answer) {
        String q = path == null ? "" : "?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
        return parse(send(HttpRequest.newBuilder(base.resolve(route + q)).GET()), answer);
    }

    private <T extends Message> T post(String route, Message request, Message.Builder answer) {
        String body;
        try {
            body = PRINTER.print(request);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        return parse(
                send(HttpRequest.newBuilder(base.resolve(route))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))),
                answer);
    }

    @SuppressWarnings("unchecked")
    private <T extends Message> T parse(String json, Message.Builder answer) {
        try {
            PARSER.merge(json, answer);
        } catch (InvalidProtocolBufferException e) {
            throw new FamfsException(ErrorCode.IO, "the leader's answer does not parse: " + e.getMessage(), e);
        }
        return (T) answer.build();
    }

    private String send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(
                    request.header("authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new FamfsException(
                    ErrorCode.UNAVAILABLE, "cannot reach the leader at " + base + ": connection refused");
        } catch (IOException e) {
            throw new FamfsException(ErrorCode.UNAVAILABLE, "cannot reach the leader at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FamfsException(ErrorCode.UNAVAILABLE, "interrupted");
        }
        if (response.statusCode() < 300) {
            return response.body();
        }
        JsonObject error;
        try {
            error = new JsonObject(response.body()).getJsonObject("error", new JsonObject());
        } catch (DecodeException | ClassCastException e) {
            error = new JsonObject();
        }
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(error.getString("code", ""));
        } catch (IllegalArgumentException e) {
            code = ErrorMapping.code(response.statusCode());
        }
        throw new FamfsException(code, error.getString("message", "the leader answered HTTP " + response.statusCode()));
    }
}
