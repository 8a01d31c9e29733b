package org.pgflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
import org.pgflow.spark.SparkRuntime;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.JsonFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pgflow study STUDY.yaml}: a grid over config keys, every cell a run on one shared Spark session.
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
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Run a grid of experiments (one run directory per cell), write study.csv and the study plots. "
                + "Rerun to resume: finished cells are skipped.")
final class StudyCommand implements Callable<Integer> {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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

    /** One cell of the grid. */
    record Cell(String id, Map<String, String> values, RunLauncher.Prepared prepared) {
    }

    @Override
    public Integer call() {
        JsonNode study = readStudy();
        String name = text(study, "name", studyFile.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        Path base = studyFile.toAbsolutePath().getParent().resolve(text(study, "base", null)).normalize();
        Map<String, List<String>> grid = grid(study);
        List<Cell> cells = expand(name, base, study.get("set"), grid);
        Path dir = out != null ? out : Path.of("runs", name);
        PrintWriter stdout = spec.commandLine().getOut();
        List<String> keys = new ArrayList<>(grid.keySet());
        SparkRuntime session = null;
        try {
            Files.createDirectories(dir.resolve("cells"));
            List<Map<String, String>> rows = new ArrayList<>();
            int done = 0;
            for (Cell c : cells) {
                Path runDir = dir.resolve("cells").resolve(c.id());
                JsonNode manifest = readManifest(runDir);
                if (manifest != null && "completed".equals(manifest.path("status").asText())) {
                    stdout.println("cell " + c.id() + ": completed earlier, skipped");
                } else {
                    org.pgflow.io.AtomicFiles.deleteTree(runDir);
                    if (session == null) {
                        String url = master != null ? master : cells.get(0).prepared().cfg().spark().master();
                        session = SparkRuntime.open(url, "pgflow study " + name);
                    }
                    stdout.println("cell " + c.id() + " (" + (++done) + " to run)");
                    stdout.flush();
                    RunDirectory run = RunLauncher.createDirectory(c.prepared(), runDir, session.master());
                    RunLauncher.execute(c.prepared(), session, run, stdout, spec.commandLine().getErr());
                    manifest = readManifest(runDir);
                }
                rows.add(row(c, manifest));
                writeCsv(dir.resolve("study.csv"), keys, rows);
            }
            List<Path> plots = StudyPlots.write(dir, keys, rows);
            stdout.println("study directory: " + dir + " (" + cells.size() + " cells, study.csv, " + plots.size() + " plots)");
            stdout.flush();
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    private JsonNode readStudy() {
        if (!Files.isRegularFile(studyFile)) {
            throw new InvalidInputException("study file " + studyFile + " does not exist or is not a file");
        }
        try {
            JsonNode n = YAML.readTree(studyFile.toFile());
            if (n == null || !n.isObject()) {
                throw new InvalidInputException("study file " + studyFile + " must be a YAML mapping");
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!List.of("name", "base", "set", "grid").contains(k)) {
                    throw new InvalidInputException("unknown study key '" + k + "' (accepted: name, base, set, grid)");
                }
            }
            return n;
        } catch (IOException e) {
            throw new InvalidInputException("study file " + studyFile + " is not valid YAML: " + e.getMessage().split("\n")[0]);
        }
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

    private static Map<String, List<String>> grid(JsonNode study) {
        JsonNode g = study.get("grid");
        if (g == null || !g.isObject() || g.size() == 0) {
            throw new InvalidInputException("study key 'grid' must map config keys to lists of values");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray() || e.getValue().size() == 0) {
                throw new InvalidInputException("grid." + e.getKey() + " must be a non-empty list but was " + e.getValue());
            }
            LinkedHashSet<String> values = new LinkedHashSet<>();
            for (JsonNode v : e.getValue()) {
                if (!v.isValueNode()) {
                    throw new InvalidInputException("grid." + e.getKey() + " must list scalars but has " + v);
                }
                values.add(v.asText());
            }
            out.put(e.getKey(), new ArrayList<>(values));
        }
        return out;
    }

    private List<Cell> expand(String name, Path base, JsonNode common, Map<String, List<String>> grid) {
        List<Map<String, String>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> e : grid.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String v : e.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<Cell> cells = new ArrayList<>();
        for (Map<String, String> values : combos) {
            StringBuilder id = new StringBuilder();
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (id.length() > 0) {
                    id.append('_');
                }
                String key = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
                id.append(key).append('=').append(e.getValue().replaceAll("[^A-Za-z0-9.+-]", "-"));
            }
            ConfigTree tree = ConfigTree.load(base);
            if (common != null && common.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = common.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    tree.set(e.getKey() + "=" + e.getValue().asText());
                }
            }
            for (String s : sets) {
                tree.set(s);
            }
            for (Map.Entry<String, String> e : values.entrySet()) {
                tree.set(e.getKey() + "=" + e.getValue());
            }
            tree.set("name=" + name + "-" + id);
            try {
                cells.add(new Cell(id.toString(), values, RunLauncher.prepare(tree, base)));
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
