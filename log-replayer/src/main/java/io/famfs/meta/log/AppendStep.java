package io.famfs.meta.log;

/** The points of one append, in order; an {@link AppendHook} sees each as it completes. */
public enum AppendStep {
    /** The entry is built in zeroed memory with seqnum and CRC; nothing shared is written yet. */
    ENTRY_BUILT,
    /** The first half of the entry's bytes are in the slot (a torn write, if the writer dies here). */
    SLOT_HALF_WRITTEN,
    /** All 544 bytes are in slot next_index. */
    SLOT_WRITTEN,
    /** The flush step has run over the entry. */
    ENTRY_FLUSHED,
    /** next_seqnum is published (release); next_index still excludes the entry. */
    SEQNUM_PUBLISHED,
    /** next_index is published (release): the entry is committed. */
    INDEX_PUBLISHED,
    /** The flush step has run over the header. */
    HEADER_FLUSHED
}
