package io.famfs.meta.format;

import java.util.UUID;

/** A FAMFS_LOG_ADD_DAXDEV entry (multi-daxdev phase 1; famfs's logplay ignores it, and so does our replay). */
public record AddDaxdevEntry(long seqnum, long devSize, UUID uuid, int devIndex) implements LogEntry {
    @Override
    public int type() {
        return LogEntryDescriptor.TYPE_ADD_DAXDEV;
    }
}
