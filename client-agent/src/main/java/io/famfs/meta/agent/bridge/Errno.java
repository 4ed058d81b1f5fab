package io.famfs.meta.agent.bridge;

/**
 * The one table of the Linux errno values the bridge answers with (x86-64 numbering), to the kernel (GET_FMAP) and on
 * the agent's socket; the constant's name is its C name.
 */
public enum Errno {
    ENOENT(2),
    EIO(5),
    E2BIG(7),
    ENOTDIR(20),
    EINVAL(22),
    ENAMETOOLONG(36),
    ENOSYS(38),
    EPROTO(71),
    ESTALE(116),
    EHWPOISON(133);

    private final int value;

    Errno(int value) {
        this.value = value;
    }

    /** The errno field of a successful bridge reply. */
    public static final int OK = 0;

    /** The positive errno; a FUSE reply header carries its negation. */
    public int value() {
        return value;
    }

    /** The C name of {@code errno} ("OK" for 0, "errno N" for one not listed here). */
    public static String name(int errno) {
        if (errno == OK) {
            return "OK";
        }
        for (Errno e : values()) {
            if (e.value == errno) {
                return e.name();
            }
        }
        return "errno " + errno;
    }
}
