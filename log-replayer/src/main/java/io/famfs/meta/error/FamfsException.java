package io.famfs.meta.error;

/** A domain error with a kind ({@link ErrorCode}) and a one-line message fit for a user. */
public class FamfsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public FamfsException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public FamfsException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** For errors that describe data, not a failure of the code: no stack trace is taken (they can be many). */
    protected FamfsException(ErrorCode code, String message, boolean withStackTrace) {
        super(message, null, false, withStackTrace);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
