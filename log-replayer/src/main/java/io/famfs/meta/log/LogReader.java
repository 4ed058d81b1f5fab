package io.famfs.meta.log;

import io.famfs.meta.format.EntryCodec;
import io.famfs.meta.format.FormatError;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.LogEntryDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads log entries {@code [from, next_index)} of a {@link FamfsVolume}. Each entry is copied out of shared memory
 * after the invalidate step and validated on the copy ({@link EntryCodec#check}: seqnum == index, CRC, map shape); on
 * a miss it is invalidated and re-read once (a writer without ordering, like famfs, can publish next_index before the
 * entry lands). Visitors see only the validated copy, so a concurrent writer cannot change what was checked.
 *
 * <p>Bounded by construction: next_index is checked against last_index, every offset against the mapping; any byte
 * pattern yields entries or typed {@link FormatException}s.
 */
public final class LogReader {
    /** Bad entries kept (with their detail) per pass; beyond this only the count grows. */
    public static final int KEPT_ERRORS = 1000;

    private final FamfsVolume volume;
    private final byte[] scratch = new byte[LogEntryDescriptor.LENGTH];

    public LogReader(FamfsVolume volume) {
        this.volume = volume;
    }

    /** Reads from {@code from} up to the current {@code next_index}, decoding each entry into a record. */
    public ReadResult read(long from, ReadMode mode, EntryVisitor visitor) {
        return read(from, volume.readNextIndex(), mode, visitor);
    }

    /** Reads {@code [from, to)}, decoding each entry into a record. */
    public ReadResult read(long from, long to, ReadMode mode, EntryVisitor visitor) {
        return readRaw(from, to, mode, new RawEntryVisitor() {
            @Override
            public void entry(long index, byte[] entry) {
                visitor.entry(index, EntryCodec.decode(entry, index));
            }

            @Override
            public void skipped(FormatException error) {
                visitor.skipped(error);
            }
        });
    }

    /** Reads from {@code from} up to the current {@code next_index}, handing out validated bytes. */
    public ReadResult readRaw(long from, ReadMode mode, RawEntryVisitor visitor) {
        return readRaw(from, volume.readNextIndex(), mode, visitor);
    }

    /** Reads {@code [from, to)}; {@code to} must not exceed a next_index read from the volume. */
    public ReadResult readRaw(long from, long to, ReadMode mode, RawEntryVisitor visitor) {
        if (from < 0 || to > volume.capacity()) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside the log");
        }
        List<FormatException> skipped = List.of();
        long skippedCount = 0;
        for (long i = from; i < to; i++) {
            FormatException bad = readValidated(i, scratch);
            if (bad == null) {
                visitor.entry(i, scratch);
                continue;
            }
            if (mode == ReadMode.STOP_AT_BAD) {
                return new ReadResult(from, i, to, bad, skipped, skippedCount);
            }
            if (skipped.isEmpty()) {
                skipped = new ArrayList<>();
            }
            if (skipped.size() < KEPT_ERRORS) {
                skipped.add(bad);
            }
            skippedCount++;
            visitor.skipped(bad);
        }
        return new ReadResult(from, Math.max(from, to), to, null, skipped, skippedCount);
    }

    /**
     * Copies entry {@code index} into {@code dst} (544 bytes) after the invalidate step and validates the copy; on a
     * miss, invalidates and re-reads once. Returns null when {@code dst} holds a valid entry, else the typed error.
     */
    public FormatException readValidated(long index, byte[] dst) {
        volume.copyEntry(index, dst);
        FormatError error = EntryCodec.check(dst, index);
        if (error != null) {
            volume.copyEntry(index, dst); // the re-read, after a fresh invalidate
            error = EntryCodec.check(dst, index);
            if (error != null) {
                return new FormatException(error, index, EntryCodec.checkDetail(dst, index, error));
            }
        }
        return null;
    }
}
