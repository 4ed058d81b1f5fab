package io.famfs.meta.log;

import static io.famfs.meta.format.FormatError.*;

import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Crc32s;
import io.famfs.meta.format.EntryCodec;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.FormatError;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.Le;
import io.famfs.meta.format.LogEntryDescriptor;
import io.famfs.meta.format.LogHeader;
import io.famfs.meta.format.LogHeaderDescriptor;
import io.famfs.meta.format.Superblock;
import io.famfs.meta.format.SuperblockDescriptor;
import io.famfs.meta.format.Uuids;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.UUID;

/**
 * A validated famfs file system on a mapped {@link Device}: the superblock, the fixed part of the log header, and
 * live access to the published part ({@code next_seqnum}, {@code next_index}) and to the entries.
 *
 * <p>Opening checks, in order: superblock magic, version (48; or 47 with the current layout), CRC of [0, 96), alloc
 * unit, log offset and length, that the mapping holds 2 MiB + log_len, that dd_size is at least 4 GiB and within the
 * mapping, then the log header's magic, CRC of [0, 24), length, last_index and next_index. Nothing is ever read past
 * the mapping: every offset is checked against it before use.
 */
public final class FamfsVolume {

    private static final VarHandle U64_ATOMIC =
            ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final Device device;
    private volatile Superblock superblock;
    private final LogHeader openedHeader;
    private final boolean writable;

    private FamfsVolume(Device device, Superblock superblock, LogHeader openedHeader) {
        this.device = device;
        this.superblock = superblock;
        this.openedHeader = openedHeader;
        this.writable = device.writable() && superblock.version() == Famfs.CURRENT_VERSION;
    }

    /** Validates the file system on {@code device}; throws {@link FormatException} naming the first problem. */
    public static FamfsVolume open(Device device) {
        MemorySegment seg = device.segment();
        long mapped = seg.byteSize();
        if (mapped < SuperblockDescriptor.LENGTH) {
            throw new FormatException(DEVICE_TOO_SMALL, "mapping of " + mapped + " bytes holds no superblock");
        }
        device.invalidate(0, SuperblockDescriptor.LENGTH);
        byte[] raw = seg.asSlice(0, SuperblockDescriptor.LENGTH).toArray(ValueLayout.JAVA_BYTE);
        MemorySegment copy = MemorySegment.ofArray(raw);
        Superblock sb = Superblock.decode(copy, 0);

        if (sb.magic() != Famfs.SUPER_MAGIC) {
            throw new FormatException(SB_BAD_MAGIC, String.format("0x%x", sb.magic()));
        }
        boolean v47 = sb.version() == Famfs.V47;
        if (sb.version() != Famfs.CURRENT_VERSION && !v47) {
            throw new FormatException(
                    SB_UNSUPPORTED_VERSION,
                    "version " + Long.toUnsignedString(sb.version())
                            + "; this build reads 48, and 47 in the 48 layout");
        }
        long crc = Crc32s.of(raw, 0, SuperblockDescriptor.CRC_COVERED);
        if (sb.storedCrc() != crc && v47 && isPreAllocUnitLayout(copy, raw)) {
            throw new FormatException(
                    UNSUPPORTED_V47_LAYOUT,
                    "the superblock's CRC sits at offset 80: the v47 layout from before ts_alloc_unit and the OMF"
                            + " version were inserted (famfs 2024-11)");
        }
        if (sb.storedCrc() != crc) {
            throw new FormatException(
                    SB_CRC_MISMATCH, String.format("stored 0x%x, computed 0x%x", sb.storedCrc(), crc));
        }
        if (sb.allocUnit() != Famfs.ALLOC_UNIT && sb.allocUnit() != Famfs.ALLOC_UNIT_4K) {
            throw layout(v47, SB_BAD_ALLOC_UNIT, String.format("0x%x", sb.allocUnit()));
        }
        if (v47 && sb.omfMajor() != Famfs.OMF_MAJOR) {
            throw new FormatException(UNSUPPORTED_V47_LAYOUT, "OMF major " + sb.omfMajor() + ", expected 2");
        }
        if (sb.logOffset() != Famfs.LOG_OFFSET) {
            throw layout(v47, SB_BAD_LOG_OFFSET, String.format("0x%x", sb.logOffset()));
        }
        if (!Famfs.isValidLogLen(sb.logLen())) {
            throw layout(v47, SB_BAD_LOG_LEN, Long.toUnsignedString(sb.logLen()) + " is not a power of two >= 8 MiB");
        }
        long metadataEnd = sb.dataStart();
        if (metadataEnd < 0 || mapped < metadataEnd) {
            throw new FormatException(
                    DEVICE_TOO_SMALL,
                    "mapping of " + mapped + " bytes is shorter than 2 MiB + log_len (" + metadataEnd + ")");
        }
        long devSize = sb.devSize();
        if (devSize < Famfs.MIN_DEVICE_SIZE || devSize > mapped || devSize < metadataEnd) {
            throw new FormatException(
                    SB_BAD_DEV_SIZE,
                    "dd_size " + Long.toUnsignedString(devSize) + " must be >= 4 GiB and <= the mapping (" + mapped
                            + " bytes)");
        }

        device.invalidate(Famfs.LOG_OFFSET, LogHeaderDescriptor.LENGTH);
        byte[] rawHeader =
                seg.asSlice(Famfs.LOG_OFFSET, LogHeaderDescriptor.LENGTH).toArray(ValueLayout.JAVA_BYTE);
        LogHeader header = LogHeader.decode(MemorySegment.ofArray(rawHeader), 0);
        if (header.magic() != Famfs.LOG_MAGIC) {
            throw layout(v47, LOG_BAD_MAGIC, String.format("0x%x", header.magic()));
        }
        long headerCrc = Crc32s.of(rawHeader, 0, LogHeaderDescriptor.CRC_COVERED);
        if (header.storedCrc() != headerCrc) {
            throw layout(
                    v47, LOG_CRC_MISMATCH, String.format("stored 0x%x, computed 0x%x", header.storedCrc(), headerCrc));
        }
        if (header.logLen() != sb.logLen()) {
            throw layout(
                    v47,
                    LOG_LEN_MISMATCH,
                    "header says " + Long.toUnsignedString(header.logLen()) + ", superblock " + sb.logLen());
        }
        long lastIndex = LogHeaderDescriptor.lastIndexFor(sb.logLen());
        if (header.lastIndex() != lastIndex) {
            throw layout(
                    v47,
                    LOG_BAD_LAST_INDEX,
                    Long.toUnsignedString(header.lastIndex()) + ", expected " + lastIndex + " for this log length");
        }
        checkNextIndex(header.nextIndex(), lastIndex);
        FamfsVolume volume = new FamfsVolume(device, sb, header);
        if (v47 && header.nextIndex() > 0) {
            byte[] entry = new byte[LogEntryDescriptor.LENGTH];
            volume.copyEntry(0, entry);
            FormatError bad = EntryCodec.check(entry, 0);
            if (bad != null) {
                throw new FormatException(
                        UNSUPPORTED_V47_LAYOUT, "entry 0 is not valid at a 544-byte stride (" + bad.summary() + ")");
            }
        }
        return volume;
    }

    /**
     * True when bytes [0, 80) carry their CRC at offset 80: the v47 superblock before 16 bytes (ts_alloc_unit, OMF
     * major and minor) were inserted at offset 32, which moved the CRC from 80 to 96 (famfs-format.md 1.8).
     */
    private static boolean isPreAllocUnitLayout(MemorySegment copy, byte[] raw) {
        return copy.get(Le.U64, OLD_V47_CRC_OFFSET) == Crc32s.of(raw, 0, OLD_V47_CRC_OFFSET);
    }

    private static final int OLD_V47_CRC_OFFSET = 80;

    private static FormatException layout(boolean v47, FormatError error, String detail) {
        return v47
                ? new FormatException(UNSUPPORTED_V47_LAYOUT, error.summary() + ": " + detail)
                : new FormatException(error, detail);
    }

    private static void checkNextIndex(long nextIndex, long lastIndex) {
        if (nextIndex < 0 || nextIndex > lastIndex + 1) {
            throw new FormatException(
                    LOG_NEXT_INDEX_OUT_OF_RANGE,
                    "next_index " + Long.toUnsignedString(nextIndex) + " > last_index + 1 (" + (lastIndex + 1) + ")");
        }
    }

    public Device device() {
        return device;
    }

    public Superblock superblock() {
        return superblock;
    }

    /** The header as read when the volume was opened (the fixed fields never change). */
    public LogHeader openedHeader() {
        return openedHeader;
    }

    /** True when appends are allowed: a read-write mapping of a version-48 file system. */
    public boolean writable() {
        return writable;
    }

    public long logLen() {
        return superblock.logLen();
    }

    public long lastIndex() {
        return openedHeader.lastIndex();
    }

    /** Number of log slots. */
    public long capacity() {
        return openedHeader.lastIndex() + 1;
    }

    /** The file-system size: the superblock's dd_size. */
    public long devSize() {
        return superblock.devSize();
    }

    /** Device offset of the log header. */
    public long logOffset() {
        return Famfs.LOG_OFFSET;
    }

    /** Device offset of entry {@code index}. */
    public long entryOffset(long index) {
        return Famfs.LOG_OFFSET + LogHeaderDescriptor.entryOffset(index);
    }

    /**
     * The published entry count: runs the invalidate step over the header, then reads {@code next_index} with acquire
     * order, so that entries below it are visible once their own lines are invalidated. A value beyond last_index + 1
     * is a typed error.
     */
    public long readNextIndex() {
        device.invalidate(Famfs.LOG_OFFSET, LogHeaderDescriptor.LENGTH);
        long next = (long)
                U64_ATOMIC.getAcquire(device.segment(), Famfs.LOG_OFFSET + LogHeaderDescriptor.NEXT_INDEX_OFFSET);
        checkNextIndex(next, lastIndex());
        return next;
    }

    /** {@code next_seqnum}, read with acquire order (not validated: it is not covered by any CRC). */
    public long readNextSeqnum() {
        device.invalidate(Famfs.LOG_OFFSET, LogHeaderDescriptor.LENGTH);
        return (long)
                U64_ATOMIC.getAcquire(device.segment(), Famfs.LOG_OFFSET + LogHeaderDescriptor.NEXT_SEQNUM_OFFSET);
    }

    /** Publishes {@code next_seqnum} with release order. */
    void publishNextSeqnum(long value) {
        U64_ATOMIC.setRelease(device.segment(), Famfs.LOG_OFFSET + LogHeaderDescriptor.NEXT_SEQNUM_OFFSET, value);
    }

    /** Publishes {@code next_index} with release order: every store before it is visible to an acquiring reader. */
    void publishNextIndex(long value) {
        U64_ATOMIC.setRelease(device.segment(), Famfs.LOG_OFFSET + LogHeaderDescriptor.NEXT_INDEX_OFFSET, value);
    }

    /**
     * Makes {@code owner} the file system's owner: rewrites ts_system_uuid and the superblock CRC that covers it (only
     * those bytes), then runs the flush step. famfs tools on the owner's host then see it as the master.
     */
    public void rewriteOwner(UUID owner) {
        if (!writable) {
            throw new FamfsException(ErrorCode.READ_ONLY, "cannot take ownership of a read-only file system");
        }
        Superblock updated = superblock.withSystemUuid(owner);
        MemorySegment seg = device.segment();
        Uuids.put(seg, SuperblockDescriptor.SYSTEM_UUID_OFFSET, owner);
        seg.set(Le.U64, SuperblockDescriptor.CRC_OFFSET, updated.storedCrc());
        device.flush(0, SuperblockDescriptor.LENGTH);
        superblock = updated;
    }

    /** Runs the invalidate step over entry {@code index}, then copies its 544 bytes into {@code dst}. */
    public void copyEntry(long index, byte[] dst) {
        if (index < 0 || index > lastIndex()) {
            throw new IndexOutOfBoundsException("log index " + index + " outside [0, " + lastIndex() + "]");
        }
        long offset = entryOffset(index);
        device.invalidate(offset, LogEntryDescriptor.LENGTH);
        MemorySegment.copy(device.segment(), ValueLayout.JAVA_BYTE, offset, dst, 0, LogEntryDescriptor.LENGTH);
    }
}
