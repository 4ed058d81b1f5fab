package io.famfs.meta.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared folder beside the checkout (golden images, docs), found through the famfs.shared property. */
public final class SharedData {
    private SharedData() {}

    /** ../shared; a missing folder fails the test (never skips it). */
    public static Path root() {
        String prop = System.getProperty("famfs.shared");
        if (prop == null) {
            throw new IllegalStateException("system property famfs.shared is not set (the parent pom sets it)");
        }
        Path p = Path.of(prop).toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("golden"))) {
            throw new IllegalStateException(
                    "shared data folder missing: " + p + " (../shared must sit beside the checkout)");
        }
        return p;
    }

    public static Path golden() {
        return root().resolve("golden");
    }
}
