package io.famfs.meta.format;

import io.famfs.meta.error.ErrorCode;

/** Why on-media metadata was refused. Entry errors carry the log index. */
public enum FormatError {
    /** The mapping is shorter than the metadata needs: 200 bytes, or 2 MiB + log_len (a dd_size past it: SB_BAD_DEV_SIZE). */
    DEVICE_TOO_SMALL(ErrorCode.CORRUPT, "device too small"),
    SB_BAD_MAGIC(ErrorCode.CORRUPT, "bad superblock magic"),
    SB_UNSUPPORTED_VERSION(ErrorCode.UNSUPPORTED, "unsupported famfs version"),
    SB_CRC_MISMATCH(ErrorCode.CORRUPT, "superblock CRC mismatch"),
    SB_BAD_ALLOC_UNIT(ErrorCode.CORRUPT, "bad allocation unit"),
    SB_BAD_LOG_OFFSET(ErrorCode.CORRUPT, "bad log offset"),
    SB_BAD_LOG_LEN(ErrorCode.CORRUPT, "bad log length"),
    SB_BAD_DEV_SIZE(ErrorCode.CORRUPT, "bad device size (dd_size)"),
    UNSUPPORTED_V47_LAYOUT(ErrorCode.UNSUPPORTED, "unsupported famfs v47 layout"),
    LOG_BAD_MAGIC(ErrorCode.CORRUPT, "bad log magic"),
    LOG_CRC_MISMATCH(ErrorCode.CORRUPT, "log header CRC mismatch"),
    LOG_LEN_MISMATCH(ErrorCode.CORRUPT, "log length differs from the superblock's"),
    LOG_BAD_LAST_INDEX(ErrorCode.CORRUPT, "bad log last_index"),
    LOG_NEXT_INDEX_OUT_OF_RANGE(ErrorCode.CORRUPT, "log next_index beyond last_index + 1"),
    ENTRY_SEQNUM_MISMATCH(ErrorCode.CORRUPT, "log entry seqnum differs from its index"),
    ENTRY_CRC_MISMATCH(ErrorCode.CORRUPT, "log entry CRC mismatch"),
    /** CRC-valid bytes that cannot be a famfs entry: unknown extent type, too many extents or strips. */
    ENTRY_MALFORMED(ErrorCode.CORRUPT, "malformed log entry");

    private final ErrorCode code;
    private final String summary;

    FormatError(ErrorCode code, String summary) {
        this.code = code;
        this.summary = summary;
    }

    public ErrorCode code() {
        return code;
    }

    public String summary() {
        return summary;
    }

    public boolean isEntryError() {
        return this == ENTRY_SEQNUM_MISMATCH || this == ENTRY_CRC_MISMATCH || this == ENTRY_MALFORMED;
    }
}
