package org.pgflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pgflow.io.AtomicFiles;
import org.pgflow.io.RunDirectory;
import org.pgflow.io.StudyPlots;
import org.pgflow.run.ResourceEstimate;
import org.pgflow.run.StudyPlan;
import org.pgflow.run.StudySummary;
import org.pgflow.util.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pgflow study STUDY.yaml}: a grid over config keys, every cell a run. The study file and its cells are
 * {@link StudyPlan}'s, running the cells is {@link StudyCells}', study.csv is {@link StudySummary}'s.
 * <pre>
 *   name: portfolio-frontier
 *   base: ../portfolio-variance.yaml      # relative to the study file
 *   set: {iterations: 300}                # overrides for every cell (optional)
 *   grid:                                 # cartesian product, in this order
 *     variance.lambda: [0, 1, 2, 5, 10]
 *     seed: [1, 2, 3]
 * </pre>
 * Writes {@code DIR/cells/CELL/} (a run directory per cell), {@code DIR/study.csv} (one row per cell: the grid
 * values, the status and the final metrics of its run.json) and the study plots ({@link StudyPlots}).
 * Every cell is validated before the first one runs. Rerunning the same command resumes: completed cells are
 * skipped, unfinished ones are run again from scratch.
 *
 * <p>Cells run in parallel. On an embedded master they share the cores on the in-JVM engine (cells running at
 * once × threads per cell ≤ cores). On a cluster, cells small enough for one executor
 * ({@link StudyCells#fitsOneTask}) run as the tasks of one Spark job, one cell per task; larger cells run one after
 * another on the distributed engine. Every cell's metrics are the same bits as the same cell run alone.
 *
 * <p>Failures: a grid of more cells than {@link ResourceEstimate#checkStudy} allows is refused before it is
 * expanded, and a cell that cannot fit in memory before any cell runs (exit 2). The study directory is locked
 * while the study runs (a second study on it exits 2); every cell directory is claimed atomically. A failed cell
 * leaves {@code status: failed} and its {@code error.log}; the others still run, and the study exits 1 with one
 * line naming the first failure.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Run a grid of experiments (one run directory per cell), write study.csv and the study plots. "
                + "Rerun to resume: finished cells are skipped.")
final class StudyCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STUDY.yaml", description = "study definition")
    Path studyFile;

    @Option(names = "--set", paramLabel = "key.path=value", description = "override a key in every cell (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "study directory (default runs/NAME)")
    Path out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark.master of the first cell)")
    String master;

    @Option(names = "--engine", paramLabel = "auto|local|spark",
            description = "auto (default): cells on the in-JVM engine on an embedded master, as Spark tasks on a cluster")
    String engine;

    @Option(names = "--verbose", description = "show Spark's INFO logging and full stack traces")
    boolean verbose;

    @Override
    @SuppressWarnings("try") // the directory lock is held for the block's duration, not referenced in it
    public Integer call() {
        if (master != null) {
            org.pgflow.config.RunConfig.checkMaster("--master", master);
        }
        StudyPlan plan = StudyPlan.load(studyFile, sets);
        Path dir = out != null ? out : Path.of("runs", plan.name());
        PrintWriter stdout = spec.commandLine().getOut();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidInputException("--out " + dir + " exists and is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InvalidInputException("--out " + dir + " cannot be created: " + AtomicFiles.reason(e));
        }
        // One study at a time in a directory: a second one would delete the cells the first is running.
        try (RunDirectory.Lock lock = RunDirectory.lock(dir, "study --out")) {
            try {
                Files.createDirectories(dir.resolve("cells"));
            } catch (IOException e) {
                throw new InvalidInputException("--out " + dir + ": cannot create its cells/: " + AtomicFiles.reason(e));
            }
            List<StudyPlan.Cell> todo = plan.unfinished(dir, stdout);
            RuntimeException failure = todo.isEmpty() ? null
                    : new StudyCells(stdout, spec.commandLine().getErr(), master, engine, verbose).run(todo, dir);
            List<Map<String, String>> rows = StudySummary.rows(plan, dir);
            StudySummary.write(dir.resolve("study.csv"), plan.keys(), rows);
            List<Path> plots = StudyPlots.write(dir, plan.keys(), rows);
            stdout.println("study directory: " + dir + " (" + plan.cells().size() + " cells, study.csv, " + plots.size()
                    + " plots)");
            stdout.flush();
            if (failure != null) {
                throw failure;
            }
            return 0;
        }
    }
}
