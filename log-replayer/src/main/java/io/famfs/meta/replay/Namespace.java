package io.famfs.meta.replay;

import io.famfs.meta.format.AddDaxdevEntry;
import io.famfs.meta.format.Extent;
import io.famfs.meta.format.Famfs;
import io.famfs.meta.format.FileEntry;
import io.famfs.meta.format.FormatException;
import io.famfs.meta.format.InterleavedExtent;
import io.famfs.meta.format.InterleavedFmap;
import io.famfs.meta.format.LogEntry;
import io.famfs.meta.format.MkdirEntry;
import io.famfs.meta.format.RelPath;
import io.famfs.meta.format.UnknownEntry;
import io.famfs.meta.log.FamfsVolume;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The namespace a log replays into: directories and files with their logged attributes and maps, the allocation
 * bitmap of every valid file entry, and what replay skipped or flagged. The home of the replay rules ({@link #apply}).
 *
 * <p>Incremental: {@link #nextIndex()} is the next entry to apply. Not thread-safe; one replayer owns it.
 */
public final class Namespace {
    private final long devSize;
    private final long dataStart;
    private final SpaceMap space;
    private final DirNode root = new DirNode(null);
    private final HashMap<String, Node> byPath;

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
    private final List<FileNode> flagged = new ArrayList<>();
    private final List<FormatException> badEntries = new ArrayList<>();

    /**
     * An empty namespace for a file system of {@code devSize} bytes whose data starts at {@code dataStart} (2 MiB +
     * log_len); {@code expectedNodes} sizes the path table.
     */
    public Namespace(long devSize, long dataStart, long expectedNodes) {
        this.devSize = devSize;
        this.dataStart = dataStart;
        this.space = new SpaceMap(devSize, dataStart);
        this.byPath = HashMap.newHashMap((int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, expectedNodes)));
    }

    /** An empty namespace for {@code volume}, sized for its current entry count. */
    public static Namespace forVolume(FamfsVolume volume) {
        return new Namespace(volume.devSize(), volume.superblock().dataStart(), volume.readNextIndex());
    }

    /**
     * Applies the valid entry {@code index}: famfs's replay rules, plus our stricter checks.
     *
     * <ul>
     *   <li>Every FILE entry counts and marks its extents in the bitmap, as famfs's bitmap build does, whatever
     *       happens to its path.
     *   <li>A relpath that breaks {@link RelPath}, a file with an extent at offset 0, a missing parent or a parent
     *       that is a file, or a path taken by the other kind: skipped and recorded with its index.
     *   <li>The first entry for a path wins; later ones count as "existed".
     *   <li>A created file is flagged when an extent is misaligned, outside [2 MiB + log_len, dd_size), over space an
     *       earlier file entry holds, or when its extents cover less than its size.
     *   <li>ADD_DAXDEV and unknown types are ignored, as famfs's logplay ignores them.
     * </ul>
     */
    public void apply(long index, LogEntry entry) {
        switch (entry) {
            case FileEntry f -> applyFile(index, f);
            case MkdirEntry m -> applyMkdir(index, m);
            case AddDaxdevEntry d -> ignoredEntries++;
            case UnknownEntry u -> ignoredEntries++;
        }
        nextIndex = index + 1;
    }

    /** Records a bad entry that a {@code SKIP_BAD} pass stepped over. */
    public void skipBad(FormatException error) {
        badEntries.add(error);
        nextIndex = Math.max(nextIndex, error.index() + 1);
    }

    /** Moves the resume point without applying anything (the end of a pass that read no entries). */
    void advanceTo(long index) {
        nextIndex = Math.max(nextIndex, index);
    }

    private void applyFile(long index, FileEntry f) {
        fileEntries++;
        sumFileSizes += f.size();
        List<Extent> data = f.fmap().dataExtents();
        int flags = 0;
        StringBuilder why = null;
        long covered = 0;
        boolean offsetZero = false;
        for (int i = 0; i < data.size(); i++) {
            Extent e = data.get(i);
            offsetZero |= e.offset() == 0;
            boolean inBounds = e.devIndex() == 0 && e.offset() >= dataStart && e.end() <= devSize;
            long hits = e.devIndex() == 0 ? space.mark(e.offset(), e.length()) : 0;
            int raised = 0;
            if (!Famfs.isAuAligned(e.offset()) || !Famfs.isAuAligned(e.length())) {
                raised |= FileFlag.MISALIGNED.bit();
            }
            if (!inBounds) {
                raised |= FileFlag.OUT_OF_BOUNDS.bit();
            } else if (hits > 0) {
                raised |= FileFlag.OVERLAP.bit();
            }
            if ((raised & ~flags) != 0) {
                why = explain(
                        why,
                        raised & ~flags,
                        String.format(
                                "extent %d (dev %d, offset 0x%x, length 0x%x)",
                                i, e.devIndex(), e.offset(), e.length()));
                flags |= raised;
            }
            covered = e.length() < 0 || covered + e.length() < 0 ? Long.MAX_VALUE : covered + e.length();
        }
        if (f.fmap() instanceof InterleavedFmap interleaved) {
            for (InterleavedExtent ie : interleaved.extents()) {
                if (ie.chunkSize() <= 0 || !Famfs.isAuAligned(ie.chunkSize())) {
                    if ((flags & FileFlag.MISALIGNED.bit()) == 0) {
                        why = explain(why, FileFlag.MISALIGNED.bit(), String.format("chunk size 0x%x", ie.chunkSize()));
                    }
                    flags |= FileFlag.MISALIGNED.bit();
                }
            }
        }
        if (Long.compareUnsigned(covered, f.size()) < 0) {
            why = explain(why, FileFlag.SHORT_MAP.bit(), "extents cover " + covered + " of " + f.size() + " bytes");
            flags |= FileFlag.SHORT_MAP.bit();
        }

        if (f.pathProblem() != null) {
            skip(index, SkipReason.BAD_PATH, f.pathProblem().text());
            return;
        }
        if (offsetZero) {
            skip(index, SkipReason.EXTENT_AT_OFFSET_ZERO, f.relpath());
            return;
        }
        DirNode parent = parentOf(index, f.relpath());
        if (parent == null) {
            return;
        }
        Node existing = byPath.get(f.relpath());
        if (existing instanceof DirNode) {
            skip(index, SkipReason.PATH_IS_DIRECTORY, f.relpath());
            return;
        }
        if (existing != null) {
            filesExisted++;
            return;
        }
        FileNode node = new FileNode(f, flags, why == null ? null : why.toString());
        byPath.put(f.relpath(), node);
        parent.add(node);
        filesCreated++;
        if (flags != 0) {
            flagged.add(node);
        }
    }

    private void applyMkdir(long index, MkdirEntry m) {
        dirEntries++;
        if (m.pathProblem() != null) {
            skip(index, SkipReason.BAD_PATH, m.pathProblem().text());
            return;
        }
        DirNode parent = parentOf(index, m.relpath());
        if (parent == null) {
            return;
        }
        Node existing = byPath.get(m.relpath());
        if (existing instanceof FileNode) {
            skip(index, SkipReason.PATH_IS_FILE, m.relpath());
            return;
        }
        if (existing != null) {
            dirsExisted++;
            return;
        }
        DirNode node = new DirNode(m);
        byPath.put(m.relpath(), node);
        parent.add(node);
        dirsCreated++;
    }

    /** The parent directory of {@code path}, or null after recording why the entry is skipped. */
    private DirNode parentOf(long index, String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return root;
        }
        Node parent = byPath.get(path.substring(0, slash));
        if (parent instanceof DirNode dir) {
            return dir;
        }
        skip(index, parent == null ? SkipReason.PARENT_MISSING : SkipReason.PARENT_NOT_DIRECTORY, path);
        return null;
    }

    private void skip(long index, SkipReason reason, String detail) {
        skipped.add(new SkippedEntry(index, reason, detail));
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

    /** The node at {@code path} ("" is the root), or null. */
    public Node get(String path) {
        return path.isEmpty() ? root : byPath.get(path);
    }

    public DirNode root() {
        return root;
    }

    /** Every node but the root, in no particular order. */
    public Map<String, Node> nodes() {
        return Collections.unmodifiableMap(byPath);
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

    public List<FileNode> flagged() {
        return Collections.unmodifiableList(flagged);
    }

    /** Bad entries stepped over by SKIP_BAD passes (fsck); empty after STOP_AT_BAD replays. */
    public List<FormatException> badEntries() {
        return Collections.unmodifiableList(badEntries);
    }
}
