package io.famfs.meta.agent.bridge;

import static io.famfs.meta.agent.bridge.BridgeProtocolDescriptor.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One client connection of a {@link BridgeServer}, served on its own (platform) thread: frames are read, validated,
 * answered in order, and the replies of pipelined requests go out together when no complete request is left to read.
 */
final class BridgeConnection implements Runnable {
    /** Room for a largest request and the start of the next one. */
    private static final int IN_CAPACITY = 2 * MAX_REQUEST_FRAME;

    private static final int OUT_INITIAL_CAPACITY = 64 * 1024;

    private final BridgeServer server;
    private final BridgeHandler handler;
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(IN_CAPACITY).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer out = ByteBuffer.allocate(OUT_INITIAL_CAPACITY).order(ByteOrder.LITTLE_ENDIAN);

    BridgeConnection(BridgeServer server, BridgeHandler handler, SocketChannel channel) {
        this.server = server;
        this.handler = handler;
        this.channel = channel;
    }

    @Override
    public void run() {
        try {
            serve();
        } catch (IOException e) {
            // The peer went away, or the server is closing: either way this connection is over.
        } finally {
            close();
            server.closed(this);
        }
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with a channel that failed to close
        }
    }

    /** Serves frames until the peer closes, or a frame leaves no way to find the next one. */
    private void serve() throws IOException {
        int start = 0; // the first byte not yet consumed; in.position() is the end of the bytes read
        while (true) {
            int available = in.position() - start;
            if (available >= LENGTH_FIELD) {
                long length = Integer.toUnsignedLong(in.getInt(start + LENGTH_OFFSET));
                if (length < REQUEST_HEADER_LENGTH - LENGTH_FIELD) {
                    // No tag to echo, and most likely a stream out of step: nothing sensible to answer. The
                    // requests before it still get their replies.
                    server.countBadFrame();
                    flush();
                    return;
                }
                if (length + LENGTH_FIELD > MAX_REQUEST_FRAME) {
                    if (available >= REQUEST_HEADER_LENGTH) {
                        // Answer, then close rather than read up to 4 GiB to find the next frame.
                        server.countBadFrame();
                        error(
                                opAt(start),
                                in.getLong(start + TAG_OFFSET),
                                Errno.E2BIG.value(),
                                "request frame of " + (length + LENGTH_FIELD) + " bytes; the limit is "
                                        + MAX_REQUEST_FRAME);
                        flush();
                        return;
                    }
                } else if (available >= length + LENGTH_FIELD) {
                    handle(start, (int) length + LENGTH_FIELD);
                    start += (int) length + LENGTH_FIELD;
                    continue;
                }
            }
            flush();
            in.limit(in.position()).position(start);
            in.compact();
            start = 0;
            if (channel.read(in) < 0) {
                if (in.position() > 0) {
                    server.countBadFrame(); // closed mid-frame
                }
                return;
            }
        }
    }

    private int opAt(int start) {
        return Short.toUnsignedInt(in.getShort(start + OP_OFFSET));
    }

    /** Answers the complete frame of {@code frameLength} bytes at {@code start}. */
    private void handle(int start, int frameLength) throws IOException {
        int op = opAt(start);
        int flags = Short.toUnsignedInt(in.getShort(start + FLAGS_OFFSET));
        long tag = in.getLong(start + TAG_OFFSET);
        int p = start + REQUEST_HEADER_LENGTH;
        int n = frameLength - REQUEST_HEADER_LENGTH;
        if (op >= OP_COUNT) {
            server.countBadFrame();
            error(op, tag, Errno.ENOSYS.value(), "unknown op " + op);
            return;
        }
        server.countRequest(op);
        try {
            if (flags != 0) {
                throw new BridgeException(Errno.EINVAL.value(), "request flags must be 0, not " + flags);
            }
            switch (op) {
                case OP_HELLO -> hello(tag, p, n);
                case OP_LOOKUP -> attr(op, tag, handler.lookup(path(p, n)));
                case OP_GETATTR -> attr(op, tag, handler.getattr(path(p, n)));
                case OP_READDIR -> readdir(tag, p, n);
                case OP_GET_FMAP -> bytes(op, tag, handler.getFmap(path(p, n)));
                default -> getDaxdev(tag, p, n);
            }
        } catch (BridgeException e) {
            server.countError(op);
            error(op, tag, e.errno(), e.detail());
        } catch (RuntimeException e) {
            server.countError(op);
            error(op, tag, Errno.EIO.value(), "the agent failed to answer " + opName(op));
        }
    }

    private void hello(long tag, int p, int n) throws IOException {
        if (n != HELLO_REQUEST_LENGTH) {
            throw new BridgeException(
                    Errno.EINVAL.value(), "HELLO payload must be a 4-byte version, not " + n + " bytes");
        }
        long version = Integer.toUnsignedLong(in.getInt(p + HELLO_VERSION_OFFSET));
        if (version == 0) {
            throw new BridgeException(
                    Errno.EPROTO.value(), "protocol version 0 does not exist; this server speaks " + VERSION);
        }
        byte[] identity = answer(handler.identity());
        if (identity.length > MAX_REPLY_PAYLOAD - HELLO_IDENTITY_OFFSET) {
            throw new BridgeException(Errno.EIO.value(), "the view's identity is too large to send");
        }
        header(OP_HELLO, tag, Errno.OK, HELLO_IDENTITY_OFFSET + identity.length);
        out.putInt((int) Math.min(version, VERSION));
        out.putInt(MAX_REQUEST_FRAME);
        out.putInt(MAX_REPLY_FRAME);
        out.putInt(0);
        out.put(identity);
    }

    private void attr(int op, long tag, BridgeAttr attr) throws IOException {
        answer(attr);
        header(op, tag, Errno.OK, BridgeAttrDescriptor.LENGTH);
        attr.encode(out);
    }

    private void readdir(long tag, int p, int n) throws IOException {
        if (n < READDIR_PATH_OFFSET) {
            throw new BridgeException(
                    Errno.EINVAL.value(),
                    "READDIR payload must start with a cookie, a budget and a" + " reserved word (16 bytes), not " + n
                            + " bytes");
        }
        long cookie = in.getLong(p + READDIR_COOKIE_OFFSET);
        long asked = Integer.toUnsignedLong(in.getInt(p + READDIR_BUDGET_OFFSET));
        if (in.getInt(p + READDIR_RESERVED_OFFSET) != 0) {
            throw new BridgeException(Errno.EINVAL.value(), "READDIR reserved word must be 0");
        }
        if (asked != 0 && asked < READDIR_MIN_BUDGET) {
            throw new BridgeException(
                    Errno.EINVAL.value(),
                    "READDIR budget must be 0 or at least " + READDIR_MIN_BUDGET + " bytes, not " + asked);
        }
        int budget = asked == 0 || asked > MAX_REPLY_PAYLOAD ? MAX_REPLY_PAYLOAD : (int) asked;
        BridgeDirents page =
                answer(handler.readdir(path(p + READDIR_PATH_OFFSET, n - READDIR_PATH_OFFSET), cookie, budget));
        int length = page.encodedLength();
        if (length > budget) {
            throw new BridgeException(Errno.EIO.value(), "the directory page exceeds the budget");
        }
        header(OP_READDIR, tag, Errno.OK, length);
        page.encode(out);
    }

    private void getDaxdev(long tag, int p, int n) throws IOException {
        if (n != DAXDEV_REQUEST_LENGTH) {
            throw new BridgeException(
                    Errno.EINVAL.value(), "GET_DAXDEV payload must be a 4-byte index, not " + n + " bytes");
        }
        long index = Integer.toUnsignedLong(in.getInt(p + DAXDEV_INDEX_OFFSET));
        if (index > Integer.MAX_VALUE) {
            throw new BridgeException(Errno.EINVAL.value(), "daxdev index " + index + " is out of range");
        }
        byte[] daxdev = answer(handler.getDaxdev((int) index));
        if (daxdev.length != DAXDEV_REPLY_LENGTH) {
            throw new BridgeException(Errno.EIO.value(), "the daxdev answer is not " + DAXDEV_REPLY_LENGTH + " bytes");
        }
        bytes(OP_GET_DAXDEV, tag, daxdev);
    }

    private void bytes(int op, long tag, byte[] payload) throws IOException {
        answer(payload);
        if (payload.length > MAX_REPLY_PAYLOAD) {
            throw new BridgeException(
                    Errno.EIO.value(),
                    opName(op) + " answer of " + payload.length + " bytes is larger than a reply may be");
        }
        header(op, tag, Errno.OK, payload.length);
        out.put(payload);
    }

    /** The handler's answer, checked before any reply byte is written. */
    private static <T> T answer(T value) throws BridgeException {
        if (value == null) {
            throw new BridgeException(Errno.EIO.value(), "the agent had no answer");
        }
        return value;
    }

    /** The path at {@code in[p, p + n)}, checked against the protocol's path rule. */
    private String path(int p, int n) throws BridgeException {
        if (n > MAX_PATH_BYTES) {
            throw new BridgeException(
                    Errno.ENAMETOOLONG.value(), "path of " + n + " bytes; the limit is " + MAX_PATH_BYTES);
        }
        byte[] b = in.array();
        for (int i = p; i < p + n; i++) {
            if (b[i] == 0) {
                throw new BridgeException(Errno.EINVAL.value(), "path holds a NUL byte");
            }
        }
        if (!Wire.isUtf8(b, p, n)) {
            throw new BridgeException(Errno.EINVAL.value(), "path is not valid UTF-8");
        }
        if (n > 0 && b[p] == '/') {
            throw new BridgeException(Errno.EINVAL.value(), "path must be relative (the root is the empty path)");
        }
        int component = p;
        for (int i = p; n > 0 && i <= p + n; i++) {
            if (i < p + n && b[i] != '/') {
                continue;
            }
            int length = i - component;
            if (length == 0) {
                throw new BridgeException(Errno.EINVAL.value(), "path has an empty component");
            }
            if (b[component] == '.' && (length == 1 || (length == 2 && b[component + 1] == '.'))) {
                throw new BridgeException(Errno.EINVAL.value(), "path has a '.' or '..' component");
            }
            component = i + 1;
        }
        return new String(b, p, n, StandardCharsets.UTF_8);
    }

    private void error(int op, long tag, int errno, String text) throws IOException {
        byte[] b = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, MAX_ERROR_TEXT);
        while (n < b.length && n > 0 && (b[n] & 0xc0) == 0x80) {
            n--; // cut before a continuation byte, so the text stays UTF-8
        }
        header(op, tag, errno, n);
        out.put(b, 0, n);
    }

    /** Writes a reply header with room for its payload after it. */
    private void header(int op, long tag, int errno, int payloadLength) throws IOException {
        int frame = REPLY_HEADER_LENGTH + payloadLength;
        if (out.remaining() < frame) {
            flush();
            if (out.capacity() < frame) {
                out = ByteBuffer.allocate(Math.max(frame, Math.min(2 * out.capacity(), MAX_REPLY_FRAME)))
                        .order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        out.putInt(frame - LENGTH_FIELD);
        out.putShort((short) op);
        out.putShort((short) 0);
        out.putLong(tag);
        out.putInt(errno);
        out.putInt(0);
    }

    private void flush() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        out.clear();
    }
}
