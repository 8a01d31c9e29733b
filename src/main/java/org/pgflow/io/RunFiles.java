package org.pgflow.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.pgflow.util.JsonFields;

/**
 * What a report reads from a run directory: the manifest ({@code run.json} as a {@link RunManifest}; none when
 * absent or unreadable, and the report is then empty of facts), the metrics ({@code metrics.csv}, column → values),
 * and on demand the final policy, the particle snapshots and the evaluation returns. Every field of the manifest the
 * report uses is read here and nowhere else.
 *
 * @param dir      the run directory
 * @param manifest run.json, or null
 * @param metrics  metrics.csv by column (empty when absent)
 */
record RunFiles(Path dir, RunManifest manifest, Map<String, double[]> metrics) {
    /** The manifest fields shown as the run's facts, in this order. */
    static final List<String> FACTS = List.of("algorithm", "problem", "seed", "master", "partitions", "startTime",
            "endTime", "pgflowVersion", "gitCommit", "sparkVersion", "javaVersion", "os", "arch", "softOptimalValue");

    /**
     * Reads a run directory (finished, failed or running).
     *
     * @param dir the directory
     * @return what it holds
     * @throws IOException if a file cannot be read
     */
    static RunFiles read(Path dir) throws IOException {
        Path csv = dir.resolve("metrics.csv");
        return new RunFiles(dir, manifest(dir), Files.isRegularFile(csv) ? metrics(csv) : Map.of());
    }

    /** run.json, or null when the run has none (yet) or it is not a run manifest. */
    private static RunManifest manifest(Path dir) {
        return RunManifest.readIfPresent(dir);
    }

    /**
     * A parsed metrics.csv: column name → values (NaN for blanks); a last row still being written is ignored.
     *
     * @param file the file
     * @return the columns
     * @throws IOException if it cannot be read
     */
    static Map<String, double[]> metrics(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, double[]> cols = new HashMap<>();
        if (lines.isEmpty()) {
            return cols;
        }
        String[] header = lines.get(0).split(",", -1);
        int n = lines.size() - 1;
        double[][] data = new double[header.length][n];
        int rows = 0;
        for (int i = 1; i <= n; i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.length) {
                break; // a row being written
            }
            for (int c = 0; c < header.length; c++) {
                data[c][rows] = StudyPlots.num(cells[c]);
            }
            rows++;
        }
        for (int c = 0; c < header.length; c++) {
            cols.put(header[c], Arrays.copyOf(data[c], rows));
        }
        return cols;
    }

    /** @return a metrics column, or null */
    double[] column(String name) {
        return metrics.get(name);
    }

    /** @return whether metrics.csv has at least one iteration */
    boolean hasIterations() {
        double[] k = metrics.get("iteration");
        return k != null && k.length > 0;
    }

    /** @return the run's name (the directory's when the manifest has none) */
    String name() {
        return manifest != null && manifest.name() != null ? manifest.name() : dir.getFileName().toString();
    }

    /** @return {@code meanfield}, {@code variance}, {@code tabular}, … or "" */
    String algorithm() {
        return manifest != null && manifest.algorithm() != null ? manifest.algorithm() : "";
    }

    /** @return the run's status, "unknown" when absent */
    String status() {
        return manifest != null ? manifest.status().text() : "unknown";
    }

    /** @return the recorded error (its run.json object as text), or null */
    String error() {
        return manifest != null && manifest.error() != null ? manifest.error().toJson().toString() : null;
    }

    /** @return V*(ρ) of the soft optimum when recorded, else NaN */
    double softOptimalValue() {
        Double v = manifest != null ? manifest.problem().softOptimalValue() : null;
        return v != null ? v : Double.NaN;
    }

    /** @return the mean-field time step Δt (1 when absent) */
    double dt() {
        return configTree().path("meanfield").path("dt").asDouble(1.0);
    }

    /** @return the variance weight λ of the resolved config, NaN when absent */
    double lambda() {
        return configTree().path("variance").path("lambda").asDouble(Double.NaN);
    }

    /** @return a numeric field of the manifest's final metrics, NaN when absent */
    double finalValue(String key) {
        Double v = manifest != null && manifest.fin() != null ? manifest.fin().get(key) : null;
        return v != null ? v : Double.NaN;
    }

    /** @return the facts of {@link #FACTS} the manifest has, as (name, value) in order */
    Map<String, JsonNode> facts() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (manifest == null) {
            return out;
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        RunManifest.Execution ex = manifest.execution();
        RunManifest.Provenance pv = manifest.provenance();
        for (String k : FACTS) {
            Object v = switch (k) {
                case "algorithm" -> manifest.algorithm();
                case "problem" -> manifest.problem().problem();
                case "seed" -> manifest.seed();
                case "master" -> ex != null ? ex.master() : null;
                case "partitions" -> ex == null || ex.local() ? null : ex.partitions() != null ? ex.partitions() : "auto";
                case "startTime" -> manifest.startTime() != null ? manifest.startTime().toString() : null;
                case "endTime" -> manifest.endTime() != null ? manifest.endTime().toString() : null;
                case "pgflowVersion" -> pv != null ? pv.pgflowVersion() : null;
                case "gitCommit" -> pv != null ? pv.gitCommit() : null;
                case "sparkVersion" -> ex != null ? ex.sparkVersion() : null;
                case "javaVersion" -> pv != null ? pv.javaVersion() : null;
                case "os" -> pv != null ? pv.os() : null;
                case "arch" -> pv != null ? pv.arch() : null;
                case "softOptimalValue" -> manifest.problem().softOptimalValue();
                default -> throw new IllegalStateException("no fact " + k);
            };
            if (v instanceof String t) {
                out.put(k, nodes.textNode(t));
            } else if (v instanceof Integer i) {
                out.put(k, nodes.numberNode(i));
            } else if (v instanceof Long l) {
                out.put(k, nodes.numberNode(l));
            } else if (v instanceof Double d) {
                out.put(k, number(d));
            }
        }
        return out;
    }

    /**
     * @return the final metrics without θ, in their order, or null when the manifest has none (a value that is not
     *         finite as run.json spells it: {@code NaN}, {@code Infinity})
     */
    Map<String, JsonNode> finals() {
        if (manifest == null || manifest.fin() == null) {
            return null;
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        manifest.fin().values().forEach((k, v) -> out.put(k, number(v)));
        return out;
    }

    /** @return the resolved config, or null */
    JsonNode config() {
        return manifest != null ? manifest.config() : null;
    }

    private JsonNode configTree() {
        JsonNode c = config();
        return c != null ? c : JsonNodeFactory.instance.objectNode();
    }

    /** A number as run.json holds it: a JSON number, or the text of a value that is not finite. */
    private static JsonNode number(double v) {
        return Double.isFinite(v) ? DoubleNode.valueOf(v) : JsonNodeFactory.instance.textNode(Double.toString(v));
    }

    /**
     * @return the final policy's probabilities {@code π[s][a]} from policy.json, or null when absent
     * @throws IOException if it cannot be read
     */
    double[][] policy() throws IOException {
        Path file = dir.resolve("policy.json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode p = JsonFields.MAPPER.readTree(file.toFile()).get("probabilities");
        double[][] pi = new double[p.size()][];
        for (int s = 0; s < pi.length; s++) {
            pi[s] = new double[p.get(s).size()];
            for (int a = 0; a < pi[s].length; a++) {
                pi[s][a] = p.get(s).get(a).asDouble();
            }
        }
        return pi;
    }

    /**
     * @return the complete particle snapshots ({@code particles/iter-*} with {@code _SUCCESS}), oldest first
     * @throws IOException if the directory cannot be listed
     */
    List<Path> snapshots() throws IOException {
        Path particles = dir.resolve("particles");
        if (!Files.isDirectory(particles)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(particles)) {
            return s.filter(p -> p.getFileName().toString().startsWith("iter-")
                    && Files.isRegularFile(p.resolve("_SUCCESS"))).sorted().toList();
        }
    }

    /**
     * @return the evaluation returns of returns.csv, or null when absent
     * @throws IOException if it cannot be read
     */
    double[] returns() throws IOException {
        Path file = dir.resolve("returns.csv");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        return Files.readAllLines(file).stream().skip(1).mapToDouble(StudyPlots::num).filter(Double::isFinite).toArray();
    }
}
