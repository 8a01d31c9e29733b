package org.pgflow.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.pgflow.TestSupport;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.FiniteMdpSimulator;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.policy.TabularActionDistribution;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.stats.RunningMoments;

/**
 * Monte Carlo estimators of docs/algorithms.md §2.8 against the exact engine on T1 and T2 (docs/algorithms.md §5).
 *
 * <p>Every statistical assertion is {@code |estimate − exact| ≤ Z·SE} with Z = 4: under the CLT its
 * two-sided false-failure probability is 6.3e-5 per assertion. The number of assertions is stated per test;
 * the union bound gives the false-failure probability of the test. Seeds are fixed, so a run is deterministic;
 * the probabilities say how unlucky a seed would have to be for a correct implementation to fail.
 */
class MonteCarloEvaluatorTest {
    private static final double Z = 4.0;
    private static final long SEED = 20240611L;

    private static final FiniteMdp T1 = ModelFiles.loadMdp(TestSupport.env("t1.mdp.json"));
    private static final FiniteMdp T2 = ModelFiles.loadMdp(TestSupport.env("t2-softchain.mdp.json"));

    /** 5 assertions at 6.3e-5 each: false-failure probability ≤ 3.2e-4. */
    @Test
    void t2StateSamplerMatchesExactOccupancy() {
        FiniteMdpSimulator sim = FiniteMdpSimulator.of(T2);
        double[][] pi = TabularPolicy.uniform(5, 2);
        PolicyEvaluation ev = ExactSolver.evaluate(T2, pi, 0.1);
        MonteCarloEvaluator mc = new MonteCarloEvaluator(sim, TabularActionDistribution.of(pi, T2.mu()), 0.1, false);
        int n = 200_000;
        long[] counts = new long[5];
        double[] s = new double[1];
        RandomGenerator rng = Streams.of(SEED, Purpose.TEST, 1, 0);
        for (int i = 0; i < n; i++) {
            assertTrue(mc.sampleState(rng, s));
            counts[FiniteMdpSimulator.index(s)]++;
        }
        for (int k = 0; k < 5; k++) {
            double d = ev.occupancy()[k];
            double freq = counts[k] / (double) n;
            double se = Math.sqrt(d * (1 - d) / n);
            assertEquals(d, freq, Z * se, "d[" + k + "] seed=" + SEED + " n=" + n);
        }
    }

    enum Variant { GEOMETRIC, GEOMETRIC_RAO_BLACKWELL, TRUNCATED }

    /**
     * Each variant, each (s, a): the mean of n all-action estimates (common random numbers within a state, so
     * the per-action means are correlated, but each is a mean of i.i.d. unbiased samples) within 4·SE of the
     * exact Q; for the truncated variant the tolerance adds its bias bound γ^H·M/(1−γ) (docs/algorithms.md §2.8).
     */
    private static void checkQ(FiniteMdp mdp, double[][] pi, double tau, int n, long stream) {
        FiniteMdpSimulator sim = FiniteMdpSimulator.of(mdp);
        PolicyEvaluation ev = ExactSolver.evaluate(mdp, pi, tau);
        int ns = mdp.numStates();
        int na = mdp.numActions();
        // sup |r − τℓ| over (s,a) with π > 0: bound on the per-step magnitude of the truncated sum
        double m = 0;
        for (int s = 0; s < ns; s++) {
            for (int a = 0; a < na; a++) {
                m = Math.max(m, Math.abs(mdp.r(s, a)) + tau * Math.abs(ev.logRatio()[s][a]));
            }
        }
        int horizon = 60;
        double bias = MonteCarloEvaluator.truncationBiasBound(mdp.gamma(), horizon, m);
        for (Variant variant : Variant.values()) {
            MonteCarloEvaluator mc = new MonteCarloEvaluator(sim, TabularActionDistribution.of(pi, mdp.mu()), tau,
                    variant == Variant.GEOMETRIC_RAO_BLACKWELL);
            for (int s = 0; s < ns; s++) {
                RandomGenerator rng = Streams.of(SEED, Purpose.TEST, stream + variant.ordinal(), s);
                RunningMoments[] acc = new RunningMoments[na];
                for (int a = 0; a < na; a++) {
                    acc[a] = RunningMoments.create();
                }
                double[] state = {s};
                double[] q = new double[na];
                for (int i = 0; i < n; i++) {
                    if (variant == Variant.TRUNCATED) {
                        mc.qAllActionsTruncated(state, horizon, rng, q);
                    } else {
                        mc.qAllActions(state, rng, q);
                    }
                    for (int a = 0; a < na; a++) {
                        acc[a].accept(q[a]);
                    }
                }
                for (int a = 0; a < na; a++) {
                    double tol = Z * acc[a].standardError() + (variant == Variant.TRUNCATED ? bias : 0.0);
                    assertEquals(ev.q()[s][a], acc[a].mean(), tol, mdp.name() + " " + variant + " Q[" + s + "][" + a
                            + "] seed=" + SEED + " stream=" + (stream + variant.ordinal()) + " n=" + n + " se=" + acc[a].standardError());
                }
            }
        }
    }

    /** 3 variants × 6 (s,a) = 18 assertions: false-failure probability ≤ 1.2e-3. Non-uniform policy of test problem T1. */
    @Test
    void t1QEstimatorsMatchExactQ() {
        double[][] pi = TabularPolicy.softmax(new double[][] {{0.3, -0.2, 0.1}, {-0.5, 0.4, 0.0}}, T1.mu());
        checkQ(T1, pi, 0.5, 20_000, 10);
    }

    /** 3 variants × 10 (s,a) = 30 assertions: false-failure probability ≤ 1.9e-3. Uniform policy of test problem T2. */
    @Test
    void t2QEstimatorsMatchExactQ() {
        checkQ(T2, TabularPolicy.uniform(5, 2), 0.1, 20_000, 20);
    }

    /** Raw (not Rao–Blackwellised) and RB geometric V̂(ρ), and truncated return: 3 assertions, ≤ 1.9e-4. */
    @Test
    void t1ValueSamplesMatchExactValue() {
        double[][] pi = TabularPolicy.softmax(new double[][] {{0.3, -0.2, 0.1}, {-0.5, 0.4, 0.0}}, T1.mu());
        double exact = 5.3854046329; // docs/algorithms.md §5 T1
        FiniteMdpSimulator sim = FiniteMdpSimulator.of(T1);
        int n = 40_000;
        for (int variant = 0; variant < 3; variant++) {
            MonteCarloEvaluator mc = new MonteCarloEvaluator(sim, TabularActionDistribution.of(pi, T1.mu()), 0.5, variant == 1);
            RandomGenerator rng = Streams.of(SEED, Purpose.TEST, 30, variant);
            RunningMoments acc = RunningMoments.create();
            for (int i = 0; i < n; i++) {
                acc.accept(variant == 2 ? mc.discountedReturn(rng, 250) : mc.valueSample(rng));
            }
            // truncation at H = 250: bias ≤ 0.9^250·(1 + 0.5·|ℓ|max)/(0.1) < 1e-10, negligible
            assertEquals(exact, acc.mean(), Z * acc.standardError(), "V(rho) variant " + variant + " seed=" + SEED);
        }
    }

    /**
     * Entropy accounting, deterministically: one state, constant reward 1, π = (0.8, 0.2) against μ = (½, ½).
     * With Rao–Blackwellised entropy every step is worth exactly {@code 1 − τ KL(π‖μ)}, so the truncated
     * value with H steps is {@code (1 − τKL)(1 − γ^H)/(1 − γ)} (entropy charged at t = 0), while the truncated
     * Q with H steps is {@code 1 + γ(1 − τKL)(1 − γ^{H−1})/(1 − γ)} (no entropy at t = 0).
     */
    @Test
    void entropyIsChargedAfterButNotAtTheGivenAction() {
        FiniteMdp one = FiniteMdp.of("one", 0.5, new double[][][] {{{1.0}, {1.0}}}, new double[][] {{1.0, 1.0}},
                new double[] {1.0}, null, null, null);
        double tau = 0.7;
        double[] pi = {0.8, 0.2};
        double kl = 0.8 * Math.log(0.8 / 0.5) + 0.2 * Math.log(0.2 / 0.5);
        MonteCarloEvaluator mc = new MonteCarloEvaluator(FiniteMdpSimulator.of(one),
                TabularActionDistribution.of(new double[][] {pi}, one.mu()), tau, true);
        RandomGenerator rng = Streams.of(SEED, Purpose.TEST, 40, 0);
        double step = 1 - tau * kl;
        for (int h = 1; h <= 4; h++) {
            double geo = (1 - Math.pow(0.5, h)) / 0.5;
            assertEquals(step * geo, mc.discountedReturn(rng, h), 1e-14, "V_H, H=" + h);
            double[] q = new double[2];
            mc.qAllActionsTruncated(new double[] {0}, h, rng, q);
            double expected = 1 + 0.5 * step * (1 - Math.pow(0.5, h - 1)) / 0.5;
            assertEquals(expected, q[0], 1e-14, "Q_H[0], H=" + h);
            assertEquals(expected, q[1], 1e-14, "Q_H[1], H=" + h);
        }
    }
}
