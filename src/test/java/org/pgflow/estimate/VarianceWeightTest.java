package org.pgflow.estimate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgflow.TestSupport;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.meanfield.NeuronKernels;
import org.pgflow.meanfield.NeuronLayout;
import org.pgflow.meanfield.Points;
import org.pgflow.policy.MeanFieldPolicy;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.util.NumericalDivergenceException;
import org.pgflow.variance.MonteCarloEstimate;
import org.pgflow.variance.ReturnMoments;
import org.pgflow.variance.SspMoments;

/**
 * The variance-adjusted mean-field weight table {@code W_η = ∂η/∂F} (docs/algorithms.md §2.14): exact formula against the
 * test problem T6 gradient, against central differences of η in F (docs/algorithms.md §4.5) and, through the drift kernel, in the
 * particles ({@code N ∂η/∂θ_n = b_η(ν^N, θ_n)}); the Monte Carlo estimator against the exact table within
 * 4 standard errors.
 */
class VarianceWeightTest {
    private static final Ssp T6 = ModelFiles.loadSsp(TestSupport.env("t6.ssp.json"));
    private static final Ssp T7 = RiskyChain.t7();

    /** The problems of the parameterised tests: 0 = T6, 1 = T7, 2..4 = random SSPs, 5 = a discounted SSP. */
    private static Ssp problem(int which) {
        switch (which) {
            case 0:
                return T6;
            case 1:
                return T7;
            case 5:
                return discounted(RandomInstances.garnetSsp(41, 9, 4, 3, 2, 0.2), 0.9);
            default:
                return RandomInstances.garnetSsp(41, which, 3 + which % 2, 2 + which % 2, 2, 0.2);
        }
    }

    private static Ssp discounted(Ssp s, double gamma) {
        int n = s.numStates();
        int m = s.numActions();
        double[][][] p = new double[n][m][n + 1];
        double[][] r = new double[n][m];
        for (int x = 0; x < n; x++) {
            for (int u = 0; u < m; u++) {
                for (int y = 0; y <= n; y++) {
                    p[x][u][y] = s.p(x, u, y);
                }
                r[x][u] = s.r(x, u);
            }
        }
        return Ssp.of(s.name() + "-gamma" + gamma, p, r, s.start(), gamma);
    }

    private static double[] uniformMu(int m) {
        double[] mu = new double[m];
        java.util.Arrays.fill(mu, 1.0 / m);
        return mu;
    }

    private static double eta(Ssp ssp, double[] f, double lambda) {
        double[][] pi = MeanFieldPolicy.probabilities(f, ssp.numStates(), uniformMu(ssp.numActions()));
        return SspMoments.compute(ssp, pi, lambda).eta();
    }

    private static double[] exactWeights(Ssp ssp, double[] f, double lambda) {
        double[][] pi = MeanFieldPolicy.probabilities(f, ssp.numStates(), uniformMu(ssp.numActions()));
        return WeightTables.varianceAdjusted(ssp, pi, SspMoments.compute(ssp, pi, lambda));
    }

    /** At the test problem T6 policy (F = θ) the table is the printed tabular-softmax ∇η (1e-8, printed precision). */
    @Test
    void t6ReferenceGradient() {
        double[] f = {0.2, -0.1, 0.0, 0.3, -0.4, 0.1};
        assertArrayEquals(new double[] {-0.1895564241, 0.1895564241, -0.2020405998, 0.2020405998, 0.2173240810, -0.2173240810},
                exactWeights(T6, f, 0.3), 1e-8);
        double[][] pi = MeanFieldPolicy.probabilities(new double[18], 9, uniformMu(2));
        double[] w = WeightTables.varianceAdjusted(T7, pi, SspMoments.compute(T7, pi, 0.5));
        for (int i = 0; i < 3; i++) { // test problem T7: (+0.13, −0.13) at D_i for λ = 0.5, zero at W_i, O_i
            assertArrayEquals(new double[] {0.13, -0.13}, new double[] {w[2 * i], w[2 * i + 1]}, 1e-8, "D" + i);
            assertArrayEquals(new double[] {0, 0, 0, 0}, new double[] {w[6 + 2 * i], w[7 + 2 * i], w[12 + 2 * i], w[13 + 2 * i]},
                    1e-12, "W/O" + i);
        }
    }

    static LongStream cases() {
        return LongStream.range(0, 12);
    }

    private static double[] randomLogits(Ssp ssp, RandomGenerator rng, double scale) {
        double[] f = new double[ssp.numStates() * ssp.numActions()];
        for (int i = 0; i < f.length; i++) {
            f[i] = scale * rng.nextGaussian();
        }
        return f;
    }

    /**
     * {@code W_η(x,v) = ∂η/∂F(x,v)} by central differences (h = 1e-5: truncation ≈ h²|∂³η| ≲ 1e-9, round-off
     * ε|η|/h ≲ 1e-10; tolerance 1e-7·max(1, |W|)), and equal to {@code SspMoments}' tabular ∇η to 1e-12, on T6,
     * T7, random SSPs and a discounted one, for λ = 0 and λ &gt; 0.
     */
    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void exactTableIsTheDerivativeOfEtaInF(long c) {
        Ssp ssp = problem((int) (c % 6));
        double lambda = c < 6 ? 0.0 : 0.1 + 0.2 * (c % 3);
        RandomGenerator rng = Streams.of(43, Purpose.TEST, 0, c);
        double[] f = randomLogits(ssp, rng, 1.0);
        double[] w = exactWeights(ssp, f, lambda);
        double[][] pi = MeanFieldPolicy.probabilities(f, ssp.numStates(), uniformMu(ssp.numActions()));
        double[][] grad = SspMoments.compute(ssp, pi, lambda).gradEta();
        double h = 1e-5;
        String ctx = ssp.name() + " lambda=" + lambda + " case=" + c;
        for (int p = 0; p < f.length; p++) {
            assertEquals(grad[p / ssp.numActions()][p % ssp.numActions()], w[p], 1e-12, "SspMoments " + ctx + " point " + p);
            double keep = f[p];
            f[p] = keep + h;
            double up = eta(ssp, f, lambda);
            f[p] = keep - h;
            double down = eta(ssp, f, lambda);
            f[p] = keep;
            assertEquals((up - down) / (2 * h), w[p], 1e-7 * Math.max(1, Math.abs(w[p])), ctx + " point " + p);
        }
    }

    /** {@code η} of the policy of a particle cloud (rows in the flat layout). */
    private static double cloudEta(Ssp ssp, NeuronLayout layout, Points points, double[][] rows, double lambda) {
        return eta(ssp, outputs(layout, points, rows), lambda);
    }

    private static double[] outputs(NeuronLayout layout, Points points, double[][] rows) {
        int n = rows.length;
        double[] sums = new double[points.size()];
        NeuronKernels.accumulateOutputs(soa(rows), n, layout, points, sums);
        for (int p = 0; p < sums.length; p++) {
            sums[p] /= n;
        }
        return sums;
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

    /**
     * The finite-particle identity {@code N ∂η/∂θ_n = b_η(ν^N, θ_n) = Σ_p W_η(p) ∇_θ f(p, θ_n)} on random clouds
     * (N = 2..5, K ∈ {1, 2}, random α, one-hot inputs {@code x = one-hot(x) ++ one-hot(u)}): the drift kernel fed
     * with the exact {@code W_η} against central differences of η in each particle coordinate (h = 1e-5,
     * tolerance 1e-6·max(1, |b|), as test problem T5).
     */
    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void finiteParticleIdentity(long c) {
        Ssp ssp = problem((int) (c % 6));
        double lambda = c < 6 ? 0.0 : 0.1 + 0.2 * (c % 3);
        RandomGenerator rng = Streams.of(47, Purpose.TEST, 0, c);
        int units = 1 + (int) (c % 2);
        Points points = Points.oneHotStateActions(ssp.numStates(), ssp.numActions());
        NeuronLayout layout = new NeuronLayout(units, points.inputDim(), 0.5 + 2 * rng.nextDouble());
        int n = 2 + (int) (c % 4);
        double[][] rows = new double[n][layout.dim()];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        double[] w = exactWeights(ssp, outputs(layout, points, rows), lambda);
        double[] drift = new double[n * layout.dim()];
        NeuronKernels.drift(soa(rows), n, layout, points, w, drift);
        double h = 1e-5;
        String ctx = ssp.name() + " lambda=" + lambda + " K=" + units + " N=" + n + " case=" + c;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < layout.dim(); j++) {
                double keep = rows[i][j];
                rows[i][j] = keep + h;
                double up = cloudEta(ssp, layout, points, rows, lambda);
                rows[i][j] = keep - h;
                double down = cloudEta(ssp, layout, points, rows, lambda);
                rows[i][j] = keep;
                double b = drift[j * n + i];
                assertEquals(n * (up - down) / (2 * h), b, 1e-6 * Math.max(1, Math.abs(b)),
                        "particle " + i + " coord " + j + ", " + ctx);
            }
        }
    }

    /** Simulates E episodes in blocks of {@code block} ids and combines them in ascending order. */
    private static VarianceWeightBatch estimate(SspEnvironment env, double[][] pi, long seed, int episodes, int block) {
        VarianceWeightBatch acc = VarianceWeightBatch.create(pi.length, env.numActions());
        for (int first = 0; first < episodes; first += block) {
            acc.combine(VarianceWeightBatch.simulate(env, SspEnvironment::index, pi, seed, 3, first,
                    Math.min(block, episodes - first), 10_000));
        }
        return acc;
    }

    /**
     * The Monte Carlo {@code Ŵ_η} is within 4 SE of the exact table at every point, (a) with the exact J(x0)
     * and (b) with Ĵ(x0) from an independent batch (SE including its contribution), on T6 (docs/algorithms.md policy, λ = 0.3),
     * T7 (random logits, λ = 0.5) and a random 3×3 SSP (λ = 0.3), E = 20 000 episodes each. Points whose exact
     * weight is 0 and whose continuations coincide under common random numbers (T7's W_i, O_i) have SE = 0 and
     * are checked to 1e-12. False-failure probability for a fresh seed: per coordinate P(|Z| &gt; 4) ≈ 6.3e-5
     * (normal approximation, E large), at most 3·(6 + 18 + 9)·6.3e-5 ≈ 6e-3 over the 99 comparisons by the
     * union bound (fewer independent ones: with two actions W(x,0) = −W(x,1)). The seeds are fixed, so the test
     * is deterministic; a failure message prints problem, seed, point, estimate, exact value, SE and z.
     */
    @ParameterizedTest(name = "problem {0}")
    @MethodSource("monteCarloCases")
    void monteCarloWithinFourStandardErrors(int which) {
        long seed = 101 + which;
        Ssp ssp;
        double[] f;
        double lambda;
        if (which == 0) {
            ssp = T6;
            f = new double[] {0.2, -0.1, 0.0, 0.3, -0.4, 0.1};
            lambda = 0.3;
        } else if (which == 1) {
            ssp = T7;
            f = randomLogits(T7, Streams.of(seed, Purpose.TEST, 0, 0), 1.0);
            lambda = 0.5;
        } else {
            ssp = RandomInstances.garnetSsp(59, 0, 3, 3, 2, 0.25);
            f = randomLogits(ssp, Streams.of(seed, Purpose.TEST, 0, 0), 1.0);
            lambda = 0.3;
        }
        double[][] pi = MeanFieldPolicy.probabilities(f, ssp.numStates(), uniformMu(ssp.numActions()));
        SspMoments.Result exact = SspMoments.compute(ssp, pi, lambda);
        double[] w = WeightTables.varianceAdjusted(ssp, pi, exact);
        double j0 = exact.j()[ssp.start()];
        SspEnvironment env = SspEnvironment.of(ssp);
        int episodes = 20_000;
        VarianceWeightBatch batch = estimate(env, pi, seed, episodes, 2_500);
        assertEquals(episodes, batch.count());
        String ctx = ssp.name() + " seed=" + seed + " E=" + episodes + " lambda=" + lambda;
        check(w, batch.weights(lambda, j0), batch.standardErrors(lambda, j0, 0), ctx + " exact J0");

        ReturnMoments start = ReturnMoments.create();
        for (int first = 0; first < episodes; first += 5_000) {
            start.combine(VarianceWeightBatch.startValueBlock(env, SspEnvironment::index, pi, seed, 3, first, 5_000, 10_000));
        }
        MonteCarloEstimate j0Hat = start.j();
        assertTrue(Math.abs(j0Hat.value() - j0) <= 4 * j0Hat.stdErr(), ctx + ": independent J0 " + j0Hat + " vs " + j0);
        check(w, batch.weights(lambda, j0Hat.value()), batch.standardErrors(lambda, j0Hat.value(), j0Hat.stdErr()),
                ctx + " independent J0 = " + j0Hat);
        MonteCarloEstimate own = batch.startValue();
        assertTrue(Math.abs(own.value() - j0) <= 4 * own.stdErr(), ctx + ": J0 from the same episodes " + own);
    }

    static java.util.stream.IntStream monteCarloCases() {
        return java.util.stream.IntStream.range(0, 3);
    }

    private static void check(double[] exact, double[] est, double[] se, String ctx) {
        double maxW = 0;
        double maxSe = 0;
        for (int p = 0; p < exact.length; p++) {
            double z = se[p] > 0 ? (est[p] - exact[p]) / se[p] : Double.NaN;
            assertTrue(Math.abs(est[p] - exact[p]) <= 4 * se[p] + 1e-12, ctx + " point " + p + ": estimate " + est[p]
                    + " exact " + exact[p] + " SE " + se[p] + " z " + z);
            maxW = Math.max(maxW, Math.abs(exact[p]));
            maxSe = Math.max(maxSe, se[p]);
        }
        assertTrue(maxSe <= 0.1 * maxW, ctx + ": the test has power (max SE " + maxSe + " vs max |W| " + maxW + ")");
    }

    /**
     * Blocks are pure functions of their ids: the same block gives the same bits, a different block structure
     * the same sums to round-off, and combining the empty block changes nothing.
     */
    @Test
    void blocksArePureAndCombine() {
        SspEnvironment env = SspEnvironment.of(T6);
        double[][] pi = MeanFieldPolicy.probabilities(new double[] {0.2, -0.1, 0.0, 0.3, -0.4, 0.1}, 3, uniformMu(2));
        VarianceWeightBatch a = estimate(env, pi, 7, 1_000, 1_000);
        VarianceWeightBatch b = estimate(env, pi, 7, 1_000, 1_000);
        VarianceWeightBatch c = estimate(env, pi, 7, 1_000, 137);
        c.combine(VarianceWeightBatch.simulate(env, SspEnvironment::index, pi, 7, 3, 1_000, 0, 10));
        assertArrayEquals(a.weights(0.3, 3.0), b.weights(0.3, 3.0), 0.0);
        assertArrayEquals(a.weights(0.3, 3.0), c.weights(0.3, 3.0), 1e-12);
        assertArrayEquals(a.standardErrors(0.3, 3.0, 0.1), c.standardErrors(0.3, 3.0, 0.1), 1e-12);
        assertEquals(a.steps(), c.steps());
        assertEquals(a.continuationSteps(), c.continuationSteps());
        assertEquals(1_000, c.count());
        assertThrows(NumericalDivergenceException.class,
                () -> VarianceWeightBatch.simulate(env, SspEnvironment::index, pi, 7, 3, 0, 50, 1), "maxSteps");
        assertThrows(IllegalArgumentException.class,
                () -> a.combine(VarianceWeightBatch.create(2, 2)), "shape mismatch");
    }
}
