package io.famfs.meta.leader.core;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.leader.alloc.InterleaveParams;
import io.famfs.meta.proto.v1.CreateFileResponse;
import io.famfs.meta.proto.v1.CreateFilesResponse;
import io.famfs.meta.proto.v1.MkdirResponse;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * How the answer to a request with an id is kept in the request store, so that a retry gets it back, and a different
 * request under the same id is refused instead of answered with someone else's answer:
 *
 * <pre>
 *   [0]      kind: 1 one file, 2 a batch, 3 mkdir
 *   [1, 9)   the request's fingerprint: the first 8 bytes of SHA-256 over its fields (big-endian, in a fixed order)
 *   [9, ...) the answer, as protobuf
 * </pre>
 */
final class StoredAnswer {
    private StoredAnswer() {}

    private static final byte ONE = 1;
    private static final byte MANY = 2;
    private static final byte MKDIR = 3;
    private static final int BODY = 9;

    static byte[] encode(Op op, Message answer) {
        byte[] body = answer.toByteArray();
        byte[] bytes = new byte[BODY + body.length];
        bytes[0] = kind(op);
        ByteBuffer.wrap(bytes, 1, 8).putLong(fingerprint(op));
        System.arraycopy(body, 0, bytes, BODY, body.length);
        return bytes;
    }

    /** The stored answer to {@code op}; INVALID_ARGUMENT when the id was used for another request. */
    static Message decode(Op op, byte[] stored) {
        if (stored.length < BODY || stored[0] != kind(op)) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT,
                    "request id " + op.requestId() + " was used for another kind of request");
        }
        if (ByteBuffer.wrap(stored, 1, 8).getLong() != fingerprint(op)) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT,
                    "request id " + op.requestId() + " was used for a different request (other paths or attributes);"
                            + " a retry must repeat the request exactly");
        }
        byte[] body = Arrays.copyOfRange(stored, BODY, stored.length);
        try {
            return switch (stored[0]) {
                case ONE -> CreateFileResponse.parseFrom(body);
                case MANY -> CreateFilesResponse.parseFrom(body);
                default -> MkdirResponse.parseFrom(body);
            };
        } catch (InvalidProtocolBufferException e) {
            throw new FamfsException(ErrorCode.IO, "stored answer of request " + op.requestId() + " is damaged", e);
        }
    }

    private static byte kind(Op op) {
        return switch (op) {
            case Op.CreateFiles c -> c.batch() ? MANY : ONE;
            case Op.Mkdir m -> MKDIR;
        };
    }

    /** Every field of the op that shapes its effect, in a fixed order. */
    static long fingerprint(Op op) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (op) {
                case Op.CreateFiles c -> {
                    out.writeInt(c.files().size());
                    for (FileSpec f : c.files()) {
                        out.writeUTF(f.path());
                        out.writeLong(f.size());
                        out.writeInt(f.mode());
                        out.writeInt(f.uid());
                        out.writeInt(f.gid());
                        out.writeBoolean(f.parents());
                        InterleaveParams p = f.interleave() == null ? InterleaveParams.CONTIGUOUS : f.interleave();
                        out.writeInt(p.nbuckets());
                        out.writeInt(p.nstrips());
                        out.writeLong(p.chunkSize());
                    }
                }
                case Op.Mkdir m -> {
                    out.writeUTF(m.path());
                    out.writeInt(m.mode());
                    out.writeInt(m.uid());
                    out.writeInt(m.gid());
                    out.writeBoolean(m.parents());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()))
                    .getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
