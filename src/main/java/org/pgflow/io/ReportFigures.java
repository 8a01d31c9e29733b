package org.pgflow.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The figures of a run report, each written as a PNG into {@code plots/}: the headline figure with its caption,
 * the mean-field and variance curves, the return distribution, the policy against the soft optimum and the
 * particle clouds.
 */
final class ReportFigures {
    /** Half-width of the shaded bands, in standard errors. */
    static final double Z = 2;

    private ReportFigures() {
    }

    /**
     * The figure at the top of report.html and its one-line caption.
     *
     * @param png     the image
     * @param caption the key numbers
     */
    record Headline(Path png, String caption) {
    }

    private static String f(double x) {
        return ReportNumbers.format(x);
    }

    /** A series of a column with its ±2 SE band. */
    private static Plots.Series banded(String name, double[] k, double[] v, double[] se) {
        double[][] b = ReportStats.band(v, se, Z);
        return Plots.Series.line(name, k, v).withBand(b[0], b[1]);
    }

    /**
     * The run's key result: J, Var and η ± 2 SE with λ for variance runs; the value ± 2 SE (and the soft optimum
     * when known) for Monte Carlo runs; the gap to the soft optimum (log scale) with its fitted rate for runs
     * evaluated exactly (mean-field on a finite MDP, tabular).
     *
     * @param plots the plots directory
     * @param run   the run
     * @return the headline, or null when the metrics have nothing to show
     */
    static Headline headline(Path plots, RunFiles run) {
        if (!run.hasIterations()) {
            return null;
        }
        double[] k = run.column("iteration");
        Path png = plots.resolve("headline.png");
        if (run.algorithm().equals("variance") || run.column("eta") != null) {
            return varianceHeadline(png, run, k);
        }
        double[] v = run.column("value_mc");
        if (ReportStats.hasData(v)) {
            int i = ReportStats.last(v);
            double[] se = run.column("value_se");
            List<Plots.Series> s = new ArrayList<>(List.of(banded("V̂(ρ) (Monte Carlo)", k, v, se)));
            String star = "";
            if (Double.isFinite(run.softOptimalValue())) {
                double[] line = new double[k.length];
                Arrays.fill(line, run.softOptimalValue());
                s.add(Plots.Series.line("soft optimum V*(ρ)", k, line));
                star = "; soft optimum V*(ρ) = " + f(run.softOptimalValue()) + ", gap "
                        + f(run.softOptimalValue() - v[i]);
            }
            return new Headline(Plots.xy(png, "Value of the mean-field policy (±2 SE band)", "iteration", "V̂(ρ)",
                    false, false, s), "V̂(ρ) = " + f(v[i]) + " ± " + f(se[i]) + " (SE) at iteration " + f(k[i])
                    + star + ".");
        }
        double[] gap = run.column("gap");
        if (ReportStats.hasData(gap)) {
            int i = ReportStats.last(gap);
            List<Plots.Series> s = new ArrayList<>(List.of(Plots.Series.line("gap V*(ρ) − V(ρ)", k, gap)));
            ReportStats.Decay d = ReportStats.decay(k, gap);
            String rate = "";
            if (d != null) {
                s.add(Plots.Series.line("fit exp(a − r·k), r = " + f(d.fit().rate()), d.t(), d.fitted()));
                rate = "; fitted rate of ln gap r = " + f(d.fit().rate()) + " per iteration (iterations ≤ "
                        + f(d.fit().windowEnd()) + ", then a floor ≈ " + f(d.fit().floor()) + ")";
            }
            String caption = "Gap to the soft optimum " + f(gap[i]) + " at iteration " + f(k[i]) + rate
                    + (Double.isFinite(run.softOptimalValue()) ? "; V*(ρ) = " + f(run.softOptimalValue()) : "") + ".";
            return new Headline(Plots.xy(png, "Gap to the soft optimum (log scale)", "iteration",
                    "V*(ρ) − V(ρ)", false, true, s), caption);
        }
        return null;
    }

    private static Headline varianceHeadline(Path png, RunFiles run, double[] k) {
        List<Plots.Series> s = new ArrayList<>();
        for (String q : new String[] {"J", "Var", "eta"}) {
            String name = q.equals("eta") ? "η = J − λ·Var" : q;
            if (ReportStats.hasData(run.column(q))) {
                s.add(banded(name, k, run.column(q), run.column(q + "_se")));
            } else if (ReportStats.hasData(run.column("exact_" + q))) { // exact evaluation only
                s.add(Plots.Series.line(name + " (exact)", k, run.column("exact_" + q)));
            }
        }
        if (s.isEmpty()) {
            return null;
        }
        double lambda = run.lambda();
        double eta = run.finalValue("eta");
        double etaSe = run.finalValue("eta_se");
        String where;
        if (Double.isFinite(eta)) {
            double episodes = run.finalValue("episodes");
            where = Double.isFinite(episodes) ? " (evaluation, " + f(episodes) + " episodes)" : "";
        } else {
            boolean sampled = ReportStats.hasData(run.column("eta"));
            double[] e = run.column(sampled ? "eta" : "exact_eta");
            int i = ReportStats.last(e);
            eta = i < 0 ? Double.NaN : e[i];
            etaSe = i < 0 || !sampled || run.column("eta_se") == null ? Double.NaN : run.column("eta_se")[i];
            where = i < 0 ? "" : (sampled ? "" : " (exact)") + " at iteration " + f(k[i]);
        }
        StringBuilder c = new StringBuilder("λ = " + f(lambda) + ": final η = " + f(eta)
                + (Double.isFinite(etaSe) ? " ± " + f(etaSe) + " (SE)" : "") + where);
        for (String q : new String[] {"J", "Var", "exact_eta"}) {
            double x = run.finalValue(q);
            if (Double.isFinite(x)) {
                c.append("; ").append(q.equals("exact_eta") ? "exact η" : q).append(" = ").append(f(x));
            }
        }
        return new Headline(Plots.xy(png, "J, Var and η = J − λ·Var of π_θ (λ = " + f(lambda) + ", ±2 SE bands)",
                "iteration", "value", false, false, s), c.append('.').toString());
    }

    /**
     * The objective, value, gap, environment-return and coupled-W2 curves of a mean-field (or tabular) run.
     *
     * @param plots the plots directory
     * @param run   the run (with iterations)
     * @return the files written
     */
    static List<Path> meanFieldCurves(Path plots, RunFiles run) {
        double[] k = run.column("iteration");
        List<Path> files = new ArrayList<>();
        List<Plots.Series> obj = new ArrayList<>(List.of(Plots.Series.line("objective (Gaussian-fit KL)", k,
                run.column("objective"))));
        if (run.column("objective_knn") != null) {
            obj.add(Plots.Series.points("objective (kNN KL)", k, run.column("objective_knn"), null));
        }
        files.add(Plots.xy(plots.resolve("objective.png"), "Objective J^{τ,σ} = V(ρ) − σ²/2 · KL", "iteration",
                "objective", false, false, obj));
        List<Plots.Series> val = new ArrayList<>();
        if (ReportStats.hasData(run.column("value_mc"))) { // Monte Carlo mode: V̂(ρ) with a ±2 SE band
            val.add(banded("V̂(ρ) (Monte Carlo)", k, run.column("value_mc"), run.column("value_se")));
        }
        if (ReportStats.hasData(run.column("value"))) {
            val.add(Plots.Series.line("V(ρ) of π_ν (exact)", k, run.column("value")));
        }
        if (Double.isFinite(run.softOptimalValue())) {
            double[] star = new double[k.length];
            Arrays.fill(star, run.softOptimalValue());
            val.add(Plots.Series.line("soft optimum V*(ρ)", k, star));
        }
        files.add(Plots.xy(plots.resolve("value.png"), "Value of the mean-field policy", "iteration", "V_τ(ρ)", false,
                false, val));
        if (ReportStats.hasData(run.column("gap"))) {
            boolean both = ReportStats.hasData(run.column("gap0"));
            List<Plots.Series> gap = new ArrayList<>(List.of(Plots.Series.line(
                    both ? "gap_tau = V*_τk(ρ) − V_τk(ρ)" : "gap", k, run.column("gap"))));
            if (ReportStats.hasData(run.column("gap_coupled"))) {
                gap.add(Plots.Series.line("gap (coupled cloud)", k, run.column("gap_coupled")));
            }
            if (both) { // against the unregularised optimum: what annealing τ → 0 drives to 0 (docs/algorithms.md §2.12)
                gap.add(Plots.Series.line("gap0 = V*_0(ρ) − V_0(ρ)", k, run.column("gap0")));
            }
            files.add(Plots.xy(plots.resolve("gap.png"), both ? "Gaps to the soft optimum of τ_k and to the "
                    + "unregularised optimum" : "Gap to the soft optimum V*(ρ) − V(ρ)", "iteration", "gap",
                    false, true, gap));
        }
        if (ReportStats.hasData(run.column("env_return"))) {
            files.add(Plots.xy(plots.resolve("episode-return.png"), "The environment's own return per episode (±2 SE)",
                    "iteration", "return", false, false, List.of(banded("return (mean)", k, run.column("env_return"),
                            run.column("env_return_se")))));
        }
        double[] w2 = run.column("w2_coupled");
        if (ReportStats.hasData(w2)) {
            double dt = run.dt();
            double[] t = new double[k.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = k[i] * dt;
            }
            List<Plots.Series> s = new ArrayList<>(List.of(Plots.Series.line("coupled distance", t, w2)));
            String title = "Synchronous-coupling distance";
            ReportStats.Decay d = ReportStats.decay(t, w2);
            if (d != null) {
                s.add(Plots.Series.line("fit exp(" + f(d.fit().intercept()) + " − " + f(d.fit().rate()) + " t), t ≤ "
                        + f(d.fit().windowEnd()), d.t(), d.fitted()));
                title += " (fitted rate β = " + f(d.fit().rate()) + ")";
            }
            files.add(Plots.xy(plots.resolve("w2-coupled.png"), title, "t = iteration · Δt", "W2 (paired)", false,
                    true, s));
        }
        return files;
    }

    /**
     * J, Var and η of a variance run, each with its ±2 SE band and the exact value where known.
     *
     * @param plots the plots directory
     * @param run   the run (with iterations)
     * @return the files written
     */
    static List<Path> varianceCurves(Path plots, RunFiles run) {
        double[] k = run.column("iteration");
        List<Path> files = new ArrayList<>();
        for (String q : new String[] {"J", "Var", "eta"}) {
            if (run.column(q) == null) {
                continue;
            }
            List<Plots.Series> s = new ArrayList<>(List.of(banded(q + " (Monte Carlo)", k, run.column(q),
                    run.column(q + "_se"))));
            if (ReportStats.hasData(run.column("exact_" + q))) {
                s.add(Plots.Series.line(q + " (exact)", k, run.column("exact_" + q)));
            }
            files.add(Plots.xy(plots.resolve(q + ".png"), q + " of π_θ per iteration (±2 SE band)", "iteration",
                    q, false, false, s));
        }
        return files;
    }

    /**
     * The density of the learned policy's evaluation returns as a step outline of a 50-bin histogram.
     *
     * @param plots the plots directory
     * @param r     the returns
     * @return the file written
     */
    static Path returnHistogram(Path plots, double[] r) {
        double lo = Arrays.stream(r).min().orElse(0);
        double hi = Arrays.stream(r).max().orElse(1);
        int bins = 50;
        double w = hi > lo ? (hi - lo) / bins : 1;
        double[] x = new double[2 * bins];
        double[] y = new double[2 * bins];
        int[] counts = new int[bins];
        for (double v : r) {
            counts[Math.min(bins - 1, (int) ((v - lo) / w))]++;
        }
        for (int b = 0; b < bins; b++) {
            x[2 * b] = lo + b * w;
            x[2 * b + 1] = lo + (b + 1) * w;
            y[2 * b] = counts[b] / (r.length * w);
            y[2 * b + 1] = y[2 * b];
        }
        return Plots.xy(plots.resolve("returns.png"), "Return distribution of the learned policy (" + r.length
                + " episodes)", "return B", "density", false, false, List.of(Plots.Series.line("density", x, y)));
    }

    /**
     * Grouped bars of the final policy against the soft-optimal one, per (state, action).
     *
     * @param plots the plots directory
     * @param pi    the final policy
     * @param star  the soft-optimal policy
     * @return the file written
     */
    static Path policyBars(Path plots, double[][] pi, double[][] star) {
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

    /**
     * The first and the last particle snapshot projected on the two principal axes of the last one.
     *
     * @param plots  the plots directory
     * @param run    the run
     * @param reader reads a snapshot
     * @return the file written, or null when the run has no snapshot
     * @throws IOException if the snapshots cannot be listed
     */
    static Path clouds(Path plots, RunFiles run, RunReport.SnapshotReader reader) throws IOException {
        List<Path> snaps = run.snapshots();
        if (snaps.isEmpty()) {
            return null;
        }
        Path lastSnap = snaps.get(snaps.size() - 1);
        double[][] last = finite(reader.read(lastSnap, 2000));
        if (last.length == 0) {
            return null;
        }
        double[][] axes = ReportStats.principalAxes(last, 2);
        List<Plots.Series> series = new ArrayList<>();
        if (snaps.size() > 1) {
            double[][] first = finite(reader.read(snaps.get(0), 2000));
            series.add(cloud(snaps.get(0), first, axes));
        }
        series.add(cloud(lastSnap, last, axes));
        return Plots.xy(plots.resolve("particles.png"), "Particle clouds on the two principal axes of the last snapshot",
                "PC 1", "PC 2", false, false, series);
    }

    /** The rows whose entries are all finite (a diverged particle has no place on the axes). */
    private static double[][] finite(double[][] rows) {
        return Arrays.stream(rows).filter(r -> Arrays.stream(r).allMatch(Double::isFinite)).toArray(double[][]::new);
    }

    private static Plots.Series cloud(Path snapshot, double[][] rows, double[][] axes) {
        double[] y = axes.length > 1 ? ReportStats.project(rows, axes[1]) : new double[rows.length];
        return Plots.Series.points(snapshot.getFileName().toString(), ReportStats.project(rows, axes[0]), y, null);
    }
}
