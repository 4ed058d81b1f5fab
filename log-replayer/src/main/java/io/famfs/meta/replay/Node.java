package io.famfs.meta.replay;

/** A namespace node: a directory or a file, created by the log entry at {@link #index()}. */
public sealed interface Node permits DirNode, FileNode {
    /** The relpath ("" for the root). */
    String path();

    /** The log index of the creating entry; -1 for the root. */
    long index();

    int mode();

    int uid();

    int gid();
}
