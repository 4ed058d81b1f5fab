package io.famfs.meta.fsck;

import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Replayer;
import java.util.UUID;

/**
 * Checks a file system the way famfs's fsck does: every entry below next_index is validated; a bad one is counted and
 * skipped ({@link ReadMode#SKIP_BAD}); every valid file entry is marked in the allocation bitmap, and a unit marked
 * twice is a collision. Also reports what our stricter replay skipped or flagged.
 */
public final class Fsck {
    private Fsck() {}

    /** Checks {@code volume}; {@code hostUuid} (null when unknown) decides whether this host is the owner. */
    public static FsckReport check(FamfsVolume volume, UUID hostUuid) {
        Namespace ns = Replayer.replayAll(volume, ReadMode.SKIP_BAD).namespace();
        return new FsckReport(
                volume.superblock(),
                volume.superblock().systemUuid().equals(hostUuid),
                ns.nextIndex(),
                volume.capacity(),
                volume.logLen(),
                ns.space().capacityBytes(),
                ns.sumFileSizes(),
                ns.space().allocatedBytes(),
                ns.space().freeBytes(),
                ns.fileEntries(),
                ns.dirEntries(),
                ns.badEntries(),
                ns.badEntryCount(),
                ns.space().collisions(),
                ns.collidingEntries(),
                ns.skipped(),
                ns.flagged());
    }
}
