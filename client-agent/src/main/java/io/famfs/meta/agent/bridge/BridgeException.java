package io.famfs.meta.agent.bridge;

import java.io.IOException;

/**
 * An error answer of the bridge protocol: a positive errno ({@link Errno}) and a short text. The handler throws
 * it to answer a request with that errno; the client throws it when a reply carries one (or when it refuses to send a
 * request the server would refuse).
 */
public final class BridgeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String detail;

    public BridgeException(int errno, String detail) {
        super(Errno.name(errno) + ": " + detail);
        if (errno <= 0) {
            throw new IllegalArgumentException("an error answer needs a positive errno, not " + errno);
        }
        this.errno = errno;
        this.detail = detail;
    }

    public int errno() {
        return errno;
    }

    /** The text without the errno's name: what the server sends in the error reply's payload. */
    public String detail() {
        return detail;
    }
}
