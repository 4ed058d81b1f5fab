package io.famfs.meta.leader.core;

import java.util.List;

/** A change the log writer applies as a whole: every entry of it, or none. */
public sealed interface Op permits Op.CreateFiles, Op.Mkdir {
    /** The client's request id, or null. */
    String requestId();

    /** One file ({@code batch} false) or several; the answer's shape follows. */
    record CreateFiles(List<FileSpec> files, String requestId, boolean batch) implements Op {}

    record Mkdir(String path, int mode, int uid, int gid, boolean parents, String requestId) implements Op {}
}
