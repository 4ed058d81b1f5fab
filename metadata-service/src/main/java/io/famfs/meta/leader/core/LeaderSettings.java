package io.famfs.meta.leader.core;

import io.famfs.meta.device.Device;
import io.famfs.meta.leader.alloc.InterleaveParams;
import io.famfs.meta.log.AppendHook;
import java.nio.file.Path;

/**
 * What the leader core needs to start.
 *
 * @param defaultInterleave striping for creates that name none (all zero: contiguous)
 * @param bucketSeed orders the bucket visits of interleaved allocations (tests fix it)
 * @param appendHook observes every append step (production: {@link AppendHook#NONE}; crash tests stop the process)
 */
public record LeaderSettings(
        Path device,
        Device.Options deviceOptions,
        Path stateDir,
        Path systemUuidFile,
        boolean takeOwnership,
        boolean skipBadEntries,
        InterleaveParams defaultInterleave,
        long bucketSeed,
        AppendHook appendHook) {}
