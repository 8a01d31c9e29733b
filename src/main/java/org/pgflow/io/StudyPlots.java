package org.pgflow.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pgflow.stats.Fits;

/**
 * The pictures a study answers its question with, chosen by what its grid varies. Means over seeds are drawn
 * with a shaded ±2 SE band (lines) or ±2 SE error bars (points):
 * <ul>
 *   <li>{@code variance.lambda}: the mean–variance frontier (J against SD of the return, one point per λ,
 *       averaged over seeds with standard errors), and J, SD against λ; also {@code frontier.csv};</li>
 *   <li>{@code meanfield.particles}: final gap against N on log–log axes with the fitted slope, and seconds per
 *       iteration against N;</li>
 *   <li>{@code meanfield.sigma} / {@code meanfield.tau}: final gap against σ (τ), and the coupled-W2 decay rate
 *       against σ when the runs were coupled.</li>
 * </ul>
 * Rows are the cells of {@code study.csv} as maps from column to value.
 */
public final class StudyPlots {
    private StudyPlots() {
    }

    /**
     * Writes every applicable plot into {@code dir}.
     *
     * @param dir  the study directory
     * @param grid grid keys
     * @param rows completed cells
     * @return the files written
     */
    public static List<Path> write(Path dir, List<String> grid, List<Map<String, String>> rows) {
        List<Path> files = new ArrayList<>();
        if (grid.contains("variance.lambda")) {
            files.addAll(frontier(dir, rows));
        }
        if (grid.contains("meanfield.particles")) {
            files.addAll(particleCount(dir, rows));
        }
        for (String key : new String[] {"meanfield.sigma", "meanfield.tau"}) {
            if (grid.contains(key)) {
                files.addAll(regularisation(dir, rows, key));
            }
        }
        return files;
    }

    /** Mean and standard error of a column per value of a key (ascending). */
    static TreeMap<Double, double[]> byKey(List<Map<String, String>> rows, String key, String column) {
        TreeMap<Double, List<Double>> groups = new TreeMap<>();
        for (Map<String, String> r : rows) {
            double k = num(r.get(key));
            double v = num(r.get(column));
            if (Double.isFinite(k) && Double.isFinite(v)) {
                groups.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        TreeMap<Double, double[]> out = new TreeMap<>();
        for (Map.Entry<Double, List<Double>> e : groups.entrySet()) {
            List<Double> v = e.getValue();
            double m = 0;
            for (double x : v) {
                m += x;
            }
            m /= v.size();
            double s = 0;
            for (double x : v) {
                s += (x - m) * (x - m);
            }
            double se = v.size() > 1 ? Math.sqrt(s / (v.size() - 1) / v.size()) : Double.NaN;
            out.put(e.getKey(), new double[] {m, se, v.size()});
        }
        return out;
    }

    static double num(String s) {
        if (s == null || s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** @return {key, mean, SE} columns of {@link #byKey} */
    static double[][] columns(TreeMap<Double, double[]> m) {
        double[][] c = new double[3][m.size()];
        int i = 0;
        for (Map.Entry<Double, double[]> e : m.entrySet()) {
            c[0][i] = e.getKey();
            c[1][i] = e.getValue()[0];
            c[2][i] = e.getValue()[1];
            i++;
        }
        return c;
    }

    private static List<Path> frontier(Path dir, List<Map<String, String>> rows) {
        TreeMap<Double, double[]> j = byKey(rows, "variance.lambda", "J");
        TreeMap<Double, double[]> sd = byKey(rows, "variance.lambda", "SD");
        double[][] cj = columns(j);
        double[][] cs = columns(sd);
        StringBuilder csv = new StringBuilder("lambda,J_mean,J_se_over_seeds,SD_mean,SD_se_over_seeds,seeds\n");
        for (int i = 0; i < cj[0].length; i++) {
            csv.append(cj[0][i]).append(',').append(cj[1][i]).append(',').append(blank(cj[2][i])).append(',')
                    .append(cs[1][i]).append(',').append(blank(cs[2][i])).append(',')
                    .append((long) j.get(cj[0][i])[2]).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("frontier.csv"), csv.toString());
        List<Plots.Series> pts = new ArrayList<>();
        for (int i = 0; i < cj[0].length; i++) {
            pts.add(Plots.Series.points("λ = " + ReportNumbers.format(cj[0][i]), new double[] {cs[1][i]},
                    new double[] {cj[1][i]}, new double[] {Z * cj[2][i]}));
        }
        List<Path> files = new ArrayList<>();
        files.add(Plots.xy(dir.resolve("plots/frontier.png"), "Mean–variance frontier (mean over seeds ± 2 SE)",
                "standard deviation of the return", "J (mean return)", false, false, pts));
        files.add(Plots.xy(dir.resolve("plots/frontier-vs-lambda.png"), "J and SD of the learned policy against λ "
                + "(mean over seeds ± 2 SE)", "λ", "value", false, false, List.of(banded("J", cj), banded("SD", cs))));
        return files;
    }

    /** Half-width of the bands and error bars, in standard errors over seeds. */
    private static final double Z = 2;

    /**
     * A line through the means of {@link #columns} with its ±2 SE band (no band where a value has one seed).
     *
     * @param name legend label
     * @param c    {key, mean, SE} columns
     * @return the series
     */
    static Plots.Series banded(String name, double[][] c) {
        double[][] b = ReportStats.band(c[1], c[2], Z);
        return Plots.Series.line(name, c[0], c[1]).withBand(b[0], b[1]);
    }

    private static String blank(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private static List<Path> particleCount(Path dir, List<Map<String, String>> rows) {
        double[][] gap = columns(byKey(rows, "meanfield.particles", "gap"));
        double[][] sec = columns(byKey(rows, "meanfield.particles", "secondsPerIteration"));
        List<Double> lx = new ArrayList<>();
        List<Double> ly = new ArrayList<>();
        for (int i = 0; i < gap[0].length; i++) {
            if (gap[1][i] > 0) {
                lx.add(Math.log(gap[0][i]));
                ly.add(Math.log(gap[1][i]));
            }
        }
        double[] fit = lx.size() >= 2 ? Fits.line(lx.stream().mapToDouble(d -> d).toArray(),
                ly.stream().mapToDouble(d -> d).toArray()) : new double[] {Double.NaN, Double.NaN};
        double[] fitted = new double[gap[0].length];
        for (int i = 0; i < fitted.length; i++) {
            fitted[i] = Math.exp(fit[0] + fit[1] * Math.log(gap[0][i]));
        }
        List<Path> files = new ArrayList<>();
        double[] err = new double[gap[2].length];
        for (int i = 0; i < err.length; i++) {
            err[i] = Z * gap[2][i];
        }
        files.add(Plots.xy(dir.resolve("plots/gap-vs-particles.png"), "Final value gap against N (mean ± 2 SE; "
                        + "fitted slope " + ReportNumbers.format(fit[1]) + ")",
                "particles N", "final gap V*(ρ) − V(ρ)", true, true, List.of(
                        Plots.Series.points("gap", gap[0], gap[1], err),
                        Plots.Series.line("fit", gap[0], fitted))));
        files.add(Plots.xy(dir.resolve("plots/seconds-per-iteration.png"), "Seconds per iteration against N",
                "particles N", "seconds per iteration", true, true, List.of(banded("s/iteration", sec))));
        return files;
    }

    private static List<Path> regularisation(Path dir, List<Map<String, String>> rows, String key) {
        String name = key.substring(key.indexOf('.') + 1);
        List<Path> files = new ArrayList<>();
        files.add(Plots.xy(dir.resolve("plots/gap-vs-" + name + ".png"), "Final value gap against " + name
                + " (entropic bias, docs/algorithms.md §2.11)", name, "final gap", false, true,
                List.of(banded("gap", columns(byKey(rows, key, "gap"))))));
        double[][] rate = columns(byKey(rows, key, "w2_rate"));
        if (rate[0].length > 0) {
            files.add(Plots.xy(dir.resolve("plots/w2-rate-vs-" + name + ".png"),
                    "Coupled-W2 contraction rate against " + name, name, "fitted rate β", false, false,
                    List.of(banded("β", rate))));
        }
        return files;
    }
}
