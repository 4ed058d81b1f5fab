package io.famfs.meta.agent.bridge;

/** The Linux errno values the bridge answers the kernel with (x86-64 numbering); the constant's name is its C name. */
public enum Errno {
    ENOENT(2),
    EIO(5),
    E2BIG(7),
    ENOTDIR(20),
    EINVAL(22),
    ENAMETOOLONG(36),
    ESTALE(116),
    EHWPOISON(133);

    private final int value;

    Errno(int value) {
        this.value = value;
    }

    /** The positive errno; a FUSE reply header carries its negation. */
    public int value() {
        return value;
    }
}
