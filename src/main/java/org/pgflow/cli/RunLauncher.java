package org.pgflow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.RunConfig;
import org.pgflow.io.CheckpointStore;
import org.pgflow.io.Progress;
import org.pgflow.train.Checkpoints;
import org.pgflow.io.RunDirectory;
import java.util.List;
import org.pgflow.spark.MeanFieldJob;
import org.pgflow.spark.Reports;
import org.pgflow.spark.SparkRuntime;
import org.pgflow.spark.VarianceJob;
import org.pgflow.train.MeanFieldTrainer;
import org.pgflow.train.MonteCarloMeanFieldTrainer;

/**
 * What {@code run} and {@code study} share: validating a config into a ready-to-run experiment (every input
 * error surfaces here, before anything is written), creating its run directory, and executing it on a session.
 */
final class RunLauncher {
    private RunLauncher() {
    }

    /** The run was stopped by a signal (Ctrl-C, SIGTERM); its directory says {@code interrupted}. */
    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted(Path dir) {
            super("run interrupted; continue it with: submit/pgflow run --resume " + dir);
        }
    }

    /**
     * A validated experiment.
     *
     * @param cfg        configuration
     * @param configFile the file it came from
     * @param meanfield  the problem of a mean-field run, else null
     * @param variance   the problem of a variance run, else null
     */
    record Prepared(RunConfig cfg, Path configFile, MeanFieldJob.Problem meanfield, VarianceJob.Problem variance) {
    }

    /**
     * @param tree       config tree with overrides applied
     * @param configFile its file (for the run manifest and the default name)
     * @return the validated experiment
     * @throws org.pgflow.util.InvalidInputException on any invalid key, value or model file
     */
    static Prepared prepare(ConfigTree tree, Path configFile) {
        if (!tree.has("name")) {
            tree.set("name=" + configFile.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        }
        String home = System.getProperty("pgflow.home");
        RunConfig cfg = RunConfig.from(tree, home == null ? null : Path.of(home));
        boolean meanfield = cfg.algorithm().equals("meanfield");
        return new Prepared(cfg, configFile, meanfield ? MeanFieldJob.problem(cfg) : null,
                meanfield ? null : VarianceJob.problem(cfg));
    }

    /** Creates the run directory with the manifest of a prepared experiment. */
    static RunDirectory createDirectory(Prepared p, Path dir, String master) {
        RunConfig cfg = p.cfg();
        ObjectNode manifest = RunDirectory.newManifest();
        manifest.put("name", cfg.name());
        manifest.put("algorithm", cfg.algorithm());
        manifest.put("seed", cfg.seed());
        manifest.put("master", master);
        if (cfg.spark().partitions() == RunConfig.SparkSpec.AUTO) {
            manifest.put("partitions", "auto");
        } else {
            manifest.put("partitions", cfg.spark().partitions());
        }
        manifest.put("configFile", p.configFile().toAbsolutePath().toString());
        manifest.set("config", cfg.resolved());
        Provenance.addTo(manifest);
        return RunDirectory.create(dir, manifest);
    }

    /**
     * Runs the experiment, marks the directory completed (or failed, rethrowing) and prints a summary.
     *
     * @param p       the experiment
     * @param session Spark session
     * @param run     its run directory
     * @param out     where the one-line summary goes
     * @param err     where progress lines go
     */
    static void execute(Prepared p, SparkRuntime session, RunDirectory run, PrintWriter out, PrintWriter err) {
        execute(p, session, run, out, err, null);
    }

    /**
     * Runs (or resumes) the experiment with checkpoints every {@code checkpointEvery} iterations in
     * {@code RUN_DIR/checkpoint/}; Ctrl-C or SIGTERM leaves {@code status: interrupted}.
     *
     * @param p       the experiment
     * @param session Spark session
     * @param run     its run directory
     * @param out     where the summary goes
     * @param err     where progress lines go
     * @param resume  the resume point, or null for a fresh run
     */
    static void execute(Prepared p, SparkRuntime session, RunDirectory run, PrintWriter out, PrintWriter err,
                        Checkpoints.Resume resume) {
        RunConfig cfg = p.cfg();
        Checkpoints checkpoints = new Checkpoints(cfg.checkpointEvery(), new CheckpointStore(run.path()), resume);
        // A JVM stopped by a signal runs its shutdown hooks: the run is then marked interrupted (resumable).
        Thread onSignal = new Thread(run::interrupted, "pgflow-interrupted");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            run.manifest().put("sparkVersion", session.version());
            if (p.meanfield() != null) {
                boolean mc = p.meanfield().mc() != null;
                boolean gapKnown = !mc || Double.isFinite(p.meanfield().mc().optimum());
                Double[] last = MeanFieldJob.run(cfg, p.meanfield(), session, run,
                        Progress.on(err, gapKnown ? "gap" : "value"), checkpoints);
                run.completed();
                List<String> cols = mc ? MonteCarloMeanFieldTrainer.COLUMNS : MeanFieldTrainer.COLUMNS;
                out.printf(Locale.ROOT, "run directory: %s%n", run.path());
                for (String c : mc ? List.of("value_mc", "value_se", "env_return", "value", "gap") : List.of("value", "gap")) {
                    Double v = last[cols.indexOf(c)];
                    if (v != null) {
                        out.printf(Locale.ROOT, "final %s %.8g%n", c, v);
                    }
                }
            } else {
                VarianceJob.Problem v = p.variance();
                VarianceJob.Result r = VarianceJob.run(cfg, v, session, run,
                        Progress.on(err, v.ssp() != null ? "exact eta" : "eta"), checkpoints);
                run.completed();
                out.printf(Locale.ROOT, "run directory: %s%nfinal J %.6f ± %.6f  Var %.6f ± %.6f  SD %.6f  eta %.6f (lambda %s)%n",
                        run.path(), r.evaluation().j().value(), r.evaluation().j().stdErr(), r.evaluation().var().value(),
                        r.evaluation().var().stdErr(), r.evaluation().standardDeviation(),
                        r.evaluation().eta(cfg.variance().lambda()).value(), cfg.variance().lambda());
            }
        } catch (RuntimeException | Error e) {
            if (run.wasInterrupted()) {
                throw new Interrupted(run.path());
            }
            run.failed(e);
            try {
                Reports.write(run.path(), session);
            } catch (RuntimeException reportError) {
                e.addSuppressed(reportError);
            }
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook runs
            }
        }
        try { // a report that cannot be drawn never turns a completed run into a failed one
            List<Path> plots = Reports.write(run.path(), session);
            out.println("report: " + run.path().resolve("report.html") + " (" + plots.size() + " plots)");
        } catch (RuntimeException e) {
            err.println("pgflow: warning: the report of " + run.path() + " could not be written: " + e);
        }
        out.flush();
        err.flush();
    }
}
