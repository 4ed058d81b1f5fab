package io.famfs.meta.agent.bridge;

/** A map or daxdev record the bridge will not send: the errno to answer the kernel with, and why. */
public final class FmapRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Errno errno;

    public FmapRefusedException(Errno errno, String reason) {
        // A refusal describes data, not a fault of the code: no stack trace (a bad file may be opened often).
        super(reason, null, false, false);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }

    /** {@code EINVAL: reason}. */
    @Override
    public String toString() {
        return errno.name() + ": " + getMessage();
    }
}
