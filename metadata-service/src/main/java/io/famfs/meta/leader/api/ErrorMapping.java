package io.famfs.meta.leader.api;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;

/**
 * The one table from domain errors to HTTP status and gRPC status (the CLI's exit codes are {@code
 * cli.ExitCodes}). Anything that is not a domain error is a bug: 500 / INTERNAL.
 */
public final class ErrorMapping {
    private ErrorMapping() {}

    public record Mapped(ErrorCode code, int http, GrpcStatus grpc, String message) {
        /** The JSON error body of the REST API. */
        public JsonObject json() {
            return new JsonObject()
                    .put(
                            "error",
                            new JsonObject()
                                    .put("code", code == null ? "INTERNAL" : code.name())
                                    .put("status", http)
                                    .put("message", message));
        }
    }

    public static Mapped of(Throwable failure) {
        Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        if (!(t instanceof FamfsException e)) {
            return new Mapped(null, 500, GrpcStatus.INTERNAL, "internal error: " + t);
        }
        return switch (e.code()) {
            case INVALID_ARGUMENT -> new Mapped(e.code(), 400, GrpcStatus.INVALID_ARGUMENT, e.getMessage());
            case NOT_FOUND -> new Mapped(e.code(), 404, GrpcStatus.NOT_FOUND, e.getMessage());
            case ALREADY_EXISTS -> new Mapped(e.code(), 409, GrpcStatus.ALREADY_EXISTS, e.getMessage());
            case NO_SPACE, LOG_FULL -> new Mapped(e.code(), 507, GrpcStatus.RESOURCE_EXHAUSTED, e.getMessage());
            case FAILED_PRECONDITION, READ_ONLY ->
                new Mapped(e.code(), 412, GrpcStatus.FAILED_PRECONDITION, e.getMessage());
            case UNAVAILABLE -> new Mapped(e.code(), 503, GrpcStatus.UNAVAILABLE, e.getMessage());
            case UNAUTHENTICATED -> new Mapped(e.code(), 401, GrpcStatus.UNAUTHENTICATED, e.getMessage());
            case UNSUPPORTED -> new Mapped(e.code(), 501, GrpcStatus.UNIMPLEMENTED, e.getMessage());
            case CORRUPT -> new Mapped(e.code(), 500, GrpcStatus.DATA_LOSS, e.getMessage());
            case IO -> new Mapped(e.code(), 500, GrpcStatus.INTERNAL, e.getMessage());
        };
    }

    /** The domain error a gRPC status stands for (clients map back through the same table). */
    public static ErrorCode code(GrpcStatus status) {
        for (ErrorCode c : ErrorCode.values()) {
            if (of(new FamfsException(c, "")).grpc() == status) {
                return c;
            }
        }
        return ErrorCode.IO;
    }

    /** The domain error an HTTP status stands for. */
    public static ErrorCode code(int http) {
        for (ErrorCode c : ErrorCode.values()) {
            if (of(new FamfsException(c, "")).http() == http) {
                return c;
            }
        }
        return ErrorCode.IO;
    }
}
