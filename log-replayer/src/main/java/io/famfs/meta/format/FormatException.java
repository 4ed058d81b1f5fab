package io.famfs.meta.format;

import io.famfs.meta.error.FamfsException;

/**
 * Typed refusal of on-media metadata: a {@link FormatError}, the log index for entry errors, and detail. It describes
 * bytes, not a failure of the code, so it carries no stack trace (a damaged log can yield millions of them).
 */
public final class FormatException extends FamfsException {
    private static final long serialVersionUID = 1L;

    /** Index value for errors that are not about one log entry. */
    public static final long NO_INDEX = -1;

    private final FormatError error;
    private final long index;
    private final String detail;

    public FormatException(FormatError error, String detail) {
        this(error, NO_INDEX, detail);
    }

    public FormatException(FormatError error, long index, String detail) {
        super(error.code(), message(error, index, detail), false);
        this.error = error;
        this.index = index;
        this.detail = detail;
    }

    private static String message(FormatError error, long index, String detail) {
        String where = index == NO_INDEX ? "" : " at log index " + index;
        return error.summary() + where + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }

    public FormatError error() {
        return error;
    }

    /** The log index of a bad entry, or {@link #NO_INDEX}. */
    public long index() {
        return index;
    }

    public String detail() {
        return detail;
    }
}
