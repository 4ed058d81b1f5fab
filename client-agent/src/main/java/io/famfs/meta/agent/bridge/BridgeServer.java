package io.famfs.meta.agent.bridge;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's end of the bridge protocol (docs/bridge-protocol.md): a Unix stream socket only its owner may use, an
 * accept thread, and one platform thread per connection that answers its requests in order through a
 * {@link BridgeHandler}.
 *
 * <p>The socket file is made under a temporary name, given mode 0600, then renamed into place, so it is never
 * reachable with looser permissions whatever the umask. A socket file left by a dead agent is replaced; a live one,
 * or anything that is not a socket, is refused.
 */
public final class BridgeServer implements AutoCloseable {
    /** sun_path holds 108 bytes, the terminating NUL included. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    /** How long close() waits for each thread. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    /** Makes each start's temporary socket name unique within the process. */
    private static final AtomicLong STARTS = new AtomicLong();

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path socket;
    private final Object socketKey;
    private final ServerSocketChannel listener;
    private final BridgeHandler handler;
    private final Thread acceptor;
    private final Set<BridgeConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final LongAdder[] requests = adders();
    private final LongAdder[] errors = adders();
    private final LongAdder badFrames = new LongAdder();
    private volatile boolean closing;

    private BridgeServer(Path socket, Object socketKey, ServerSocketChannel listener, BridgeHandler handler) {
        this.socket = socket;
        this.socketKey = socketKey;
        this.listener = listener;
        this.handler = handler;
        this.acceptor = Thread.ofPlatform().name("bridge-accept").daemon().unstarted(this::acceptLoop);
    }

    /**
     * Listens on {@code socket} (its parent folder is made with mode 0700 when missing) and serves until
     * {@link #close()}.
     *
     * @throws IOException the path is too long for a Unix socket, is something other than a socket, another process
     *     listens on it, or the socket cannot be made
     */
    public static BridgeServer start(Path socket, BridgeHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Path path = socket.toAbsolutePath().normalize();
        Path dir = path.getParent();
        Path temporary = dir.resolve(".bridge-" + ProcessHandle.current().pid() + "-" + STARTS.incrementAndGet());
        for (Path p : new Path[] {path, temporary}) {
            if (p.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
                throw new IOException("socket path " + p + " is longer than a Unix socket path may be ("
                        + MAX_SOCKET_PATH_BYTES + " bytes)");
            }
        }
        if (!Files.exists(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        refuseUnlessStale(path);

        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            Files.deleteIfExists(temporary); // left by an earlier process with our pid that died before its rename
            listener.bind(UnixDomainSocketAddress.of(temporary));
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE); // replaces a stale socket
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            BridgeServer server = new BridgeServer(path, key, listener, handler);
            server.acceptor.start();
            return server;
        } catch (IOException | RuntimeException e) {
            listener.close();
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /** Returns when {@code path} is free or a socket nobody listens on; throws otherwise. */
    private static void refuseUnlessStale(Path path) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException(path + " exists and is " + fileType(mode) + ", not a socket: refusing to replace it");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false); // a live listener with a full backlog must not hold us up
            probe.connect(UnixDomainSocketAddress.of(path));
        } catch (ConnectException e) {
            return; // refused: the socket's process is gone
        } catch (IOException e) {
            throw new IOException("cannot tell whether a process listens on " + path + ": " + e.getMessage(), e);
        }
        throw new IOException("another process is listening on " + path);
    }

    private static String fileType(int mode) {
        return switch (mode & S_IFMT) {
            case 0100000 -> "a regular file";
            case 0040000 -> "a directory";
            case 0120000 -> "a symbolic link";
            default -> "a special file";
        };
    }

    private void acceptLoop() {
        long n = 0;
        while (!closing) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                pause(); // e.g. out of file descriptors: try again shortly rather than spin
                continue;
            }
            BridgeConnection connection = new BridgeConnection(this, handler, channel);
            connections.add(connection);
            // a platform thread per connection: a virtual one hands every wake-up through the poller and a carrier
            Thread thread = Thread.ofPlatform().daemon().name("bridge-" + n++).unstarted(connection);
            threads.add(thread);
            thread.start();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called by a connection's thread when it ends. */
    void closed(BridgeConnection connection) {
        connections.remove(connection);
        threads.remove(Thread.currentThread());
    }

    void countRequest(int op) {
        requests[op].increment();
    }

    void countError(int op) {
        errors[op].increment();
    }

    void countBadFrame() {
        badFrames.increment();
    }

    /** The socket's absolute path. */
    public Path socket() {
        return socket;
    }

    /** Requests of {@code op} answered (errors included); frames refused before their op is read are not counted. */
    public long requests(int op) {
        return requests[checkOp(op)].sum();
    }

    /** Requests of {@code op} answered with an errno. */
    public long errors(int op) {
        return errors[checkOp(op)].sum();
    }

    /** Frames with an unknown op, and frames that ended their connection (too short, too long, cut off). */
    public long badFrames() {
        return badFrames.sum();
    }

    /** Connections open now. */
    public int connections() {
        return connections.size();
    }

    /**
     * Stops accepting, closes every connection (requests in flight are not answered; a handler call in progress gets
     * up to 5 seconds to finish) and removes the socket file.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closing) {
            return;
        }
        closing = true;
        listener.close();
        join(acceptor);
        for (BridgeConnection c : connections) {
            c.close();
        }
        for (Thread t : threads) {
            t.interrupt();
            join(t);
        }
        removeSocketFile();
    }

    /** Removes the socket file unless another process has replaced it since. */
    private void removeSocketFile() throws IOException {
        try {
            Object key = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            if (socketKey.equals(key)) {
                Files.delete(socket);
            }
        } catch (NoSuchFileException e) {
            // already gone
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int checkOp(int op) {
        if (op < 0 || op >= BridgeProtocolDescriptor.OP_COUNT) {
            throw new IllegalArgumentException("no op " + op);
        }
        return op;
    }

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[BridgeProtocolDescriptor.OP_COUNT];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
