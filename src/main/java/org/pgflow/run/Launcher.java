package org.pgflow.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.pgflow.config.Algorithm;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.RunConfig;
import org.pgflow.io.CheckpointStore;
import org.pgflow.io.Plots;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.io.RunManifest;
import org.pgflow.train.Checkpoints;
import org.pgflow.train.MeanFieldTrainer;
import org.pgflow.train.MonteCarloMeanFieldTrainer;
import org.pgflow.train.VarianceTrainer;
import org.pgflow.train.Metric;
import org.pgflow.train.MetricsSchema;

/**
 * What {@code run} and {@code study} share: validating a config into a ready-to-run experiment (every input
 * error surfaces here, before anything is written), creating its run directory, and executing it on an
 * {@link Engine}.
 */
public final class Launcher {
    private Launcher() {
    }

    /** The run was stopped by a signal (Ctrl-C, SIGTERM); its directory says {@code interrupted}. */
    public static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted(Path dir) {
            super("run interrupted; continue it with: submit/pgflow run --resume " + dir);
        }
    }

    /**
     * A run that failed: its directory says {@code status: failed} with the error, and its {@code error.log} holds
     * the stack trace. The message is the failure in one line ({@link #oneLine}); the cause is the failure.
     */
    public static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Path directory;
        private final transient Path log;

        Failed(Path directory, Path log, Throwable cause) {
            super(oneLine(cause), cause);
            this.directory = directory;
            this.log = log;
        }

        /** @return the run directory */
        public Path directory() {
            return directory;
        }

        /** @return the file holding the stack trace, or null when it could not be written */
        public Path log() {
            return log;
        }
    }

    /**
     * A failure in one line for the user: the message (its first line; Spark's run on) of the failure, prefixed
     * with the exception's simple name when that is not one of the usual carriers of a message, and "numerical
     * divergence: " for a diverged run.
     *
     * @param t the failure
     * @return one line
     */
    public static String oneLine(Throwable t) {
        if (t instanceof Failed f) {
            return f.getMessage();
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory (" + t.getMessage() + "): lower the problem size or raise -Xmx (PGFLOW_JAVA_OPTS)";
        }
        String m = t.getMessage();
        String first = m == null || m.isBlank() ? null : m.strip().lines().findFirst().orElse(m).strip();
        if (t instanceof org.pgflow.util.NumericalDivergenceException) {
            return "numerical divergence: " + first;
        }
        boolean carrier = t instanceof org.pgflow.util.InvalidInputException || t instanceof java.io.UncheckedIOException
                || t instanceof java.io.IOException || t instanceof IllegalStateException
                || t instanceof IllegalArgumentException || t instanceof UnsupportedOperationException;
        if (first == null) {
            Throwable c = t.getCause();
            return t.getClass().getSimpleName() + (c != null && c != t ? ": " + oneLine(c) : "");
        }
        String name = t.getClass().getName();
        if (name.startsWith("org.apache.spark.")) { // a task failure: the cause's message is the useful part
            return "Spark: " + first;
        }
        return carrier ? first : t.getClass().getSimpleName() + ": " + first;
    }

    /**
     * A validated experiment.
     *
     * @param cfg        configuration
     * @param configFile the file it came from
     * @param meanfield  the problem of a mean-field run, else null
     * @param variance   the problem of a variance run, else null
     */
    public record Prepared(RunConfig cfg, Path configFile, MeanFieldJob.Problem meanfield, VarianceTrainer.Problem variance) {
        /** @return the block structure its checkpoints must have (mean-field), or null (actor–critic) */
        public CheckpointStore.Expected expectedCheckpoint() {
            if (meanfield == null || meanfield.tabular() != null) { // tabular: the logits, as actor-critic.json
                return null;
            }
            long n = cfg.meanfield().particles();
            int bs = cfg.meanfield().blockSize();
            return new CheckpointStore.Expected(n, (int) ((n + bs - 1) / bs));
        }

        /** @return the metrics family of the run: which columns its metrics.csv has */
        public MetricsSchema metricsSchema() {
            if (meanfield == null) {
                return MetricsSchema.ACTOR_CRITIC;
            }
            return meanfield.tabular() != null ? MetricsSchema.TABULAR
                    : meanfield.episodic() != null || meanfield.points() != null ? MetricsSchema.MEAN_FIELD_VARIANCE
                    : meanfield.mc() != null ? MetricsSchema.MEAN_FIELD_MONTE_CARLO : MetricsSchema.MEAN_FIELD_EXACT;
        }
    }

    /**
     * @param tree       config tree with overrides applied
     * @param configFile its file (for the run manifest and the default name)
     * @return the validated experiment
     * @throws org.pgflow.util.InvalidInputException on any invalid key, value or model file, or a random instance
     *                                               too large for the heap ({@link ResourceEstimate#ofModel})
     */
    public static Prepared prepare(ConfigTree tree, Path configFile) {
        if (!tree.has("name")) {
            tree.set("name", com.fasterxml.jackson.databind.node.TextNode.valueOf(org.pgflow.util.Checks.plainNameFrom(
                    configFile.getFileName().toString().replaceFirst("\\.ya?ml$", ""))));
        }
        String home = System.getProperty("pgflow.home");
        RunConfig cfg = RunConfig.from(tree, home == null ? null : Path.of(home));
        // A random instance's tables are checked against the heap before they are generated.
        ResourceEstimate.ofModel(cfg).require(ResourceEstimate.Budget.heap());
        boolean meanfield = cfg.algorithm() != Algorithm.VARIANCE; // meanfield, and tabular (same run directory)
        return new Prepared(cfg, configFile, meanfield ? MeanFieldJob.problem(cfg) : null,
                meanfield ? null : Problems.actorCritic(cfg));
    }

    /**
     * Creates the run directory with the manifest of a prepared experiment.
     *
     * @param p      the experiment
     * @param dir    the directory (must not exist or be empty)
     * @param engine the engine it will run on
     * @return the run directory
     */
    public static RunDirectory createDirectory(Prepared p, Path dir, Engine engine) {
        RunConfig cfg = p.cfg();
        return RunDirectory.create(dir, RunManifest.start(cfg.name(), cfg.algorithm().key(), cfg.seed(),
                execution(engine, cfg), p.configFile().toAbsolutePath().toString(), cfg.resolved(),
                Provenance.current()));
    }

    /**
     * Checks, without changing anything, that a run directory can be resumed from a verified checkpoint: its
     * {@code metrics.csv} has this run's header and the rows the checkpoint continues.
     *
     * @param p     the experiment (from the directory's run.json)
     * @param dir   the run directory
     * @param point the verified checkpoint ({@link CheckpointStore#load})
     * @throws org.pgflow.util.InvalidInputException naming metrics.csv otherwise
     */
    public static void verifyResumable(Prepared p, Path dir, Checkpoints.Resume point) {
        org.pgflow.io.MetricsCsv.verifyContinuable(dir.resolve("metrics.csv"), p.metricsSchema(), point.iteration());
    }

    /** The engine a run executes on (recorded again when a run is resumed, possibly elsewhere). */
    static RunManifest.Execution execution(Engine engine, RunConfig cfg) {
        if (engine.name().equals("local")) {
            return new RunManifest.Execution(engine.name(), engine.master(), engine.parallelism(), null, null);
        }
        int partitions = cfg.spark().partitions();
        return new RunManifest.Execution(engine.name(), engine.master(), null,
                partitions == RunConfig.SparkSpec.AUTO ? null : partitions, engine.sparkVersion());
    }

    /**
     * Runs (or resumes) the experiment with checkpoints every {@code checkpointEvery} iterations in
     * {@code RUN_DIR/checkpoint/}, marks the directory completed and prints a summary. Any failure, checked or
     * not, an {@link Error} included, marks it failed (the error in run.json, the stack trace in
     * {@code error.log}) and is rethrown as {@link Failed}; Ctrl-C or SIGTERM leaves {@code status: interrupted}
     * and throws {@link Interrupted}.
     *
     * @param p        the experiment
     * @param engine   where it runs
     * @param run      its run directory
     * @param out      where the summary goes
     * @param progress progress printer
     * @param resume   the resume point, or null for a fresh run
     * @param report   whether to write plots and report.html at the end
     */
    public static void execute(Prepared p, Engine engine, RunDirectory run, PrintWriter out, Progress progress,
                               Checkpoints.Resume resume, boolean report) {
        RunConfig cfg = p.cfg();
        // A JVM stopped by a signal runs its shutdown hooks: the run is then marked interrupted (resumable).
        Thread onSignal = new Thread(run::interrupted, "pgflow-interrupted");
        Runtime.getRuntime().addShutdownHook(onSignal);
        StringBuilder summary = new StringBuilder();
        if (report) { // the chart code loads and compiles on the other core while the loop runs
            progress.onFirstTick(Plots::warmUpInBackground);
        }
        try {
            run.setExecution(execution(engine, cfg));
            Checkpoints checkpoints = new Checkpoints(cfg.checkpointEvery(), new CheckpointStore(run.path()), resume);
            if (p.meanfield() != null) {
                MeanFieldJob.run(cfg, p.meanfield(), engine, run, progress, checkpoints);
                run.completed();
                summary.append(String.format(Locale.ROOT, "run directory: %s%n", run.path()));
                // The key results of whichever loop ran, from the final block the job wrote.
                RunManifest.Final fin = run.current().fin();
                for (Metric c : List.of(Metric.VALUE_MC, Metric.VALUE_SE, Metric.ENV_RETURN, Metric.J, Metric.VAR,
                        Metric.ETA, Metric.EXACT_ETA, Metric.VALUE, Metric.GAP, Metric.GAP0)) {
                    Double v = fin == null ? null : fin.get(c.csvName());
                    if (v != null) {
                        summary.append(String.format(Locale.ROOT, "final %s %.8g%n", c.csvName(), v));
                    }
                }
            } else {
                VarianceTrainer.Result r = VarianceJob.run(cfg, p.variance(), engine, run, progress, checkpoints);
                run.completed();
                summary.append(String.format(Locale.ROOT,
                        "run directory: %s%nfinal J %.6f ± %.6f  Var %.6f ± %.6f  SD %.6f  eta %.6f (lambda %s)%n",
                        run.path(), r.evaluation().j().value(), r.evaluation().j().stdErr(), r.evaluation().var().value(),
                        r.evaluation().var().stdErr(), r.evaluation().standardDeviation(),
                        r.evaluation().eta(cfg.variance().lambda()).value(), cfg.variance().lambda()));
            }
        } catch (Exception | Error e) { // also checked exceptions thrown through Scala (SparkException)
            if (run.wasInterrupted()) {
                throw new Interrupted(run.path());
            }
            Path log = run.failed(e);
            if (report) {
                try {
                    Reports.write(run.path());
                } catch (RuntimeException | Error reportError) {
                    e.addSuppressed(reportError);
                }
            }
            throw new Failed(run.path(), log, e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook runs
            }
        }
        if (report) {
            try { // a report that cannot be drawn never turns a completed run into a failed one
                List<Path> plots = Reports.write(run.path());
                summary.append("report: ").append(run.path().resolve("report.html")).append(" (").append(plots.size())
                        .append(" plots)\n");
            } catch (RuntimeException e) {
                summary.append("pgflow: warning: the report of ").append(run.path()).append(" could not be written: ")
                        .append(e).append('\n');
            }
        }
        synchronized (out) {
            out.print(summary);
            out.flush();
        }
    }

    /** The progress metric's label of an experiment. */
    public static String progressMetric(Prepared p) {
        if (p.meanfield() != null && (p.meanfield().episodic() != null || p.meanfield().points() != null)) {
            return p.meanfield().points() != null ? "eta" : "exact eta";
        }
        if (p.meanfield() != null) {
            boolean mc = p.meanfield().mc() != null;
            return !mc || Double.isFinite(p.meanfield().mc().optimum()) ? "gap" : "value";
        }
        return p.variance().ssp() != null ? "exact eta" : "eta";
    }
}
