package io.famfs.meta.log;

import static io.famfs.meta.log.RawBytes.*;
import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.device.Device;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Superblock;
import io.famfs.meta.testing.TestDevice;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** mkfs: what it refuses, and every byte of the superblock and log header it writes, checked by our own decoding. */
class MkfsTest {
    private static final long MiB = 1L << 20;
    private static final long GiB = 1L << 30;
    private static final long LOG_8M = 8 * MiB;

    private static Mkfs.Params params(long logLen, String name, boolean force) {
        return new Mkfs.Params(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), logLen, name, force);
    }

    private static FamfsException refused(TestDevice d, Mkfs.Params p) {
        try (Device dev = d.open(true)) {
            return assertThrows(FamfsException.class, () -> Mkfs.format(dev, p));
        }
    }

    private static void assertAllZero(byte[] bytes, String what) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                fail(what + ": byte " + i + " is " + bytes[i]);
            }
        }
    }

    @Test
    void refusesADeviceUnder4GiBAndWritesNothing() {
        for (long size : new long[] {4 * GiB - 2 * MiB, 4 * GiB - 1, GiB}) {
            try (TestDevice d = TestDevice.create(size)) {
                FamfsException e = refused(d, params(LOG_8M, "/dev/dax0.0", false));
                assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
                assertTrue(e.getMessage().contains("4 GiB"), e.getMessage());
                assertAllZero(read(d.path(), 0, (int) (LOG + LOG_8M)), "device of " + size);
            }
        }
    }

    @Test
    void refusesALogLengthThatIsNotAPowerOfTwoOfAtLeast8MiB() {
        try (TestDevice d = TestDevice.create(8 * GiB)) {
            for (long logLen : new long[] {12 * MiB, 8 * MiB + 4096, 4 * MiB, 1 * MiB, 0, -8 * MiB}) {
                FamfsException e = refused(d, params(logLen, "/dev/dax0.0", false));
                assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), "log length " + logLen);
                assertAllZero(read(d.path(), 0, (int) (LOG + 16 * MiB)), "log length " + logLen);
            }
        }
    }

    @Test
    void refusesToOverwriteAFileSystemWithoutForceAndOverwritesWithForce() {
        try (TestDevice d = TestDevice.formatted()) {
            byte[] before = read(d.path(), 0, (int) (LOG + LOG_8M));
            UUID oldFs = uuid(before, 48);

            FamfsException e = refused(d, params(LOG_8M, "/dev/dax1.0", false));
            assertEquals(ErrorCode.ALREADY_EXISTS, e.code());
            assertTrue(e.getMessage().contains(oldFs.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("--force"), e.getMessage());
            assertArrayEquals(before, read(d.path(), 0, (int) (LOG + LOG_8M)), "refused mkfs changed bytes");

            Mkfs.Params forced = params(16 * MiB, "/dev/dax1.0", true);
            try (Device dev = d.open(true)) {
                Mkfs.format(dev, forced);
            }
            byte[] sb = read(d.path(), 0, 200);
            assertEquals(forced.fsUuid(), uuid(sb, 48));
            assertNotEquals(oldFs, uuid(sb, 48));
            assertEquals(16 * MiB, le64(sb, 24));
            assertEquals(crc32(sb, 0, 96), le64(sb, 96));
            assertEquals("/dev/dax1.0", new String(sb, 136, 11, StandardCharsets.UTF_8));
        }
    }

    @Test
    void refusesAnotherVersionsSuperblockWithoutForce() {
        try (TestDevice d = TestDevice.formatted()) {
            putLe64(d.path(), SB_VERSION, 47); // famfs_check_super: "valid, wrong version" (the CRC is now stale)
            byte[] before = read(d.path(), 0, (int) (LOG + LOG_8M));
            assertEquals(
                    ErrorCode.ALREADY_EXISTS,
                    refused(d, params(LOG_8M, "x", false)).code());
            assertArrayEquals(before, read(d.path(), 0, (int) (LOG + LOG_8M)));
        }
        // a superblock with the right magic but a bad CRC is not a file system: mkfs goes ahead without force
        try (TestDevice d = TestDevice.formatted()) {
            flipByte(d.path(), SB_CRC);
            Mkfs.Params p = params(LOG_8M, "x", false);
            try (Device dev = d.open(true)) {
                Mkfs.format(dev, p);
            }
            assertEquals(p.fsUuid(), uuid(read(d.path(), 0, 200), 48));
        }
    }

    @Test
    void devSizeIsTheDeviceSizeRoundedDownTo2MiB() {
        long[][] cases = {
            {4 * GiB + 3 * MiB, 4 * GiB + 2 * MiB},
            {4 * GiB + 2 * MiB - 1, 4 * GiB},
            {4 * GiB, 4 * GiB},
            {8 * GiB + 4095, 8 * GiB}
        };
        for (long[] c : cases) {
            try (TestDevice d = TestDevice.create(c[0])) {
                try (Device dev = d.open(true)) {
                    Mkfs.format(dev, params(LOG_8M, "/dev/dax0.0", false));
                }
                assertEquals(c[1], le64(d.path(), 112), "device of " + c[0] + " bytes");
            }
        }
    }

    @Test
    void lastIndexFollowsTheLogLength() {
        long[][] cases = {{8 * MiB, 15419}, {16 * MiB, 30839}, {64 * MiB, 123360}};
        for (long[] c : cases) {
            try (TestDevice d = TestDevice.create(8 * GiB)) {
                try (Device dev = d.open(true)) {
                    Mkfs.format(dev, params(c[0], "/dev/dax0.0", false));
                }
                byte[] header = read(d.path(), LOG, 48);
                assertEquals(c[0], le64(header, 8), "famfs_log_len");
                assertEquals(c[1], le64(header, 16), "last_index for a log of " + c[0]);
                assertEquals(c[0], le64(d.path(), 24), "ts_log_len");
                // the last slot fits inside the log, one more would not
                assertTrue(48 + 544 * (c[1] + 1) <= c[0]);
                assertTrue(48 + 544 * (c[1] + 2) > c[0]);
            }
        }
    }

    @Test
    void aDaxdevNameOf64BytesOrMoreIsRefused() {
        try (TestDevice d = TestDevice.create(8 * GiB)) {
            for (String name : new String[] {"d".repeat(64), "e".repeat(100), "é".repeat(32)}) {
                FamfsException e = refused(d, params(LOG_8M, name, false));
                assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), name);
                assertAllZero(read(d.path(), 0, (int) (LOG + LOG_8M)), name);
            }
            String longest = "/dev/" + "n".repeat(58); // 63 bytes: the NUL still fits
            try (Device dev = d.open(true)) {
                Mkfs.format(dev, params(LOG_8M, longest, false));
            }
            byte[] sb = read(d.path(), 0, 200);
            assertEquals(longest, new String(sb, 136, 63, StandardCharsets.US_ASCII));
            assertEquals(0, sb[199]);
        }
    }

    @Test
    void everyByteOfTheSuperblockAndLogHeader() {
        UUID fs = UUID.fromString("8c089c59-65b2-4488-b5b1-fd63d4f5543d");
        UUID dev = UUID.fromString("3249d76d-6c75-44c5-a0fd-8754afc2694f");
        UUID sys = UUID.fromString("75d2b7b9-d854-4ece-a309-12bfe4d9df5d");
        long size = 8 * GiB + 5 * MiB;
        try (TestDevice d = TestDevice.create(size)) {
            // garbage where mkfs writes: it must leave no trace of it in the superblock, the header or the log
            byte[] junk = new byte[(int) (LOG + LOG_8M + 4096)];
            Arrays.fill(junk, (byte) 0xa5);
            write(d.path(), 0, junk);
            Superblock returned;
            try (Device device = d.open(true)) {
                returned = Mkfs.format(device, new Mkfs.Params(fs, dev, sys, LOG_8M, "/dev/dax0.0", false));
            }
            byte[] sb = read(d.path(), 0, 200);
            assertEquals(0x87b282ffL, le64(sb, 0), "ts_magic");
            assertEquals(48, le64(sb, 8), "ts_version");
            assertEquals(0x200000, le64(sb, 16), "ts_log_offset");
            assertEquals(LOG_8M, le64(sb, 24), "ts_log_len");
            assertEquals(0x200000, le64(sb, 32), "ts_alloc_unit");
            assertEquals(2, le32(sb, 40), "omf major");
            assertEquals(2, le32(sb, 44), "omf minor");
            assertArrayEquals(bytes(fs), Arrays.copyOfRange(sb, 48, 64), "ts_uuid");
            assertEquals((byte) 0x8c, sb[48], "UUIDs are stored in RFC-4122 order");
            assertArrayEquals(bytes(dev), Arrays.copyOfRange(sb, 64, 80), "ts_dev_uuid");
            assertArrayEquals(bytes(sys), Arrays.copyOfRange(sb, 80, 96), "ts_system_uuid");
            long crc = le64(sb, 96);
            assertEquals(crc32(sb, 0, 96), crc, "ts_crc");
            assertEquals(0, crc >>> 32, "high half of ts_crc");
            assertEquals(0, le32(sb, 104), "ts_sb_flags");
            assertEquals(0, le32(sb, 108), "padding");
            assertEquals(8 * GiB + 4 * MiB, le64(sb, 112), "dd_size");
            assertAllZero(Arrays.copyOfRange(sb, 120, 136), "dd_uuid");
            assertEquals("/dev/dax0.0", new String(sb, 136, 11, StandardCharsets.US_ASCII));
            assertAllZero(Arrays.copyOfRange(sb, 147, 200), "dd_daxdev NUL padding");
            assertEquals(crc, returned.storedCrc(), "the returned superblock is the one written");

            byte[] header = read(d.path(), LOG, 48);
            assertEquals(0xbadcafef00dL, le64(header, 0), "famfs_log_magic");
            assertEquals(LOG_8M, le64(header, 8), "famfs_log_len");
            assertEquals(15419, le64(header, 16), "famfs_log_last_index");
            long hcrc = le64(header, 24);
            assertEquals(crc32(header, 0, 24), hcrc, "famfs_log_crc");
            assertEquals(0, hcrc >>> 32);
            assertEquals(0, le64(header, 32), "next_seqnum");
            assertEquals(0, le64(header, 40), "next_index");

            assertAllZero(read(d.path(), LOG + 48, (int) (LOG_8M - 48)), "log entries");
            // outside the 200 bytes and the log, mkfs writes nothing
            byte[] rest = read(d.path(), 200, (int) (LOG - 200));
            for (byte b : rest) {
                assertEquals((byte) 0xa5, b, "superblock region past 200 bytes");
            }
            assertArrayEquals(new byte[] {(byte) 0xa5, (byte) 0xa5}, read(d.path(), LOG + LOG_8M, 2));

            // the result opens as a volume with exactly these values
            try (Device device = d.open(false)) {
                FamfsVolume v = FamfsVolume.open(device);
                assertEquals(15420, v.capacity());
                assertEquals(0, v.readNextIndex());
                assertEquals(8 * GiB + 4 * MiB, v.devSize());
            }
        }
    }
}
