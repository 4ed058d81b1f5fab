package io.famfs.meta.cli;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The configuration layers of the long-running commands ({@link Configurable}): an option's built-in default < a
 * YAML or JSON config file ({@code --config FILE}, or {@code FAMFS_CONFIG}) < the environment ({@code FAMFS_} and the
 * option's long name in capitals, dashes as underscores: {@code --rest-port} is {@code FAMFS_REST_PORT}) < the
 * command line. A config file is a flat mapping of long option names to values ({@code rest-port: 9480}).
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> env;
    private final Map<?, ?> file;
    private final Path filePath;

    private ConfigDefaults(Map<String, String> env, Map<?, ?> file, Path filePath) {
        this.env = env;
        this.file = file;
        this.filePath = filePath;
    }

    /** The layers for a run with {@code args} in {@code env}; reads the config file when one is named. */
    public static ConfigDefaults from(String[] args, Map<String, String> env) {
        Path path = configFile(args, env);
        return new ConfigDefaults(env, path == null ? Map.of() : read(path), path);
    }

    /** The environment variable that sets option {@code longName} (e.g. {@code --rest-port}). */
    public static String envName(String longName) {
        return "FAMFS_"
                + longName.replaceFirst("^-+", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        String fromEnv = env.get(envName(option.longestName()));
        if (fromEnv != null) {
            return fromEnv;
        }
        Object fromFile = file.get(option.longestName().replaceFirst("^-+", ""));
        return fromFile == null ? null : fromFile.toString();
    }

    /**
     * Refuses config-file keys that name no option of any of {@code specs} (a typo would otherwise be ignored). One file
     * may hold the settings of several commands (the leader's and the clients'); each takes the keys it knows.
     */
    public void check(List<CommandSpec> specs) {
        Set<String> known = new TreeSet<>();
        for (CommandSpec spec : specs) {
            for (OptionSpec o : spec.options()) {
                known.add(o.longestName().replaceFirst("^-+", ""));
            }
        }
        known.removeAll(Set.of("help", "version", "config"));
        for (Object key : file.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw new FamfsException(
                        ErrorCode.INVALID_ARGUMENT,
                        "unknown setting '" + key + "' in " + filePath + " (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private static Path configFile(String[] args, Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        String fromEnv = env.get("FAMFS_CONFIG");
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }

    private static Map<?, ?> read(Path path) {
        try {
            Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(path));
            if (doc == null) {
                return Map.of();
            }
            if (doc instanceof Map<?, ?> map) {
                return map;
            }
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "config file " + path + " is not a mapping");
        } catch (NoSuchFileException e) {
            throw new FamfsException(ErrorCode.INVALID_ARGUMENT, "cannot read config file " + path + ": no such file");
        } catch (IOException e) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT, "cannot read config file " + path + ": " + e.getMessage(), e);
        } catch (YamlEngineException e) {
            throw new FamfsException(
                    ErrorCode.INVALID_ARGUMENT,
                    "config file " + path + " is not YAML or JSON: "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
