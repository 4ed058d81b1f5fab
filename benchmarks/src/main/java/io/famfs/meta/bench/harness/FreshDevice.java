package io.famfs.meta.bench.harness;

import io.famfs.meta.device.Device;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.Mkfs;
import io.famfs.meta.log.SystemUuidFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A run's own folder (under /dev/shm by default) with a sparse device freshly formatted by our mkfs, owned by the
 * folder's own host identity (system_uuid), so the leader serves it without --take-ownership. Closing deletes it all.
 */
public final class FreshDevice implements AutoCloseable {
    private final Path dir;
    private final Path device;
    private final Path systemUuidFile;
    private final long capacity;

    private FreshDevice(Path dir, Path device, Path systemUuidFile, long capacity) {
        this.dir = dir;
        this.device = device;
        this.systemUuidFile = systemUuidFile;
        this.capacity = capacity;
    }

    public static FreshDevice create(Path base, long deviceSize, long logLen) {
        Path dir;
        try {
            dir = Files.createTempDirectory(base, "famfs-meta-load-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FreshDevice made = null;
        try {
            Path device = dir.resolve("dev.img");
            try (RandomAccessFile f = new RandomAccessFile(device.toFile(), "rw")) {
                f.setLength(deviceSize);
            }
            Path uuidFile = dir.resolve("system_uuid");
            UUID host = SystemUuidFile.readOrCreate(uuidFile);
            long capacity;
            try (Device dev = Device.open(device, Device.Options.readWrite())) {
                Mkfs.format(
                        dev, new Mkfs.Params(UUID.randomUUID(), UUID.randomUUID(), host, logLen, "/dev/dax0.0", false));
                capacity = FamfsVolume.open(dev).capacity();
            }
            made = new FreshDevice(dir, device, uuidFile, capacity);
            Cleanup.add(made);
            return made;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (made == null) {
                delete(dir);
            }
        }
    }

    public Path dir() {
        return dir;
    }

    public Path device() {
        return device;
    }

    public Path systemUuidFile() {
        return systemUuidFile;
    }

    /** Log entries the file system holds. */
    public long capacity() {
        return capacity;
    }

    @Override
    public void close() {
        Cleanup.remove(this);
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
