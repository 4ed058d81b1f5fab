/**
 * The per-host agent: {@code tail} follows the log in shared memory, {@code view} holds the validated view, its
 * identity (staleness) and its RocksDB cache, {@code bridge} serves the view to the host's FUSE bridge over a Unix
 * socket (GET_FMAP in the V9 kernel's format), {@code link} reports to the leader, {@code status} is the operator API,
 * {@code cli} the agent command and the demo. {@link io.famfs.meta.agent.RunningAgent} wires them.
 */
package io.famfs.meta.agent;
