package io.famfs.meta.replay;

import static io.famfs.meta.format.LogEntryDescriptor.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.format.EntryCodec;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.Fmap;
import io.famfs.meta.format.FormatError;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.LogEntry;
import io.famfs.meta.format.LogEntryDescriptor;
import io.famfs.meta.format.RelPath;
import io.famfs.meta.format.SimpleFmap;
import io.famfs.meta.log.FamfsVolume;
import io.famfs.meta.log.LogReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
 * <p>Stored column-wise so that replaying millions of entries allocates almost nothing per entry and moves few bytes:
 *
 * <ul>
 *   <li>a row per node (node 0 is the root) in primitive arrays, in creation (log) order;
 *   <li>file names (the last path component) in one byte pool; directories keep their full path in another, since
 *       entries name their parent by full path;
 *   <li>file maps in one pool of longs: [type | count << 8 | n << 16 | fm_flags << 32, size, (chunk,) n x (dev,
 *       offset, length)];
 *   <li>a table of directories by full path and, per directory, an open-addressing table of its children by name: the
 *       tables a replay touches are those of the directories being filled, so they stay in cache.
 * </ul>
 *
 * Queries hand out immutable {@link DirNode}/{@link FileNode} snapshots. Incremental: {@link #nextIndex()} is the next
 * entry to apply. Not thread-safe; one replayer owns it.
 */
public final class Namespace {
    private static final byte DIR = 1;
    private static final byte FILE = 2;

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long devSize;
    private final long dataStart;
    private final SpaceMap space;

    // Node rows. aux is a file's position in the map pool, or a directory's ordinal.
    private int count = 1;
    private byte[] kind;
    private byte[] flags;
    private byte[] nameLen;
    private long[] index;
    private int[] parent;
    private int[] nextSibling;
    private int[] mode;
    private int[] uid;
    private int[] gid;
    private int[] aux;
    private int[] nameAt;
    private int[] nameHash;

    private byte[] names;
    private int namesUsed;
    private long[] fmaps;
    private int fmapsUsed;

    // Directory rows, by ordinal (the root is 0): node, full path, children (a table by name and a list).
    private int dirCount = 1;
    private int[] dirNode = new int[16];
    private int[] dirPathHash = new int[16];
    private int[] dirPathAt = new int[16];
    private byte[] dirPathLen = new byte[16];
    private int[] firstChild = new int[16];
    private int[] lastChild = new int[16];
    private int[][] childTable = new int[16][];
    private int[] childCount = new int[16];
    private byte[] dirPaths = new byte[1024];
    private int dirPathsUsed;

    /** Directories by full path: open addressing over ordinals + 1 (0 = empty; the root is not in it). */
    private int[] dirTable = new int[16];

    /** The directory the last parent lookup found (0: none yet). */
    private int lastParent;

    /** The prepared-entry holder of {@link #apply} (single-threaded by contract). */
    private final PreparedEntry serial = new PreparedEntry();

    private long nextIndex;
    private long fileEntries;
    private long dirEntries;
    private long sumFileSizes;
    private long filesCreated;
    private long dirsCreated;
    private long filesExisted;
    private long dirsExisted;
    private long ignoredEntries;
    private long badEntryCount;
    private final List<SkippedEntry> skipped = new ArrayList<>();
    private final List<Integer> flaggedIds = new ArrayList<>();
    private final Map<Integer, String> flagDetails = new HashMap<>();
    private final List<Long> collidingEntries = new ArrayList<>();
    private final List<FormatException> badEntries = new ArrayList<>();

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
        flags = new byte[capacity];
        nameLen = new byte[capacity];
        index = new long[capacity];
        parent = new int[capacity];
        nextSibling = new int[capacity];
        mode = new int[capacity];
        uid = new int[capacity];
        gid = new int[capacity];
        aux = new int[capacity];
        nameAt = new int[capacity];
        nameHash = new int[capacity];
        names = new byte[(int) Math.min(Integer.MAX_VALUE - 16, 32L * capacity)];
        fmaps = new long[(int) Math.min(Integer.MAX_VALUE - 16, 7L * capacity)]; // a simple file takes 5
        childTable[0] = new int[16];
        kind[0] = DIR;
        index[0] = -1;
        mode[0] = 0755;
    }

    /**
     * An empty namespace for {@code volume}, sized for its current entry count when the last published entry is valid.
     * next_index is not covered by any CRC: a hostile one over a log of junk must not make us allocate for millions of
     * nodes up front (the tables grow as entries really apply).
     */
    public static Namespace forVolume(FamfsVolume volume) {
        long next = volume.readNextIndex();
        boolean trusted =
                next == 0 || new LogReader(volume).readValidated(next - 1, new byte[LogEntryDescriptor.LENGTH]) == null;
        return new Namespace(volume.devSize(), volume.superblock().dataStart(), trusted ? next : 1024);
    }

    /**
     * Applies the valid entry {@code logIndex} (its checked 544 bytes): famfs's replay rules, plus our stricter checks.
     *
     * <ul>
     *   <li>Every FILE entry counts and marks its extents in the bitmap, as famfs's bitmap build does, whatever
     *       happens to its path.
     *   <li>A relpath that breaks {@link RelPath}, a file famfs's logplay skips for "an extent at offset 0" (a simple
     *       extent at 0, or an interleaved chunk size of 0, where famfs's test reads), a missing parent or a parent
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

    /** Records a bad entry that a {@code SKIP_BAD} pass stepped over (the first thousand are kept, all counted). */
    public void skipBad(FormatException error) {
        if (badEntries.size() < LogReader.KEPT_ERRORS) {
            badEntries.add(error);
        }
        badEntryCount++;
        nextIndex = Math.max(nextIndex, error.index() + 1);
    }

    /** Moves the resume point without applying anything (the end of a pass that read no entries). */
    void advanceTo(long logIndex) {
        nextIndex = Math.max(nextIndex, logIndex);
    }

    /** Phase 1, on {@code p.entry}: the bitmap and the file's flags, the path's length, problem, last '/' and name hash. */
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
        long checked = RelPath.checkField(e, p.pathOffset, Famfs.RELPATH_FIELD);
        p.pathLength = RelPath.lengthOf(checked);
        p.problem = RelPath.problemOf(checked);
        if (p.problem == null) {
            p.lastSlash = RelPath.lastSlashOf(checked);
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
            offsetZero |= off == 0 && !interleaved;
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
            // famfs's offset-0 test reads the simple-extent array, whose first offset overlays ie_chunk_size: it skips
            // an interleaved file whose chunk size is 0 (and creates one with a strip at 0; ours flags that strip).
            offsetZero |= chunk == 0;
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
        int nameStart = p.pathOffset + p.lastSlash + 1;
        int nameLength = p.pathLength - p.lastSlash - 1;
        int slot = findChild(parentDir, e, nameStart, nameLength, p.nameHash);
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
        int id = newNode(file ? FILE : DIR, p, parentDir, nameStart, nameLength, slot);
        if (file) {
            mode[id] = EntryCodec.u32(e, FILE_MODE_OFFSET);
            uid[id] = EntryCodec.u32(e, FILE_UID_OFFSET);
            gid[id] = EntryCodec.u32(e, FILE_GID_OFFSET);
            flags[id] = (byte) p.flags;
            aux[id] = storeFmap(e);
            filesCreated++;
            if (p.flags != 0) {
                flaggedIds.add(id);
                flagDetails.put(id, p.flagDetail);
            }
        } else {
            mode[id] = EntryCodec.u32(e, MKDIR_MODE_OFFSET);
            uid[id] = EntryCodec.u32(e, MKDIR_UID_OFFSET);
            gid[id] = EntryCodec.u32(e, MKDIR_GID_OFFSET);
            aux[id] = addDir(id, e, p.pathOffset, p.pathLength);
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
        if (cached > 0 && dirPathEquals(cached, e, off, len)) {
            return cached;
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

    private boolean dirPathEquals(int ord, byte[] b, int off, int len) {
        int at = dirPathAt[ord];
        return (dirPathLen[ord] & 0xff) == len && Arrays.equals(dirPaths, at, at + len, b, off, off + len);
    }

    /** The ordinal of the directory whose full path is {@code b[off, off + len)}, or -1. */
    private int findDir(byte[] b, int off, int len, int h) {
        int mask = dirTable.length - 1;
        for (int slot = spread(h, mask); ; slot = (slot + 1) & mask) {
            int ord = dirTable[slot] - 1;
            if (ord < 0) {
                return -1;
            }
            if (dirPathHash[ord] == h && dirPathEquals(ord, b, off, len)) {
                return ord;
            }
        }
    }

    /** The slot of {@code dir}'s child table holding the name {@code b[off, off + len)}, or the empty slot for it. */
    private int findChild(int dir, byte[] b, int off, int len, int h) {
        int[] t = childTable[dir];
        int mask = t.length - 1;
        for (int slot = spread(h, mask); ; slot = (slot + 1) & mask) {
            int id = t[slot];
            if (id == 0
                    || (nameHash[id] == h
                            && (nameLen[id] & 0xff) == len
                            && Arrays.equals(names, nameAt[id], nameAt[id] + len, b, off, off + len))) {
                return slot;
            }
        }
    }

    /** The node id at path {@code b[off, off + len)}, or 0. */
    private int lookup(byte[] b, int off, int len) {
        int slash = RelPath.lastSlashOf(RelPath.checkPath(b, off, len));
        int dir = slash < 0 ? 0 : findDir(b, off, slash, hashBytes(b, off, off + slash));
        if (dir < 0) {
            return 0;
        }
        int start = off + slash + 1;
        return childTable[dir][findChild(dir, b, start, off + len - start, hashBytes(b, start, off + len))];
    }

    private int newNode(byte k, PreparedEntry p, int parentDir, int nameStart, int nameLength, int slot) {
        if (count == kind.length) {
            growNodes();
        }
        if (namesUsed + nameLength > names.length) {
            names = Arrays.copyOf(names, (int) Math.min(Integer.MAX_VALUE - 16, 2L * names.length + nameLength));
        }
        int id = count++;
        kind[id] = k;
        index[id] = p.index;
        parent[id] = dirNode[parentDir];
        System.arraycopy(p.entry, nameStart, names, namesUsed, nameLength);
        nameAt[id] = namesUsed;
        nameLen[id] = (byte) nameLength;
        namesUsed += nameLength;
        nameHash[id] = p.nameHash;
        if (firstChild[parentDir] == 0) {
            firstChild[parentDir] = id;
        } else {
            nextSibling[lastChild[parentDir]] = id;
        }
        lastChild[parentDir] = id;
        childTable[parentDir][slot] = id;
        if (2 * ++childCount[parentDir] > childTable[parentDir].length) {
            childTable[parentDir] = rehash(childTable[parentDir], nameHash);
        }
        return id;
    }

    /** Registers directory node {@code id}, whose full path is {@code b[off, off + len)}; returns its ordinal. */
    private int addDir(int id, byte[] b, int off, int len) {
        if (dirCount == dirNode.length) {
            int capacity = dirNode.length * 2;
            dirNode = Arrays.copyOf(dirNode, capacity);
            dirPathHash = Arrays.copyOf(dirPathHash, capacity);
            dirPathAt = Arrays.copyOf(dirPathAt, capacity);
            dirPathLen = Arrays.copyOf(dirPathLen, capacity);
            firstChild = Arrays.copyOf(firstChild, capacity);
            lastChild = Arrays.copyOf(lastChild, capacity);
            childTable = Arrays.copyOf(childTable, capacity);
            childCount = Arrays.copyOf(childCount, capacity);
        }
        if (dirPathsUsed + len > dirPaths.length) {
            dirPaths = Arrays.copyOf(dirPaths, 2 * dirPaths.length + len);
        }
        int ord = dirCount++;
        int h = hashBytes(b, off, off + len);
        dirNode[ord] = id;
        dirPathHash[ord] = h;
        System.arraycopy(b, off, dirPaths, dirPathsUsed, len);
        dirPathAt[ord] = dirPathsUsed;
        dirPathLen[ord] = (byte) len;
        dirPathsUsed += len;
        childTable[ord] = new int[16];
        if (2 * dirCount > dirTable.length) {
            dirTable = new int[dirTable.length * 2];
            for (int d = 1; d < ord; d++) {
                place(dirTable, dirPathHash[d], d + 1);
            }
        }
        place(dirTable, h, ord + 1);
        return ord;
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

    /** A table four times the size holding the same ids, placed by {@code hashes[id]}. */
    private static int[] rehash(int[] table, int[] hashes) {
        int[] bigger = new int[table.length * 4];
        for (int id : table) {
            if (id != 0) {
                place(bigger, hashes[id], id);
            }
        }
        return bigger;
    }

    /** Stores a FILE entry's size, flags and map; returns its position in the pool. */
    private int storeFmap(byte[] e) {
        int extType = EntryCodec.u32(e, FMAP_EXT_TYPE_OFFSET);
        int extCount = EntryCodec.u32(e, FMAP_NEXTENTS_OFFSET);
        boolean interleaved = extType == EXT_INTERLEAVE;
        int first = interleaved ? IEXT_STRIPS_OFFSET : FMAP_EXTENTS_OFFSET;
        int n = interleaved ? (extCount == 1 ? (int) EntryCodec.u64(e, IEXT_NSTRIPS_OFFSET) : 0) : extCount;
        int need = 2 + (interleaved ? 1 : 0) + 3 * n;
        if (fmapsUsed + need > fmaps.length) {
            fmaps = Arrays.copyOf(fmaps, (int) Math.min(Integer.MAX_VALUE - 16, 2L * fmaps.length + need));
        }
        int at = fmapsUsed;
        long fmFlags = EntryCodec.u32(e, FILE_FLAGS_OFFSET) & 0xffffffffL;
        fmaps[at] = extType | ((long) extCount << 8) | ((long) n << 16) | (fmFlags << 32);
        fmaps[at + 1] = EntryCodec.u64(e, FILE_SIZE_OFFSET);
        int w = at + 2;
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

    private Fmap fmapOf(int at) {
        long header = fmaps[at];
        int extType = (int) (header & 0xff);
        int extCount = (int) ((header >>> 8) & 0xff);
        int n = (int) ((header >>> 16) & 0xff);
        int r = at + 2;
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
        flags = Arrays.copyOf(flags, capacity);
        nameLen = Arrays.copyOf(nameLen, capacity);
        index = Arrays.copyOf(index, capacity);
        parent = Arrays.copyOf(parent, capacity);
        nextSibling = Arrays.copyOf(nextSibling, capacity);
        mode = Arrays.copyOf(mode, capacity);
        uid = Arrays.copyOf(uid, capacity);
        gid = Arrays.copyOf(gid, capacity);
        aux = Arrays.copyOf(aux, capacity);
        nameAt = Arrays.copyOf(nameAt, capacity);
        nameHash = Arrays.copyOf(nameHash, capacity);
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

    // ---- snapshot (the agent's cache of its view) ----

    private static final int SNAPSHOT_MAGIC = 0x534e4d46; // "FMNS"
    private static final int SNAPSHOT_VERSION = 1; // columns little-endian (the machine's order: bulk copies)

    /**
     * Writes everything replay built, so that {@link #readSnapshot} gives back a namespace that answers and applies
     * further entries exactly as this one. The caller checks that the log still holds what was applied before it
     * trusts a snapshot (the agent compares the view's identity with shared memory).
     */
    public void writeSnapshot(DataOutputStream out) throws IOException {
        out.writeInt(SNAPSHOT_MAGIC);
        out.writeInt(SNAPSHOT_VERSION);
        out.writeLong(devSize);
        out.writeLong(dataStart);
        out.writeInt(count);
        writeBytes(out, kind, count);
        writeBytes(out, flags, count);
        writeBytes(out, nameLen, count);
        writeLongs(out, index, count);
        for (int[] column : new int[][] {parent, nextSibling, mode, uid, gid, aux, nameAt, nameHash}) {
            writeInts(out, column, count);
        }
        writeBytes(out, names, namesUsed);
        writeLongs(out, fmaps, fmapsUsed);
        out.writeInt(dirCount);
        for (int[] column : new int[][] {dirNode, dirPathHash, dirPathAt, firstChild, lastChild, childCount}) {
            writeInts(out, column, dirCount);
        }
        writeBytes(out, dirPathLen, dirCount);
        for (int d = 0; d < dirCount; d++) {
            int[] table = childTable[d];
            writeInts(out, table == null ? new int[0] : table, table == null ? 0 : table.length);
        }
        writeBytes(out, dirPaths, dirPathsUsed);
        writeInts(out, dirTable, dirTable.length);
        out.writeInt(lastParent);
        for (long v : new long[] {
            nextIndex,
            fileEntries,
            dirEntries,
            sumFileSizes,
            filesCreated,
            dirsCreated,
            filesExisted,
            dirsExisted,
            ignoredEntries,
            badEntryCount
        }) {
            out.writeLong(v);
        }
        out.writeInt(skipped.size());
        for (SkippedEntry e : skipped) {
            out.writeLong(e.index());
            out.writeUTF(e.reason().name());
            out.writeUTF(e.detail() == null ? "" : e.detail());
        }
        out.writeInt(flaggedIds.size());
        for (int id : flaggedIds) {
            out.writeInt(id);
        }
        out.writeInt(flagDetails.size());
        for (Map.Entry<Integer, String> e : flagDetails.entrySet()) {
            out.writeInt(e.getKey());
            out.writeUTF(e.getValue());
        }
        out.writeInt(collidingEntries.size());
        for (long i : collidingEntries) {
            out.writeLong(i);
        }
        out.writeInt(badEntries.size());
        for (FormatException e : badEntries) {
            out.writeUTF(e.error().name());
            out.writeLong(e.index());
            out.writeUTF(e.detail() == null ? "" : e.detail());
        }
        space.writeSnapshot(out);
    }

    /** A namespace from {@link #writeSnapshot}'s bytes; a typed CORRUPT error for bytes it did not write. */
    public static Namespace readSnapshot(DataInputStream in) throws IOException {
        try {
            if (in.readInt() != SNAPSHOT_MAGIC || in.readInt() != SNAPSHOT_VERSION) {
                throw new FamfsException(ErrorCode.CORRUPT, "not a namespace snapshot of this version");
            }
            long devSize = in.readLong();
            long dataStart = in.readLong();
            Namespace ns = new Namespace(devSize, dataStart, 0);
            int n = in.readInt();
            ns.count = n;
            ns.kind = readBytes(in, n, 16);
            ns.flags = readBytes(in, n, 16);
            ns.nameLen = readBytes(in, n, 16);
            ns.index = readLongs(in, n, 16);
            ns.parent = readInts(in, n, 16);
            ns.nextSibling = readInts(in, n, 16);
            ns.mode = readInts(in, n, 16);
            ns.uid = readInts(in, n, 16);
            ns.gid = readInts(in, n, 16);
            ns.aux = readInts(in, n, 16);
            ns.nameAt = readInts(in, n, 16);
            ns.nameHash = readInts(in, n, 16);
            ns.names = readBytes(in, ANY, 1024);
            ns.namesUsed = ns.names.length - 1024;
            ns.fmaps = readLongs(in, ANY, 1024);
            ns.fmapsUsed = ns.fmaps.length - 1024;
            int d = in.readInt();
            ns.dirCount = d;
            ns.dirNode = readInts(in, d, 16);
            ns.dirPathHash = readInts(in, d, 16);
            ns.dirPathAt = readInts(in, d, 16);
            ns.firstChild = readInts(in, d, 16);
            ns.lastChild = readInts(in, d, 16);
            ns.childCount = readInts(in, d, 16);
            ns.dirPathLen = readBytes(in, d, 16);
            ns.childTable = new int[d + 16][];
            for (int i = 0; i < d; i++) {
                int[] table = readInts(in, ANY, 0);
                ns.childTable[i] = table.length == 0 ? null : table;
            }
            ns.dirPaths = readBytes(in, ANY, 1024);
            ns.dirPathsUsed = ns.dirPaths.length - 1024;
            ns.dirTable = readInts(in, ANY, 0);
            if (Integer.bitCount(ns.dirTable.length) != 1) {
                throw new FamfsException(
                        ErrorCode.CORRUPT, "namespace snapshot: a directory table of " + ns.dirTable.length);
            }
            ns.lastParent = in.readInt();
            ns.nextIndex = in.readLong();
            ns.fileEntries = in.readLong();
            ns.dirEntries = in.readLong();
            ns.sumFileSizes = in.readLong();
            ns.filesCreated = in.readLong();
            ns.dirsCreated = in.readLong();
            ns.filesExisted = in.readLong();
            ns.dirsExisted = in.readLong();
            ns.ignoredEntries = in.readLong();
            ns.badEntryCount = in.readLong();
            for (int i = in.readInt(); i > 0; i--) {
                ns.skipped.add(new SkippedEntry(in.readLong(), SkipReason.valueOf(in.readUTF()), in.readUTF()));
            }
            for (int i = in.readInt(); i > 0; i--) {
                ns.flaggedIds.add(in.readInt());
            }
            for (int i = in.readInt(); i > 0; i--) {
                ns.flagDetails.put(in.readInt(), in.readUTF());
            }
            for (int i = in.readInt(); i > 0; i--) {
                ns.collidingEntries.add(in.readLong());
            }
            for (int i = in.readInt(); i > 0; i--) {
                ns.badEntries.add(new FormatException(FormatError.valueOf(in.readUTF()), in.readLong(), in.readUTF()));
            }
            ns.space.readSnapshot(in);
            return ns;
        } catch (IllegalArgumentException | NegativeArraySizeException | java.io.EOFException e) {
            throw new FamfsException(ErrorCode.CORRUPT, "namespace snapshot does not decode: " + e.getMessage(), e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] a, int n) throws IOException {
        out.writeInt(n);
        out.write(a, 0, n);
    }

    /** A column's length may be anything (within reason). */
    private static final int ANY = -1;

    /** A column's length, {@code expected} unless that is {@link #ANY}; bounded, so junk cannot ask for 2 GiB. */
    private static int columnLength(DataInputStream in, int expected) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > Integer.MAX_VALUE / 16 || (expected != ANY && len != expected)) {
            throw new FamfsException(
                    ErrorCode.CORRUPT,
                    "namespace snapshot: a column of " + len + (expected == ANY ? "" : ", not " + expected));
        }
        return len;
    }

    /** A column of {@code expected} (or {@link #ANY}) bytes, in an array {@code extra} longer. */
    private static byte[] readBytes(DataInputStream in, int expected, int extra) throws IOException {
        int n = columnLength(in, expected);
        byte[] a = new byte[n + extra];
        in.readFully(a, 0, n);
        return a;
    }

    private static void writeInts(DataOutputStream out, int[] a, int n) throws IOException {
        out.writeInt(n);
        java.nio.ByteBuffer b =
                java.nio.ByteBuffer.allocate(4 * Math.min(n, 1 << 16)).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < n; ) {
            int k = Math.min(n - at, 1 << 16);
            b.clear();
            b.asIntBuffer().put(a, at, k);
            out.write(b.array(), 0, 4 * k);
            at += k;
        }
    }

    private static int[] readInts(DataInputStream in, int expected, int extra) throws IOException {
        int n = columnLength(in, expected);
        int[] a = new int[n + extra];
        byte[] buf = new byte[4 * Math.min(n, 1 << 16)];
        for (int at = 0; at < n; ) {
            int k = Math.min(n - at, 1 << 16);
            in.readFully(buf, 0, 4 * k);
            java.nio.ByteBuffer.wrap(buf, 0, 4 * k)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asIntBuffer()
                    .get(a, at, k);
            at += k;
        }
        return a;
    }

    private static void writeLongs(DataOutputStream out, long[] a, int n) throws IOException {
        out.writeInt(n);
        java.nio.ByteBuffer b =
                java.nio.ByteBuffer.allocate(8 * Math.min(n, 1 << 16)).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < n; ) {
            int k = Math.min(n - at, 1 << 16);
            b.clear();
            b.asLongBuffer().put(a, at, k);
            out.write(b.array(), 0, 8 * k);
            at += k;
        }
    }

    private static long[] readLongs(DataInputStream in, int expected, int extra) throws IOException {
        int n = columnLength(in, expected);
        long[] a = new long[n + extra];
        byte[] buf = new byte[8 * Math.min(n, 1 << 16)];
        for (int at = 0; at < n; ) {
            int k = Math.min(n - at, 1 << 16);
            in.readFully(buf, 0, 8 * k);
            java.nio.ByteBuffer.wrap(buf, 0, 8 * k)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asLongBuffer()
                    .get(a, at, k);
            at += k;
        }
        return a;
    }

    // ---- queries ----

    /** The node at {@code path} ("" is the root), or null. */
    public Node get(String path) {
        if (path.isEmpty()) {
            return root();
        }
        if (RelPath.check(path) != null) {
            return null; // replay never creates a node at an invalid path
        }
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        int id = lookup(bytes, 0, bytes.length);
        return id == 0 ? null : node(id);
    }

    public DirNode root() {
        return (DirNode) node(0);
    }

    /** The children of directory node {@code id}, in log order. */
    List<Node> children(int id) {
        List<Node> list = new ArrayList<>();
        for (int c = firstChild[aux[id]]; c != 0; c = nextSibling[c]) {
            list.add(node(c));
        }
        return list;
    }

    private String dirPath(int ord) {
        return RelPath.decode(dirPaths, dirPathAt[ord], dirPathLen[ord] & 0xff);
    }

    private Node node(int id) {
        if (kind[id] == DIR) {
            return new DirNode(this, id, dirPath(aux[id]), index[id], mode[id], uid[id], gid[id]);
        }
        String name = RelPath.decode(names, nameAt[id], nameLen[id] & 0xff);
        String parentPath = dirPath(aux[parent[id]]);
        int at = aux[id];
        return new FileNode(
                parentPath.isEmpty() ? name : parentPath + "/" + name,
                index[id],
                fmaps[at + 1],
                (int) (fmaps[at] >>> 32),
                mode[id],
                uid[id],
                gid[id],
                fmapOf(at),
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

    /** The first bad entries stepped over by SKIP_BAD passes (fsck); empty after STOP_AT_BAD replays. */
    public List<FormatException> badEntries() {
        return Collections.unmodifiableList(badEntries);
    }

    /** How many bad entries SKIP_BAD passes stepped over. */
    public long badEntryCount() {
        return badEntryCount;
    }
}
