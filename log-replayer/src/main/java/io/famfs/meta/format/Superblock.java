package io.famfs.meta.format;

import static io.famfs.meta.format.SuperblockDescriptor.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A decoded superblock, exactly as stored (no validation here; {@code log.FamfsVolume} validates).
 *
 * @param storedCrc the u64 at offset 96 as stored
 * @param daxdevName the bytes of dd_daxdev up to the first NUL (all 64 when there is none), as UTF-8
 */
public record Superblock(
        long magic,
        long version,
        long logOffset,
        long logLen,
        long allocUnit,
        int omfMajor,
        int omfMinor,
        UUID fsUuid,
        UUID devUuid,
        UUID systemUuid,
        long storedCrc,
        int flags,
        long devSize,
        UUID daxdevUuid,
        String daxdevName) {

    /** The superblock famfs's mkfs writes (version 48, OMF 2.2, 2 MiB alloc unit, flags 0, dd_uuid nil). */
    public static Superblock forMkfs(
            UUID fsUuid, UUID devUuid, UUID systemUuid, long logLen, long devSize, String daxdevName) {
        checkDaxdevName(daxdevName);
        Superblock unsigned = new Superblock(
                Famfs.SUPER_MAGIC,
                Famfs.CURRENT_VERSION,
                Famfs.LOG_OFFSET,
                logLen,
                Famfs.ALLOC_UNIT,
                Famfs.OMF_MAJOR,
                Famfs.OMF_MINOR,
                fsUuid,
                devUuid,
                systemUuid,
                0,
                0,
                devSize,
                Uuids.NIL,
                daxdevName);
        return unsigned.withComputedCrc();
    }

    /** The same superblock with another owner, and the CRC that goes with it. */
    public Superblock withSystemUuid(UUID owner) {
        return new Superblock(
                        magic,
                        version,
                        logOffset,
                        logLen,
                        allocUnit,
                        omfMajor,
                        omfMinor,
                        fsUuid,
                        devUuid,
                        owner,
                        0,
                        flags,
                        devSize,
                        daxdevUuid,
                        daxdevName)
                .withComputedCrc();
    }

    /** The same fields with {@link #computedCrc()} as the stored CRC. */
    public Superblock withComputedCrc() {
        return new Superblock(
                magic,
                version,
                logOffset,
                logLen,
                allocUnit,
                omfMajor,
                omfMinor,
                fsUuid,
                devUuid,
                systemUuid,
                computedCrc(),
                flags,
                devSize,
                daxdevUuid,
                daxdevName);
    }

    /** CRC-32 of bytes [0, 96) of these fields. */
    public long computedCrc() {
        byte[] bytes = new byte[LENGTH];
        encodeFields(MemorySegment.ofArray(bytes));
        return Crc32s.of(bytes, 0, CRC_COVERED);
    }

    public static void checkDaxdevName(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length >= Famfs.DAXDEV_NAME_FIELD) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT,
                    "daxdev name must be shorter than " + Famfs.DAXDEV_NAME_FIELD + " bytes: " + name);
        }
    }

    /** Decodes 200 bytes at {@code offset} of {@code segment}. */
    public static Superblock decode(MemorySegment segment, long offset) {
        MemorySegment s = segment.asSlice(offset, LENGTH);
        byte[] name = s.asSlice(DAXDEV_NAME_OFFSET, Famfs.DAXDEV_NAME_FIELD).toArray(ValueLayout.JAVA_BYTE);
        int nameLen = 0;
        while (nameLen < name.length && name[nameLen] != 0) {
            nameLen++;
        }
        return new Superblock(
                s.get(Le.U64, MAGIC_OFFSET),
                s.get(Le.U64, VERSION_OFFSET),
                s.get(Le.U64, LOG_OFFSET_OFFSET),
                s.get(Le.U64, LOG_LEN_OFFSET),
                s.get(Le.U64, ALLOC_UNIT_OFFSET),
                s.get(Le.U32, OMF_MAJOR_OFFSET),
                s.get(Le.U32, OMF_MINOR_OFFSET),
                Uuids.get(s, FS_UUID_OFFSET),
                Uuids.get(s, DEV_UUID_OFFSET),
                Uuids.get(s, SYSTEM_UUID_OFFSET),
                s.get(Le.U64, CRC_OFFSET),
                s.get(Le.U32, FLAGS_OFFSET),
                s.get(Le.U64, DAXDEV_SIZE_OFFSET),
                Uuids.get(s, DAXDEV_UUID_OFFSET),
                new String(name, 0, nameLen, StandardCharsets.UTF_8));
    }

    /** Writes all 200 bytes (padding and unused name bytes zero), with {@link #storedCrc()} as the CRC. */
    public void encode(MemorySegment segment, long offset) {
        MemorySegment s = segment.asSlice(offset, LENGTH);
        s.fill((byte) 0);
        encodeFields(s);
        s.set(Le.U64, CRC_OFFSET, storedCrc);
    }

    private void encodeFields(MemorySegment s) {
        s.set(Le.U64, MAGIC_OFFSET, magic);
        s.set(Le.U64, VERSION_OFFSET, version);
        s.set(Le.U64, LOG_OFFSET_OFFSET, logOffset);
        s.set(Le.U64, LOG_LEN_OFFSET, logLen);
        s.set(Le.U64, ALLOC_UNIT_OFFSET, allocUnit);
        s.set(Le.U32, OMF_MAJOR_OFFSET, omfMajor);
        s.set(Le.U32, OMF_MINOR_OFFSET, omfMinor);
        Uuids.put(s, FS_UUID_OFFSET, fsUuid);
        Uuids.put(s, DEV_UUID_OFFSET, devUuid);
        Uuids.put(s, SYSTEM_UUID_OFFSET, systemUuid);
        s.set(Le.U32, FLAGS_OFFSET, flags);
        s.set(Le.U64, DAXDEV_SIZE_OFFSET, devSize);
        Uuids.put(s, DAXDEV_UUID_OFFSET, daxdevUuid);
        byte[] name = daxdevName.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(name, 0, s, ValueLayout.JAVA_BYTE, DAXDEV_NAME_OFFSET, Math.min(name.length, 64));
    }

    /** First byte after the log: where file data may begin. */
    public long dataStart() {
        return logOffset + logLen;
    }
}
