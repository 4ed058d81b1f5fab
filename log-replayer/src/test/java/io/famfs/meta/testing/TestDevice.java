package io.famfs.meta.testing;

import io.famfs.meta.device.Device;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.log.Mkfs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A sparse emulated device in its own folder under /dev/shm (tmpfs: sparse files cost nothing until written). Close
 * it to delete the folder. Use with try-with-resources or a JUnit field closed in @AfterEach.
 */
public final class TestDevice implements AutoCloseable {
    public static final Path BASE = Path.of("/dev/shm");

    private final Path dir;
    private final Path path;

    private TestDevice(Path dir, Path path) {
        this.dir = dir;
        this.path = path;
    }

    /** An all-zero sparse device of {@code size} bytes. */
    public static TestDevice create(long size) {
        try {
            Path dir = Files.createTempDirectory(BASE, "famfs-meta-test-");
            Path path = dir.resolve("dev.img");
            try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
                f.setLength(size);
            }
            return new TestDevice(dir, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A device of {@code size} bytes with a fresh file system (random UUIDs, daxdev "/dev/dax0.0"). */
    public static TestDevice formatted(long size, long logLen) {
        TestDevice d = create(size);
        try (Device dev = d.open(true)) {
            Mkfs.format(
                    dev,
                    new Mkfs.Params(
                            UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), logLen, "/dev/dax0.0", false));
        }
        return d;
    }

    /** An 8 GiB device with the default 8 MiB log. */
    public static TestDevice formatted() {
        return formatted(8 * Famfs.GiB, Famfs.DEFAULT_LOG_LEN);
    }

    public Path path() {
        return path;
    }

    /** The device's folder, for companion files (system uuid, shadow trees). */
    public Path dir() {
        return dir;
    }

    public Device open(boolean writable) {
        return Device.open(path, writable ? Device.Options.readWrite() : Device.Options.readOnly());
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
