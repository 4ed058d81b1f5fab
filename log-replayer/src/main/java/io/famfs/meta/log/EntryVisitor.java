package io.famfs.meta.log;

import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.LogEntry;

/** Receives what the {@link LogReader} reads, in index order. */
public interface EntryVisitor {
    /** A valid entry (seqnum == index, CRC good, decodable). */
    void entry(long index, LogEntry entry);

    /** A bad entry: called once per bad entry in {@link ReadMode#SKIP_BAD}; never in STOP_AT_BAD. */
    default void skipped(FormatException error) {}
}
