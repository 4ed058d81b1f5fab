package io.famfs.meta.agent.view;

import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.Le;
import io.famfs.meta.format.LogEntryDescriptor;
import io.famfs.meta.format.LogHeaderDescriptor;
import io.famfs.meta.format.SuperblockDescriptor;
import io.famfs.meta.format.Uuids;
import io.famfs.meta.log.FamfsVolume;
import java.lang.foreign.MemorySegment;
import java.util.UUID;

/**
 * Which file system a view belongs to (DESIGN.md invariant 4): the fs uuid, the log length, the log header's CRC, and
 * the seqnum and CRC of the last applied entry ({@code applied} entries; -1 for both when none is applied). Not the
 * superblock CRC: a new leader rewrites the owner UUID and that CRC.
 *
 * <p>{@link #check} compares it with what shared memory holds now; any difference makes the view stale.
 */
public record ViewIdentity(UUID fsUuid, long logLen, long headerCrc, long applied, long lastSeqnum, long lastCrc) {

    /** The identity of {@code volume} with nothing applied yet. */
    public static ViewIdentity empty(FamfsVolume volume) {
        return new ViewIdentity(
                volume.superblock().fsUuid(),
                volume.logLen(),
                volume.openedHeader().storedCrc(),
                0,
                -1,
                -1);
    }

    /** This identity after applying the validated entry {@code entry} at index {@code applied}. */
    public ViewIdentity after(byte[] entry) {
        return new ViewIdentity(
                fsUuid,
                logLen,
                headerCrc,
                applied + 1,
                MemorySegment.ofArray(entry).get(Le.U64, LogEntryDescriptor.SEQNUM_OFFSET),
                MemorySegment.ofArray(entry).get(Le.U64, LogEntryDescriptor.CRC_OFFSET));
    }

    /**
     * Compares this identity with shared memory (after the invalidate step over the lines it reads): null when they
     * match, else why the view is stale. {@code nextIndex} is the published entry count just read.
     */
    public String check(FamfsVolume volume, long nextIndex) {
        MemorySegment seg = volume.device().segment();
        volume.device().invalidate(0, SuperblockDescriptor.LENGTH);
        if (seg.get(Le.U64, SuperblockDescriptor.MAGIC_OFFSET) != Famfs.SUPER_MAGIC) {
            return "the superblock is gone (its magic changed): the file system is being re-made";
        }
        UUID uuid = Uuids.get(seg, SuperblockDescriptor.FS_UUID_OFFSET);
        if (!uuid.equals(fsUuid)) {
            return "the file system was re-made: uuid " + fsUuid + " is now " + uuid;
        }
        volume.device().invalidate(Famfs.LOG_OFFSET, LogHeaderDescriptor.LENGTH);
        long len = seg.get(Le.U64, Famfs.LOG_OFFSET + LogHeaderDescriptor.LEN_OFFSET);
        long crc = seg.get(Le.U64, Famfs.LOG_OFFSET + LogHeaderDescriptor.CRC_OFFSET);
        if (len != logLen || crc != headerCrc) {
            return "the log header changed: length " + logLen + " -> " + len + ", CRC " + headerCrc + " -> " + crc;
        }
        if (nextIndex < applied) {
            return "the log went backwards: next_index " + nextIndex + " is below the " + applied + " entries applied";
        }
        if (applied > 0) {
            long offset = volume.entryOffset(applied - 1);
            volume.device().invalidate(offset, LogEntryDescriptor.LENGTH);
            long seq = seg.get(Le.U64, offset + LogEntryDescriptor.SEQNUM_OFFSET);
            long entryCrc = seg.get(Le.U64, offset + LogEntryDescriptor.CRC_OFFSET);
            if (seq != lastSeqnum || entryCrc != lastCrc) {
                return "entry " + (applied - 1) + " changed under the view (seqnum " + lastSeqnum + " -> " + seq
                        + ", CRC " + lastCrc + " -> " + entryCrc + ")";
            }
        }
        return null;
    }
}
