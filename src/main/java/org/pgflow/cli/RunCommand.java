package org.pgflow.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.EngineKind;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.io.RunManifest;
import org.pgflow.run.Engine;
import org.pgflow.run.Launcher;
import org.pgflow.run.ResourceEstimate;
import org.pgflow.util.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pgflow run CONFIG.yaml}: one experiment, written to a fresh run directory (docs/architecture.md §7.1–6).
 *
 * <p>Before Spark starts and before the directory exists, the config is validated, its memory estimated against
 * the heap or the executors ({@link ResourceEstimate}) and {@code --out} checked; the directory is then claimed
 * atomically (of two runs on one {@code --out} one wins, the other exits 2 having written nothing) and locked
 * while the run writes there. {@code --resume} verifies the checkpoint and the metrics it continues before it
 * changes anything in the directory.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an experiment config (conf/*.yaml) and write its run directory: run.json, metrics.csv, "
                + "policy.json (finite problems), particles/ (mean-field). On an embedded master (the default, local[*]) "
                + "it runs on the in-JVM engine; with --master spark://... on Spark.")
final class RunCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml", description = "experiment config (not with --resume)")
    Path config;

    @Option(names = "--set", paramLabel = "key.path=value", description = "override a config key (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "run directory (default runs/NAME-TIMESTAMP); must be new or empty")
    Path out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark.master of the config, local[*])")
    String master;

    @Option(names = "--engine", paramLabel = "auto|local|spark",
            description = "where to run: auto (default: in-JVM on an embedded master, Spark on a cluster), local, spark")
    String engine;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "continue a killed, interrupted or failed run from its last checkpoint (same config and seed)")
    Path resume;

    @Option(names = "--resume-from", paramLabel = "iter-K",
            description = "with --resume: restart from this checkpoint of RUN_DIR/checkpoint/ instead of the latest")
    String resumeFrom;

    @Option(names = "--verbose", description = "show Spark's INFO logging and full stack traces")
    boolean verbose;

    @Override
    public Integer call() {
        if (resume != null) {
            return resume();
        }
        if (config == null) {
            throw new InvalidInputException("a CONFIG.yaml (or --resume RUN_DIR) is required");
        }
        ConfigTree tree = ConfigTree.load(config);
        for (String s : sets) {
            tree.set(s);
        }
        if (resumeFrom != null) {
            throw new InvalidInputException("--resume-from needs --resume RUN_DIR");
        }
        if (master != null) {
            org.pgflow.config.RunConfig.checkMaster("--master", master);
        }
        Launcher.Prepared p = Launcher.prepare(tree, config);
        String masterUrl = master != null ? master : p.cfg().spark().master();
        Path dir = out != null ? out : Path.of("runs", p.cfg().name() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        EngineKind kind = Engines.resolve(p.cfg(), Engines.parse(engine), masterUrl);
        // Everything that can be refused is refused before Spark starts and before the directory exists.
        ResourceEstimate.check(p, kind, masterUrl);
        RunDirectory.checkUsable(dir);
        Engine e = Engines.open(p.cfg(), kind, masterUrl, "pgflow " + p.cfg().name(), verbose);
        return execute(p, kind, e, null, engine -> {
            RunDirectory run = Launcher.createDirectory(p, dir, engine); // atomic: of two runs on one --out, one gets it
            try {
                return new Opened(run, RunDirectory.lock(dir, "--out"));
            } catch (RuntimeException t) { // the directory exists now: it says why it holds no run
                run.failed(t);
                throw t;
            }
        });
    }

    /** A run directory ready to execute in, and the lock held on it while it does (or null). */
    private record Opened(RunDirectory run, RunDirectory.Lock lock) {
    }

    /**
     * Opens the run directory on the engine, executes the run (fresh, or resumed from {@code point}) and closes
     * the engine.
     *
     * @return the exit status, 0
     */
    @SuppressWarnings("try") // the directory lock is held for the block's duration, not referenced in it
    private int execute(Launcher.Prepared p, EngineKind kind, Engine e, org.pgflow.train.Checkpoints.Resume point,
                        java.util.function.Function<Engine, Opened> open) {
        Throwable failure = null;
        try {
            Opened o = open.apply(e);
            try (RunDirectory.Lock lock = o.lock()) {
                note(ResourceEstimate.lineageNote(p, kind));
                Launcher.execute(p, e, o.run(), spec.commandLine().getOut(), progress(p), point, true);
            }
            return 0;
        } catch (RuntimeException | Error t) {
            failure = t;
            throw t;
        } finally {
            close(e, failure);
        }
    }

    /** Prints a one-line note on stderr (when there is one). */
    private void note(String line) {
        if (line != null) {
            spec.commandLine().getErr().println(line);
            spec.commandLine().getErr().flush();
        }
    }

    /**
     * Closes the engine; a failure to close never hides the run's own failure (it is added to it), and after a
     * completed run it is a warning.
     */
    private void close(Engine e, Throwable failure) {
        try {
            e.close();
        } catch (Exception | Error c) {
            if (failure != null) {
                failure.addSuppressed(c);
            } else {
                spec.commandLine().getErr().println("pgflow: warning: the " + e.name() + " engine did not shut down "
                        + "cleanly: " + Launcher.oneLine(c));
                spec.commandLine().getErr().flush();
            }
        }
    }

    private Progress progress(Launcher.Prepared p) {
        return Progress.on(spec.commandLine().getErr(), Launcher.progressMetric(p));
    }

    /** Resumes a run directory from its last checkpoint with the config recorded in its run.json. */
    @SuppressWarnings("try") // the directory lock is held for the block's duration, not referenced in it
    private int resume() {
        if (master != null) {
            org.pgflow.config.RunConfig.checkMaster("--master", master);
        }
        if (config != null || !sets.isEmpty() || out != null) {
            throw new InvalidInputException("--resume takes the config, overrides and directory of the run itself: "
                    + "drop CONFIG.yaml, --set and --out");
        }
        RunManifest manifest = RunDirectory.readForResume(resume);
        if (manifest.status() == RunManifest.Status.COMPLETED) {
            throw new InvalidInputException("--resume " + resume + ": the run has already completed");
        }
        Path file = Path.of(manifest.configFile() != null ? manifest.configFile()
                : resume.resolve(RunManifest.FILE).toString());
        Launcher.Prepared p = Launcher.prepare(ConfigTree.of(manifest.config()), file);
        // Verified completely before anything in the run directory is touched: the checkpoint (manifest, every
        // file's length and checksum, the block structure) and the metrics the run continues.
        org.pgflow.train.Checkpoints.Resume point = org.pgflow.io.CheckpointStore.load(resume, resumeFrom,
                p.expectedCheckpoint());
        Launcher.verifyResumable(p, resume, point);
        String masterUrl = master != null ? master : manifest.execution() != null
                && manifest.execution().master() != null ? manifest.execution().master() : p.cfg().spark().master();
        EngineKind kind = Engines.resolve(p.cfg(), Engines.parse(engine), masterUrl);
        ResourceEstimate.check(p, kind, masterUrl);
        try (RunDirectory.Lock lock = RunDirectory.lock(resume, "--resume")) {
            Engine e = Engines.open(p.cfg(), kind, masterUrl, "pgflow " + p.cfg().name(), verbose);
            return execute(p, kind, e, point, engine -> {
                RunDirectory run = RunDirectory.reopen(resume, point.iteration());
                spec.commandLine().getErr().println("pgflow: resuming " + resume + " at iteration " + point.iteration()
                        + " on the " + engine.name() + " engine");
                return new Opened(run, null);
            });
        }
    }
}
