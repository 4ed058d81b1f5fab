package io.famfs.meta.agent.bridge;

import static io.famfs.meta.agent.bridge.BridgeProtocolDescriptor.*;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking client of the bridge protocol (docs/bridge-protocol.md), one request at a time on one connection. Not
 * thread-safe: give each thread its own. Its request and reply buffers are reused across calls.
 *
 * <p>An error reply throws {@link BridgeException} with the server's errno and text, and the connection stays usable.
 * A request the server would refuse for its path (not UTF-8, longer than 4096 bytes) or size is refused here the same
 * way, without being sent. Any other failure (the connection lost, a reply that breaks the protocol) closes the
 * connection and throws an {@link IOException}.
 */
public final class BridgeClient implements AutoCloseable {
    private static final int REPLY_INITIAL_CAPACITY = 64 * 1024;

    private final SocketChannel channel;
    private final ByteBuffer request =
            ByteBuffer.allocateDirect(MAX_REQUEST_FRAME).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer reply = ByteBuffer.allocateDirect(REPLY_INITIAL_CAPACITY).order(ByteOrder.LITTLE_ENDIAN);
    private long nextTag = 1;

    private BridgeClient(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects to the agent's socket. */
    public static BridgeClient connect(Path socket) throws IOException {
        return new BridgeClient(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    }

    /**
     * The HELLO answer.
     *
     * @param version the protocol version both sides use
     * @param identity the view's identity and generation (opaque)
     */
    public record Hello(int version, int maxRequestFrame, int maxReplyFrame, byte[] identity) {}

    /** HELLO with this client's version. */
    public Hello hello() throws IOException {
        begin(OP_HELLO);
        request.putInt(VERSION);
        int n = exchange(OP_HELLO);
        if (n < HELLO_IDENTITY_OFFSET) {
            throw broken("HELLO reply of " + n + " bytes");
        }
        int at = reply.position();
        byte[] identity = new byte[n - HELLO_IDENTITY_OFFSET];
        reply.get(at + HELLO_IDENTITY_OFFSET, identity);
        return new Hello(
                reply.getInt(at + HELLO_VERSION_OFFSET),
                reply.getInt(at + HELLO_MAX_REQUEST_OFFSET),
                reply.getInt(at + HELLO_MAX_REPLY_OFFSET),
                identity);
    }

    /** LOOKUP: the attributes of {@code path} ("" is the root). */
    public BridgeAttr lookup(String path) throws IOException {
        return attr(OP_LOOKUP, path);
    }

    /** GETATTR: the attributes of {@code path}. */
    public BridgeAttr getattr(String path) throws IOException {
        return attr(OP_GETATTR, path);
    }

    private BridgeAttr attr(int op, String path) throws IOException {
        begin(op);
        putPath(path);
        int n = exchange(op);
        if (n != BridgeAttrDescriptor.LENGTH) {
            throw broken(opName(op) + " reply of " + n + " bytes, not " + BridgeAttrDescriptor.LENGTH);
        }
        try {
            return BridgeAttr.decode(reply);
        } catch (IllegalArgumentException e) {
            throw broken(opName(op) + " reply: " + e.getMessage());
        }
    }

    /** READDIR, following the cookies to the end: every entry of directory {@code path}. */
    public List<BridgeDirents.Entry> readdir(String path) throws IOException {
        List<BridgeDirents.Entry> entries = new ArrayList<>();
        long cookie = 0;
        do {
            BridgeDirents page = readdirPage(path, cookie, 0);
            entries.addAll(page.entries());
            if (page.nextCookie() != 0 && page.nextCookie() == cookie) {
                throw broken("READDIR gave back the cookie it was asked from");
            }
            cookie = page.nextCookie();
        } while (cookie != 0);
        return entries;
    }

    /**
     * One READDIR: the entries of directory {@code path} after {@code cookie} (0: from the start) that fit in
     * {@code budget} bytes (0: as many as a reply holds; otherwise at least 512).
     */
    public BridgeDirents readdirPage(String path, long cookie, int budget) throws IOException {
        begin(OP_READDIR);
        request.putLong(cookie);
        request.putInt(budget);
        request.putInt(0);
        putPath(path);
        exchange(OP_READDIR);
        try {
            return BridgeDirents.decode(reply);
        } catch (IllegalArgumentException e) {
            throw broken("READDIR reply: " + e.getMessage());
        }
    }

    /** GET_FMAP: the V9 GET_FMAP reply bytes of file {@code path}. */
    public byte[] getFmap(String path) throws IOException {
        begin(OP_GET_FMAP);
        putPath(path);
        return payload(exchange(OP_GET_FMAP));
    }

    /** GET_DAXDEV: the 280-byte {@code fuse_daxdev_out} of daxdev {@code index}. */
    public byte[] getDaxdev(int index) throws IOException {
        begin(OP_GET_DAXDEV);
        request.putInt(index);
        int n = exchange(OP_GET_DAXDEV);
        if (n != DAXDEV_REPLY_LENGTH) {
            throw broken("GET_DAXDEV reply of " + n + " bytes, not " + DAXDEV_REPLY_LENGTH);
        }
        return payload(n);
    }

    /** Any op with any payload (at most {@link BridgeProtocolDescriptor#MAX_REQUEST_PAYLOAD} bytes): the reply payload. */
    public byte[] call(int op, byte[] payload) throws IOException {
        if (payload.length > MAX_REQUEST_PAYLOAD) {
            throw new BridgeException(
                    Errno.E2BIG.value(),
                    "request payload of " + payload.length + " bytes; the limit is " + MAX_REQUEST_PAYLOAD);
        }
        begin(op);
        request.put(payload);
        return payload(exchange(op));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void begin(int op) {
        request.clear();
        request.putInt(0); // the length, filled in by exchange
        request.putShort((short) op);
        request.putShort((short) 0);
        request.putLong(nextTag);
    }

    private void putPath(String path) throws BridgeException {
        int n = Wire.utf8Length(path);
        if (n < 0) {
            throw new BridgeException(Errno.EINVAL.value(), "path holds a lone surrogate, which has no UTF-8 form");
        }
        if (n > MAX_PATH_BYTES) {
            throw new BridgeException(
                    Errno.ENAMETOOLONG.value(), "path of " + n + " bytes; the limit is " + MAX_PATH_BYTES);
        }
        Wire.putUtf8(request, path);
    }

    /**
     * Sends the request built in {@code request} and reads its reply: returns the payload's length, with
     * {@code reply}'s position at the payload and its limit at the payload's end.
     */
    private int exchange(int op) throws IOException {
        long tag = nextTag++;
        request.putInt(LENGTH_OFFSET, request.position() - LENGTH_FIELD);
        request.flip();
        try {
            while (request.hasRemaining()) {
                channel.write(request);
            }
            reply.clear().limit(REPLY_HEADER_LENGTH);
            readFully();
            long length = Integer.toUnsignedLong(reply.getInt(LENGTH_OFFSET));
            if (length < REPLY_HEADER_LENGTH - LENGTH_FIELD || length + LENGTH_FIELD > MAX_REPLY_FRAME) {
                throw broken("reply frame length " + length);
            }
            int frame = (int) length + LENGTH_FIELD;
            if (frame > reply.capacity()) {
                ByteBuffer larger = ByteBuffer.allocateDirect(
                                Math.max(frame, Math.min(2 * reply.capacity(), MAX_REPLY_FRAME)))
                        .order(ByteOrder.LITTLE_ENDIAN);
                larger.put(reply.flip());
                reply = larger;
            }
            reply.limit(frame);
            readFully();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        int replyOp = Short.toUnsignedInt(reply.getShort(OP_OFFSET));
        long replyTag = reply.getLong(TAG_OFFSET);
        if (replyOp != op || replyTag != tag) {
            throw broken("reply for " + opName(replyOp) + " tag " + replyTag + " to " + opName(op) + " tag " + tag);
        }
        int errno = reply.getInt(ERRNO_OFFSET);
        reply.position(REPLY_HEADER_LENGTH);
        int n = reply.remaining();
        if (errno < 0) {
            throw broken("reply errno " + errno);
        }
        if (errno != 0) {
            throw new BridgeException(errno, new String(payload(n), StandardCharsets.UTF_8));
        }
        return n;
    }

    private void readFully() throws IOException {
        while (reply.hasRemaining()) {
            if (channel.read(reply) < 0) {
                throw new EOFException("the agent closed the connection");
            }
        }
    }

    /** The reply's payload of {@code n} bytes, copied out. */
    private byte[] payload(int n) {
        byte[] bytes = new byte[n];
        reply.get(REPLY_HEADER_LENGTH, bytes);
        return bytes;
    }

    /** Closes the connection, which is out of step, and returns the exception to throw. */
    private ProtocolException broken(String what) throws IOException {
        channel.close();
        return new ProtocolException("bridge protocol error: " + what);
    }
}
