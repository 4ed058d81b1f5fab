/**
 * The per-host agent: {@code tail} follows the log in shared memory, {@code view} holds the validated view and its
 * identity (staleness), {@code bridge} serves fmaps to the host's FUSE bridge, {@code status} is the operator API,
 * {@code cli} the agent command. {@link io.famfs.meta.agent.RunningAgent} wires them.
 */
package io.famfs.meta.agent;
