package org.pgflow.cli;

import java.io.PrintWriter;
import org.pgflow.math.Dense;
import org.pgflow.run.Launcher;
import org.pgflow.util.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pgflow} command line (docs/architecture.md §7.1). Exit status: 0 success, 2 invalid input, config or arguments,
 * 1 anything else (a failed run, an I/O error, a bug). Every failure, checked or not, {@link Error}s included,
 * gets exactly one line on stderr, {@code pgflow: <message>}; the stack trace of a failed run goes to its
 * {@code RUN_DIR/error.log} (named on that line), and onto stderr with {@code --verbose}. The only place that
 * calls {@link System#exit}.
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
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
                report(ex, commandLine.getCommand(), verbose(parseResult), commandLine.getErr()));
        cl.setParameterExceptionHandler((ex, args2) -> {
            PrintWriter w = ex.getCommandLine().getErr();
            w.println("pgflow: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help')");
            w.flush();
            return EXIT_INVALID;
        });
        try {
            return cl.execute(args);
        } catch (Exception | Error e) { // picocli lets Errors through: they get the same one line
            return report(e, null, java.util.Arrays.asList(args).contains("--verbose"), err);
        }
    }

    /**
     * The one line a failure gets on stderr, and its exit status. A failed run ({@link Launcher.Failed}) names
     * the error.log in its run directory that holds the stack trace; {@code --verbose} prints the stack trace on
     * stderr too (after the line). Invalid input exits 2, everything else 1.
     *
     * @param ex      the failure
     * @param command the command object that failed, or null
     * @param verbose whether {@code --verbose} was given
     * @param w       stderr
     * @return the exit status
     */
    static int report(Throwable ex, Object command, boolean verbose, PrintWriter w) {
        Throwable cause = ex instanceof Launcher.Failed && ex.getCause() != null ? ex.getCause() : ex;
        int status = cause instanceof InvalidInputException ? EXIT_INVALID : EXIT_FAILURE;
        String line;
        if (ex instanceof Launcher.Interrupted) {
            line = ex.getMessage();
        } else if (cause instanceof Dense.SingularMatrixException && command instanceof MomentsCommand m) {
            // Proper on paper (the terminal state is reachable) but not in floating point: I − P_π is singular.
            line = "--policy " + m.policy + " is improper in floating point on " + m.ssp + ": the return moments "
                    + "solve a singular system (" + cause.getMessage() + "); its probabilities of reaching the "
                    + "terminal state are lost to rounding";
            status = EXIT_INVALID;
        } else {
            line = Launcher.oneLine(ex);
        }
        boolean trace = verbose && !(ex instanceof Launcher.Interrupted) && status != EXIT_INVALID;
        if (ex instanceof Launcher.Failed f && f.log() != null && !trace) {
            line += " (stack trace in " + f.log() + ")";
        }
        if (System.console() != null && (ex instanceof Launcher.Failed || ex instanceof Launcher.Interrupted)) {
            w.println(); // ends a progress line that a terminal rewrites in place
        }
        w.println("pgflow: " + line);
        if (trace) {
            cause.printStackTrace(w);
        }
        w.flush();
        return status;
    }

    /** @return whether {@code --verbose} was given to the command (or a parent) that ran */
    private static boolean verbose(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.commandSpec().findOption("--verbose") != null && pr.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
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
