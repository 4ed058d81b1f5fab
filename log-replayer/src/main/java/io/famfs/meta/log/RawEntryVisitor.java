package io.famfs.meta.log;

import io.famfs.meta.format.FormatException;

/**
 * Receives validated entries as bytes, in index order: the reader's private copy, valid only during the call (seqnum,
 * CRC and map shape checked). Replay reads its fields in place and allocates nothing per entry.
 */
public interface RawEntryVisitor {
    void entry(long index, byte[] entry);

    /** A bad entry: called once per bad entry in {@link ReadMode#SKIP_BAD}; never in STOP_AT_BAD. */
    default void skipped(FormatException error) {}
}
