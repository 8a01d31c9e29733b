package org.pgflow.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pgflow.config.EngineKind;
import org.pgflow.io.AtomicFiles;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.run.CellRunner;
import org.pgflow.run.Engine;
import org.pgflow.run.Launcher;
import org.pgflow.run.LocalEngine;
import org.pgflow.run.Reports;
import org.pgflow.run.ResourceEstimate;
import org.pgflow.run.StudyPlan;
import org.pgflow.run.StudyPlan.Cell;
import org.pgflow.spark.SparkEngine;
import org.pgflow.spark.SparkStudy;
import org.pgflow.util.InvalidInputException;

/**
 * Runs a study's cells (docs/architecture.md §6), each into {@code DIR/cells/CELL/} from scratch. On an embedded
 * master they share the cores on the in-JVM engine (cells running at once × threads per cell ≤ cores). On a
 * cluster, cells small enough for one executor ({@link #fitsOneTask}) run as the tasks of one Spark job, one cell
 * per task; larger cells run one after another on the distributed engine. Every cell's metrics are the same bits
 * as the same cell run alone. A failed cell leaves its directory {@code failed}; the others still run.
 */
final class StudyCells {
    /** Working set (bytes) up to which a cell runs as one task on a cluster. */
    static final long ONE_TASK_BYTES = 256L << 20;

    private final PrintWriter out;
    private final PrintWriter err;
    private final String master;
    private final String engine;
    private final boolean verbose;

    /**
     * @param out     progress lines (one per cell)
     * @param err     warnings and the progress of cells on the distributed engine
     * @param master  {@code --master}, or null for the first cell's {@code spark.master}
     * @param engine  {@code --engine}, or null for the first cell's {@code engine:}
     * @param verbose Spark's INFO logging
     */
    StudyCells(PrintWriter out, PrintWriter err, String master, String engine, boolean verbose) {
        this.out = out;
        this.err = err;
        this.master = master;
        this.engine = engine;
        this.verbose = verbose;
    }

    /** Runs the cells still to do; returns the first failure (the others still ran), or null. */
    RuntimeException run(List<Cell> todo, Path dir) {
        Launcher.Prepared first = todo.get(0).prepared();
        String url = master != null ? master : first.cfg().spark().master();
        EngineKind kind = (Engines.parse(engine) != null ? Engines.parse(engine) : first.cfg().execution().engine())
                .resolve(url);
        for (Cell c : todo) { // every cell fits alone, or the study is refused before any runs
            try {
                ResourceEstimate.check(c.prepared(), kind, url);
            } catch (InvalidInputException e) {
                throw new InvalidInputException("cell " + c.id() + ": " + e.getMessage());
            }
        }
        for (Cell c : todo) {
            AtomicFiles.deleteTree(StudyPlan.cellDirectory(dir, c));
        }
        if (kind == EngineKind.LOCAL) {
            if (!url.startsWith("local")) {
                throw new InvalidInputException("--engine local runs in this JVM and cannot use the cluster master " + url);
            }
            return runLocally(todo, dir, url);
        }
        try (Engine e = Engines.open(first.cfg(), EngineKind.SPARK, url, "pgflow study", verbose)) {
            SparkEngine spark = (SparkEngine) e;
            List<Cell> small = new ArrayList<>();
            List<Cell> large = new ArrayList<>();
            for (Cell c : todo) {
                (fitsOneTask(c.prepared()) && !url.startsWith("local") ? small : large).add(c);
            }
            RuntimeException failure = null;
            if (!small.isEmpty()) {
                out.println(small.size() + " cells as tasks of one Spark job on " + url);
                out.flush();
                List<CellRunner.Task> tasks = new ArrayList<>();
                for (Cell c : small) {
                    tasks.add(new CellRunner.Task(c.id(), c.prepared().cfg().resolved().toString(),
                            c.prepared().configFile().toAbsolutePath().toString(), url, 1));
                }
                List<byte[]> zips = SparkStudy.run(spark.runtime(), tasks);
                for (int i = 0; i < small.size(); i++) {
                    Path runDir = StudyPlan.cellDirectory(dir, small.get(i));
                    CellRunner.unzip(zips.get(i), runDir);
                    try {
                        Reports.write(runDir);
                    } catch (RuntimeException reportError) {
                        err.println("pgflow: warning: the report of " + runDir
                                + " could not be written: " + reportError);
                    }
                    out.println("cell " + small.get(i).id() + ": " + statusOf(runDir));
                }
                out.flush();
            }
            for (Cell c : large) {
                out.println("cell " + c.id() + " on the distributed engine");
                out.flush();
                try {
                    RunDirectory run = Launcher.createDirectory(c.prepared(), StudyPlan.cellDirectory(dir, c), e);
                    Launcher.execute(c.prepared(), e, run, out, Progress.on(err,
                            Launcher.progressMetric(c.prepared())), null, true);
                } catch (RuntimeException err) {
                    failure = failure == null ? err : failure;
                }
            }
            return failure;
        }
    }

    /** Cells on the in-JVM engine, as many at once as there are cores, the cores shared among them. */
    private RuntimeException runLocally(List<Cell> todo, Path dir, String url) {
        int cores = LocalEngine.threads(org.pgflow.config.RunConfig.SparkSpec.AUTO, url);
        int parallel = Math.min(cores, todo.size());
        int threadsPerCell = Math.max(1, cores / parallel);
        java.util.concurrent.ExecutorService cellsPool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (Cell c : todo) {
                futures.add(cellsPool.submit(() -> {
                    try (LocalEngine e = new LocalEngine(threadsPerCell, url)) {
                        RunDirectory run = Launcher.createDirectory(c.prepared(), StudyPlan.cellDirectory(dir, c), e);
                        java.io.StringWriter buf = new java.io.StringWriter();
                        PrintWriter quiet = new PrintWriter(buf);
                        Launcher.execute(c.prepared(), e, run, quiet, new Progress(quiet, false, 1e9, "-"), null, true);
                        synchronized (out) {
                            out.println("cell " + c.id() + ": completed");
                            out.flush();
                        }
                    }
                    return null;
                }));
            }
            RuntimeException failure = null;
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get();
                } catch (java.util.concurrent.ExecutionException ex) {
                    Throwable t = ex.getCause();
                    synchronized (out) {
                        out.println("cell " + todo.get(i).id() + ": failed: " + t.getMessage());
                        out.flush();
                    }
                    if (failure == null) {
                        failure = t instanceof RuntimeException r ? r : new IllegalStateException(t);
                    }
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("study interrupted", ex);
                }
            }
            return failure;
        } finally {
            cellsPool.shutdownNow();
        }
    }

    /**
     * Whether a cell is small enough to run as one task on one executor: its particle working set (parameters,
     * drift, noise and activation buffers, both clouds; {@link org.pgflow.run.MeanFieldJob.Problem#inputDim} inputs
     * per neuron) is at most {@link #ONE_TASK_BYTES}. Actor–critic and
     * Monte Carlo cells with fewer particles are always small.
     */
    static boolean fitsOneTask(Launcher.Prepared p) {
        if (p.meanfield() == null) {
            return true;
        }
        var mf = p.cfg().meanfield();
        long inputs = p.meanfield().inputDim();
        long dim = mf.units() * (inputs + 2L);
        long bytes = mf.particles() * dim * 8L * 4 * (mf.coupled() ? 2 : 1);
        return bytes <= ONE_TASK_BYTES;
    }

    private static String statusOf(Path runDir) {
        org.pgflow.io.RunManifest m = org.pgflow.io.RunManifest.readIfPresent(runDir);
        return m == null ? "missing" : m.status().text();
    }
}
