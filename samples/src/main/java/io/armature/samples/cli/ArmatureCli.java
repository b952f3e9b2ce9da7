package io.armature.samples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code armature} command: run a node, read and write keys, show a cluster's status, run
 * the demo or the benchmark. Exit codes are in {@link ExitCodes}.
 */
@Command(name = "armature",
    mixinStandardHelpOptions = true,
    versionProvider = ArmatureCli.Version.class,
    description = "Armature, a Dynamo-style replicated key-value store.",
    subcommands = {NodeCommand.class, PutCommand.class, GetCommand.class, DeleteCommand.class,
        StatusCommand.class, ClusterCommand.class, DemoCommand.class, BenchCommand.class, ChaosCommand.class, PluginsCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:unexpected failure", "2:usage error or invalid request",
        "3:quorum not reached", "4:cluster unreachable or no answer in time",
        "5:status: the cluster is unhealthy (a member down, members holding different rings)",
        "7:get: the key has no value (missing or deleted)"})
public final class ArmatureCli implements Runnable {
    private final ClusterConnector connector;
    private final InputStream stdin;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * @param connector how the client commands reach a cluster
     */
    public ArmatureCli(final ClusterConnector connector) {
        this(connector, System.in);
    }

    /**
     * @param connector how the client commands reach a cluster
     * @param stdin what {@code put --value-file -} reads
     */
    public ArmatureCli(final ClusterConnector connector, final InputStream stdin) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    /**
     * @param args the command line
     */
    public static void main(final String[] args) {
        quietLogging();
        System.exit(execute(commandLine(new RemoteConnector()), args));
    }

    /**
     * Runs the command line as {@code main} does: {@code node --config FILE} first puts the file's
     * settings in front of the flags the command line does not give itself ({@link ConfigFile}).
     *
     * @param cl a command line from {@link #commandLine(ClusterConnector)}
     * @param args the arguments
     * @return the exit code
     */
    public static int execute(final CommandLine cl, final String... args) {
        if (args.length > 0 && args[0].equals("node")) {
            final CommandLine node = cl.getSubcommands().get("node");
            final List<String> rest = List.of(args).subList(1, args.length);
            try {
                final List<String> all = new java.util.ArrayList<>(List.of("node"));
                all.addAll(ConfigFile.expand(node.getCommandSpec(), rest));
                return cl.execute(all.toArray(String[]::new));
            } catch (final CommandLine.ParameterException e) {
                try {
                    return cl.getParameterExceptionHandler().handleParseException(e, args);
                } catch (final Exception unexpected) {
                    return ExitCodes.USAGE;
                }
            }
        }
        return cl.execute(args);
    }

    /**
     * Plugins log what they load at INFO; a command line prints only its answer and one line per
     * failure, so only warnings pass unless ARMATURE_LOG names another java.util.logging level.
     */
    private static void quietLogging() {
        final String wanted = System.getenv().getOrDefault("ARMATURE_LOG", "WARNING");
        Level level;
        try {
            level = Level.parse(wanted.toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            level = Level.WARNING;
        }
        final Logger root = Logger.getLogger("");
        root.setLevel(level);
        for (final Handler h : root.getHandlers()) {
            h.setLevel(level);
        }
    }

    /**
     * Builds the command line with the house error handling: a one-line message on standard
     * error and the exit code of {@link ExitCodes}.
     *
     * @param connector how the client commands reach a cluster
     * @return the command line, ready to {@code execute}
     */
    public static CommandLine commandLine(final ClusterConnector connector) {
        return commandLine(connector, System.in);
    }

    /**
     * @param connector how the client commands reach a cluster
     * @param stdin what {@code put --value-file -} reads
     * @return the command line, ready to {@code execute}
     */
    public static CommandLine commandLine(final ClusterConnector connector, final InputStream stdin) {
        final CommandLine cl = new CommandLine(new ArmatureCli(connector, stdin));
        cl.setParameterExceptionHandler((ex, args) -> {
            final CommandLine sub = ex.getCommandLine();
            sub.getErr().println(sub.getCommandName().equals("armature") ? "armature: " + ex.getMessage()
                : "armature " + sub.getCommandName() + ": " + ex.getMessage()
                + " (see 'armature " + sub.getCommandName() + " --help')");
            sub.getErr().flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, sub, parseResult) -> {
            final Throwable e = ExitCodes.unwrap(ex);
            final int code = ExitCodes.of(e);
            final String message = e.getMessage() == null ? e.toString() : e.getMessage();
            final PrintWriter err = sub.getErr();
            err.println("armature " + sub.getCommandName() + ": " + (code == ExitCodes.FAILURE ? e.getClass().getSimpleName() + ": " : "")
                + message.replace('\n', ' '));
            err.flush();
            return code;
        });
        return cl;
    }

    /**
     * @return how the client commands reach a cluster
     */
    ClusterConnector connector() {
        return connector;
    }

    /**
     * @return standard input
     */
    InputStream stdin() {
        return stdin;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: "
            + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * Reports the version and the commit the build recorded (samples/pom.xml, build-info), read
     * from the class path so that the shaded jar and the distribution's lib/ both have them.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final Properties build = new Properties();
            try (InputStream in = ArmatureCli.class.getResourceAsStream("build.properties")) {
                if (in != null) {
                    build.load(in);
                }
            } catch (final IOException e) {
                // An unreadable resource is a development build, not a reason to fail --version.
            }
            return new String[] {"armature " + build.getProperty("version", "(development build)")
                + " (commit " + build.getProperty("commit", "unknown") + ")"};
        }
    }
}
