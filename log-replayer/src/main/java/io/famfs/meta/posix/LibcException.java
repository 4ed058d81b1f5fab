package io.famfs.meta.posix;

import java.io.IOException;

/** A libc call that failed, with its errno. */
public final class LibcException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public LibcException(String call, String target, int errno) {
        super(call + "(" + target + "): " + Libc.strerror(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
