package io.famfs.meta.leader.cli;

import com.sun.security.auth.module.UnixSystem;
import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;

/** Owner and group of what the client commands create: given, or the caller's (as famfs creat does). */
final class Ids {
    private Ids() {}

    private static final UnixSystem SELF = new UnixSystem();

    static long uid() {
        return SELF.getUid();
    }

    static long gid() {
        return SELF.getGid();
    }

    /** {@code given}, or {@code caller}: an unsigned 32-bit id. */
    static int id(Long given, long caller, String option) {
        long id = given == null ? caller : given;
        if (id < 0 || id > 0xFFFF_FFFFL) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, option + " must be 0 to 4294967295, not " + id);
        }
        return (int) id;
    }
}
