package org.pgflow.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgflow.TestSupport;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.RunConfig;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.ModelFiles;

/**
 * Convergence of the particle system on T1 (docs/algorithms.md §5, §2.11): τ = 0.5, K = 1, one-hot x, α = 4, N = 400,
 * Δt = 0.05, t = 200 (4000 iterations), on the single-JVM engine (the Spark engine runs the same kernels and
 * is checked against this one bit for bit in the Spark tests).
 */
class MeanFieldConvergenceTest {
    private static final FiniteMdp T1 = ModelFiles.loadMdp(TestSupport.env("t1.mdp.json"));
    private static List<Double[]> small;
    private static List<Double[]> large;

    static List<Double[]> run(double sigma) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("algorithm", "meanfield");
        n.put("seed", 7);
        n.put("iterations", 4000);
        n.putObject("environment").put("type", "finite").put("file", TestSupport.env("t1.mdp.json").toString());
        ObjectNode mf = n.putObject("meanfield");
        mf.put("particles", 400).put("units", 1).put("outputScale", 4.0).put("tau", 0.5).put("sigma", sigma)
                .put("dt", 0.05).put("knnEvery", 0);
        RunConfig cfg = RunConfig.from(ConfigTree.of(n), null);
        List<Double[]> rows = new ArrayList<>();
        try (LocalParticleEngine engine = new LocalParticleEngine()) {
            MeanFieldTrainer.run(T1, cfg.meanfield(), cfg.seed(), cfg.iterations(), engine, r -> rows.add(r.cells()), (k, t, o, g) -> { }, null);
        }
        return rows;
    }

    @BeforeAll
    static void runBoth() {
        small = run(0.3);
        large = run(1.0);
    }

    static double gap(List<Double[]> rows) {
        return rows.get(rows.size() - 1)[MeanFieldTrainer.COLUMNS.indexOf("gap")];
    }

    @Test
    void smallSigmaReachesTheSoftOptimumWithinTheSpecGap() {
        // docs/algorithms.md §2.11 reports a gap ≈ 0.013 at σ = 0.3; the bound is 0.02 (seed 7).
        assertTrue(gap(small) < 0.02, "final gap at sigma=0.3: " + gap(small) + " (seed 7)");
        assertTrue(gap(small) >= 0, "gap is non-negative");
    }

    @Test
    void largerSigmaEndsWithALargerGap() {
        // Entropic bias of docs/algorithms.md §2.11: docs/algorithms.md reports ≈ 0.40 at σ = 1 versus ≈ 0.013 at σ = 0.3.
        assertTrue(gap(large) > gap(small), "gap(sigma=1)=" + gap(large) + " vs gap(sigma=0.3)=" + gap(small));
        assertTrue(gap(large) > 0.1, "gap at sigma=1: " + gap(large));
    }

    @Test
    void objectiveTrendsUpward() {
        // J^{τ,σ}(ν_t) is non-decreasing along the mean-field flow (docs/algorithms.md §2.5). The N = 400 particle system
        // fluctuates around its stationary law, so the estimate carries finite-N noise (larger at σ = 1, where
        // the cloud is wider). The noise band is measured, not chosen: s = standard deviation of the 200-iteration
        // moving average over the second half of the run (stationary regime, after the initial rise). A stationary
        // series of ~20 effectively independent 200-iteration blocks has a range (max − min) of about
        // 2·sqrt(2 ln 20)·s ≈ 4.9 s, so the band is 8 s. The moving
        // average must never fall more than that band below its running maximum, and it must end well above the
        // initial objective (≈ 4.4 at ν_0 = N(0, I); the soft optimum is 6.2).
        int col = MeanFieldTrainer.COLUMNS.indexOf("objective");
        for (List<Double[]> rows : List.of(small, large)) {
            double[] ma = movingAverage(rows, col, 200);
            double band = 8 * sd(ma, ma.length / 2, ma.length);
            double runningMax = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < ma.length; i++) {
                runningMax = Math.max(runningMax, ma[i]);
                assertTrue(ma[i] >= runningMax - band, "moving average fell from " + runningMax + " to " + ma[i]
                        + " at " + i + " (band " + band + ", seed 7)");
            }
            double start = rows.get(0)[col];
            assertTrue(ma[ma.length - 1] > start + 1.0, "objective rose from " + start + " to " + ma[ma.length - 1]);
            assertTrue(band < 0.2, "noise band " + band + " is too wide for the test to mean anything");
        }
    }

    static double sd(double[] x, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) {
            m += x[i];
        }
        m /= to - from;
        double v = 0;
        for (int i = from; i < to; i++) {
            v += (x[i] - m) * (x[i] - m);
        }
        return Math.sqrt(v / (to - from - 1));
    }

    static double[] movingAverage(List<Double[]> rows, int col, int w) {
        double[] out = new double[rows.size() - w + 1];
        double s = 0;
        for (int i = 0; i < rows.size(); i++) {
            s += rows.get(i)[col];
            if (i >= w) {
                s -= rows.get(i - w)[col];
            }
            if (i >= w - 1) {
                out[i - w + 1] = s / w;
            }
        }
        return out;
    }

    /**
     * More parameter noise, wider stationary fluctuations: over the second half of the run the moving average of
     * the objective wanders more at σ = 1 than at σ = 0.3 (finite-N fluctuations grow with σ), and both runs end
     * closer to the soft optimum than they started.
     */
    @Test
    void largerNoiseFluctuatesMoreAndBothRunsImprove() {
        int g = MeanFieldTrainer.COLUMNS.indexOf("gap");
        int o = MeanFieldTrainer.COLUMNS.indexOf("objective");
        int col = MeanFieldTrainer.COLUMNS.indexOf("objective");
        double[] a = movingAverage(small, col, 200);
        double[] b = movingAverage(large, col, 200);
        double bandSmall = 8 * sd(a, a.length / 2, a.length);
        double bandLarge = 8 * sd(b, b.length / 2, b.length);
        System.out.printf("noise bands: sigma=0.3 %.4f, sigma=1 %.4f%n", bandSmall, bandLarge);
        assertTrue(bandLarge > bandSmall, "stationary band at sigma=1 (" + bandLarge + ") should exceed sigma=0.3's ("
                + bandSmall + ") (seed 7)");
        for (List<Double[]> r : List.of(small, large)) {
            assertTrue(r.get(r.size() - 1)[g] < r.get(0)[g], "the gap shrinks: " + r.get(0)[g] + " -> " + r.get(r.size() - 1)[g]);
        }
        for (int k : new int[] {0, 100, 500, 1000, 2000, 4000}) {
            System.out.printf("k=%d  sigma=0.3 gap=%.5f obj=%.4f | sigma=1 gap=%.5f obj=%.4f%n", k, small.get(k)[g], small.get(k)[o],
                    large.get(k)[g], large.get(k)[o]);
        }
    }
}
