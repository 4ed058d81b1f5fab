package io.famfs.meta.agent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.famfs.meta.cli.Cli;
import io.famfs.meta.testing.TestDevice;

/** A new file system on a test device that agents may be following: {@code famfs-meta mkfs --force}, in process. */
public final class Remake {
    private Remake() {}

    public static void mkfs(TestDevice dev) {
        Cli.Run mkfs = Cli.run(
                "mkfs",
                "--force",
                "--device",
                dev.path().toString(),
                "--system-uuid-file",
                dev.dir().resolve("system_uuid").toString());
        assertEquals(0, mkfs.exit(), mkfs::toString);
    }
}
