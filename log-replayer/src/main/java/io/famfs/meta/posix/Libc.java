package io.famfs.meta.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls this module makes, through the FFM linker: mmap of dax character devices (which
 * {@code FileChannel.map} cannot map) and the *at() calls that let the shadow writer walk a tree without following
 * symlinks. x86-64 Linux only, like famfs. Every call reports failure as a {@link LibcException} with its errno.
 */
public final class Libc {
    private Libc() {}

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;

    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;

    public static final int ENOENT = 2;

    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFCHR = 0020000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle OPEN =
            downcall("open", FunctionDescriptor.of(INT, PTR, INT, INT), CAPTURE, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle OPENAT = downcall(
            "openat", FunctionDescriptor.of(INT, INT, PTR, INT, INT), CAPTURE, Linker.Option.firstVariadicArg(3));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(INT, INT), CAPTURE);
    private static final MethodHandle MMAP =
            downcall("mmap", FunctionDescriptor.of(PTR, PTR, LONG, INT, INT, INT, LONG), CAPTURE);
    private static final MethodHandle MUNMAP = downcall("munmap", FunctionDescriptor.of(INT, PTR, LONG), CAPTURE);
    private static final MethodHandle MKDIRAT = downcall("mkdirat", FunctionDescriptor.of(INT, INT, PTR, INT), CAPTURE);
    private static final MethodHandle FCHOWN = downcall("fchown", FunctionDescriptor.of(INT, INT, INT, INT), CAPTURE);
    private static final MethodHandle FCHMOD = downcall("fchmod", FunctionDescriptor.of(INT, INT, INT), CAPTURE);
    private static final MethodHandle RENAMEAT =
            downcall("renameat", FunctionDescriptor.of(INT, INT, PTR, INT, PTR), CAPTURE);
    private static final MethodHandle UNLINKAT =
            downcall("unlinkat", FunctionDescriptor.of(INT, INT, PTR, INT), CAPTURE);
    private static final MethodHandle WRITE = downcall("write", FunctionDescriptor.of(LONG, INT, PTR, LONG), CAPTURE);
    private static final MethodHandle FSTATAT =
            downcall("fstatat", FunctionDescriptor.of(INT, INT, PTR, PTR, INT), CAPTURE);
    private static final MethodHandle STRERROR = downcall("strerror", FunctionDescriptor.of(PTR, INT));

    /** x86-64 {@code struct stat}: 144 bytes; st_mode at 24, st_uid at 28, st_gid at 32. */
    private static final long STAT_SIZE = 144;

    private static final long ST_MODE = 24;
    private static final long ST_UID = 28;
    private static final long ST_GID = 32;

    @SuppressWarnings("restricted") // this class is the module's one door to native code
    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol =
                LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** The result of fstatat: file type and permission bits, owner. */
    public record Stat(int mode, int uid, int gid) {
        public int type() {
            return mode & S_IFMT;
        }

        public boolean isDirectory() {
            return type() == S_IFDIR;
        }

        public boolean isRegular() {
            return type() == S_IFREG;
        }
    }

    public static int open(String path, int flags, int mode) throws LibcException {
        return (int) call("open", path, (a, st) -> (int) OPEN.invokeExact(st, a.allocateFrom(path), flags, mode));
    }

    public static int openat(int dirfd, String name, int flags, int mode) throws LibcException {
        return (int)
                call("openat", name, (a, st) -> (int) OPENAT.invokeExact(st, dirfd, a.allocateFrom(name), flags, mode));
    }

    public static void close(int fd) throws LibcException {
        call("close", "fd " + fd, (a, st) -> (int) CLOSE.invokeExact(st, fd));
    }

    /** Maps {@code length} bytes of {@code fd} shared; returns the raw address (a zero-length segment). */
    public static MemorySegment mmap(int fd, long length, boolean writable, String what) throws LibcException {
        int prot = PROT_READ | (writable ? PROT_WRITE : 0);
        long address = call("mmap", what, (a, st) -> {
            MemorySegment addr =
                    (MemorySegment) MMAP.invokeExact(st, MemorySegment.NULL, length, prot, MAP_SHARED, fd, 0L);
            return addr.address(); // MAP_FAILED is (void *) -1
        });
        return MemorySegment.ofAddress(address);
    }

    public static void munmap(MemorySegment addr, long length) throws LibcException {
        call("munmap", "0x" + Long.toHexString(addr.address()), (a, st) -> (int) MUNMAP.invokeExact(st, addr, length));
    }

    public static void mkdirat(int dirfd, String name, int mode) throws LibcException {
        call("mkdirat", name, (a, st) -> (int) MKDIRAT.invokeExact(st, dirfd, a.allocateFrom(name), mode));
    }

    public static void fchown(int fd, int uid, int gid) throws LibcException {
        call("fchown", "fd " + fd, (a, st) -> (int) FCHOWN.invokeExact(st, fd, uid, gid));
    }

    public static void fchmod(int fd, int mode) throws LibcException {
        call("fchmod", "fd " + fd, (a, st) -> (int) FCHMOD.invokeExact(st, fd, mode));
    }

    /** renameat within one directory. */
    public static void renameat(int dirfd, String from, String to) throws LibcException {
        call("renameat", from + " -> " + to, (a, st) ->
                (int) RENAMEAT.invokeExact(st, dirfd, a.allocateFrom(from), dirfd, a.allocateFrom(to)));
    }

    public static void unlinkat(int dirfd, String name) throws LibcException {
        call("unlinkat", name, (a, st) -> (int) UNLINKAT.invokeExact(st, dirfd, a.allocateFrom(name), 0));
    }

    /** Writes all of {@code bytes}. */
    public static void writeFully(int fd, byte[] bytes, String what) throws LibcException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
            long done = 0;
            while (done < bytes.length) {
                long from = done;
                done += call("write", what, (a, st) ->
                        (long) WRITE.invokeExact(st, fd, buf.asSlice(from), (long) bytes.length - from));
            }
        }
    }

    /** fstatat without following a final symlink; null when the name does not exist. */
    public static Stat lstatat(int dirfd, String name) throws LibcException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STAT_SIZE, 8);
            call("fstatat", name, (a, state) ->
                    (int) FSTATAT.invokeExact(state, dirfd, a.allocateFrom(name), st, AT_SYMLINK_NOFOLLOW));
            return new Stat(st.get(INT, ST_MODE), st.get(INT, ST_UID), st.get(INT, ST_GID));
        } catch (LibcException e) {
            if (e.errno() == ENOENT) {
                return null;
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface Call {
        long invoke(Arena arena, MemorySegment callState) throws Throwable;
    }

    /** Runs one downcall with errno captured; a negative result becomes a {@link LibcException}. */
    private static long call(String name, String target, Call call) throws LibcException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long rc = call.invoke(arena, state);
            if (rc < 0) {
                throw new LibcException(name, target, (int) ERRNO.get(state, 0L));
            }
            return rc;
        } catch (LibcException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @SuppressWarnings("restricted") // strerror returns a NUL-terminated static string
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(1024).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
