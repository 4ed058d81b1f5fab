package io.famfs.meta.cli;

import java.util.List;

/**
 * A module's commands, found by the launcher through {@link java.util.ServiceLoader}: each module owns its commands
 * (device commands in log-replayer, leader and client commands in metadata-service, agent commands in client-agent)
 * and registers them in {@code META-INF/services/io.famfs.meta.cli.CommandModule}.
 */
public interface CommandModule {
    /** The Maven module that owns the commands, e.g. {@code log-replayer}. */
    String module();

    /** A heading for {@code --help}, e.g. {@code Device commands}. */
    String title();

    /** Where this group sorts in {@code --help} (lower first). */
    int order();

    /** picocli command objects (classes annotated with {@code @Command}). */
    List<Object> commands();
}
