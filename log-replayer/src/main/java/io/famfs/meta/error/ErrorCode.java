package io.famfs.meta.error;

/**
 * Every domain error the product reports, by kind. The CLI maps these to exit codes (cli.ExitCodes); the leader
 * maps them to HTTP and gRPC status in one table of its own.
 */
public enum ErrorCode {
    /** A request or argument that can never succeed as given: bad path, size, option value. */
    INVALID_ARGUMENT,
    /** The path, device or file does not exist. */
    NOT_FOUND,
    /** The target exists (a file system where mkfs would write, a path being created). */
    ALREADY_EXISTS,
    /** No free space for the request. */
    NO_SPACE,
    /** The log has no free slot. */
    LOG_FULL,
    /** The on-media metadata is invalid: superblock, log header or a log entry. */
    CORRUPT,
    /** Valid famfs metadata this version cannot handle (a format version or layout). */
    UNSUPPORTED,
    /** A write to something that may only be read (a v47 file system, a read-only mapping). */
    READ_ONLY,
    /** The operating system refused an operation on a device or file. */
    IO,
    /** A state that prevents the operation now, but is not bad input (e.g. a half-published log header). */
    FAILED_PRECONDITION,
    /** The service cannot take the request now (not ready: a bad log entry, another writer); it may later. */
    UNAVAILABLE,
    /** A request without the right credentials. */
    UNAUTHENTICATED
}
