package org.pgflow.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.pgflow.util.JsonFields;

/**
 * What a report reads from a run directory: the manifest ({@code run.json}, an empty one when absent), the
 * metrics ({@code metrics.csv}, column → values), and on demand the final policy, the particle snapshots and the
 * evaluation returns. Every field of the manifest the report uses is read here and nowhere else.
 *
 * @param dir      the run directory
 * @param manifest run.json
 * @param metrics  metrics.csv by column (empty when absent)
 */
record RunFiles(Path dir, JsonNode manifest, Map<String, double[]> metrics) {
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

    /** run.json as a tree, or an empty object when the run has none (yet). */
    private static JsonNode manifest(Path dir) throws IOException {
        Path file = dir.resolve("run.json");
        return Files.isRegularFile(file) ? JsonFields.MAPPER.readTree(file.toFile()) : JsonFields.MAPPER.createObjectNode();
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
        return manifest.path("name").asText(dir.getFileName().toString());
    }

    /** @return {@code meanfield}, {@code variance}, {@code tabular}, … or "" */
    String algorithm() {
        return manifest.path("algorithm").asText("");
    }

    /** @return the run's status, "unknown" when absent */
    String status() {
        return manifest.path("status").asText("unknown");
    }

    /** @return the recorded error, or null */
    String error() {
        return manifest.has("error") ? manifest.get("error").toString() : null;
    }

    /** @return V*(ρ) of the soft optimum when recorded, else NaN */
    double softOptimalValue() {
        return manifest.path("softOptimalValue").asDouble(Double.NaN);
    }

    /** @return the mean-field time step Δt (1 when absent) */
    double dt() {
        return manifest.path("config").path("meanfield").path("dt").asDouble(1.0);
    }

    /** @return the variance weight λ of the resolved config, NaN when absent */
    double lambda() {
        return manifest.path("config").path("variance").path("lambda").asDouble(Double.NaN);
    }

    /** @return a numeric field of the manifest's final metrics, NaN when absent */
    double finalValue(String key) {
        JsonNode v = manifest.path("final").path(key);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    /** @return the facts of {@link #FACTS} the manifest has, as (name, value) in order */
    Map<String, JsonNode> facts() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String k : FACTS) {
            if (manifest.has(k)) {
                out.put(k, manifest.get(k));
            }
        }
        return out;
    }

    /** @return the scalar final metrics, in their order, or null when the manifest has none */
    Map<String, JsonNode> finals() {
        if (!manifest.has("final")) {
            return null;
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = manifest.get("final").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode()) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** @return the resolved config, or null */
    JsonNode config() {
        return manifest.get("config");
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
