package io.famfs.meta.leader.core;

import io.famfs.meta.leader.alloc.InterleaveParams;

/**
 * A file to create, validated ({@code api.Requests} builds these): the relpath passed {@code RelPath}, size > 0,
 * permission bits only.
 *
 * @param interleave the striping to use (the request's or the leader's default), or null for contiguous
 * @param parents create missing parent directories
 */
public record FileSpec(
        String path, long size, int mode, int uid, int gid, InterleaveParams interleave, boolean parents) {}
