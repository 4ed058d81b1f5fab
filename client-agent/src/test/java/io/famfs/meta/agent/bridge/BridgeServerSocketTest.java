package io.famfs.meta.agent.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket file: its permissions, stale and live sockets, what may not be replaced, and its removal on close. */
class BridgeServerSocketTest {
    @TempDir
    Path dir;

    private static boolean isSocket(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & 0170000) == 0140000;
    }

    private static void assertServes(Path socket) throws IOException {
        try (BridgeClient c = BridgeClient.connect(socket)) {
            assertEquals(4096, c.getattr("dir/f").size());
        }
    }

    /** A socket file nobody listens on: what an agent killed with -9 leaves behind. */
    private static void makeStaleSocket(Path p) throws IOException {
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(p));
        }
        assertTrue(isSocket(p));
    }

    @Test
    void socketIsOwnerOnlyAndItsNewFolderToo() throws IOException {
        Path socket = dir.resolve("run/famfs/agent.sock");
        try (BridgeServer server = BridgeServer.start(socket, new TreeHandler())) {
            assertEquals(socket.toAbsolutePath(), server.socket());
            assertTrue(isSocket(socket));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
            assertServes(socket);
            try (var names = Files.list(socket.getParent())) {
                assertEquals(1, names.count(), "no temporary name left beside the socket");
            }
        }
    }

    @Test
    void anExistingFolderKeepsItsPermissions() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        try (BridgeServer server = BridgeServer.start(dir.resolve("agent.sock"), new TreeHandler())) {
            assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket())));
        }
    }

    @Test
    void closeRemovesTheSocketAndEndsConnections() throws IOException {
        Path socket = dir.resolve("agent.sock");
        BridgeServer server = BridgeServer.start(socket, new TreeHandler());
        try (Raw raw = new Raw(socket)) {
            assertEquals(0, raw.call(2, 1, Raw.utf8("top")).errno());
            server.close();
            assertTrue(raw.closedByServer());
        }
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        assertEquals(0, server.connections());
        server.close(); // a second close does nothing
        assertThrows(IOException.class, () -> BridgeClient.connect(socket));
    }

    @Test
    void staleSocketIsReplaced() throws IOException {
        Path socket = dir.resolve("agent.sock");
        makeStaleSocket(socket);
        try (BridgeServer server = BridgeServer.start(socket, new TreeHandler())) {
            assertServes(socket);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket())));
        }
        // A server closed without removing its file (here: a new start after a crash) is stale too.
        makeStaleSocket(socket);
        try (BridgeServer again = BridgeServer.start(socket, new TreeHandler())) {
            assertServes(again.socket());
        }
    }

    @Test
    void liveSocketIsRefused() throws IOException {
        Path socket = dir.resolve("agent.sock");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(socket));
            IOException e = assertThrows(IOException.class, () -> BridgeServer.start(socket, new TreeHandler()));
            assertEquals("another process is listening on " + socket.toAbsolutePath(), e.getMessage());
            assertTrue(isSocket(socket));
        }
        try (BridgeServer first = BridgeServer.start(socket, new TreeHandler())) {
            IOException e = assertThrows(IOException.class, () -> BridgeServer.start(socket, new TreeHandler()));
            assertTrue(e.getMessage().startsWith("another process is listening"), e.getMessage());
            assertServes(first.socket()); // the first server is untouched
        }
        try (var names = Files.list(dir)) {
            assertEquals(0, names.count(), "nothing left behind");
        }
    }

    @Test
    void regularFileFolderAndSymlinkAreRefusedAndKept() throws IOException {
        Path file = dir.resolve("file.sock");
        Files.writeString(file, "precious");
        IOException e = assertThrows(IOException.class, () -> BridgeServer.start(file, new TreeHandler()));
        assertTrue(e.getMessage().contains("is a regular file, not a socket"), e.getMessage());
        assertEquals("precious", Files.readString(file));

        Path folder = Files.createDirectory(dir.resolve("folder.sock"));
        e = assertThrows(IOException.class, () -> BridgeServer.start(folder, new TreeHandler()));
        assertTrue(e.getMessage().contains("is a directory, not a socket"), e.getMessage());
        assertTrue(Files.isDirectory(folder));

        Path target = dir.resolve("target.sock");
        makeStaleSocket(target);
        Path link = Files.createSymbolicLink(dir.resolve("link.sock"), target);
        e = assertThrows(IOException.class, () -> BridgeServer.start(link, new TreeHandler()));
        assertTrue(e.getMessage().contains("is a symbolic link, not a socket"), e.getMessage());
        assertTrue(Files.isSymbolicLink(link));

        try (var names = Files.list(dir)) {
            assertEquals(4, names.count(), "no temporary socket left behind");
        }
    }

    @Test
    void closeLeavesASuccessorsSocketAlone() throws IOException {
        Path socket = dir.resolve("agent.sock");
        BridgeServer old = BridgeServer.start(socket, new TreeHandler());
        Files.delete(socket); // e.g. an operator cleaned up, and a new agent started on the same path
        try (BridgeServer successor = BridgeServer.start(socket, new TreeHandler())) {
            old.close();
            assertTrue(isSocket(socket));
            assertServes(successor.socket());
        }
    }

    @Test
    void pathTooLongForAUnixSocketIsRefused() {
        Path socket = dir.resolve("x".repeat(120) + ".sock");
        IOException e = assertThrows(IOException.class, () -> BridgeServer.start(socket, new TreeHandler()));
        assertTrue(e.getMessage().contains("longer than a Unix socket path may be"), e.getMessage());
        assertFalse(Files.exists(socket));
    }
}
