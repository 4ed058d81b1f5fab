package io.famfs.meta.cli;

/**
 * Marks a command that takes its settings in layers (see {@link ConfigDefaults}): it declares a {@code --config FILE}
 * option, and the launcher gives it a {@link ConfigDefaults} before parsing.
 */
public interface Configurable {}
