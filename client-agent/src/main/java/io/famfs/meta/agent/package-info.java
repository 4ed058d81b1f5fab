/**
 * The per-host agent (issue "Per-host agent"): a tailer that follows the log in shared memory, a validated local
 * view cached in RocksDB, staleness detection, and the fmap socket for the FUSE bridge. Not built yet.
 */
package io.famfs.meta.agent;
