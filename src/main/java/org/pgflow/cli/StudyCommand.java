package org.pgflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pgflow.config.ConfigTree;
import org.pgflow.io.AtomicFiles;
import org.pgflow.io.RunDirectory;
import org.pgflow.io.StudyPlots;
import org.pgflow.config.EngineKind;
import org.pgflow.io.Progress;
import org.pgflow.run.CellRunner;
import org.pgflow.run.Engine;
import org.pgflow.run.Launcher;
import org.pgflow.run.LocalEngine;
import org.pgflow.run.Reports;
import org.pgflow.run.ResourceEstimate;
import org.pgflow.spark.SparkEngine;
import org.pgflow.spark.SparkStudy;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.JsonFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pgflow study STUDY.yaml}: a grid over config keys, every cell a run.
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
 * ({@link #fitsOneTask}) run as the tasks of one Spark job, one cell per task; larger cells run one after
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

    /** Working set (bytes) up to which a cell runs as one task on a cluster. */
    static final long ONE_TASK_BYTES = 256L << 20;

    /** One cell of the grid. */
    record Cell(String id, Map<String, String> values, Launcher.Prepared prepared) {
    }

    @Override
    @SuppressWarnings("try") // the directory lock is held for the block's duration, not referenced in it
    public Integer call() {
        if (master != null) {
            org.pgflow.config.RunConfig.checkMaster("--master", master);
        }
        JsonNode study = readStudy();
        String name = text(study, "name", studyFile.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        Path base = studyFile.toAbsolutePath().getParent().resolve(text(study, "base", null)).normalize();
        Map<String, List<JsonNode>> grid = grid(study);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        grid.forEach((k, v) -> sizes.put(k, v.size()));
        ResourceEstimate.checkStudy(sizes, ResourceEstimate.Budget.heap()); // before the grid is expanded
        List<Cell> cells = expand(name, base, study.get("set"), grid);
        Path dir = out != null ? out : Path.of("runs", name);
        PrintWriter stdout = spec.commandLine().getOut();
        List<String> keys = new ArrayList<>(grid.keySet());
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
            List<Cell> todo = new ArrayList<>();
            for (Cell c : cells) {
                JsonNode manifest = readManifest(dir.resolve("cells").resolve(c.id()));
                if (manifest != null && "completed".equals(manifest.path("status").asText())) {
                    stdout.println("cell " + c.id() + ": completed earlier, skipped");
                } else {
                    todo.add(c);
                }
            }
            stdout.flush();
            RuntimeException failure = todo.isEmpty() ? null : runCells(todo, dir);
            List<Map<String, String>> rows = new ArrayList<>();
            for (Cell c : cells) {
                rows.add(row(c, readManifest(dir.resolve("cells").resolve(c.id()))));
            }
            writeCsv(dir.resolve("study.csv"), keys, rows);
            List<Path> plots = StudyPlots.write(dir, keys, rows);
            stdout.println("study directory: " + dir + " (" + cells.size() + " cells, study.csv, " + plots.size() + " plots)");
            stdout.flush();
            if (failure != null) {
                throw failure;
            }
            return 0;
        }
    }

    /** Runs the cells still to do; returns the first failure (the others still ran), or null. */
    private RuntimeException runCells(List<Cell> todo, Path dir) {
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
            AtomicFiles.deleteTree(dir.resolve("cells").resolve(c.id()));
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
                stdout().println(small.size() + " cells as tasks of one Spark job on " + url);
                stdout().flush();
                List<CellRunner.Task> tasks = new ArrayList<>();
                for (Cell c : small) {
                    tasks.add(new CellRunner.Task(c.id(), c.prepared().cfg().resolved().toString(),
                            c.prepared().configFile().toAbsolutePath().toString(), url, 1));
                }
                List<byte[]> zips = SparkStudy.run(spark.runtime(), tasks);
                for (int i = 0; i < small.size(); i++) {
                    Path runDir = dir.resolve("cells").resolve(small.get(i).id());
                    CellRunner.unzip(zips.get(i), runDir);
                    try {
                        Reports.write(runDir);
                    } catch (RuntimeException reportError) {
                        spec.commandLine().getErr().println("pgflow: warning: the report of " + runDir
                                + " could not be written: " + reportError);
                    }
                    stdout().println("cell " + small.get(i).id() + ": " + statusOf(runDir));
                }
                stdout().flush();
            }
            for (Cell c : large) {
                stdout().println("cell " + c.id() + " on the distributed engine");
                stdout().flush();
                try {
                    RunDirectory run = Launcher.createDirectory(c.prepared(), dir.resolve("cells").resolve(c.id()), e);
                    Launcher.execute(c.prepared(), e, run, stdout(), Progress.on(spec.commandLine().getErr(),
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
        PrintWriter out = stdout();
        java.util.concurrent.ExecutorService cellsPool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (Cell c : todo) {
                futures.add(cellsPool.submit(() -> {
                    try (LocalEngine e = new LocalEngine(threadsPerCell, url)) {
                        RunDirectory run = Launcher.createDirectory(c.prepared(), dir.resolve("cells").resolve(c.id()), e);
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
     * drift, noise and activation buffers, both clouds) is at most {@link #ONE_TASK_BYTES}. Actor–critic and
     * Monte Carlo cells with fewer particles are always small.
     */
    static boolean fitsOneTask(Launcher.Prepared p) {
        if (p.meanfield() == null) {
            return true;
        }
        var mf = p.cfg().meanfield();
        long inputs = p.meanfield().mdp() != null ? p.meanfield().mdp().inputDimension() : p.meanfield().mc().env().inputDim();
        long dim = mf.units() * (inputs + 2L);
        long bytes = mf.particles() * dim * 8L * 4 * (mf.coupled() ? 2 : 1);
        return bytes <= ONE_TASK_BYTES;
    }

    private static String statusOf(Path runDir) {
        JsonNode m = readManifest(runDir);
        return m == null ? "missing" : m.path("status").asText();
    }

    private PrintWriter stdout() {
        return spec.commandLine().getOut();
    }

    private JsonNode readStudy() {
        if (!Files.isRegularFile(studyFile)) {
            throw new InvalidInputException("study file " + studyFile + " does not exist or is not a file");
        }
        JsonNode n = org.pgflow.util.StrictYaml.readMapping(studyFile, "study file");
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!List.of("name", "base", "set", "grid").contains(k)) {
                throw new InvalidInputException("unknown study key '" + k + "' (accepted: name, base, set, grid)");
            }
        }
        JsonNode set = n.get("set");
        if (set != null && !set.isNull() && !set.isObject()) {
            throw new InvalidInputException("study key 'set' must map config keys to values but was " + set);
        }
        return n;
    }

    private static String text(JsonNode n, String key, String def) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (def == null) {
                throw new InvalidInputException("missing study key '" + key + "'");
            }
            return def;
        }
        if (!v.isTextual()) {
            throw new InvalidInputException("study key '" + key + "' must be a string but was " + v);
        }
        return v.asText();
    }

    private static Map<String, List<JsonNode>> grid(JsonNode study) {
        JsonNode g = study.get("grid");
        if (g == null || !g.isObject() || g.size() == 0) {
            throw new InvalidInputException("study key 'grid' must map config keys to lists of values");
        }
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray() || e.getValue().size() == 0) {
                throw new InvalidInputException("grid." + e.getKey() + " must be a non-empty list but was " + e.getValue());
            }
            Map<String, JsonNode> values = new LinkedHashMap<>();
            for (JsonNode v : e.getValue()) {
                if (!v.isValueNode()) {
                    throw new InvalidInputException("grid." + e.getKey() + " must list scalars but has " + v);
                }
                values.putIfAbsent(v.asText(), v);
            }
            out.put(e.getKey(), new ArrayList<>(values.values()));
        }
        return out;
    }

    private List<Cell> expand(String name, Path base, JsonNode common, Map<String, List<JsonNode>> grid) {
        List<Map<String, JsonNode>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<JsonNode>> e : grid.entrySet()) {
            List<Map<String, JsonNode>> next = new ArrayList<>();
            for (Map<String, JsonNode> c : combos) {
                for (JsonNode v : e.getValue()) {
                    Map<String, JsonNode> m = new LinkedHashMap<>(c);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<Cell> cells = new ArrayList<>();
        for (Map<String, JsonNode> nodes : combos) {
            StringBuilder id = new StringBuilder();
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : nodes.entrySet()) {
                if (id.length() > 0) {
                    id.append('_');
                }
                values.put(e.getKey(), e.getValue().asText());
                String key = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
                id.append(key).append('=').append(e.getValue().asText().replaceAll("[^A-Za-z0-9.+-]", "-"));
            }
            ConfigTree tree = ConfigTree.load(base);
            if (common != null && common.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = common.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    tree.set(e.getKey(), e.getValue());
                }
            }
            for (String s : sets) {
                tree.set(s);
            }
            for (Map.Entry<String, JsonNode> e : nodes.entrySet()) {
                tree.set(e.getKey(), e.getValue());
            }
            tree.set("name", com.fasterxml.jackson.databind.node.TextNode.valueOf(name + "-" + id));
            try {
                cells.add(new Cell(id.toString(), values, Launcher.prepare(tree, base)));
            } catch (InvalidInputException e) {
                throw new InvalidInputException("cell " + id + ": " + e.getMessage());
            }
        }
        return cells;
    }

    private static JsonNode readManifest(Path runDir) {
        Path f = runDir.resolve("run.json");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return JsonFields.MAPPER.readTree(f.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, String> row(Cell c, JsonNode manifest) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("cell", c.id());
        r.putAll(c.values());
        r.put("status", manifest == null ? "missing" : manifest.path("status").asText());
        JsonNode fin = manifest == null ? null : manifest.get("final");
        if (fin != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = fin.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNumber()) {
                    r.put(e.getKey(), e.getValue().asText());
                }
            }
        }
        return r;
    }

    private static void writeCsv(Path file, List<String> keys, List<Map<String, String>> rows) {
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        columns.add("cell");
        columns.addAll(keys);
        columns.add("status");
        for (Map<String, String> r : rows) {
            columns.addAll(r.keySet());
        }
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, String> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(r.getOrDefault(c, ""));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
