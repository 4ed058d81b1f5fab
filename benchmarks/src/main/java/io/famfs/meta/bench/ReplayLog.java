package io.famfs.meta.bench;

import io.famfs.meta.device.Device;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogAppender;
import io.famfs.meta.log.Mkfs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The replay benchmark's log: a full 1 GiB log (1,973,790 entries) on an 8 TiB sparse device. Unique paths of 20-79
 * bytes, one mkdir per 64 files, one file in 8 striped over 2-8 strips of one 2 MiB chunk each, every extent distinct
 * and in bounds (allocated in order from the start of the data area), so replay flags nothing. Generated once and
 * kept in /dev/shm with its expected counts and checksum beside it; a fork reuses it.
 */
final class ReplayLog {
    static final long DEVICE_SIZE = 8L << 40;
    static final long LOG_LEN = Famfs.GiB;
    static final long SEED = 20261124L;
    private static final int VERSION = 1;

    record Expected(long entries, long files, long dirs, long checksum) {
        /** Throws unless {@code ns} is the namespace of the whole generated log ({@code what} built it). */
        void check(io.famfs.meta.replay.Namespace ns, String what) {
            if (ns.nextIndex() != entries
                    || ns.filesCreated() != files
                    || ns.dirsCreated() != dirs
                    || !ns.flagged().isEmpty()
                    || !ns.skipped().isEmpty()
                    || NodeChecksum.of(ns) != checksum) {
                throw new IllegalStateException(what + " built the wrong namespace: " + ns.nextIndex() + " entries, "
                        + ns.filesCreated() + " files, " + ns.dirsCreated() + " dirs, checksum " + NodeChecksum.of(ns)
                        + ", expected " + this);
            }
        }
    }

    private ReplayLog() {}

    /** The device at {@code path}, generated when missing or from another generator version. */
    static Expected ensure(Path path) throws IOException {
        Path meta = path.resolveSibling(path.getFileName() + ".expected");
        if (Files.exists(path) && Files.exists(meta)) {
            Properties p = new Properties();
            try (var in = Files.newInputStream(meta)) {
                p.load(in);
            }
            if (Integer.parseInt(p.getProperty("version", "0")) == VERSION) {
                return new Expected(
                        Long.parseLong(p.getProperty("entries")),
                        Long.parseLong(p.getProperty("files")),
                        Long.parseLong(p.getProperty("dirs")),
                        Long.parseLong(p.getProperty("checksum")));
            }
        }
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
            f.setLength(DEVICE_SIZE);
        }
        Expected e = generate(path);
        Properties p = new Properties();
        p.setProperty("version", Integer.toString(VERSION));
        p.setProperty("entries", Long.toString(e.entries()));
        p.setProperty("files", Long.toString(e.files()));
        p.setProperty("dirs", Long.toString(e.dirs()));
        p.setProperty("checksum", Long.toString(e.checksum()));
        try (var out = Files.newOutputStream(meta)) {
            p.store(out, "expected replay of " + path.getFileName());
        }
        return e;
    }

    private static Expected generate(Path path) {
        try (Device dev = Device.open(path, Device.Options.readWrite())) {
            UUID id = new UUID(SEED, SEED);
            Mkfs.format(dev, new Mkfs.Params(id, id, id, LOG_LEN, "/dev/dax0.0", true));
            FamfsVolume volume = FamfsVolume.open(dev);
            LogAppender appender = new LogAppender(volume);
            SplittableRandom rnd = new SplittableRandom(SEED);
            long capacity = volume.capacity();
            long next = volume.superblock().dataStart();
            long checksum = 0;
            long files = 0;
            long dirs = 0;
            String dir = null;
            int inDir = 64;
            for (long i = 0; i < capacity; i++) {
                if (inDir == 64) {
                    dir = pad("dir" + dirs + "_", 20 + rnd.nextInt(31), rnd); // 20..50 bytes, room for children
                    int mode = 0700 | rnd.nextInt(0100);
                    int uid = rnd.nextInt(5000);
                    int gid = rnd.nextInt(5000);
                    appender.append(MkdirEntry.create(dir, mode, uid, gid));
                    checksum += NodeChecksum.dir(dir, mode, uid, gid);
                    dirs++;
                    inDir = 0;
                    continue;
                }
                String prefix = dir + "/f" + files + "_";
                int len = Math.max(prefix.length() + 1, 20) + rnd.nextInt(80 - Math.max(prefix.length() + 1, 20));
                String name = pad(prefix, len, rnd);
                int mode = 0600 | rnd.nextInt(0100);
                int uid = rnd.nextInt(5000);
                int gid = rnd.nextInt(5000);
                FileEntry entry;
                if (files % 8 == 7) {
                    int nstrips = 2 + rnd.nextInt(7);
                    List<Extent> strips = new ArrayList<>(nstrips);
                    for (int s = 0; s < nstrips; s++) {
                        strips.add(Extent.of(next, Famfs.ALLOC_UNIT));
                        next += Famfs.ALLOC_UNIT;
                    }
                    long size = (nstrips - 1) * Famfs.ALLOC_UNIT + 1 + rnd.nextLong(Famfs.ALLOC_UNIT);
                    entry = FileEntry.create(name, size, mode, uid, gid, InterleavedFmap.of(Famfs.ALLOC_UNIT, strips));
                    checksum += NodeChecksum.file(name, size, mode, uid, gid, Famfs.ALLOC_UNIT, strips);
                } else {
                    Extent e = Extent.of(next, Famfs.ALLOC_UNIT);
                    next += Famfs.ALLOC_UNIT;
                    long size = 1 + rnd.nextLong(Famfs.ALLOC_UNIT);
                    entry = FileEntry.create(name, size, mode, uid, gid, SimpleFmap.of(e));
                    checksum += NodeChecksum.file(name, size, mode, uid, gid, 0, List.of(e));
                }
                if (next > DEVICE_SIZE) {
                    throw new IllegalStateException("generator ran past the device");
                }
                appender.append(entry);
                files++;
                inDir++;
            }
            return new Expected(capacity, files, dirs, checksum);
        }
    }

    private static String pad(String prefix, int length, SplittableRandom rnd) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789._-";
        StringBuilder sb = new StringBuilder(prefix);
        while (sb.length() < length) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
