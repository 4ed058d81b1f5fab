package io.famfs.meta.cli;

import io.famfs.meta.error.FamfsException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code famfs-meta} launcher: finds every module's commands ({@link CommandModule}) on the class path and
 * dispatches to the one named. Errors become one line on stderr and an exit code from {@link ExitCodes}; set
 * {@code FAMFS_META_DEBUG=1} to also see stack traces.
 */
@Command(
        name = "famfs-meta",
        mixinStandardHelpOptions = true,
        versionProvider = FamfsMeta.Version.class,
        description = "The metadata plane of famfs: device tools, leader and per-host agent.",
        footer = {"", "Run 'famfs-meta COMMAND --help' for a command's options. Exit codes: see the README."})
public final class FamfsMeta implements Runnable {

    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
    }

    /**
     * Runs one command line: every module's commands, the configuration layers of the {@link Configurable} ones
     * (config file and environment from {@code env}), one-line errors. Returns the exit code.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        try {
            ConfigDefaults layers = ConfigDefaults.from(args, env);
            List<CommandSpec> configurable = new ArrayList<>();
            for (CommandLine sub : cl.getSubcommands().values()) {
                if (sub.getCommand() instanceof Configurable) {
                    configurable.add(sub.getCommandSpec());
                    sub.setDefaultValueProvider(layers);
                }
            }
            layers.check(configurable);
        } catch (FamfsException e) {
            err.println("famfs-meta: " + e.getMessage());
            return ExitCodes.of(e.code());
        }
        int exit = cl.execute(args);
        out.flush();
        err.flush();
        return exit;
    }

    /** The launcher with every module's commands, ready to execute (tests call this in process). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new FamfsMeta());
        List<CommandModule> modules = new ArrayList<>();
        ServiceLoader.load(CommandModule.class).forEach(modules::add);
        modules.sort(Comparator.comparingInt(CommandModule::order));
        Map<CommandModule, List<CommandLine>> byModule = new LinkedHashMap<>();
        for (CommandModule module : modules) {
            List<CommandLine> commands = new ArrayList<>();
            for (Object command : module.commands()) {
                CommandLine sub = new CommandLine(command);
                // A later module may extend a command of an earlier one (the leader's getmap also reads devices).
                if (cl.getSubcommands().containsKey(sub.getCommandName())) {
                    cl.getCommandSpec().removeSubcommand(sub.getCommandName());
                    byModule.values()
                            .forEach(list ->
                                    list.removeIf(c -> c.getCommandName().equals(sub.getCommandName())));
                }
                cl.addSubcommand(sub);
                commands.add(sub);
            }
            byModule.put(module, commands);
        }
        cl.getHelpSectionMap()
                .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> commandList(byModule));
        cl.setExecutionExceptionHandler(FamfsMeta::onError);
        cl.setParameterExceptionHandler(FamfsMeta::onUsageError);
        return cl;
    }

    /** --help lists each module's commands under its own heading. */
    private static String commandList(Map<CommandModule, List<CommandLine>> byModule) {
        StringBuilder sb = new StringBuilder();
        byModule.forEach((module, commands) -> {
            sb.append(String.format("%n%s (%s):%n", module.title(), module.module()));
            for (CommandLine command : commands) {
                String[] text = command.getCommandSpec().usageMessage().description();
                sb.append(String.format("  %-10s %s%n", command.getCommandName(), text.length == 0 ? "" : text[0]));
            }
        });
        return sb.toString();
    }

    private static int onError(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        String where = "famfs-meta " + cl.getCommandName();
        if (e instanceof FamfsException fe) {
            err.println(where + ": " + fe.getMessage());
            debug(e, err);
            return ExitCodes.of(fe.code());
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            Throwable io = e instanceof UncheckedIOException u ? u.getCause() : e;
            err.println(where + ": I/O error: " + io.getMessage());
            debug(e, err);
            return ExitCodes.IO;
        }
        err.println(where + ": internal error: " + e + " (please report; FAMFS_META_DEBUG=1 shows the trace)");
        debug(e, err);
        return ExitCodes.INTERNAL;
    }

    private static int onUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getParent() == null ? "famfs-meta" : "famfs-meta " + cl.getCommandName();
        err.println(name + ": " + e.getMessage().replace('\n', ' ') + " (try '" + name + " --help')");
        return ExitCodes.USAGE;
    }

    private static void debug(Exception e, PrintWriter err) {
        if ("1".equals(System.getenv("FAMFS_META_DEBUG"))) {
            e.printStackTrace(err);
        }
    }

    /** The version from the jar manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FamfsMeta.class.getPackage().getImplementationVersion();
            return new String[] {"famfs-meta " + (v == null ? "(development build)" : v) + ", famfs format version 48"};
        }
    }
}
