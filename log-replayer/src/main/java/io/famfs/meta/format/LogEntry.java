package io.famfs.meta.format;

/** A decoded log entry. Valid entries have {@code seqnum() == index}. */
public sealed interface LogEntry permits FileEntry, MkdirEntry, AddDaxdevEntry, UnknownEntry {
    long seqnum();

    /** The raw entry type (famfs_log_entry_type). */
    int type();
}
