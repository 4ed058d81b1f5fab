package io.famfs.meta.device;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.posix.Libc;
import io.famfs.meta.posix.LibcException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A famfs device mapped into one {@link MemorySegment}: a regular file (an emulated device, mapped with
 * {@link FileChannel#map}, any size) or a dax character device (mapped with libc {@code mmap}, since
 * {@code FileChannel.map} cannot map a character device). Every access is bounds-checked against {@link #length()}.
 */
public final class Device implements AutoCloseable {

    public enum Kind {
        FILE,
        DAX
    }

    /**
     * How to open a device.
     *
     * @param deviceSize the size of a character device when its sysfs size file is missing; -1 for none
     * @param sysfsRoot where {@code dev/char/MAJ:MIN/size} is looked up (normally {@code /sys})
     */
    public record Options(boolean writable, long deviceSize, Path sysfsRoot, CacheControl cache) {
        public static Options readOnly() {
            return new Options(false, -1, Path.of("/sys"), CacheControl.COHERENT);
        }

        public static Options readWrite() {
            return new Options(true, -1, Path.of("/sys"), CacheControl.COHERENT);
        }

        public Options withDeviceSize(long size) {
            return new Options(writable, size, sysfsRoot, cache);
        }

        public Options withSysfsRoot(Path root) {
            return new Options(writable, deviceSize, root, cache);
        }

        public Options withCache(CacheControl control) {
            return new Options(writable, deviceSize, sysfsRoot, control);
        }
    }

    private final Path path;
    private final Kind kind;
    private final boolean writable;
    private final Arena arena;
    private final MemorySegment segment;
    private final CacheControl cache;

    private Device(Path path, Kind kind, boolean writable, Arena arena, MemorySegment segment, CacheControl cache) {
        this.path = path;
        this.kind = kind;
        this.writable = writable;
        this.arena = arena;
        this.segment = segment;
        this.cache = cache;
    }

    /**
     * Opens and maps the whole device. A symlink (e.g. /dev/dax0.0 as a udev link) is resolved once, so the type, the
     * sysfs size and the mapping all come from the same device. Errors: NOT_FOUND, IO, INVALID_ARGUMENT (not a regular
     * file or a character device).
     */
    public static Device open(Path given, Options options) {
        int mode;
        Path path;
        try {
            path = given.toRealPath();
            mode = (Integer) Files.getAttribute(path, "unix:mode");
        } catch (NoSuchFileException e) {
            throw new FamfsException(ErrorCode.NOT_FOUND, "device not found: " + given);
        } catch (IOException e) {
            throw new FamfsException(ErrorCode.IO, "cannot stat device " + given + ": " + e.getMessage(), e);
        }
        return switch (mode & Libc.S_IFMT) {
            case Libc.S_IFREG -> openFile(path, options);
            case Libc.S_IFCHR -> openDax(path, options);
            default ->
                throw new FamfsException(
                        ErrorCode.INVALID_ARGUMENT, "not a regular file or a dax character device: " + path);
        };
    }

    private static Device openFile(Path path, Options options) {
        var openOptions = options.writable()
                ? new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
                : new StandardOpenOption[] {StandardOpenOption.READ};
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, openOptions)) {
            long size = channel.size();
            if (options.deviceSize() >= 0 && options.deviceSize() != size) {
                throw new FamfsException(
                        ErrorCode.INVALID_ARGUMENT,
                        "--device-size is for dax character devices; " + path + " is a regular file of " + size
                                + " bytes");
            }
            FileChannel.MapMode mapMode =
                    options.writable() ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY;
            MemorySegment segment = channel.map(mapMode, 0, size, arena);
            return new Device(path, Kind.FILE, options.writable(), arena, segment, options.cache());
        } catch (AccessDeniedException e) {
            arena.close();
            throw new FamfsException(ErrorCode.IO, "permission denied: " + path, e);
        } catch (IOException e) {
            arena.close();
            throw new FamfsException(ErrorCode.IO, "cannot map " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    @SuppressWarnings("restricted") // the mmap'd range becomes a bounded segment that munmaps on close
    private static Device openDax(Path path, Options options) {
        long size = daxSize(path, options);
        int flags = (options.writable() ? Libc.O_RDWR : Libc.O_RDONLY) | Libc.O_CLOEXEC;
        Arena arena = Arena.ofShared();
        try {
            int fd = Libc.open(path.toString(), flags, 0);
            MemorySegment address;
            try {
                address = Libc.mmap(fd, size, options.writable(), path.toString());
            } finally {
                Libc.close(fd);
            }
            MemorySegment segment = address.reinterpret(size, arena, mapped -> {
                try {
                    Libc.munmap(mapped, size);
                } catch (LibcException e) {
                    throw new IllegalStateException(e);
                }
            });
            if (!options.writable()) {
                segment = segment.asReadOnly();
            }
            return new Device(path, Kind.DAX, options.writable(), arena, segment, options.cache());
        } catch (LibcException e) {
            arena.close();
            ErrorCode code = e.errno() == Libc.ENOENT ? ErrorCode.NOT_FOUND : ErrorCode.IO;
            throw new FamfsException(code, "cannot map dax device: " + e.getMessage(), e);
        }
    }

    /**
     * A dax device's size: {@code SYSFS/dev/char/MAJ:MIN/size}, or the given {@code --device-size} where that file is
     * missing. When both exist they must agree.
     */
    static long daxSize(Path path, Options options) {
        long rdev;
        try {
            rdev = (Long) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new FamfsException(ErrorCode.IO, "cannot stat device " + path + ": " + e.getMessage(), e);
        }
        // glibc's major()/minor(): 32-bit numbers spread over the 64-bit dev_t
        long major = (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)) & 0xffffffffL;
        long minor = ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)) & 0xffffffffL;
        Path sizeFile = options.sysfsRoot().resolve("dev/char/" + major + ":" + minor + "/size");
        if (Files.isRegularFile(sizeFile)) {
            long size;
            try {
                size = Long.parseLong(Files.readString(sizeFile).trim());
            } catch (IOException | NumberFormatException e) {
                throw new FamfsException(ErrorCode.IO, "cannot read device size from " + sizeFile + ": " + e, e);
            }
            if (options.deviceSize() >= 0 && options.deviceSize() != size) {
                throw new FamfsException(
                        ErrorCode.INVALID_ARGUMENT,
                        "--device-size " + options.deviceSize() + " differs from " + sizeFile + " (" + size + ")");
            }
            if (size <= 0) {
                throw new FamfsException(ErrorCode.INVALID_ARGUMENT, sizeFile + " gives size " + size);
            }
            return size;
        }
        if (options.deviceSize() > 0) {
            return options.deviceSize();
        }
        throw new FamfsException(
                ErrorCode.INVALID_ARGUMENT,
                "cannot tell the size of " + path + ": " + sizeFile + " does not exist; pass --device-size");
    }

    public Path path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    public boolean writable() {
        return writable;
    }

    /** The whole mapping. */
    public MemorySegment segment() {
        return segment;
    }

    /** Mapped length in bytes. */
    public long length() {
        return segment.byteSize();
    }

    public CacheControl cache() {
        return cache;
    }

    /** The named flush step over a range of the device. */
    public void flush(long offset, long length) {
        cache.flush(segment, offset, length);
    }

    /** The named invalidate step over a range of the device. */
    public void invalidate(long offset, long length) {
        cache.invalidate(segment, offset, length);
    }

    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return path + " (" + kind.name().toLowerCase() + ", " + length() + " bytes, " + (writable ? "rw" : "ro") + ")";
    }
}
