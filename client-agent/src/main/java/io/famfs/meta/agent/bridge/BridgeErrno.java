package io.famfs.meta.agent.bridge;

/**
 * The Linux errno values the bridge protocol answers with (positive, as in {@code <errno.h>} on x86-64), so a C bridge
 * can hand them to FUSE as {@code -errno}. Only the values the protocol uses.
 */
public final class BridgeErrno {
    private BridgeErrno() {}

    public static final int OK = 0;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** The handler failed (a bug, or a reply it could not build). */
    public static final int EIO = 5;
    /** The request frame is longer than the protocol allows (the connection is then closed). */
    public static final int E2BIG = 7;
    /** READDIR of something that is not a directory. */
    public static final int ENOTDIR = 20;
    /** A malformed request whose frame boundary is known: bad payload size, flags, path or argument. */
    public static final int EINVAL = 22;
    /** A path longer than {@link BridgeProtocolDescriptor#MAX_PATH_BYTES}. */
    public static final int ENAMETOOLONG = 36;
    /** An op this server does not know. */
    public static final int ENOSYS = 38;
    /** HELLO with a protocol version no server speaks. */
    public static final int EPROTO = 71;
    /** The view changed under a request (the handler's call: e.g. a cookie from a view since replaced). */
    public static final int ESTALE = 116;

    /** The symbolic name of {@code errno}, or "errno N" for one not listed here. */
    public static String name(int errno) {
        return switch (errno) {
            case OK -> "OK";
            case ENOENT -> "ENOENT";
            case EIO -> "EIO";
            case E2BIG -> "E2BIG";
            case ENOTDIR -> "ENOTDIR";
            case EINVAL -> "EINVAL";
            case ENAMETOOLONG -> "ENAMETOOLONG";
            case ENOSYS -> "ENOSYS";
            case EPROTO -> "EPROTO";
            case ESTALE -> "ESTALE";
            default -> "errno " + errno;
        };
    }
}
