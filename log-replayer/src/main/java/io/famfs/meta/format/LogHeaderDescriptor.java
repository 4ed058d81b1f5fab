package io.famfs.meta.format;

/**
 * Byte layout of the log header {@code struct famfs_log} (48 bytes at the start of the log, device offset 2 MiB;
 * famfs-format.md 1.3), followed by the entries.
 *
 * <pre>
 *   0                               8
 *   +-------------------------------+
 *   | famfs_log_magic  0xbadcafef00d| 0x00 -.
 *   | famfs_log_len                 | 0x08  | CRC-32 of [0, 0x18); never change after mkfs
 *   | famfs_log_last_index          | 0x10 -'  (inclusive: floor((log_len - 48) / 544) - 1)
 *   | famfs_log_crc (u64)           | 0x18
 *   | famfs_log_next_seqnum         | 0x20  published first (release)
 *   | famfs_log_next_index          | 0x28  published last (release): the count of valid entries
 *   +-------------------------------+ 0x30
 *   | entries[i] at 48 + 544 * i    |
 * </pre>
 */
public final class LogHeaderDescriptor {
    private LogHeaderDescriptor() {}

    public static final int MAGIC_OFFSET = 0;
    public static final int LEN_OFFSET = 8;
    public static final int LAST_INDEX_OFFSET = 16;
    public static final int CRC_OFFSET = 24;
    public static final int NEXT_SEQNUM_OFFSET = 32;
    public static final int NEXT_INDEX_OFFSET = 40;

    public static final int CRC_COVERED = CRC_OFFSET;
    public static final int LENGTH = 48;

    /** Inclusive last index of a log of {@code logLen} bytes. */
    public static long lastIndexFor(long logLen) {
        return (logLen - LENGTH) / LogEntryDescriptor.LENGTH - 1;
    }

    /** Offset of entry {@code index} from the start of the log. */
    public static long entryOffset(long index) {
        return LENGTH + index * LogEntryDescriptor.LENGTH;
    }
}
