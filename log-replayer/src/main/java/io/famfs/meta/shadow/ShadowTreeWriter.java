package io.famfs.meta.shadow;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.RelPath;
import io.famfs.meta.posix.Libc;
import io.famfs.meta.posix.LibcException;
import io.famfs.meta.replay.DirNode;
import io.famfs.meta.replay.FileNode;
import io.famfs.meta.replay.Namespace;
import io.famfs.meta.replay.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes the famfs_fused shadow tree of a namespace under {@code DIR/root}, as famfs's logplay does (famfs-format.md
 * 5.1, 3): a directory per directory, mode under umask 022, chowned only when uid and gid are both non-zero; a YAML
 * file (mode 0644) per file; what exists is left alone and counted.
 *
 * <p>Nothing is created outside {@code DIR/root}: every component is opened relative to its parent's descriptor with
 * {@code O_NOFOLLOW}, so a planted symlink is refused, not followed. Each YAML file appears atomically (written under
 * a temporary name, then renamed).
 */
public final class ShadowTreeWriter {
    /** famfs's logplay ran under umask 022; directories get their logged mode under it. */
    public static final int UMASK = 022;

    private static final int DIR_OPEN = Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC;

    private final Path root;
    private final boolean dryRun;

    /** What one pass did (or, in a dry run, would do). */
    public record Result(
            long filesCreated, long dirsCreated, long filesExisted, long dirsExisted, List<String> errors) {}

    private long filesCreated;
    private long dirsCreated;
    private long filesExisted;
    private long dirsExisted;
    private final List<String> errors = new ArrayList<>();

    /**
     * A writer for the shadow tree at {@code shadow}: famfs's rule is that a path ending in {@code /root} is the root
     * itself, any other path holds it as {@code root}.
     */
    public ShadowTreeWriter(Path shadow, boolean dryRun) {
        Path abs = shadow.toAbsolutePath().normalize();
        this.root =
                abs.getFileName() != null && abs.getFileName().toString().equals("root") ? abs : abs.resolve("root");
        this.dryRun = dryRun;
    }

    /** The {@code root} folder files go under. */
    public Path root() {
        return root;
    }

    /** Writes every directory and file of {@code namespace}, parents first. */
    public Result write(Namespace namespace) {
        filesCreated = dirsCreated = filesExisted = dirsExisted = 0;
        errors.clear();
        int rootFd = openRoot();
        if (rootFd < 0) {
            countMissing(namespace.root());
        } else {
            try {
                writeChildren(rootFd, namespace.root());
            } finally {
                closeQuietly(rootFd);
            }
        }
        return new Result(filesCreated, dirsCreated, filesExisted, dirsExisted, List.copyOf(errors));
    }

    /**
     * Writes just {@code nodes} (in log order; each one's parent already written, or earlier in the list): the shadow
     * tree kept up entry by entry, as a continuous logplay. What exists is left alone and counted, as in {@link #write}.
     */
    public Result writeNodes(List<Node> nodes) {
        filesCreated = dirsCreated = filesExisted = dirsExisted = 0;
        errors.clear();
        if (dryRun) {
            throw new IllegalStateException("writeNodes writes: a dry run has nothing to count it against");
        }
        int rootFd = openRoot();
        try {
            for (Node node : nodes) {
                String path = node.path();
                int slash = path.lastIndexOf('/');
                int parentFd = slash < 0 ? rootFd : openDirs(rootFd, path.substring(0, slash), path);
                if (parentFd < 0) {
                    continue;
                }
                try {
                    String name = path.substring(slash + 1);
                    switch (node) {
                        case DirNode d -> ensureDir(parentFd, name, d);
                        case FileNode f -> writeFile(parentFd, name, f);
                    }
                } finally {
                    if (parentFd != rootFd) {
                        closeQuietly(parentFd);
                    }
                }
            }
        } finally {
            closeQuietly(rootFd);
        }
        return new Result(filesCreated, dirsCreated, filesExisted, dirsExisted, List.copyOf(errors));
    }

    /** Opens {@code dirs} (a relative path) under {@code rootFd} without following links; -1 (and an error) if not. */
    private int openDirs(int rootFd, String dirs, String forPath) {
        int fd = rootFd;
        try {
            for (String part : dirs.split("/")) {
                int next = Libc.openat(fd, part, DIR_OPEN, 0);
                if (fd != rootFd) {
                    closeQuietly(fd);
                }
                fd = next;
            }
            return fd;
        } catch (LibcException e) {
            if (fd != rootFd) {
                closeQuietly(fd);
            }
            errors.add(forPath + ": its directory " + dirs + " cannot be opened: " + e.getMessage());
            return -1;
        }
    }

    /** Opens DIR/root, creating DIR and root (mode 0755) when missing; -1 in a dry run when root does not exist. */
    private int openRoot() {
        Path parent = root.getParent();
        try {
            int parentFd;
            try {
                parentFd = Libc.open(parent.toString(), DIR_OPEN & ~Libc.O_NOFOLLOW, 0);
            } catch (LibcException e) {
                if (e.errno() != Libc.ENOENT) {
                    throw e;
                }
                if (dryRun) {
                    return -1; // no DIR, so no DIR/root: everything would be created
                }
                java.nio.file.Files.createDirectories(parent);
                parentFd = Libc.open(parent.toString(), DIR_OPEN & ~Libc.O_NOFOLLOW, 0);
            }
            try {
                if (Libc.lstatat(parentFd, "root") == null) {
                    if (dryRun) {
                        return -1;
                    }
                    makeDir(parentFd, "root", "root", 0755, 0, 0);
                }
                return Libc.openat(parentFd, "root", DIR_OPEN, 0);
            } finally {
                closeQuietly(parentFd);
            }
        } catch (LibcException e) {
            throw new FamfsException(ErrorCode.IO, "cannot open shadow root " + root + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new FamfsException(ErrorCode.IO, "cannot create " + parent + ": " + e.getMessage(), e);
        }
    }

    private void writeChildren(int dirFd, DirNode dir) {
        for (Node child : dir.children()) {
            String name = RelPath.name(child.path());
            switch (child) {
                case DirNode d -> writeDir(dirFd, name, d);
                case FileNode f -> writeFile(dirFd, name, f);
            }
        }
    }

    private void writeDir(int parentFd, String name, DirNode dir) {
        try {
            if (!ensureDir(parentFd, name, dir)) {
                return;
            }
            int fd = Libc.openat(parentFd, name, DIR_OPEN, 0);
            try {
                writeChildren(fd, dir);
            } finally {
                closeQuietly(fd);
            }
        } catch (LibcException e) {
            errors.add(dir.path() + ": " + e.getMessage());
        }
    }

    /** Makes (or finds) directory {@code name}; false when it is not there to write into (or, dry, not yet). */
    private boolean ensureDir(int parentFd, String name, DirNode dir) {
        try {
            Libc.Stat st = Libc.lstatat(parentFd, name);
            if (st == null) {
                if (dryRun) {
                    dirsCreated++;
                    countMissing(dir);
                    return false;
                }
                makeDir(parentFd, name, dir.path(), dir.mode(), dir.uid(), dir.gid());
                dirsCreated++;
                return true;
            }
            if (st.isDirectory()) {
                dirsExisted++;
                return true;
            }
            errors.add(dir.path() + ": " + (st.type() == Libc.S_IFLNK ? "a symlink" : "a file")
                    + " is in the way; not followed, directory not made");
            return false;
        } catch (LibcException e) {
            errors.add(dir.path() + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * mkdir with the mode under umask 022, then chown when uid and gid are both non-zero (as famfs does). The mode is
     * set first, so a chown that fails (not root) leaves the directory as famfs would: there, with its mode, and
     * reported; its contents are still written.
     */
    private void makeDir(int parentFd, String name, String path, int mode, int uid, int gid) throws LibcException {
        Libc.mkdirat(parentFd, name, 0700);
        int fd = Libc.openat(parentFd, name, DIR_OPEN, 0);
        try {
            Libc.fchmod(fd, mode & 01777 & ~UMASK);
            if (uid != 0 && gid != 0) {
                try {
                    Libc.fchown(fd, uid, gid);
                } catch (LibcException e) {
                    errors.add(path + ": made, but not given to " + Integer.toUnsignedString(uid) + ":"
                            + Integer.toUnsignedString(gid) + ": " + e.getMessage());
                }
            }
        } finally {
            closeQuietly(fd);
        }
    }

    private void writeFile(int parentFd, String name, FileNode file) {
        try {
            Libc.Stat st = Libc.lstatat(parentFd, name);
            if (st != null) {
                if (st.isRegular()) {
                    filesExisted++;
                } else {
                    errors.add(file.path() + ": " + (st.isDirectory() ? "a directory" : "a symlink or special file")
                            + " is in the way; shadow file not written");
                }
                return;
            }
            if (dryRun) {
                filesCreated++;
                return;
            }
            byte[] yaml = ShadowYaml.write(file.entry());
            String tmp = "." + name + ".tmp"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong());
            int fd = Libc.openat(
                    parentFd, tmp, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0600);
            try {
                Libc.writeFully(fd, yaml, tmp);
                Libc.fchmod(fd, 0644);
            } catch (LibcException e) {
                closeQuietly(fd);
                unlinkQuietly(parentFd, tmp);
                throw e;
            }
            Libc.close(fd);
            try {
                Libc.renameat(parentFd, tmp, name);
            } catch (LibcException e) {
                unlinkQuietly(parentFd, tmp);
                throw e;
            }
            filesCreated++;
        } catch (LibcException e) {
            errors.add(file.path() + ": " + e.getMessage());
        }
    }

    private void countMissing(DirNode dir) {
        for (Node child : dir.children()) {
            switch (child) {
                case DirNode d -> {
                    dirsCreated++;
                    countMissing(d);
                }
                case FileNode f -> filesCreated++;
            }
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Libc.close(fd);
        } catch (LibcException ignored) {
            // nothing useful to do about a failed close of a read-only directory descriptor
        }
    }

    private static void unlinkQuietly(int dirFd, String name) {
        try {
            Libc.unlinkat(dirFd, name);
        } catch (LibcException ignored) {
            // best effort: a leftover hidden temp file is harmless
        }
    }
}
