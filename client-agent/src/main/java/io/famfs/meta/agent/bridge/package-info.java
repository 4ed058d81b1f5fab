/**
 * The agent's local Unix-socket protocol for the host's FUSE bridge (docs/bridge-protocol.md): the frame layouts
 * ({@link io.famfs.meta.agent.bridge.BridgeProtocolDescriptor}), the attr and directory-page codecs, the server that
 * validates requests before a {@link io.famfs.meta.agent.bridge.BridgeHandler} sees them, and a blocking client.
 */
package io.famfs.meta.agent.bridge;
