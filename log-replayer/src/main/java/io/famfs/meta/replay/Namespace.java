package io.famfs.meta.replay;

import static io.famfs.meta.format.LogEntryDescriptor.*;

import io.famfs.meta.format.EntryCodec;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.Fmap;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.LogEntry;
import io.famfs.meta.format.RelPath;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.log.FamfsVolume;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The namespace a log replays into: directories and files with their logged attributes and maps, the allocation
 * bitmap of every valid file entry, and what replay skipped or flagged. The home of the replay rules ({@link #apply}).
 *
 * <p>Stored column-wise so that replaying millions of entries allocates almost nothing per entry: one row per node
 * (node 0 is the root) in primitive arrays, path bytes in one pool, maps in one pool of longs. Lookups go through a
 * table of directories by full path and, per directory, an open-addressing table of its children by name: the tables
 * a replay touches are the ones of the directories being filled, so they stay in cache. Queries hand out immutable
 * {@link DirNode}/{@link FileNode} snapshots.
 *
 * <p>Incremental: {@link #nextIndex()} is the next entry to apply. Not thread-safe; one replayer owns it.
 */
public final class Namespace {
    private static final byte DIR = 1;
    private static final byte FILE = 2;

    private final long devSize;
    private final long dataStart;
    private final SpaceMap space;

    // One row per node; ids are dense, in creation (log) order. Child lists are linked through nextSibling.
    private int count = 1; // the root is node 0
    private byte[] kind;
    private long[] index;
    private int[] parent;
    private int[] firstChild;
    private int[] lastChild;
    private int[] nextSibling;
    private int[] mode;
    private int[] uid;
    private int[] gid;
    private int[] fmFlags;
    private long[] size;
    private byte[] flags;
    private int[] fmapAt;
    private int[] pathAt;
    private byte[] pathLen;
    /** Hash of the node's name (its last path component). */
    private int[] hash;

    /** A directory's ordinal in the directory tables, -1 for files. */
    private int[] dirOf;

    private byte[] paths;
    private int pathsUsed;
    private long[] fmaps;
    private int fmapsUsed;

    // Directories, by ordinal (the root is ordinal 0): node id, hash of the full path, children by name.
    private int dirCount = 1;
    private int[] dirNode = new int[16];
    private int[] dirPathHash = new int[16];
    private int[][] childTable = new int[16][];
    private int[] childCount = new int[16];

    /** Directories by full path: open addressing over ordinals + 1 (0 = empty; the root is not in it). */
    private int[] dirTable = new int[16];

    private long nextIndex;
    private long fileEntries;
    private long dirEntries;
    private long sumFileSizes;
    private long filesCreated;
    private long dirsCreated;
    private long filesExisted;
    private long dirsExisted;
    private long ignoredEntries;
    private final List<SkippedEntry> skipped = new ArrayList<>();
    private final List<Integer> flaggedIds = new ArrayList<>();
    private final Map<Integer, String> flagDetails = new HashMap<>();
    private final List<Long> collidingEntries = new ArrayList<>();
    private final List<FormatException> badEntries = new ArrayList<>();

    /** The directory the last entry's parent lookup found (0: none yet). */
    private int lastParent;

    /** The prepared-entry holder of {@link #apply} (single-threaded by contract). */
    private final PreparedEntry serial = new PreparedEntry(null);

    /**
     * An empty namespace for a file system of {@code devSize} bytes whose data starts at {@code dataStart} (2 MiB +
     * log_len); {@code expectedNodes} presizes the tables.
     */
    public Namespace(long devSize, long dataStart, long expectedNodes) {
        this.devSize = devSize;
        this.dataStart = dataStart;
        this.space = new SpaceMap(devSize, dataStart);
        int capacity = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(16, expectedNodes + 1));
        kind = new byte[capacity];
        index = new long[capacity];
        parent = new int[capacity];
        firstChild = new int[capacity];
        lastChild = new int[capacity];
        nextSibling = new int[capacity];
        mode = new int[capacity];
        uid = new int[capacity];
        gid = new int[capacity];
        fmFlags = new int[capacity];
        size = new long[capacity];
        flags = new byte[capacity];
        fmapAt = new int[capacity];
        pathAt = new int[capacity];
        pathLen = new byte[capacity];
        hash = new int[capacity];
        dirOf = new int[capacity];
        paths = new byte[(int) Math.min(Integer.MAX_VALUE - 16, 48L * capacity)];
        fmaps = new long[(int) Math.min(Integer.MAX_VALUE - 16, 4L * capacity)];
        childTable[0] = new int[16];
        kind[0] = DIR;
        index[0] = -1;
        mode[0] = 0755;
    }

    /** An empty namespace for {@code volume}, sized for its current entry count. */
    public static Namespace forVolume(FamfsVolume volume) {
        return new Namespace(volume.devSize(), volume.superblock().dataStart(), volume.readNextIndex());
    }

    /**
     * Applies the valid entry {@code logIndex} (its checked 544 bytes): famfs's replay rules, plus our stricter checks.
     *
     * <ul>
     *   <li>Every FILE entry counts and marks its extents in the bitmap, as famfs's bitmap build does, whatever
     *       happens to its path.
     *   <li>A relpath that breaks {@link RelPath}, a file with an extent at offset 0, a missing parent or a parent
     *       that is a file, or a path taken by the other kind: skipped and recorded with its index.
     *   <li>The first entry for a path wins; later ones count as "existed".
     *   <li>A created file is flagged when an extent is misaligned, outside [2 MiB + log_len, dd_size) or not on
     *       daxdev 0, over space an earlier file entry holds, or when its extents cover less than its size.
     *   <li>ADD_DAXDEV and unknown types are ignored, as famfs's logplay ignores them.
     * </ul>
     *
     * Applying is two phases: {@link #prepare} reads the entry (bitmap, flags, path checks and hashes), {@link
     * #insert} changes the namespace.
     */
    public void apply(long logIndex, byte[] entry) {
        serial.entry = entry;
        prepare(logIndex, serial);
        insert(serial);
    }

    /** Applies a decoded entry (encoded again with seqnum {@code logIndex}); for tools and tests. */
    public void apply(long logIndex, LogEntry entry) {
        apply(logIndex, EntryCodec.encode(entry, logIndex));
    }

    /** Records a bad entry that a {@code SKIP_BAD} pass stepped over (second-phase state). */
    public void skipBad(FormatException error) {
        badEntries.add(error);
        nextIndex = Math.max(nextIndex, error.index() + 1);
    }

    /** Moves the resume point without applying anything (the end of a pass that read no entries). */
    void advanceTo(long logIndex) {
        nextIndex = Math.max(nextIndex, logIndex);
    }

    /**
     * Phase 1, on {@code p.entry}: the bitmap and the file's flags, the path's problem and hashes. Of the namespace it
     * touches only {@link #space}: everything else it learns goes into {@code p}, for phase 2.
     */
    void prepare(long logIndex, PreparedEntry p) {
        byte[] e = p.entry;
        p.index = logIndex;
        p.type = EntryCodec.u32(e, TYPE_OFFSET);
        if (p.type == TYPE_FILE) {
            prepareExtents(p);
            p.pathOffset = FILE_RELPATH_OFFSET;
        } else if (p.type == TYPE_MKDIR) {
            p.pathOffset = MKDIR_RELPATH_OFFSET;
        } else {
            return;
        }
        p.pathLength = EntryCodec.relpathLength(e, p.pathOffset);
        p.problem = RelPath.check(e, p.pathOffset, p.pathLength);
        if (p.problem == null) {
            p.lastSlash = lastSlash(e, p.pathOffset, p.pathLength);
            p.nameHash = hashBytes(e, p.pathOffset + p.lastSlash + 1, p.pathOffset + p.pathLength);
        }
    }

    private void prepareExtents(PreparedEntry p) {
        byte[] e = p.entry;
        long fileSize = EntryCodec.u64(e, FILE_SIZE_OFFSET);
        int extCount = EntryCodec.u32(e, FMAP_NEXTENTS_OFFSET); // checked: <= 16, or <= 1 interleaved
        boolean interleaved = EntryCodec.u32(e, FMAP_EXT_TYPE_OFFSET) == EXT_INTERLEAVE;
        int first = interleaved ? IEXT_STRIPS_OFFSET : FMAP_EXTENTS_OFFSET;
        int n = interleaved ? (extCount == 1 ? (int) EntryCodec.u64(e, IEXT_NSTRIPS_OFFSET) : 0) : extCount;

        int raisedAll = 0;
        StringBuilder why = null;
        long covered = 0;
        boolean offsetZero = false;
        boolean collided = false;
        for (int i = 0; i < n; i++) {
            int at = first + i * EXTENT_LENGTH;
            long dev = EntryCodec.u64(e, at + EXTENT_DEVINDEX);
            long off = EntryCodec.u64(e, at + EXTENT_OFFSET);
            long len = EntryCodec.u64(e, at + EXTENT_LEN);
            offsetZero |= off == 0;
            long end = off + len;
            boolean inBounds = dev == 0 && off >= dataStart && len >= 0 && end >= off && end <= devSize;
            long hits = dev == 0 ? space.mark(off, len) : 0;
            collided |= hits > 0;
            int raised = 0;
            if (!Famfs.isAuAligned(off) || !Famfs.isAuAligned(len)) {
                raised |= FileFlag.MISALIGNED.bit();
            }
            if (!inBounds) {
                raised |= FileFlag.OUT_OF_BOUNDS.bit();
            } else if (hits > 0) {
                raised |= FileFlag.OVERLAP.bit();
            }
            if ((raised & ~raisedAll) != 0) {
                why = explain(
                        why,
                        raised & ~raisedAll,
                        String.format("extent %d (dev %d, offset 0x%x, length 0x%x)", i, dev, off, len));
                raisedAll |= raised;
            }
            covered = len < 0 || covered + len < 0 ? Long.MAX_VALUE : covered + len;
        }
        if (interleaved && extCount == 1) {
            long chunk = EntryCodec.u64(e, IEXT_CHUNK_SIZE_OFFSET);
            if (chunk <= 0 || !Famfs.isAuAligned(chunk)) {
                if ((raisedAll & FileFlag.MISALIGNED.bit()) == 0) {
                    why = explain(why, FileFlag.MISALIGNED.bit(), String.format("chunk size 0x%x", chunk));
                }
                raisedAll |= FileFlag.MISALIGNED.bit();
            }
        }
        if (Long.compareUnsigned(covered, fileSize) < 0) {
            why = explain(why, FileFlag.SHORT_MAP.bit(), "extents cover " + covered + " of " + fileSize + " bytes");
            raisedAll |= FileFlag.SHORT_MAP.bit();
        }
        p.collided = collided;
        p.offsetZero = offsetZero;
        p.flags = raisedAll;
        p.flagDetail = why == null ? null : why.toString();
    }

    /** Phase 2: the counters, the namespace tables and rows, the skipped, flagged and colliding lists. */
    void insert(PreparedEntry p) {
        if (p.type == TYPE_FILE) {
            fileEntries++;
            sumFileSizes += EntryCodec.u64(p.entry, FILE_SIZE_OFFSET);
            if (p.collided) {
                collidingEntries.add(p.index);
            }
            insertNode(p);
        } else if (p.type == TYPE_MKDIR) {
            dirEntries++;
            insertNode(p);
        } else {
            ignoredEntries++;
        }
        nextIndex = p.index + 1;
    }

    private void insertNode(PreparedEntry p) {
        byte[] e = p.entry;
        boolean file = p.type == TYPE_FILE;
        if (p.problem != null) {
            skip(p.index, SkipReason.BAD_PATH, p.problem.text());
            return;
        }
        if (file && p.offsetZero) {
            skip(p.index, SkipReason.EXTENT_AT_OFFSET_ZERO, pathText(p));
            return;
        }
        int parentDir = parentOf(p);
        if (parentDir < 0) {
            return;
        }
        int slot = findChild(parentDir, e, p.pathOffset, p.pathLength, p.lastSlash, p.nameHash);
        int existing = childTable[parentDir][slot];
        if (existing != 0) {
            if (file && kind[existing] == DIR) {
                skip(p.index, SkipReason.PATH_IS_DIRECTORY, pathText(p));
            } else if (!file && kind[existing] == FILE) {
                skip(p.index, SkipReason.PATH_IS_FILE, pathText(p));
            } else if (file) {
                filesExisted++;
            } else {
                dirsExisted++;
            }
            return;
        }
        int id = newNode(file ? FILE : DIR, p, parentDir, slot);
        if (file) {
            mode[id] = EntryCodec.u32(e, FILE_MODE_OFFSET);
            uid[id] = EntryCodec.u32(e, FILE_UID_OFFSET);
            gid[id] = EntryCodec.u32(e, FILE_GID_OFFSET);
            fmFlags[id] = EntryCodec.u32(e, FILE_FLAGS_OFFSET);
            size[id] = EntryCodec.u64(e, FILE_SIZE_OFFSET);
            flags[id] = (byte) p.flags;
            fmapAt[id] = storeFmap(e);
            filesCreated++;
            if (p.flags != 0) {
                flaggedIds.add(id);
                flagDetails.put(id, p.flagDetail);
            }
        } else {
            addDir(id, hashBytes(e, p.pathOffset, p.pathOffset + p.pathLength));
            mode[id] = EntryCodec.u32(e, MKDIR_MODE_OFFSET);
            uid[id] = EntryCodec.u32(e, MKDIR_UID_OFFSET);
            gid[id] = EntryCodec.u32(e, MKDIR_GID_OFFSET);
            dirsCreated++;
        }
    }

    private static String pathText(PreparedEntry p) {
        return RelPath.decode(p.entry, p.pathOffset, p.pathLength);
    }

    /** The ordinal of the entry's parent directory, or -1 after recording why the entry is skipped. */
    private int parentOf(PreparedEntry p) {
        int len = p.lastSlash;
        if (len < 0) {
            return 0;
        }
        byte[] e = p.entry;
        int off = p.pathOffset;
        // Consecutive entries mostly land in the same directory: try the last one found before hashing.
        int cached = lastParent;
        if (cached > 0) {
            int id = dirNode[cached];
            if ((pathLen[id] & 0xff) == len && Arrays.equals(paths, pathAt[id], pathAt[id] + len, e, off, off + len)) {
                return cached;
            }
        }
        int dir = findDir(e, off, len, hashBytes(e, off, off + len));
        if (dir >= 0) {
            lastParent = dir;
            return dir;
        }
        boolean isFile = lookup(e, off, len) > 0; // not a directory, so a file
        skip(p.index, isFile ? SkipReason.PARENT_NOT_DIRECTORY : SkipReason.PARENT_MISSING, pathText(p));
        return -1;
    }

    /** Position of the last '/' in the path {@code b[off, off + len)}, or -1. */
    private static int lastSlash(byte[] b, int off, int len) {
        for (int i = len - 1; i >= 0; i--) {
            if (b[off + i] == '/') {
                return i;
            }
        }
        return -1;
    }

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Hash of {@code b[from, to)}, eight bytes at a time (one multiply per word). */
    static int hashBytes(byte[] b, int from, int to) {
        long h = to - from;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = (h ^ (long) WORDS.get(b, i)) * 0x9E3779B97F4A7C15L;
        }
        if (i < to) {
            long tail = 0;
            for (int k = to - 1; k >= i; k--) {
                tail = (tail << 8) | (b[k] & 0xff);
            }
            h = (h ^ tail) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h ^ (h >>> 32));
    }

    /** Fibonacci hashing: the top bits of h * 2^32/phi pick a slot of a power-of-two table ({@code mask} = size - 1). */
    private static int spread(int h, int mask) {
        return (h * 0x9E3779B9) >>> Integer.numberOfLeadingZeros(mask);
    }

    /** The ordinal of the directory whose full path is {@code b[off, off + len)}, or -1. */
    private int findDir(byte[] b, int off, int len, int h) {
        int mask = dirTable.length - 1;
        for (int slot = spread(h, mask); ; slot = (slot + 1) & mask) {
            int ord = dirTable[slot] - 1;
            if (ord < 0) {
                return -1;
            }
            int id = dirNode[ord];
            if (dirPathHash[ord] == h
                    && (pathLen[id] & 0xff) == len
                    && Arrays.equals(paths, pathAt[id], pathAt[id] + len, b, off, off + len)) {
                return ord;
            }
        }
    }

    /**
     * The slot of {@code dir}'s child table that holds the path {@code b[off, off + len)} (its name starts after the
     * '/' at {@code lastSlash}, and hashes to {@code nameHash}), or the empty slot where it would go.
     */
    private int findChild(int dir, byte[] b, int off, int len, int lastSlash, int nameHash) {
        int[] t = childTable[dir];
        int mask = t.length - 1;
        int nameOff = lastSlash + 1;
        for (int slot = spread(nameHash, mask); ; slot = (slot + 1) & mask) {
            int id = t[slot];
            if (id == 0
                    || (hash[id] == nameHash
                            && (pathLen[id] & 0xff) == len
                            && Arrays.equals(
                                    paths, pathAt[id] + nameOff, pathAt[id] + len, b, off + nameOff, off + len))) {
                return slot;
            }
        }
    }

    /** The node id at path {@code b[off, off + len)}, or 0. */
    private int lookup(byte[] b, int off, int len) {
        int slash = lastSlash(b, off, len);
        int dir = slash < 0 ? 0 : findDir(b, off, slash, hashBytes(b, off, off + slash));
        int nameHash = hashBytes(b, off + slash + 1, off + len);
        return dir < 0 ? 0 : childTable[dir][findChild(dir, b, off, len, slash, nameHash)];
    }

    private int newNode(byte k, PreparedEntry p, int parentDir, int slot) {
        if (count == kind.length) {
            growNodes();
        }
        int len = p.pathLength;
        if (pathsUsed + len > paths.length) {
            paths = Arrays.copyOf(paths, (int) Math.min(Integer.MAX_VALUE - 16, 2L * paths.length + len));
        }
        int id = count++;
        int parentId = dirNode[parentDir];
        kind[id] = k;
        index[id] = p.index;
        parent[id] = parentId;
        System.arraycopy(p.entry, p.pathOffset, paths, pathsUsed, len);
        pathAt[id] = pathsUsed;
        pathLen[id] = (byte) len;
        pathsUsed += len;
        hash[id] = p.nameHash;
        dirOf[id] = -1;
        if (firstChild[parentId] == 0) {
            firstChild[parentId] = id;
        } else {
            nextSibling[lastChild[parentId]] = id;
        }
        lastChild[parentId] = id;
        childTable[parentDir][slot] = id;
        if (2 * ++childCount[parentDir] > childTable[parentDir].length) {
            childTable[parentDir] = rehash(childTable[parentDir], hash);
        }
        return id;
    }

    /** Registers directory node {@code id} (full path hash {@code fullHash}) in the directory tables. */
    private void addDir(int id, int fullHash) {
        if (dirCount == dirNode.length) {
            int capacity = dirNode.length * 2;
            dirNode = Arrays.copyOf(dirNode, capacity);
            dirPathHash = Arrays.copyOf(dirPathHash, capacity);
            childTable = Arrays.copyOf(childTable, capacity);
            childCount = Arrays.copyOf(childCount, capacity);
        }
        int ord = dirCount++;
        dirNode[ord] = id;
        dirPathHash[ord] = fullHash;
        childTable[ord] = new int[16];
        dirOf[id] = ord;
        if (2 * dirCount > dirTable.length) {
            dirTable = new int[dirTable.length * 2];
            for (int d = 1; d < ord; d++) {
                place(dirTable, dirPathHash[d], d + 1);
            }
        }
        place(dirTable, fullHash, ord + 1);
    }

    /** Puts {@code value} in the first free slot for {@code h}. */
    private static void place(int[] table, int h, int value) {
        int mask = table.length - 1;
        int slot = spread(h, mask);
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = value;
    }

    /** A table twice the size holding the same ids, placed by {@code hashes[id]}. */
    private static int[] rehash(int[] table, int[] hashes) {
        int[] bigger = new int[table.length * 2];
        for (int id : table) {
            if (id != 0) {
                place(bigger, hashes[id], id);
            }
        }
        return bigger;
    }

    /** Stores a FILE entry's map as [type | count << 8 | n << 16, (chunk,) n x (dev, offset, length)]. */
    private int storeFmap(byte[] e) {
        int extType = EntryCodec.u32(e, FMAP_EXT_TYPE_OFFSET);
        int extCount = EntryCodec.u32(e, FMAP_NEXTENTS_OFFSET);
        boolean interleaved = extType == EXT_INTERLEAVE;
        int first = interleaved ? IEXT_STRIPS_OFFSET : FMAP_EXTENTS_OFFSET;
        int n = interleaved ? (extCount == 1 ? (int) EntryCodec.u64(e, IEXT_NSTRIPS_OFFSET) : 0) : extCount;
        int need = 2 + 3 * n;
        if (fmapsUsed + need > fmaps.length) {
            fmaps = Arrays.copyOf(fmaps, (int) Math.min(Integer.MAX_VALUE - 16, 2L * fmaps.length + need));
        }
        int at = fmapsUsed;
        fmaps[at] = extType | ((long) extCount << 8) | ((long) n << 16);
        int w = at + 1;
        if (interleaved) {
            fmaps[w++] = EntryCodec.u64(e, IEXT_CHUNK_SIZE_OFFSET);
        }
        for (int i = 0; i < n; i++) {
            int src = first + i * EXTENT_LENGTH;
            fmaps[w++] = EntryCodec.u64(e, src + EXTENT_DEVINDEX);
            fmaps[w++] = EntryCodec.u64(e, src + EXTENT_OFFSET);
            fmaps[w++] = EntryCodec.u64(e, src + EXTENT_LEN);
        }
        fmapsUsed = w;
        return at;
    }

    private Fmap fmapOf(int id) {
        int at = fmapAt[id];
        long header = fmaps[at];
        int extType = (int) (header & 0xff);
        int extCount = (int) ((header >>> 8) & 0xff);
        int n = (int) ((header >>> 16) & 0xff);
        int r = at + 1;
        long chunk = 0;
        if (extType == EXT_INTERLEAVE) {
            chunk = fmaps[r++];
        }
        Extent[] extents = new Extent[n];
        for (int i = 0; i < n; i++, r += 3) {
            extents[i] = new Extent(fmaps[r], fmaps[r + 1], fmaps[r + 2]);
        }
        if (extType != EXT_INTERLEAVE) {
            return new SimpleFmap(List.of(extents));
        }
        return extCount == 0
                ? new InterleavedFmap(List.of())
                : new InterleavedFmap(List.of(new InterleavedExtent(chunk, List.of(extents))));
    }

    private void growNodes() {
        int capacity = (int) Math.min(Integer.MAX_VALUE - 16, kind.length + (kind.length >> 1) + 16L);
        kind = Arrays.copyOf(kind, capacity);
        index = Arrays.copyOf(index, capacity);
        parent = Arrays.copyOf(parent, capacity);
        firstChild = Arrays.copyOf(firstChild, capacity);
        lastChild = Arrays.copyOf(lastChild, capacity);
        nextSibling = Arrays.copyOf(nextSibling, capacity);
        mode = Arrays.copyOf(mode, capacity);
        uid = Arrays.copyOf(uid, capacity);
        gid = Arrays.copyOf(gid, capacity);
        fmFlags = Arrays.copyOf(fmFlags, capacity);
        size = Arrays.copyOf(size, capacity);
        flags = Arrays.copyOf(flags, capacity);
        fmapAt = Arrays.copyOf(fmapAt, capacity);
        pathAt = Arrays.copyOf(pathAt, capacity);
        pathLen = Arrays.copyOf(pathLen, capacity);
        hash = Arrays.copyOf(hash, capacity);
        dirOf = Arrays.copyOf(dirOf, capacity);
    }

    private void skip(long logIndex, SkipReason reason, String detail) {
        skipped.add(new SkippedEntry(logIndex, reason, detail));
    }

    private static StringBuilder explain(StringBuilder why, int newFlags, String where) {
        StringBuilder sb = why == null ? new StringBuilder() : why.append("; ");
        for (FileFlag flag : FileFlag.values()) {
            if ((newFlags & flag.bit()) != 0) {
                sb.append(flag.text()).append(", ");
            }
        }
        return sb.append(where);
    }

    // ---- queries ----

    /** The node at {@code path} ("" is the root), or null. */
    public Node get(String path) {
        if (path.isEmpty()) {
            return root();
        }
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Famfs.MAX_RELPATH_BYTES) {
            return null;
        }
        int id = lookup(bytes, 0, bytes.length);
        return id == 0 ? null : node(id);
    }

    public DirNode root() {
        return (DirNode) node(0);
    }

    /** The children of node {@code id}, in log order. */
    List<Node> children(int id) {
        List<Node> list = new ArrayList<>();
        for (int c = firstChild[id]; c != 0; c = nextSibling[c]) {
            list.add(node(c));
        }
        return list;
    }

    private Node node(int id) {
        String path = id == 0 ? "" : RelPath.decode(paths, pathAt[id], pathLen[id] & 0xff);
        if (kind[id] == DIR) {
            return new DirNode(this, id, path, index[id], mode[id], uid[id], gid[id]);
        }
        return new FileNode(
                path,
                index[id],
                size[id],
                fmFlags[id],
                mode[id],
                uid[id],
                gid[id],
                fmapOf(id),
                flags[id],
                flagDetails.get(id));
    }

    /** Every node but the root, in log order. */
    public void forEachNode(Consumer<? super Node> action) {
        for (int id = 1; id < count; id++) {
            action.accept(node(id));
        }
    }

    /** Every node but the root, by path, in log order (a snapshot; for tools and tests). */
    public Map<String, Node> nodes() {
        Map<String, Node> map = LinkedHashMap.newLinkedHashMap(count);
        forEachNode(n -> map.put(n.path(), n));
        return Collections.unmodifiableMap(map);
    }

    /** Number of directories and files, the root excluded. */
    public int size() {
        return count - 1;
    }

    /** The next log index to apply. */
    public long nextIndex() {
        return nextIndex;
    }

    public SpaceMap space() {
        return space;
    }

    public long devSize() {
        return devSize;
    }

    public long dataStart() {
        return dataStart;
    }

    /** Valid FILE entries read (famfs's fsck "files"), created or not. */
    public long fileEntries() {
        return fileEntries;
    }

    /** Valid MKDIR entries read (famfs's fsck "directories"). */
    public long dirEntries() {
        return dirEntries;
    }

    /** Sum of fm_size over all valid FILE entries. */
    public long sumFileSizes() {
        return sumFileSizes;
    }

    public long filesCreated() {
        return filesCreated;
    }

    public long dirsCreated() {
        return dirsCreated;
    }

    /** FILE entries for a path that already held a file (the first one wins). */
    public long filesExisted() {
        return filesExisted;
    }

    public long dirsExisted() {
        return dirsExisted;
    }

    /** ADD_DAXDEV and unknown-type entries. */
    public long ignoredEntries() {
        return ignoredEntries;
    }

    public List<SkippedEntry> skipped() {
        return Collections.unmodifiableList(skipped);
    }

    /** Created files that replay flagged, in log order. */
    public List<FileNode> flagged() {
        List<FileNode> list = new ArrayList<>(flaggedIds.size());
        for (int id : flaggedIds) {
            list.add((FileNode) node(id));
        }
        return list;
    }

    /** Log indexes of file entries whose extents hit units that were already allocated (fsck's collisions). */
    public List<Long> collidingEntries() {
        return Collections.unmodifiableList(collidingEntries);
    }

    /** Bad entries stepped over by SKIP_BAD passes (fsck); empty after STOP_AT_BAD replays. */
    public List<FormatException> badEntries() {
        return Collections.unmodifiableList(badEntries);
    }
}
