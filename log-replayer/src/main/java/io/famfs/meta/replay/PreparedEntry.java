package io.famfs.meta.replay;

import io.famfs.meta.format.RelPath;

/**
 * What the first phase of applying an entry ({@link Namespace#prepare}) learned, for the second ({@link
 * Namespace#insert}): the entry's bytes, its path analysed and hashed, the flags its extents earned. Reused from
 * entry to entry.
 */
final class PreparedEntry {
    /** The validated 544 bytes being applied. */
    byte[] entry;

    long index;
    int type;
    /** Offset of the relpath field in the entry, and the path's length (up to the NUL). */
    int pathOffset;

    int pathLength;
    RelPath.Problem problem;
    /** Position of the last '/' in the path (-1 for a top-level name), and the hash of the name after it. */
    int lastSlash;

    int nameHash;
    boolean offsetZero;
    boolean collided;
    int flags;
    String flagDetail;
}
