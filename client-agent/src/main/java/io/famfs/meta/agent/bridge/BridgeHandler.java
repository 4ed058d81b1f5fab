package io.famfs.meta.agent.bridge;

/**
 * What answers the bridge protocol's requests: the agent's view behind the server. The server calls it only with
 * requests it has validated (docs/bridge-protocol.md): a path is "" (the root) or a clean relative path of at most 4096
 * bytes of UTF-8 without NUL, and the other arguments are in range. It may be called from many connection threads at
 * once, and each call may block.
 *
 * <p>A method answers with a value, or with an errno by throwing {@link BridgeException}. Any other exception becomes
 * EIO (and its text is not sent).
 */
public interface BridgeHandler {

    /** HELLO: opaque bytes naming the view served (its identity and generation), at most 1 MiB - 40 bytes. */
    byte[] identity() throws BridgeException;

    /** LOOKUP: the attributes of {@code path} (ENOENT when there is none). */
    BridgeAttr lookup(String path) throws BridgeException;

    /** GETATTR: the attributes of {@code path}. */
    BridgeAttr getattr(String path) throws BridgeException;

    /**
     * READDIR: the entries of directory {@code path} after {@code cookie} (0: from the start), as many as fit in
     * {@code budget} bytes ({@link BridgeDirents#builder}). Cookies are the handler's own; they should stay valid
     * while the directory grows (famfs never removes an entry), e.g. an entry's position in log order.
     *
     * @param budget at least {@link BridgeProtocolDescriptor#READDIR_MIN_BUDGET}, at most the largest reply payload
     */
    BridgeDirents readdir(String path, long cookie, int budget) throws BridgeException;

    /** GET_FMAP: the V9 GET_FMAP reply of file {@code path}, at most 1 MiB - 24 bytes (opaque to the server). */
    byte[] getFmap(String path) throws BridgeException;

    /**
     * GET_DAXDEV: the 280-byte {@code fuse_daxdev_out} of daxdev {@code index}.
     *
     * @param index 0 to 2^31 - 1 (larger values are refused with EINVAL before this is called)
     */
    byte[] getDaxdev(int index) throws BridgeException;
}
