package io.famfs.meta.cli;

import io.famfs.meta.error.ErrorCode;

/** The CLI's exit codes: one table, documented in the README. */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    /** An unexpected failure: a bug. */
    public static final int INTERNAL = 1;
    /** Bad usage or an invalid argument. */
    public static final int USAGE = 2;
    /** The operating system refused an operation on a device or file. */
    public static final int IO = 3;
    /** Corrupt metadata: a bad superblock, log header or log entry. */
    public static final int CORRUPT = 4;
    /** An unsupported format version or layout, or a write to a read-only file system. */
    public static final int UNSUPPORTED = 5;
    /** fsck found allocation collisions. */
    public static final int COLLISIONS = 6;
    /** A path, device or file that does not exist. */
    public static final int NOT_FOUND = 7;
    /** The target exists already (e.g. mkfs over a file system without --force). */
    public static final int EXISTS = 8;
    /** No space, or the log is full. */
    public static final int NO_SPACE = 9;
    /** The operation cannot run in the current state (e.g. a half-published log header, another host owns it). */
    public static final int FAILED_PRECONDITION = 10;
    /** The leader is not reachable or not ready. */
    public static final int UNAVAILABLE = 11;
    /** The leader refused the token. */
    public static final int UNAUTHENTICATED = 12;

    public static int of(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> USAGE;
            case NOT_FOUND -> NOT_FOUND;
            case ALREADY_EXISTS -> EXISTS;
            case NO_SPACE, LOG_FULL -> NO_SPACE;
            case CORRUPT -> CORRUPT;
            case UNSUPPORTED, READ_ONLY -> UNSUPPORTED;
            case IO -> IO;
            case FAILED_PRECONDITION -> FAILED_PRECONDITION;
            case UNAVAILABLE -> UNAVAILABLE;
            case UNAUTHENTICATED -> UNAUTHENTICATED;
        };
    }
}
