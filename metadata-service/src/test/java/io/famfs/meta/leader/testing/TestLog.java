package io.famfs.meta.leader.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The tests' own decoder of a famfs log, written from famfs-format.md 1.2-1.4 and 2.1 with a plain FileChannel and
 * java.util.zip.CRC32: it never calls the code under test. It reads the superblock's log length and device size, the
 * header, and every entry below next_index, and checks what the leader promises about what it wrote.
 *
 * <pre>
 *   superblock  @0        log_len u64 @24, dd_size u64 @112
 *   log header  @2 MiB    magic u64 @0 = 0xbadcafef00d, len @8, last_index @16, crc @24 (of [0,24)),
 *                         next_seqnum @32, next_index @40; entry i at 48 + 544 i
 *   entry       544 bytes seqnum u64 @0, type u32 @8 (0 file, 1 mkdir), crc u64 @536 (of [0,536))
 *   file        size u64 @16, flags u32 @24, uid @28, gid @32, mode @36, relpath[80] @40,
 *               fmap @120: ext_type u32 @0 (0 simple, 1 interleaved), count u32 @8,
 *               simple: 24-byte extents {devindex, offset, len} @16;
 *               interleaved: nstrips u64 @16, chunk u64 @24, strips (24 bytes each) @32
 *   mkdir       uid u32 @16, gid @20, mode @24, relpath[80] @28
 * </pre>
 */
public final class TestLog {
    public static final long MiB = 1L << 20;
    public static final long AU = 2 * MiB;
    public static final long LOG_OFFSET = 2 * MiB;
    public static final long LOG_MAGIC = 0xbadcafef00dL;
    public static final int ENTRY = 544;

    public record Extent(long devIndex, long offset, long length) {}

    /** One decoded entry: a file (extents non-empty) or a directory. */
    public record Entry(
            long index,
            boolean file,
            String path,
            long size,
            int mode,
            int uid,
            int gid,
            boolean interleaved,
            long chunkSize,
            List<Extent> extents) {}

    public final long devSize;
    public final long logLen;
    public final long lastIndex;
    public final long nextSeqnum;
    public final long nextIndex;
    public final boolean headerCrcOk;
    public final List<Entry> entries = new ArrayList<>();
    /** Indexes below next_index whose seqnum or CRC is wrong. */
    public final List<Long> badEntries = new ArrayList<>();

    private TestLog(Path device) {
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ)) {
            ByteBuffer sb = read(ch, 0, 200);
            logLen = sb.getLong(24);
            devSize = sb.getLong(112);
            ByteBuffer hdr = read(ch, LOG_OFFSET, 48);
            if (hdr.getLong(0) != LOG_MAGIC) {
                throw new IllegalStateException("no log magic at 2 MiB");
            }
            lastIndex = hdr.getLong(16);
            headerCrcOk = hdr.getLong(24) == crc(hdr, 0, 24);
            nextSeqnum = hdr.getLong(32);
            nextIndex = hdr.getLong(40);
            for (long i = 0; i < nextIndex && i <= lastIndex; i++) {
                ByteBuffer e = read(ch, LOG_OFFSET + 48 + ENTRY * i, ENTRY);
                if (e.getLong(0) != i || e.getLong(536) != crc(e, 0, 536)) {
                    badEntries.add(i);
                    continue;
                }
                entries.add(decode(i, e));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Decodes the log on {@code device} (a regular file). */
    public static TestLog of(Path device) {
        return new TestLog(device);
    }

    private static Entry decode(long index, ByteBuffer e) {
        int type = e.getInt(8);
        if (type == 1) {
            return new Entry(
                    index, false, string(e, 28), 0, e.getInt(24), e.getInt(16), e.getInt(20), false, 0, List.of());
        }
        if (type != 0) {
            throw new IllegalStateException("entry " + index + " has type " + type);
        }
        int fmap = 120;
        boolean interleaved = e.getInt(fmap) == 1;
        List<Extent> extents = new ArrayList<>();
        long chunk = 0;
        if (interleaved) {
            long nstrips = e.getLong(fmap + 16);
            chunk = e.getLong(fmap + 24);
            for (int j = 0; j < nstrips; j++) {
                extents.add(extent(e, fmap + 32 + 24 * j));
            }
        } else {
            int n = e.getInt(fmap + 8);
            for (int j = 0; j < n; j++) {
                extents.add(extent(e, fmap + 16 + 24 * j));
            }
        }
        return new Entry(
                index,
                true,
                string(e, 40),
                e.getLong(16),
                e.getInt(36),
                e.getInt(28),
                e.getInt(32),
                interleaved,
                chunk,
                List.copyOf(extents));
    }

    private static Extent extent(ByteBuffer e, int at) {
        return new Extent(e.getLong(at), e.getLong(at + 8), e.getLong(at + 16));
    }

    private static String string(ByteBuffer e, int at) {
        int end = at;
        while (end < at + 80 && e.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - at];
        e.get(at, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static ByteBuffer read(FileChannel ch, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                throw new IOException("short device at " + offset);
            }
        }
        return b.flip();
    }

    private static long crc(ByteBuffer b, int from, int to) {
        CRC32 c = new CRC32();
        c.update(b.array(), from, to - from);
        return c.getValue();
    }

    public List<Entry> files() {
        return entries.stream().filter(Entry::file).toList();
    }

    /** The entry logged for {@code path}, or null. */
    public Entry get(String path) {
        return entries.stream().filter(e -> e.path().equals(path)).findFirst().orElse(null);
    }

    /**
     * What is wrong with the space the log hands out: extents overlapping each other or the superblock and log, past
     * dd_size, not 2 MiB aligned, too small for the file, or a path logged twice. Empty when all is well.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!headerCrcOk) {
            problems.add("log header CRC is wrong");
        }
        if (nextSeqnum != nextIndex) {
            problems.add("next_seqnum " + nextSeqnum + " != next_index " + nextIndex);
        }
        if (!badEntries.isEmpty()) {
            problems.add("bad entries below next_index: " + badEntries);
        }
        long reserved = LOG_OFFSET + logLen;
        TreeMap<Long, long[]> taken = new TreeMap<>(); // start -> {end, index}
        Set<String> paths = new HashSet<>();
        for (Entry e : entries) {
            if (!paths.add(e.path())) {
                problems.add("path " + e.path() + " logged twice (again at " + e.index() + ")");
            }
            long total = 0;
            for (Extent x : e.extents()) {
                String where = "entry " + e.index() + " (" + e.path() + ") extent " + x;
                if (x.devIndex() != 0) {
                    problems.add(where + ": devindex is not 0");
                }
                if (x.offset() % AU != 0 || x.length() % AU != 0 || x.length() == 0) {
                    problems.add(where + ": not 2 MiB aligned");
                }
                if (x.offset() < reserved) {
                    problems.add(where + ": inside the superblock and log");
                }
                if (x.offset() + x.length() > devSize || x.offset() + x.length() < x.offset()) {
                    problems.add(where + ": past dd_size " + devSize);
                }
                var before = taken.floorEntry(x.offset() + x.length() - 1);
                if (before != null && before.getValue()[0] > x.offset()) {
                    problems.add(where + ": overlaps entry " + before.getValue()[1]);
                }
                var after = taken.ceilingEntry(x.offset());
                if (after != null && after.getKey() < x.offset() + x.length()) {
                    problems.add(where + ": overlaps entry " + after.getValue()[1]);
                }
                taken.put(x.offset(), new long[] {x.offset() + x.length(), e.index()});
                total += x.length();
            }
            if (e.file()) {
                long room = total; // simple extents, or strips together, hold at least the size
                if (room < e.size()) {
                    problems.add(
                            "entry " + e.index() + " (" + e.path() + "): extents hold " + room + " < size " + e.size());
                }
                if (e.interleaved()
                        && (e.chunkSize() == 0 || Long.bitCount(e.chunkSize()) != 1 || e.chunkSize() % AU != 0)) {
                    problems.add("entry " + e.index() + ": bad chunk size " + e.chunkSize());
                }
            }
        }
        return problems;
    }
}
