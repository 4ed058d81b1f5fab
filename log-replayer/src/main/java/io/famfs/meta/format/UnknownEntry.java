package io.famfs.meta.format;

/** A CRC-valid entry of a type we do not handle (DELETE, INVALID, or any other number). Replay ignores it. */
public record UnknownEntry(long seqnum, int type) implements LogEntry {}
