package io.famfs.meta.log;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.AddDaxdevEntry;
import io.famfs.meta.format.EntryCodec;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.LogEntry;
import io.famfs.meta.format.LogEntryDescriptor;
import io.famfs.meta.format.LogHeaderDescriptor;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.RelPath;
import io.famfs.meta.format.UnknownEntry;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The single-writer append every writer uses. Not thread-safe: the one writer (the leader) serializes calls.
 *
 * <p>The commit rule (DESIGN.md invariant 2), one method per step:
 *
 * <ol>
 *   <li>{@link #buildEntry}: the entry in zeroed memory, seqnum = next_seqnum, CRC;
 *   <li>{@link #writeSlot}: the 544 bytes into slot next_index;
 *   <li>{@link #flushEntry}: the flush step over the entry;
 *   <li>{@link #publishSeqnum}: next_seqnum + 1, release;
 *   <li>{@link #publishIndex}: next_index + 1, release, last: this commits the entry;
 *   <li>{@link #flushHeader}: the flush step over the header.
 * </ol>
 *
 * A reader that sees the new next_index (acquire) sees the whole entry. A writer that dies before step 4 leaves the
 * log as it was, apart from bytes past next_index that no reader trusts; one that dies between steps 4 and 5 leaves
 * next_seqnum ahead of next_index (by the size of its batch), which {@link #repairHalfPublished} settles (appends
 * refuse until then).
 *
 * <p>Every template is validated before anything is written: a relpath that breaks {@link RelPath}, a file size of 0
 * or less, or an entry type we never write is refused with INVALID_ARGUMENT and no change.
 */
public final class LogAppender {
    private final FamfsVolume volume;
    private final AppendHook hook;
    private final byte[] entry = new byte[LogEntryDescriptor.LENGTH];

    public LogAppender(FamfsVolume volume) {
        this(volume, AppendHook.NONE);
    }

    public LogAppender(FamfsVolume volume, AppendHook hook) {
        if (!volume.writable()) {
            String why = volume.device().writable()
                    ? "famfs version " + volume.superblock().version() + " is read-only here"
                    : "the device is mapped read-only";
            throw new FamfsException(
                    ErrorCode.READ_ONLY, "cannot append to " + volume.device().path() + ": " + why);
        }
        this.volume = volume;
        this.hook = hook;
    }

    /**
     * Appends one entry and returns its index. A full log, or a header whose next_seqnum differs from next_index
     * (half-published by a writer that died), is refused with nothing written.
     */
    public long append(LogEntry template) {
        validate(template);
        Batch batch = begin();
        long index = batch.add(template);
        batch.publish();
        return index;
    }

    /**
     * Starts a batch at the published end of the log: entries written with {@link Batch#add} go to the next slots
     * (built, copied, flushed), and one {@link Batch#publish} commits them all. Until then they are past next_index,
     * where no reader trusts them; a batch dropped without publishing leaves the log as it was.
     */
    public Batch begin() {
        long index = volume.readNextIndex();
        long seqnum = volume.readNextSeqnum();
        if (seqnum != index) {
            throw new FamfsException(
                    ErrorCode.FAILED_PRECONDITION,
                    "log header is half-published (next_seqnum " + seqnum + ", next_index " + index
                            + "): a writer died mid-append; repair it (repairHalfPublished) before appending");
        }
        return new Batch(index);
    }

    /** Entries being appended together; see {@link #begin}. Not thread-safe. */
    public final class Batch {
        private final long start;
        private long next;

        private Batch(long start) {
            this.start = start;
            this.next = start;
        }

        /** Free slots left for this batch. */
        public long room() {
            return volume.lastIndex() + 1 - next;
        }

        /** Writes the entry into the next slot (steps 1 to 3) and returns its index; LOG_FULL when no slot is left. */
        public long add(LogEntry template) {
            validate(template);
            long index = next;
            if (index > volume.lastIndex()) {
                throw new FamfsException(
                        ErrorCode.LOG_FULL, "log full: all " + volume.capacity() + " entries are used");
            }
            buildEntry(template, index);
            hook.after(AppendStep.ENTRY_BUILT, index);
            writeSlot(index);
            flushEntry(index);
            hook.after(AppendStep.ENTRY_FLUSHED, index);
            next = index + 1;
            return index;
        }

        /** The bytes of the entry last added (valid until the next add). */
        public byte[] lastEntry() {
            return entry;
        }

        /** Commits every entry added (steps 4 to 6); a batch with none publishes nothing. */
        public void publish() {
            if (next == start) {
                return;
            }
            long last = next - 1;
            publishSeqnum(next);
            hook.after(AppendStep.SEQNUM_PUBLISHED, last);
            publishIndex(next);
            hook.after(AppendStep.INDEX_PUBLISHED, last);
            flushHeader();
            hook.after(AppendStep.HEADER_FLUSHED, last);
        }

        /** First index of the batch. */
        public long start() {
            return start;
        }

        /** The index the next add would take. */
        public long next() {
            return next;
        }
    }

    /** Refuses what famfs would never log: the same rules replay applies to what it reads. */
    private static void validate(LogEntry template) {
        switch (template) {
            case FileEntry f -> {
                RelPath.require(f.relpath());
                if (f.size() <= 0) {
                    throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "file size must be > 0: " + f.size());
                }
            }
            case MkdirEntry m -> RelPath.require(m.relpath());
            case AddDaxdevEntry d -> {
                // a famfs entry type; replay ignores it
            }
            case UnknownEntry u ->
                throw new FamfsException(
                        ErrorCode.INVALID_ARGUMENT,
                        "cannot append an entry of type " + Integer.toUnsignedString(u.type()));
        }
    }

    /** What {@link #repairHalfPublished} did. */
    public enum Repair {
        /** The header was consistent: nothing to do. */
        NONE,
        /** The slot held the complete entry: next_index was published over it. */
        ROLLED_FORWARD,
        /** The slot did not hold a valid entry: next_seqnum was set back to next_index. */
        ROLLED_BACK
    }

    /**
     * Settles a header left with next_seqnum ahead of next_index by a writer that died between publishing the two (the
     * leader runs this at start). A batch publishes next_seqnum over all its entries at once, so it can be ahead by
     * the batch's size. Every entry of the batch was complete and flushed before next_seqnum moved, so when all the
     * slots in [next_index, next_seqnum) validate they are committed (next_index published); when next_seqnum is one
     * ahead over a slot that does not validate (famfs's own unordered bump), next_seqnum goes back. Any other difference
     * between the two counters is not ours to guess at: FAILED_PRECONDITION.
     */
    public Repair repairHalfPublished() {
        long index = volume.readNextIndex();
        long seqnum = volume.readNextSeqnum();
        if (seqnum == index) {
            return Repair.NONE;
        }
        if (Long.compareUnsigned(index, volume.lastIndex()) > 0
                || Long.compareUnsigned(seqnum, index) < 0
                || Long.compareUnsigned(seqnum, volume.lastIndex() + 1) > 0) {
            throw disagree(seqnum, index);
        }
        LogReader reader = new LogReader(volume);
        byte[] scratch = new byte[LogEntryDescriptor.LENGTH];
        long valid = index;
        while (valid < seqnum && reader.readValidated(valid, scratch) == null) {
            valid++;
        }
        if (valid == seqnum) {
            publishIndex(seqnum);
            flushHeader();
            return Repair.ROLLED_FORWARD;
        }
        if (seqnum != index + 1) {
            throw disagree(seqnum, index);
        }
        publishSeqnum(index);
        flushHeader();
        return Repair.ROLLED_BACK;
    }

    private static FamfsException disagree(long seqnum, long index) {
        return new FamfsException(
                ErrorCode.FAILED_PRECONDITION,
                "log header counters disagree (next_seqnum " + Long.toUnsignedString(seqnum) + ", next_index " + index
                        + ") in a way no append leaves them; not repaired");
    }

    /** Step 1: encode into zeroed private memory, with the seqnum and the CRC of [0, 536). */
    void buildEntry(LogEntry template, long seqnum) {
        EntryCodec.encode(template, seqnum, MemorySegment.ofArray(entry), 0);
    }

    /** Step 2: copy the entry into its slot, in two halves so a test can stop a writer mid-copy. */
    void writeSlot(long index) {
        MemorySegment shared = volume.device().segment();
        long offset = volume.entryOffset(index);
        int half = LogEntryDescriptor.LENGTH / 2;
        MemorySegment.copy(entry, 0, shared, ValueLayout.JAVA_BYTE, offset, half);
        hook.after(AppendStep.SLOT_HALF_WRITTEN, index);
        MemorySegment.copy(entry, half, shared, ValueLayout.JAVA_BYTE, offset + half, half);
        hook.after(AppendStep.SLOT_WRITTEN, index);
    }

    /** Step 3: the flush step over the entry's bytes. */
    void flushEntry(long index) {
        volume.device().flush(volume.entryOffset(index), LogEntryDescriptor.LENGTH);
    }

    /** Step 4: next_seqnum, release. */
    void publishSeqnum(long nextSeqnum) {
        volume.publishNextSeqnum(nextSeqnum);
    }

    /** Step 5: next_index, release; the entry is committed. */
    void publishIndex(long nextIndex) {
        volume.publishNextIndex(nextIndex);
    }

    /** Step 6: the flush step over the header. */
    void flushHeader() {
        volume.device().flush(volume.logOffset(), LogHeaderDescriptor.LENGTH);
    }
}
