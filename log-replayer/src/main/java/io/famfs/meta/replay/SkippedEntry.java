package io.famfs.meta.replay;

/** A valid entry that replay did not apply, with its index, reason and detail. */
public record SkippedEntry(long index, SkipReason reason, String detail) {}
