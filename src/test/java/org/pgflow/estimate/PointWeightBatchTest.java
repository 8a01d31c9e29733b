package org.pgflow.estimate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.pgflow.TestSupport;
import org.pgflow.mdp.InputEmbedding;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.Portfolio;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.meanfield.NeuronKernels;
import org.pgflow.meanfield.NeuronLayout;
import org.pgflow.meanfield.ParticleSummary;
import org.pgflow.meanfield.Points;
import org.pgflow.policy.MeanFieldPolicy;
import org.pgflow.policy.TabularActionDistribution;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.variance.SspMoments;

/**
 * The point-based Monte Carlo weight table of docs/algorithms.md §2.14 ({@link PointWeightBatch}): on a finite SSP
 * seen through the one-hot embedding it is the indexed {@link VarianceWeightBatch} (the same streams, so equal to
 * round-off, not only in expectation); its drift {@code Σ_p ŵ ∇f} matches central differences of the exact η in
 * the particles within 4 standard errors; blocks combine to the same bits for any partitioning.
 */
class PointWeightBatchTest {
    private static final Ssp T6 = ModelFiles.loadSsp(TestSupport.env("t6.ssp.json"));

    private static double[] uniformMu(int m) {
        double[] mu = new double[m];
        Arrays.fill(mu, 1.0 / m);
        return mu;
    }

    /** Σ of the point weights per (state, action) of the one-hot inputs, index {@code x·m + v}. */
    private static double[] byStateAction(PointWeightBatch b, double[] w, int n, int m) {
        Points pts = b.points();
        double[] out = new double[n * m];
        for (int p = 0; p < pts.size(); p++) {
            double[] x = pts.dense(p);
            int s = -1;
            int a = -1;
            for (int j = 0; j < n + m; j++) {
                if (x[j] == 1.0) {
                    if (j < n) {
                        s = j;
                    } else {
                        a = j - n;
                    }
                }
            }
            out[s * m + a] += w[p];
        }
        return out;
    }

    /**
     * With the same tabular policy and seed, the point-based batch on RiskyChain (one-hot states) gives the episodes,
     * returns and step counts of the indexed batch bit for bit and, summed per (state, action), its weight table to
     * 1e-12 (only the order of the additions differs), for λ = 0 and λ = 0.5 with an independent Ĵ(x0).
     */
    @Test
    void equalsTheIndexedBatchOnAFiniteSsp() {
        Ssp ssp = RiskyChain.t7();
        int n = ssp.numStates();
        int m = ssp.numActions();
        RandomGenerator rng = Streams.of(71, Purpose.TEST, 0, 0);
        double[] f = new double[n * m];
        for (int i = 0; i < f.length; i++) {
            f[i] = rng.nextGaussian();
        }
        double[][] pi = MeanFieldPolicy.probabilities(f, n, uniformMu(m));
        SspEnvironment env = SspEnvironment.of(ssp);
        VarianceWeightBatch indexed = VarianceWeightBatch.simulate(env, SspEnvironment::index, pi, 9, 4, 0, 3_000, 1_000);
        PointWeightBatch points = PointWeightBatch.simulate(env, InputEmbedding.oneHot(n, m),
                TabularActionDistribution.of(pi, uniformMu(m)), 9, 4, 0, 3_000, 1_000);
        assertEquals(indexed.count(), points.count());
        assertEquals(indexed.steps(), points.steps());
        assertEquals(indexed.continuationSteps(), points.continuationSteps());
        assertEquals(indexed.returns().j().value(), points.returns().j().value(), 0.0, "J from the same episodes");
        assertEquals(indexed.returns().var().value(), points.returns().var().value(), 0.0, "Var from the same episodes");
        assertEquals(VarianceWeightBatch.startValueBlock(env, SspEnvironment::index, pi, 9, 4, 0, 500, 1_000).j().value(),
                EpisodeContinuations.startValues(env, TabularActionDistribution.of(pi, uniformMu(m)), 9, 4, 0, 500,
                        1_000).j().value(), 0.0, "start-value batch");
        assertTrue(points.size() > 0 && points.size() < points.steps() * m, "points kept: " + points.size());
        for (double lambda : new double[] {0, 0.5}) {
            double j0 = 3.1;
            double[] expected = indexed.weights(lambda, j0);
            double[] actual = byStateAction(points, points.weights(lambda, j0), n, m);
            for (int q = 0; q < expected.length; q++) {
                assertEquals(expected[q], actual[q], 1e-12 * Math.max(1, Math.abs(expected[q])),
                        "lambda=" + lambda + " point " + q);
            }
            assertTrue(Arrays.stream(expected).map(Math::abs).max().orElse(0) > 0.01, "a non-trivial table");
        }
    }

    /**
     * The drift of the point-based estimate, {@code Σ_p ŵ(p) ∇_θ f(p, θ_i)} under the mean-field policy of a random
     * cloud (T6, N = 2, K = 1, α = 1, λ = 0.3, exact J(x0), E = 20 000), against {@code N ∂η/∂θ_{i,j}} by central
     * differences of the exact η (h = 1e-5), per coordinate within 4 SE (SE of the linear functional from the
     * per-episode sums); the drift kernel fed with the point weights gives the same drift to 1e-9. The gradient
     * {@code ∇_θ f(p, θ_i)} is itself a central difference of the one-particle output (error ≲ 1e-9).
     * False-failure probability for a fresh seed: 14 coordinates × P(|Z| &gt; 4) ≈ 14 × 6.3e-5 ≈ 9e-4 (union bound,
     * normal approximation); the seed is fixed and printed on failure, with estimate, exact value and SE.
     */
    @Test
    void driftMatchesCentralDifferencesOfEta() {
        long seed = 83;
        double lambda = 0.3;
        int n = T6.numStates();
        int m = T6.numActions();
        Points oneHot = Points.oneHotStateActions(n, m);
        NeuronLayout layout = new NeuronLayout(1, n + m, 1.0);
        RandomGenerator rng = Streams.of(seed, Purpose.TEST, 0, 1);
        int particles = 2;
        double[][] rows = new double[particles][layout.dim()];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        SspMoments.Result exact = SspMoments.compute(T6, policy(layout, oneHot, rows), lambda);
        double j0 = exact.j()[T6.start()];
        int episodes = 20_000;
        PointWeightBatch batch = PointWeightBatch.create(n + m);
        for (int first = 0; first < episodes; first += 5_000) {
            batch.combine(PointWeightBatch.simulate(SspEnvironment.of(T6), InputEmbedding.oneHot(n, m),
                    ParticleSummary.ofRows(layout, rows), seed, 2, first, 5_000, 10_000));
        }
        double[] w = batch.weights(lambda, j0);
        Points pts = batch.points();
        double[] kernel = new double[particles * layout.dim()];
        NeuronKernels.drift(soa(rows), particles, layout, pts, w, kernel);
        double h = 1e-5;
        double maxB = 0;
        double maxSe = 0;
        for (int i = 0; i < particles; i++) {
            for (int j = 0; j < layout.dim(); j++) {
                double keep = rows[i][j];
                rows[i][j] = keep + h;
                double up = SspMoments.compute(T6, policy(layout, oneHot, rows), lambda).eta();
                double[] fUp = single(layout, pts, rows[i]);
                rows[i][j] = keep - h;
                double down = SspMoments.compute(T6, policy(layout, oneHot, rows), lambda).eta();
                double[] fDown = single(layout, pts, rows[i]);
                rows[i][j] = keep;
                double b = particles * (up - down) / (2 * h);
                double[] a = new double[pts.size()];
                double est = 0;
                for (int p = 0; p < a.length; p++) {
                    a[p] = (fUp[p] - fDown[p]) / (2 * h);
                    est += w[p] * a[p];
                }
                double se = batch.standardError(lambda, j0, 0, a);
                String ctx = "seed=" + seed + " particle " + i + " coord " + j + ": estimate " + est + " exact " + b
                        + " SE " + se;
                assertEquals(kernel[j * particles + i], est, 1e-9, "drift kernel vs Σ ŵ ∇f, " + ctx);
                assertTrue(Math.abs(est - b) <= 4 * se, ctx + " z=" + (est - b) / se);
                maxB = Math.max(maxB, Math.abs(b));
                maxSe = Math.max(maxSe, se);
            }
        }
        assertTrue(maxSe <= 0.1 * maxB, "the test has power (max SE " + maxSe + " vs max |b| " + maxB + ")");
    }

    /** Blocks of any sizes combined in ascending order give the same points and weights, bit for bit. */
    @Test
    void blocksCombineToTheSameBits() {
        Portfolio env = Portfolio.of(Portfolio.Parameters.balanced());
        NeuronLayout layout = new NeuronLayout(1, env.inputDim(), 4.0);
        RandomGenerator rng = Streams.of(5, Purpose.TEST, 0, 2);
        double[][] rows = new double[7][layout.dim()];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        ParticleSummary s = ParticleSummary.ofRows(layout, rows);
        PointWeightBatch whole = PointWeightBatch.simulate(env, env, s, 3, 1, 0, 12, 100);
        PointWeightBatch parts = PointWeightBatch.create(env.inputDim());
        for (int[] b : new int[][] {{0, 5}, {5, 1}, {6, 6}}) {
            parts.combine(PointWeightBatch.simulate(env, env, s, 3, 1, b[0], b[1], 100));
        }
        assertEquals(whole.size(), parts.size());
        assertArrayEquals(whole.weights(2.0, 0.05), parts.weights(2.0, 0.05), 0.0);
        for (int p = 0; p < whole.size(); p++) {
            assertArrayEquals(whole.points().dense(p), parts.points().dense(p), 0.0, "point " + p);
        }
        double[] ones = new double[whole.size()];
        Arrays.fill(ones, 1.0);
        assertEquals(whole.standardError(2.0, 0.05, 0.01, ones), parts.standardError(2.0, 0.05, 0.01, ones), 0.0);
        assertEquals(whole.returns().j().value(), parts.returns().j().value(), 0.0);
        assertEquals(12 * 50, whole.steps());
    }

    private static double[][] policy(NeuronLayout layout, Points oneHot, double[][] rows) {
        double[] f = new double[oneHot.size()];
        ParticleSummary.ofRows(layout, rows).outputs(oneHot, f);
        return MeanFieldPolicy.probabilities(f, T6.numStates(), uniformMu(T6.numActions()));
    }

    private static double[] single(NeuronLayout layout, Points pts, double[] row) {
        double[] f = new double[pts.size()];
        ParticleSummary.ofRows(layout, new double[][] {row}).outputs(pts, f);
        return f;
    }

    private static double[] soa(double[][] rows) {
        int n = rows.length;
        int d = rows[0].length;
        double[] t = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                t[j * n + i] = rows[i][j];
            }
        }
        return t;
    }
}
