package io.famfs.meta.agent.bridge;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A raw connection to a bridge server that builds and reads frames by hand from docs/bridge-protocol.md (its own
 * offsets, not the code under test), for the byte-level and hostile-input tests.
 */
final class Raw implements AutoCloseable {
    final SocketChannel channel;

    Raw(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
    }

    /** A reply as the doc lays it out: length u32 @0, op u16 @4, flags u16 @6, tag u64 @8, errno i32 @16, rsvd @20. */
    record Reply(long length, int op, int flags, long tag, int errno, int reserved, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        ByteBuffer body() {
            return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Request frame bytes: length (12 + payload) u32 @0, op u16 @4, flags u16 @6, tag u64 @8, payload @16. */
    static byte[] frame(int op, int flags, long tag, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(12 + payload.length)
                .putShort((short) op)
                .putShort((short) flags)
                .putLong(tag)
                .put(payload);
        return b.array();
    }

    static byte[] frame(int op, long tag, byte[] payload) {
        return frame(op, 0, tag, payload);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** READDIR payload: cookie u64 @0, budget u32 @8, reserved u32 @12, path @16. */
    static byte[] readdir(long cookie, int budget, int reserved, byte[] path) {
        ByteBuffer b = ByteBuffer.allocate(16 + path.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(cookie).putInt(budget).putInt(reserved).put(path).array();
    }

    void send(byte[]... frames) throws IOException {
        int n = 0;
        for (byte[] f : frames) {
            n += f.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] f : frames) {
            b.put(f);
        }
        b.flip();
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    Reply read() throws IOException {
        ByteBuffer h = readExactly(24);
        long length = Integer.toUnsignedLong(h.getInt(0));
        if (length < 20 || length > 1024 * 1024 - 4) {
            throw new IOException("bad reply length " + length);
        }
        byte[] payload = readExactly((int) length - 20).array();
        return new Reply(
                length,
                h.getShort(4) & 0xffff,
                h.getShort(6) & 0xffff,
                h.getLong(8),
                h.getInt(16),
                h.getInt(20),
                payload);
    }

    Reply call(int op, long tag, byte[] payload) throws IOException {
        send(frame(op, tag, payload));
        return read();
    }

    /** True when the server closed the connection: the next read sees end of stream. */
    boolean closedByServer() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        try {
            return channel.read(b) < 0;
        } catch (IOException e) {
            return true; // reset by the peer
        }
    }

    /** The next {@code n} bytes the server sends. */
    byte[] readBytes(int n) throws IOException {
        return readExactly(n).array();
    }

    private ByteBuffer readExactly(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("closed after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.flip();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
