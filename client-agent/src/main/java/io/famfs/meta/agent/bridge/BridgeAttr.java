package io.famfs.meta.agent.bridge;

import java.nio.ByteBuffer;

/**
 * A file's or directory's attributes as LOOKUP and GETATTR send them (layout: {@link BridgeAttrDescriptor}).
 *
 * @param kind {@link BridgeAttrDescriptor#KIND_FILE} or {@link BridgeAttrDescriptor#KIND_DIR}
 * @param mode permission bits only (at most 07777)
 * @param uid unsigned 32 bits
 * @param gid unsigned 32 bits
 * @param size bytes (unsigned 64 bits; 0 for a directory)
 * @param logIndex the index of the log entry that made it; {@link BridgeAttrDescriptor#ROOT_LOG_INDEX} for the root
 */
public record BridgeAttr(int kind, int mode, int uid, int gid, long size, long logIndex) {
    public BridgeAttr {
        if (kind != BridgeAttrDescriptor.KIND_FILE && kind != BridgeAttrDescriptor.KIND_DIR) {
            throw new IllegalArgumentException("attr kind must be 4 (directory) or 8 (file), not " + kind);
        }
        if ((mode & ~BridgeAttrDescriptor.MODE_MASK) != 0) {
            throw new IllegalArgumentException(
                    "attr mode must hold permission bits only, not 0" + Integer.toOctalString(mode));
        }
    }

    public boolean isDirectory() {
        return kind == BridgeAttrDescriptor.KIND_DIR;
    }

    /** Writes the 32 bytes at {@code out}'s position (little-endian whatever its order) and advances it. */
    public void encode(ByteBuffer out) {
        int at = out.position();
        ByteBuffer le = Wire.littleEndian(out);
        le.putShort(at + BridgeAttrDescriptor.KIND_OFFSET, (short) kind);
        le.putShort(at + BridgeAttrDescriptor.RESERVED_OFFSET, (short) 0);
        le.putInt(at + BridgeAttrDescriptor.MODE_OFFSET, mode);
        le.putInt(at + BridgeAttrDescriptor.UID_OFFSET, uid);
        le.putInt(at + BridgeAttrDescriptor.GID_OFFSET, gid);
        le.putLong(at + BridgeAttrDescriptor.SIZE_OFFSET, size);
        le.putLong(at + BridgeAttrDescriptor.LOG_INDEX_OFFSET, logIndex);
        out.position(at + BridgeAttrDescriptor.LENGTH);
    }

    /**
     * Reads the 32 bytes at {@code in}'s position and advances it.
     *
     * @throws IllegalArgumentException fewer than 32 bytes, an unknown kind or mode bits beyond 07777
     */
    public static BridgeAttr decode(ByteBuffer in) {
        if (in.remaining() < BridgeAttrDescriptor.LENGTH) {
            throw new IllegalArgumentException(
                    "attr needs " + BridgeAttrDescriptor.LENGTH + " bytes, has " + in.remaining());
        }
        int at = in.position();
        ByteBuffer le = Wire.littleEndian(in);
        BridgeAttr attr = new BridgeAttr(
                Short.toUnsignedInt(le.getShort(at + BridgeAttrDescriptor.KIND_OFFSET)),
                le.getInt(at + BridgeAttrDescriptor.MODE_OFFSET),
                le.getInt(at + BridgeAttrDescriptor.UID_OFFSET),
                le.getInt(at + BridgeAttrDescriptor.GID_OFFSET),
                le.getLong(at + BridgeAttrDescriptor.SIZE_OFFSET),
                le.getLong(at + BridgeAttrDescriptor.LOG_INDEX_OFFSET));
        in.position(at + BridgeAttrDescriptor.LENGTH);
        return attr;
    }
}
