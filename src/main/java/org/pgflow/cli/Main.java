package org.pgflow.cli;

import java.io.PrintWriter;
import org.pgflow.util.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pgflow} command line (DESIGN §5). Exit status: 0 success, 2 invalid input, config or arguments
 * (one-line message on stderr), 1 anything else. The only place that calls {@link System#exit}.
 */
@Command(name = "pgflow", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Mean-field softmax policy gradient and variance-adjusted actor-critic on Apache Spark.",
        subcommands = {RunCommand.class, StudyCommand.class, ReportCommand.class, SolveCommand.class, MomentsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status for invalid input, configuration or arguments. */
    public static final int EXIT_INVALID = 2;
    /** Exit status for any other failure. */
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (run, study, solve, moments, report)");
    }

    /**
     * Runs the command line and returns the exit status instead of exiting (used by tests).
     *
     * @param args arguments
     * @return exit status
     */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs the command line with the given output streams and returns the exit status.
     *
     * @param out  standard output
     * @param err  standard error
     * @param args arguments
     * @return exit status
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter w = commandLine.getErr();
            if (ex instanceof InvalidInputException || ex instanceof org.pgflow.run.Launcher.Interrupted) {
                w.println("pgflow: " + ex.getMessage());
                w.flush();
                return ex instanceof InvalidInputException ? EXIT_INVALID : EXIT_FAILURE;
            }
            if (ex instanceof org.pgflow.util.NumericalDivergenceException) { // diverged: say where, no stack trace
                w.println("pgflow: numerical divergence: " + ex.getMessage());
                w.flush();
                return EXIT_FAILURE;
            }
            w.println("pgflow: " + ex);
            ex.printStackTrace(w);
            w.flush();
            return EXIT_FAILURE;
        });
        cl.setParameterExceptionHandler((ex, args2) -> {
            PrintWriter w = ex.getCommandLine().getErr();
            w.println("pgflow: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help')");
            w.flush();
            return EXIT_INVALID;
        });
        return cl.execute(args);
    }

    /** JUL logger of netlib, held strongly so that its level sticks: its "no native LAPACK" warning is noise. */
    private static final java.util.logging.Logger NETLIB_LOG = java.util.logging.Logger.getLogger("dev.ludovic.netlib");

    /** Entry point. */
    public static void main(String[] args) {
        NETLIB_LOG.setLevel(java.util.logging.Level.SEVERE);
        System.exit(execute(args));
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"pgflow " + (v == null ? "dev" : v)};
        }
    }
}
