package io.famfs.meta.log;

import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Crc32s;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.Le;
import io.famfs.meta.format.LogHeader;
import io.famfs.meta.format.Superblock;
import io.famfs.meta.format.SuperblockDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.UUID;

/** Makes a famfs file system (format version 48) on a device: superblock, zeroed log, log header. */
public final class Mkfs {
    private Mkfs() {}

    /**
     * What to write. The caller chooses the UUIDs (the CLI draws random ones).
     *
     * @param daxdevName recorded in dd_daxdev: the device path as given, or a chosen name (under 64 bytes)
     * @param force overwrite an existing famfs superblock
     */
    public record Params(UUID fsUuid, UUID devUuid, UUID systemUuid, long logLen, String daxdevName, boolean force) {}

    /**
     * Formats {@code device} and returns the superblock written. dd_size is the device size rounded down to 2 MiB.
     * Order: an existing superblock is killed (magic zeroed) first, then the log is zeroed and its header written and
     * flushed, and the new superblock goes last, so a crash never leaves a valid superblock over a half-made log.
     */
    public static Superblock format(Device device, Params params) {
        if (!device.writable()) {
            throw new FamfsException(ErrorCode.READ_ONLY, "mkfs needs a writable device: " + device.path());
        }
        long length = device.length();
        if (length < Famfs.MIN_DEVICE_SIZE) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT,
                    device.path() + " is " + length + " bytes; famfs needs a device of at least 4 GiB");
        }
        if (!Famfs.isValidLogLen(params.logLen())) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT,
                    "log length " + params.logLen() + " must be a power of two of at least 8 MiB");
        }
        long devSize = length & ~(Famfs.ALLOC_UNIT - 1);
        if (Famfs.LOG_OFFSET + params.logLen() >= devSize) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT,
                    "a log of " + params.logLen() + " bytes leaves no data space on a " + devSize + "-byte device");
        }
        Superblock sb = Superblock.forMkfs(
                params.fsUuid(), params.devUuid(), params.systemUuid(), params.logLen(), devSize, params.daxdevName());
        MemorySegment seg = device.segment();
        if (!params.force() && holdsFamfs(seg)) {
            throw new FamfsException(
                    ErrorCode.ALREADY_EXISTS,
                    device.path() + " holds a famfs file system (uuid "
                            + Superblock.decode(seg, 0).fsUuid() + "); pass --force to overwrite it");
        }

        seg.set(Le.U64, SuperblockDescriptor.MAGIC_OFFSET, 0L);
        device.flush(0, SuperblockDescriptor.LENGTH);

        seg.asSlice(Famfs.LOG_OFFSET, params.logLen()).fill((byte) 0);
        LogHeader.forMkfs(params.logLen()).encode(seg, Famfs.LOG_OFFSET);
        device.flush(Famfs.LOG_OFFSET, params.logLen());

        sb.encode(seg, 0);
        device.flush(0, SuperblockDescriptor.LENGTH);
        return sb;
    }

    /**
     * True when famfs would call the superblock valid or "valid but another version" (famfs_check_super 0 or 1): the
     * magic matches and either the version differs or the CRC is good. mkfs refuses to overwrite such a device.
     */
    public static boolean holdsFamfs(MemorySegment seg) {
        if (seg.byteSize() < SuperblockDescriptor.LENGTH
                || seg.get(Le.U64, SuperblockDescriptor.MAGIC_OFFSET) != Famfs.SUPER_MAGIC) {
            return false;
        }
        if (seg.get(Le.U64, SuperblockDescriptor.VERSION_OFFSET) != Famfs.CURRENT_VERSION) {
            return true;
        }
        long crc = Crc32s.of(seg, 0, SuperblockDescriptor.CRC_COVERED);
        return seg.get(Le.U64, SuperblockDescriptor.CRC_OFFSET) == crc;
    }
}
