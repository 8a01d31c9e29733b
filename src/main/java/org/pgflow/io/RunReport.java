package org.pgflow.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.pgflow.stats.Fits;
import org.pgflow.util.JsonFields;

/**
 * The pictures and the HTML page of a run directory ({@code plots/*.png}, {@code report.html}), built from what
 * the directory holds — so it works on a finished, a failed and a running run alike. Mean-field runs get the
 * objective, value and gap (log scale) curves, the coupled W2 with its fitted exponential rate, the policy
 * against the soft-optimal policy, and the particle clouds (first and last snapshot projected on the two
 * principal axes of the last one); variance runs get J, Var and η with ±2 SE bands and the distribution of the
 * learned policy's return. {@code report.html} embeds the images (readable offline, self-contained) and shows
 * the run's facts and resolved config.
 */
public final class RunReport {
    /** Reads a particle snapshot (Parquet) as rows; implemented with Spark by the caller. */
    public interface SnapshotReader {
        /**
         * @param snapshot a {@code particles/iter-*} directory
         * @param maxRows  at most this many rows
         * @return particle rows (flat layout)
         */
        double[][] read(Path snapshot, int maxRows);
    }

    /** The optimal policy to compare with, when the problem is finite (computed by the caller). */
    public interface OptimalPolicy {
        /** @return {@code π*[s][a]}, or null when unavailable */
        double[][] get();
    }

    private RunReport() {
    }

    /**
     * A parsed metrics.csv: column name → values (NaN for blanks); a last row still being written is ignored.
     *
     * @param file the file
     * @return the columns
     * @throws IOException if it cannot be read
     */
    public static Map<String, double[]> readMetrics(Path file) throws IOException {
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
            cols.put(header[c], java.util.Arrays.copyOf(data[c], rows));
        }
        return cols;
    }

    /**
     * Writes the plots and report.html of a run directory.
     *
     * @param dir       the run directory
     * @param snapshots reads particle snapshots, or null to skip the cloud plot
     * @param optimal   the optimal policy for the policy plot, or null
     * @return the plot files written
     */
    public static List<Path> write(Path dir, SnapshotReader snapshots, OptimalPolicy optimal) {
        try {
            JsonNode manifest = Files.isRegularFile(dir.resolve("run.json"))
                    ? JsonFields.MAPPER.readTree(dir.resolve("run.json").toFile()) : JsonFields.MAPPER.createObjectNode();
            Map<String, double[]> m = Files.isRegularFile(dir.resolve("metrics.csv"))
                    ? readMetrics(dir.resolve("metrics.csv")) : Map.of();
            Path plots = dir.resolve("plots");
            List<Path> files = new ArrayList<>();
            String algorithm = manifest.path("algorithm").asText("");
            if (m.containsKey("iteration") && m.get("iteration").length > 0) {
                if (algorithm.equals("variance") || m.containsKey("eta")) { // also variance-adjusted mean-field
                    files.addAll(varianceCurves(plots, m));
                } else {
                    files.addAll(meanFieldCurves(plots, m, manifest));
                }
            }
            if (algorithm.equals("meanfield") || algorithm.equals("tabular")) {
                double[][] pi = readPolicy(dir.resolve("policy.json"));
                double[][] star = optimal == null ? null : optimal.get();
                if (pi != null && star != null) {
                    files.add(policyBars(plots, pi, star));
                }
                if (snapshots != null) {
                    Path cloud = clouds(plots, dir.resolve("particles"), snapshots);
                    if (cloud != null) {
                        files.add(cloud);
                    }
                }
            }
            if (Files.isRegularFile(dir.resolve("returns.csv"))) {
                files.add(returnHistogram(plots, dir.resolve("returns.csv")));
            }
            html(dir, manifest, files);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + dir, e);
        }
    }

    private static List<Path> meanFieldCurves(Path plots, Map<String, double[]> m, JsonNode manifest) {
        double[] k = m.get("iteration");
        List<Path> files = new ArrayList<>();
        List<Plots.Series> obj = new ArrayList<>(List.of(Plots.Series.line("objective (Gaussian-fit KL)", k, m.get("objective"))));
        if (m.containsKey("objective_knn")) {
            obj.add(Plots.Series.points("objective (kNN KL)", k, m.get("objective_knn"), null));
        }
        files.add(Plots.xy(plots.resolve("objective.png"), "Objective J^{τ,σ} = V(ρ) − σ²/2 · KL", "iteration",
                "objective", false, false, obj));
        List<Plots.Series> val = new ArrayList<>();
        if (hasData(m.get("value_mc"))) { // Monte Carlo mode: V̂(ρ) with a ±2 SE band
            double[] v = m.get("value_mc");
            double[] se = m.get("value_se");
            double[] lo = new double[v.length];
            double[] hi = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                lo[i] = v[i] - 2 * se[i];
                hi[i] = v[i] + 2 * se[i];
            }
            val.add(Plots.Series.line("V̂(ρ) (Monte Carlo)", k, v));
            val.add(Plots.Series.line("−2 SE", k, lo));
            val.add(Plots.Series.line("+2 SE", k, hi));
        }
        if (hasData(m.get("value"))) {
            val.add(Plots.Series.line("V(ρ) of π_ν (exact)", k, m.get("value")));
        }
        if (manifest.has("softOptimalValue")) {
            double[] star = new double[k.length];
            java.util.Arrays.fill(star, manifest.get("softOptimalValue").asDouble());
            val.add(Plots.Series.line("soft optimum V*(ρ)", k, star));
        }
        files.add(Plots.xy(plots.resolve("value.png"), "Value of the mean-field policy", "iteration", "V_τ(ρ)", false,
                false, val));
        if (hasData(m.get("gap"))) {
            boolean both = hasData(m.get("gap0"));
            List<Plots.Series> gap = new ArrayList<>(List.of(Plots.Series.line(
                    both ? "gap_tau = V*_τk(ρ) − V_τk(ρ)" : "gap", k, m.get("gap"))));
            if (hasData(m.get("gap_coupled"))) {
                gap.add(Plots.Series.line("gap (coupled cloud)", k, m.get("gap_coupled")));
            }
            if (both) { // against the unregularised optimum: what annealing τ → 0 drives to 0 (docs/algorithms.md §2.12)
                gap.add(Plots.Series.line("gap0 = V*_0(ρ) − V_0(ρ)", k, m.get("gap0")));
            }
            files.add(Plots.xy(plots.resolve("gap.png"), both ? "Gaps to the soft optimum of τ_k and to the "
                    + "unregularised optimum" : "Gap to the soft optimum V*(ρ) − V(ρ)", "iteration", "gap",
                    false, true, gap));
        }
        if (hasData(m.get("env_return"))) {
            files.add(Plots.xy(plots.resolve("episode-return.png"), "The environment's own return per episode",
                    "iteration", "return", false, false, List.of(
                            new Plots.Series("return (mean ± SE)", k, m.get("env_return"), m.get("env_return_se"), false))));
        }
        double[] w2 = m.get("w2_coupled");
        if (hasData(w2)) {
            double dt = manifest.path("config").path("meanfield").path("dt").asDouble(1.0);
            double[] t = new double[k.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = k[i] * dt;
            }
            Fits.Decay fit = Fits.decay(t, w2);
            List<Plots.Series> s = new ArrayList<>(List.of(Plots.Series.line("coupled distance", t, w2)));
            String title = "Synchronous-coupling distance";
            if (fit != null && Double.isFinite(fit.rate())) {
                int end = 0;
                while (end < t.length && t[end] <= fit.windowEnd()) {
                    end++;
                }
                double[] ft = java.util.Arrays.copyOf(t, end);
                double[] fw = new double[end];
                for (int i = 0; i < end; i++) {
                    fw[i] = Math.exp(fit.intercept() - fit.rate() * ft[i]);
                }
                s.add(Plots.Series.line(String.format(Locale.ROOT, "fit exp(%.2f − %.4f t), t ≤ %.1f", fit.intercept(),
                        fit.rate(), fit.windowEnd()), ft, fw));
                title += String.format(Locale.ROOT, " (fitted rate β = %.4f)", fit.rate());
            }
            files.add(Plots.xy(plots.resolve("w2-coupled.png"), title, "t = iteration · Δt", "W2 (paired)", false,
                    true, s));
        }
        return files;
    }

    private static boolean hasData(double[] v) {
        if (v == null) {
            return false;
        }
        for (double x : v) {
            if (Double.isFinite(x)) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> varianceCurves(Path plots, Map<String, double[]> m) {
        double[] k = m.get("iteration");
        List<Path> files = new ArrayList<>();
        for (String[] q : new String[][] {{"J", "J_se", "exact_J"}, {"Var", "Var_se", "exact_Var"}, {"eta", "eta_se", "exact_eta"}}) {
            double[] v = m.get(q[0]);
            double[] se = m.get(q[1]);
            double[] lo = new double[v.length];
            double[] hi = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                lo[i] = v[i] - 2 * se[i];
                hi[i] = v[i] + 2 * se[i];
            }
            List<Plots.Series> s = new ArrayList<>(List.of(Plots.Series.line(q[0] + " (Monte Carlo)", k, v),
                    Plots.Series.line("−2 SE", k, lo), Plots.Series.line("+2 SE", k, hi)));
            if (hasData(m.get(q[2]))) {
                s.add(Plots.Series.line(q[0] + " (exact)", k, m.get(q[2])));
            }
            files.add(Plots.xy(plots.resolve(q[0] + ".png"), q[0] + " of π_θ per iteration (±2 SE band)", "iteration",
                    q[0], false, false, s));
        }
        return files;
    }

    private static Path returnHistogram(Path plots, Path returnsCsv) throws IOException {
        List<String> lines = Files.readAllLines(returnsCsv);
        double[] r = lines.stream().skip(1).mapToDouble(StudyPlots::num).filter(Double::isFinite).toArray();
        double lo = java.util.Arrays.stream(r).min().orElse(0);
        double hi = java.util.Arrays.stream(r).max().orElse(1);
        int bins = 50;
        double w = hi > lo ? (hi - lo) / bins : 1;
        double[] x = new double[2 * bins];
        double[] y = new double[2 * bins];
        int[] counts = new int[bins];
        for (double v : r) {
            counts[Math.min(bins - 1, (int) ((v - lo) / w))]++;
        }
        for (int b = 0; b < bins; b++) { // a step outline of the histogram (density)
            x[2 * b] = lo + b * w;
            x[2 * b + 1] = lo + (b + 1) * w;
            y[2 * b] = counts[b] / (r.length * w);
            y[2 * b + 1] = y[2 * b];
        }
        return Plots.xy(plots.resolve("returns.png"), "Return distribution of the learned policy (" + r.length
                + " episodes)", "return B", "density", false, false, List.of(Plots.Series.line("density", x, y)));
    }

    private static double[][] readPolicy(Path file) throws IOException {
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

    private static Path policyBars(Path plots, double[][] pi, double[][] star) {
        List<String> cats = new ArrayList<>();
        int n = 0;
        for (double[] row : pi) {
            n += row.length;
        }
        double[][] v = new double[2][n];
        int q = 0;
        for (int s = 0; s < pi.length; s++) {
            for (int a = 0; a < pi[s].length; a++) {
                cats.add("s" + s + " a" + a);
                v[0][q] = pi[s][a];
                v[1][q] = star[s][a];
                q++;
            }
        }
        return Plots.bars(plots.resolve("policy.png"), "Final policy π_ν against the soft-optimal π*", cats,
                List.of("π_ν (final)", "π* (soft optimum)"), v, "probability");
    }

    private static Path clouds(Path plots, Path particles, SnapshotReader reader) throws IOException {
        if (!Files.isDirectory(particles)) {
            return null;
        }
        List<Path> snaps;
        try (Stream<Path> s = Files.list(particles)) {
            snaps = s.filter(p -> p.getFileName().toString().startsWith("iter-") && Files.isRegularFile(p.resolve("_SUCCESS")))
                    .sorted().toList();
        }
        if (snaps.isEmpty()) {
            return null;
        }
        double[][] last = reader.read(snaps.get(snaps.size() - 1), 2000);
        double[][] axes = principalAxes(last, 2);
        List<Plots.Series> series = new ArrayList<>();
        if (snaps.size() > 1) {
            double[][] first = reader.read(snaps.get(0), 2000);
            series.add(Plots.Series.points(snaps.get(0).getFileName().toString(), project(first, axes, 0),
                    project(first, axes, 1), null));
        }
        series.add(Plots.Series.points(snaps.get(snaps.size() - 1).getFileName().toString(), project(last, axes, 0),
                project(last, axes, 1), null));
        return Plots.xy(plots.resolve("particles.png"), "Particle clouds on the two principal axes of the last snapshot",
                "PC 1", "PC 2", false, false, series);
    }

    private static double[] project(double[][] rows, double[][] axes, int a) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double s = 0;
            for (int j = 0; j < rows[i].length; j++) {
                s += rows[i][j] * axes[a][j];
            }
            out[i] = s;
        }
        return out;
    }

    /** Leading eigenvectors of the sample covariance by power iteration with deflation. */
    static double[][] principalAxes(double[][] rows, int count) {
        int d = rows[0].length;
        double[] mean = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / rows.length;
            }
        }
        double[][] c = new double[d][d];
        for (double[] r : rows) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    c[i][j] += (r[i] - mean[i]) * (r[j] - mean[j]) / rows.length;
                }
            }
        }
        double[][] axes = new double[count][];
        for (int a = 0; a < count; a++) {
            double[] v = new double[d];
            java.util.Arrays.fill(v, 1 / Math.sqrt(d));
            v[a % d] += 0.5;
            for (int it = 0; it < 500; it++) {
                double[] w = new double[d];
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        w[i] += c[i][j] * v[j];
                    }
                }
                for (int b = 0; b < a; b++) { // deflate: stay orthogonal to earlier axes
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += w[i] * axes[b][i];
                    }
                    for (int i = 0; i < d; i++) {
                        w[i] -= dot * axes[b][i];
                    }
                }
                double n = 0;
                for (double x : w) {
                    n += x * x;
                }
                n = Math.sqrt(n);
                if (!(n > 0)) {
                    break;
                }
                for (int i = 0; i < d; i++) {
                    v[i] = w[i] / n;
                }
            }
            axes[a] = v;
        }
        return axes;
    }

    private static void html(Path dir, JsonNode manifest, List<Path> files) throws IOException {
        StringBuilder h = new StringBuilder();
        String name = esc(manifest.path("name").asText(dir.getFileName().toString()));
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>pgflow run ").append(name).append("</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
                        + "img{max-width:100%;border:1px solid #eee;margin:0.5em 0}pre{background:#f6f6f6;padding:1em;overflow:auto}"
                        + ".failed{color:#b00}.running{color:#a60}</style></head><body>\n");
        String status = manifest.path("status").asText("unknown");
        h.append("<h1>pgflow run: ").append(name).append("</h1>\n<p>status: <b class=\"").append(esc(status)).append("\">")
                .append(esc(status)).append("</b></p>\n");
        if (manifest.has("error")) {
            h.append("<p class=\"failed\">error: ").append(esc(manifest.get("error").toString())).append("</p>\n");
        }
        h.append("<table>\n");
        for (String k : new String[] {"algorithm", "problem", "seed", "master", "partitions", "startTime", "endTime",
                "pgflowVersion", "gitCommit", "sparkVersion", "javaVersion", "os", "arch", "softOptimalValue"}) {
            if (manifest.has(k)) {
                h.append("<tr><th>").append(k).append("</th><td>").append(esc(manifest.get(k).asText())).append("</td></tr>\n");
            }
        }
        h.append("</table>\n");
        if (manifest.has("final")) {
            h.append("<h2>Final metrics</h2>\n<table>\n");
            for (Iterator<Map.Entry<String, JsonNode>> it = manifest.get("final").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isValueNode()) {
                    h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue().asText()))
                            .append("</td></tr>\n");
                }
            }
            h.append("</table>\n");
        }
        h.append("<h2>Plots</h2>\n");
        if (files.isEmpty()) {
            h.append("<p>No metrics yet.</p>\n");
        }
        for (Path f : files) {
            String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(f));
            h.append("<h3>").append(esc(f.getFileName().toString())).append("</h3>\n<img alt=\"")
                    .append(esc(f.getFileName().toString())).append("\" src=\"data:image/png;base64,").append(b64).append("\">\n");
        }
        if (manifest.has("config")) {
            h.append("<h2>Resolved config</h2>\n<pre>").append(esc(AtomicFiles.toPrettyJson(manifest.get("config"))))
                    .append("</pre>\n");
        }
        h.append("</body></html>\n");
        AtomicFiles.writeString(dir.resolve("report.html"), h.toString());
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
