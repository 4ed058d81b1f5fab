package io.famfs.meta.log;

import io.famfs.meta.format.EntryCodec;
import io.famfs.meta.format.FormatError;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.LogEntry;
import io.famfs.meta.format.LogEntryDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads log entries {@code [from, next_index)} of a {@link FamfsVolume}. Each entry is copied out of shared memory
 * after the invalidate step, validated on the copy (seqnum == index, then CRC), and on a miss invalidated and re-read
 * once (a writer without ordering, like famfs, can publish next_index before the entry lands). Decoding works on the
 * same copy, so a concurrent writer cannot change what was validated.
 *
 * <p>Bounded by construction: next_index is checked against last_index, every offset against the mapping; any byte
 * pattern yields entries or typed {@link FormatException}s.
 */
public final class LogReader {
    private final FamfsVolume volume;
    private final byte[] scratch = new byte[LogEntryDescriptor.LENGTH];

    public LogReader(FamfsVolume volume) {
        this.volume = volume;
    }

    /** Reads from {@code from} up to the current {@code next_index}. */
    public ReadResult read(long from, ReadMode mode, EntryVisitor visitor) {
        return read(from, volume.readNextIndex(), mode, visitor);
    }

    /** Reads {@code [from, to)}; {@code to} must not exceed a next_index read from the volume. */
    public ReadResult read(long from, long to, ReadMode mode, EntryVisitor visitor) {
        if (from < 0 || to > volume.capacity()) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside the log");
        }
        List<FormatException> skipped = List.of();
        for (long i = from; i < to; i++) {
            FormatException bad = readOne(i, visitor);
            if (bad != null) {
                if (mode == ReadMode.STOP_AT_BAD) {
                    return new ReadResult(from, i, to, bad, skipped);
                }
                if (skipped.isEmpty()) {
                    skipped = new ArrayList<>();
                }
                skipped.add(bad);
                visitor.skipped(bad);
            }
        }
        return new ReadResult(from, Math.max(from, to), to, null, skipped);
    }

    /** Reads, validates and hands out entry {@code index}; returns the typed error instead when it is bad. */
    private FormatException readOne(long index, EntryVisitor visitor) {
        volume.copyEntry(index, scratch);
        FormatError error = EntryCodec.check(scratch, index);
        if (error != null) {
            volume.copyEntry(index, scratch); // the re-read, after a fresh invalidate
            error = EntryCodec.check(scratch, index);
            if (error != null) {
                return new FormatException(error, index, EntryCodec.checkDetail(scratch, index, error));
            }
        }
        LogEntry entry;
        try {
            entry = EntryCodec.decode(scratch, index);
        } catch (FormatException malformed) {
            return malformed;
        }
        visitor.entry(index, entry);
        return null;
    }
}
