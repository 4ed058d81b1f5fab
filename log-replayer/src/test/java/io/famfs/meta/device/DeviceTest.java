package io.famfs.meta.device;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.FormatError;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogAppender;
import io.famfs.meta.log.Mkfs;
import io.famfs.meta.log.RawBytes;
import io.famfs.meta.log.ReadMode;
import io.famfs.meta.replay.DirNode;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Replayer;
import io.famfs.meta.testing.TestDevice;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Device mapping: regular files read-only and read-write, the dax path (on /dev/zero), size lookup and errors. */
class DeviceTest {
    private static final Path DEV_ZERO = Path.of("/dev/zero");
    private static final long GiB = 1L << 30;
    private static final long MiB = 1L << 20;

    @Test
    void regularFileMappedReadOnlyRefusesWrites() throws IOException {
        try (TestDevice d = TestDevice.create(MiB)) {
            RawBytes.write(d.path(), 4096, "hello".getBytes(StandardCharsets.US_ASCII));
            try (Device dev = Device.open(d.path(), Device.Options.readOnly())) {
                assertEquals(Device.Kind.FILE, dev.kind());
                assertFalse(dev.writable());
                assertEquals(MiB, dev.length());
                assertTrue(dev.segment().isReadOnly());
                assertEquals('h', dev.segment().get(ValueLayout.JAVA_BYTE, 4096));
                assertThrows(
                        IllegalArgumentException.class,
                        () -> dev.segment().set(ValueLayout.JAVA_BYTE, 4096, (byte) 'X'));
            }
            assertEquals("hello", new String(RawBytes.read(d.path(), 4096, 5), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void regularFileMappedReadWriteIsSharedWithTheFile() throws IOException {
        try (TestDevice d = TestDevice.create(3 * MiB);
                Device dev = Device.open(d.path(), Device.Options.readWrite())) {
            assertEquals(Device.Kind.FILE, dev.kind());
            assertTrue(dev.writable());
            assertFalse(dev.segment().isReadOnly());
            assertEquals(3 * MiB, dev.length());

            dev.segment().set(ValueLayout.JAVA_LONG_UNALIGNED, 2 * MiB + 3, 0x1122334455667788L);
            ByteBuffer buf = ByteBuffer.allocate(8);
            try (FileChannel ch = FileChannel.open(d.path(), StandardOpenOption.READ)) {
                assertEquals(8, ch.read(buf, 2 * MiB + 3));
            }
            long seen = buf.flip().order(java.nio.ByteOrder.nativeOrder()).getLong();
            assertEquals(0x1122334455667788L, seen);

            // and the other way: a write through a channel is visible in the mapping
            try (FileChannel ch = FileChannel.open(d.path(), StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {42}), 5);
            }
            assertEquals(42, dev.segment().get(ValueLayout.JAVA_BYTE, 5));
        }
    }

    @Test
    void daxPathOnDevZeroRunsMkfsAppendAndReplay() throws IOException {
        try (TestDevice holder = TestDevice.create(0)) {
            Path sysfs = Files.createDirectories(holder.dir().resolve("sysfs/dev/char")); // no 1:5/size
            Device.Options options = Device.Options.readWrite()
                    .withDeviceSize(8 * GiB)
                    .withSysfsRoot(holder.dir().resolve("sysfs"));
            assertTrue(Files.isDirectory(sysfs));
            try (Device dev = Device.open(DEV_ZERO, options)) {
                assertEquals(Device.Kind.DAX, dev.kind());
                assertTrue(dev.writable());
                assertEquals(8 * GiB, dev.length());

                UUID fs = UUID.randomUUID();
                Mkfs.format(
                        dev,
                        new Mkfs.Params(
                                fs, UUID.randomUUID(), UUID.randomUUID(), Famfs.DEFAULT_LOG_LEN, "/dev/zero", false));
                // the superblock as our own decoding sees it, read straight from the mapping
                byte[] sb = dev.segment().asSlice(0, 200).toArray(ValueLayout.JAVA_BYTE);
                assertEquals(0x87b282ffL, RawBytes.le64(sb, 0));
                assertEquals(48, RawBytes.le64(sb, 8));
                assertEquals(fs, RawBytes.uuid(sb, 48));
                assertEquals(RawBytes.crc32(sb, 0, 96), RawBytes.le64(sb, 96));
                assertEquals(8 * GiB, RawBytes.le64(sb, 112));

                FamfsVolume volume = FamfsVolume.open(dev);
                assertTrue(volume.writable());
                LogAppender appender = new LogAppender(volume);
                assertEquals(0, appender.append(MkdirEntry.create("d", 0755, 0, 0)));
                assertEquals(
                        1,
                        appender.append(FileEntry.create(
                                "d/f", 5 * MiB, 0644, 7, 8, SimpleFmap.of(Extent.of(6 * GiB, 6 * MiB)))));

                Replayer.Replay replay = Replayer.replayAll(FamfsVolume.open(dev), ReadMode.STOP_AT_BAD);
                assertFalse(replay.result().stopped());
                assertEquals(2, replay.result().end());
                assertInstanceOf(DirNode.class, replay.namespace().get("d"));
                FileNode f = (FileNode) replay.namespace().get("d/f");
                assertEquals(5 * MiB, f.size());
                assertFalse(f.flagged(), f::flagDetail);
                assertEquals(2, dev.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, Famfs.LOG_OFFSET + 40));
            }
        }
    }

    @Test
    void daxReadOnlyMappingRefusesWrites() {
        try (TestDevice holder = TestDevice.create(0);
                Device dev = Device.open(
                        DEV_ZERO,
                        Device.Options.readOnly().withDeviceSize(4 * MiB).withSysfsRoot(holder.dir()))) {
            assertEquals(Device.Kind.DAX, dev.kind());
            assertFalse(dev.writable());
            assertEquals(4 * MiB, dev.length());
            assertEquals(0, dev.segment().get(ValueLayout.JAVA_BYTE, 4 * MiB - 1));
            assertThrows(IllegalArgumentException.class, () -> dev.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
        }
    }

    @Test
    void daxSizeComesFromTheSysfsSizeFile() throws IOException {
        try (TestDevice holder = TestDevice.create(0)) {
            Path sysfs = fakeSysfsWithSize(holder, "16777216\n");
            try (Device dev = Device.open(DEV_ZERO, Device.Options.readOnly().withSysfsRoot(sysfs))) {
                assertEquals(Device.Kind.DAX, dev.kind());
                assertEquals(16 * MiB, dev.length());
            }
            // a --device-size that agrees with the size file is accepted
            try (Device dev = Device.open(
                    DEV_ZERO, Device.Options.readOnly().withSysfsRoot(sysfs).withDeviceSize(16 * MiB))) {
                assertEquals(16 * MiB, dev.length());
            }
        }
    }

    @Test
    void aSymlinkToADaxDeviceGetsTheSizeOfTheDeviceItNames() throws IOException {
        try (TestDevice holder = TestDevice.create(0)) {
            Path sysfs = fakeSysfsWithSize(holder, "16777216\n");
            Path link = Files.createSymbolicLink(holder.dir().resolve("dax0.0"), DEV_ZERO); // as a udev link would
            try (Device dev = Device.open(link, Device.Options.readOnly().withSysfsRoot(sysfs))) {
                assertEquals(Device.Kind.DAX, dev.kind());
                assertEquals(16 * MiB, dev.length(), "the size of 1:5, not of the link");
            }
        }
    }

    @Test
    void daxSizeFileAndADifferentDeviceSizeAreRefused() throws IOException {
        try (TestDevice holder = TestDevice.create(0)) {
            Path sysfs = fakeSysfsWithSize(holder, "16777216\n");
            FamfsException e = assertThrows(
                    FamfsException.class,
                    () -> Device.open(
                            DEV_ZERO,
                            Device.Options.readOnly().withSysfsRoot(sysfs).withDeviceSize(8 * MiB)));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("--device-size"), e.getMessage());
            assertTrue(e.getMessage().contains("16777216"), e.getMessage());
        }
    }

    @Test
    void daxWithoutSizeFileOrDeviceSizeNamesTheOption() {
        try (TestDevice holder = TestDevice.create(0)) {
            FamfsException e = assertThrows(
                    FamfsException.class,
                    () -> Device.open(DEV_ZERO, Device.Options.readOnly().withSysfsRoot(holder.dir())));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("--device-size"), e.getMessage());
            assertTrue(e.getMessage().contains("/dev/zero"), e.getMessage());
        }
    }

    @Test
    void aDirectoryIsRefused() {
        try (TestDevice holder = TestDevice.create(0)) {
            FamfsException e =
                    assertThrows(FamfsException.class, () -> Device.open(holder.dir(), Device.Options.readOnly()));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains(holder.dir().toString()), e.getMessage());
        }
    }

    @Test
    void aMissingPathIsNotFound() {
        try (TestDevice holder = TestDevice.create(0)) {
            Path missing = holder.dir().resolve("no-such-device");
            for (Device.Options options :
                    new Device.Options[] {Device.Options.readOnly(), Device.Options.readWrite()}) {
                FamfsException e = assertThrows(FamfsException.class, () -> Device.open(missing, options));
                assertEquals(ErrorCode.NOT_FOUND, e.code());
                assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
            }
            assertFalse(Files.exists(missing), "opening must not create the device");
        }
    }

    @Test
    void deviceSizeOnARegularFileMustMatchItsSize() {
        try (TestDevice d = TestDevice.create(MiB)) {
            FamfsException e = assertThrows(
                    FamfsException.class,
                    () -> Device.open(d.path(), Device.Options.readOnly().withDeviceSize(2 * MiB)));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            try (Device dev = Device.open(d.path(), Device.Options.readOnly().withDeviceSize(MiB))) {
                assertEquals(MiB, dev.length());
            }
        }
    }

    @Test
    void aMappingShorterThanTheMetadataIsDeviceTooSmall() throws IOException {
        byte[] image;
        try (TestDevice fs = TestDevice.formatted()) {
            image = RawBytes.read(fs.path(), 0, (int) (Famfs.LOG_OFFSET + Famfs.DEFAULT_LOG_LEN));
        }
        // shorter than the superblock, then a valid superblock over a mapping that ends inside the log
        long[] lengths = {
            0,
            1,
            100,
            199,
            200,
            4096,
            Famfs.LOG_OFFSET,
            Famfs.LOG_OFFSET + 47,
            Famfs.LOG_OFFSET + 4096,
            Famfs.LOG_OFFSET + Famfs.DEFAULT_LOG_LEN - 1
        };
        for (long length : lengths) {
            try (TestDevice d = TestDevice.create(0)) {
                RawBytes.write(d.path(), 0, Arrays.copyOf(image, (int) length));
                assertEquals(length, Files.size(d.path()));
                try (Device dev = d.open(false)) {
                    FormatException e = assertThrows(FormatException.class, () -> FamfsVolume.open(dev));
                    assertEquals(FormatError.DEVICE_TOO_SMALL, e.error(), "length " + length + ": " + e.getMessage());
                    assertEquals(ErrorCode.CORRUPT, e.code());
                }
            }
        }
        // the whole metadata but less than dd_size: refused as a bad dd_size, still a typed error
        try (TestDevice d = TestDevice.create(0)) {
            RawBytes.write(d.path(), 0, image);
            try (Device dev = d.open(false)) {
                FormatException e = assertThrows(FormatException.class, () -> FamfsVolume.open(dev));
                assertEquals(FormatError.SB_BAD_DEV_SIZE, e.error(), e.getMessage());
            }
        }
    }

    @Test
    void aShortDaxMappingIsDeviceTooSmall() {
        try (TestDevice holder = TestDevice.create(0);
                Device dev = Device.open(
                        DEV_ZERO, Device.Options.readOnly().withDeviceSize(100).withSysfsRoot(holder.dir()))) {
            assertEquals(100, dev.length());
            FormatException e = assertThrows(FormatException.class, () -> FamfsVolume.open(dev));
            assertEquals(FormatError.DEVICE_TOO_SMALL, e.error());
        }
    }

    private static Path fakeSysfsWithSize(TestDevice holder, String content) throws IOException {
        long rdev = (Long) Files.getAttribute(DEV_ZERO, "unix:rdev");
        assertEquals(0x105, rdev, "this test expects /dev/zero to be character device 1:5");
        Path root = holder.dir().resolve("sysfs");
        Path dir = Files.createDirectories(root.resolve("dev/char/1:5"));
        Files.writeString(dir.resolve("size"), content);
        return root;
    }
}
