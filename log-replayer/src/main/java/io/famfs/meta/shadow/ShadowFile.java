package io.famfs.meta.shadow;

import io.famfs.meta.format.Fmap;

/** A parsed shadow YAML file: the values famfs_fused reads from it. */
public record ShadowFile(String path, long size, long flags, long mode, long uid, long gid, long nextents, Fmap fmap) {}
