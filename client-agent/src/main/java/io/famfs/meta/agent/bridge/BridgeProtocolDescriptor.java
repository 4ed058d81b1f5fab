package io.famfs.meta.agent.bridge;

/**
 * Frame layouts of the agent's local bridge protocol (docs/bridge-protocol.md): requests from the host's FUSE bridge,
 * replies from the agent, over a Unix stream socket. Every integer is little-endian.
 *
 * <p>Request frame (at most {@link #MAX_REQUEST_FRAME} bytes, the length field included):
 *
 * <pre>
 *   0               4       6       8                              16
 *   +---------------+-------+-------+-------------------------------+------------------
 *   | length (u32)  | op    | flags | tag (u64, echoed in the reply)| payload ...
 *   | bytes after   | (u16) | (u16, |                               | (length - 12 bytes)
 *   | this field    |       |  0)   |                               |
 *   +---------------+-------+-------+-------------------------------+------------------
 * </pre>
 *
 * <p>Reply frame (at most {@link #MAX_REPLY_FRAME} bytes): the request's op and tag, an errno (0: ok), then the payload
 * (on an error: an optional UTF-8 text of at most {@link #MAX_ERROR_TEXT} bytes). The header is 24 bytes so that
 * payloads start 8-byte aligned.
 *
 * <pre>
 *   0               4       6       8                              16              20              24
 *   +---------------+-------+-------+-------------------------------+---------------+---------------+---------
 *   | length (u32)  | op    | flags | tag (u64)                     | errno (i32)   | reserved (0)  | payload
 *   +---------------+-------+-------+-------------------------------+---------------+---------------+---------
 * </pre>
 *
 * <p>Op payloads (request / ok reply):
 *
 * <pre>
 *   HELLO      0  request: version u32 @0 (the highest the client speaks; 4 bytes exactly)
 *                 reply:   version u32 @0 (the one both use) | max request frame u32 @4 | max reply frame u32 @8 |
 *                          reserved u32 @12 | identity @16 .. end (opaque bytes: the view's identity and generation)
 *   LOOKUP     1  request: path                        reply: attr (BridgeAttrDescriptor, 32 bytes)
 *   GETATTR    2  request: path                        reply: attr
 *   READDIR    3  request: cookie u64 @0 | budget u32 @8 | reserved u32 @12 (0) | path @16 .. end
 *                 reply:   a page of entries (BridgeDirentsDescriptor), at most budget bytes
 *   GET_FMAP   4  request: path                        reply: the V9 GET_FMAP reply bytes
 *   GET_DAXDEV 5  request: index u32 @0 (4 bytes)      reply: the 280-byte fuse_daxdev_out
 * </pre>
 *
 * <p>A path is UTF-8, relative to the mount point, without a NUL: "" is the root, otherwise components joined by single
 * '/' with no empty, "." or ".." component and no leading or trailing '/'; at most {@link #MAX_PATH_BYTES} bytes.
 */
public final class BridgeProtocolDescriptor {
    private BridgeProtocolDescriptor() {}

    /** The protocol version this code speaks (HELLO). */
    public static final int VERSION = 1;

    public static final int LENGTH_OFFSET = 0;
    public static final int OP_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int TAG_OFFSET = 8;
    public static final int REQUEST_HEADER_LENGTH = 16;
    public static final int ERRNO_OFFSET = 16;
    public static final int REPLY_RESERVED_OFFSET = 20;
    public static final int REPLY_HEADER_LENGTH = 24;

    /** The bytes of the length field, which the length does not count. */
    public static final int LENGTH_FIELD = 4;

    public static final int MAX_REQUEST_FRAME = 8 * 1024;
    public static final int MAX_REPLY_FRAME = 1024 * 1024;
    public static final int MAX_REQUEST_PAYLOAD = MAX_REQUEST_FRAME - REQUEST_HEADER_LENGTH;
    public static final int MAX_REPLY_PAYLOAD = MAX_REPLY_FRAME - REPLY_HEADER_LENGTH;
    /** Linux's PATH_MAX. */
    public static final int MAX_PATH_BYTES = 4096;
    /** An error reply's text is cut to this many bytes (at a character boundary). */
    public static final int MAX_ERROR_TEXT = 1024;

    public static final int OP_HELLO = 0;
    public static final int OP_LOOKUP = 1;
    public static final int OP_GETATTR = 2;
    public static final int OP_READDIR = 3;
    public static final int OP_GET_FMAP = 4;
    public static final int OP_GET_DAXDEV = 5;
    /** The number of ops: valid ops are 0 .. OP_COUNT - 1. */
    public static final int OP_COUNT = 6;

    public static final int HELLO_VERSION_OFFSET = 0;
    public static final int HELLO_REQUEST_LENGTH = 4;
    public static final int HELLO_MAX_REQUEST_OFFSET = 4;
    public static final int HELLO_MAX_REPLY_OFFSET = 8;
    public static final int HELLO_RESERVED_OFFSET = 12;
    public static final int HELLO_IDENTITY_OFFSET = 16;

    public static final int READDIR_COOKIE_OFFSET = 0;
    public static final int READDIR_BUDGET_OFFSET = 8;
    public static final int READDIR_RESERVED_OFFSET = 12;
    public static final int READDIR_PATH_OFFSET = 16;
    /**
     * The smallest READDIR budget a client may ask for: room for the page header and one entry of a 255-byte name
     * (NAME_MAX), so every page makes progress. A budget of 0 means {@link #MAX_REPLY_PAYLOAD}.
     */
    public static final int READDIR_MIN_BUDGET = 512;

    public static final int DAXDEV_INDEX_OFFSET = 0;
    public static final int DAXDEV_REQUEST_LENGTH = 4;
    /** {@code struct fuse_daxdev_out} (famfs-format.md 10). */
    public static final int DAXDEV_REPLY_LENGTH = 280;

    /** The op's name ("LOOKUP"), or "op N" for an unknown one. */
    public static String opName(int op) {
        return switch (op) {
            case OP_HELLO -> "HELLO";
            case OP_LOOKUP -> "LOOKUP";
            case OP_GETATTR -> "GETATTR";
            case OP_READDIR -> "READDIR";
            case OP_GET_FMAP -> "GET_FMAP";
            case OP_GET_DAXDEV -> "GET_DAXDEV";
            default -> "op " + op;
        };
    }
}
