package org.pgflow.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgflow.TestSupport;
import org.pgflow.estimate.TabularBaselines.Evaluated;
import org.pgflow.estimate.TabularBaselines.Method;
import org.pgflow.estimate.TabularBaselines.Metrics;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.stats.Fits;
import org.pgflow.util.InvalidInputException;

/**
 * Tabular baselines (docs/algorithms.md §2.13). Oracles: central finite differences of the exact {@code V_τ(ρ)} for the PG
 * step; the soft optimum (soft value iteration to 1e-13) for gaps; the linear-rate theorems of Mei et al. 2020
 * (softmax PG, observed as a straight line in {@code ln gap}) and Cen et al. 2021 Thm 1 (NPG, an explicit bound).
 */
class TabularBaselineTest {
    private static final FiniteMdp T1 = ModelFiles.loadMdp(TestSupport.env("t1.mdp.json"));

    private static double value(FiniteMdp mdp, double[][] logits, double tau) {
        return ExactSolver.evaluate(mdp, TabularPolicy.softmax(logits, mdp.mu()), tau).valueAtInitial();
    }

    /** Central difference of {@code V_τ(ρ)} with respect to {@code θ[s][a]}, step h. */
    private static double[][] finiteDifference(FiniteMdp mdp, double[][] logits, double tau, double h) {
        double[][] g = new double[logits.length][logits[0].length];
        for (int s = 0; s < logits.length; s++) {
            for (int a = 0; a < logits[s].length; a++) {
                double keep = logits[s][a];
                logits[s][a] = keep + h;
                double up = value(mdp, logits, tau);
                logits[s][a] = keep - h;
                double down = value(mdp, logits, tau);
                logits[s][a] = keep;
                g[s][a] = (up - down) / (2 * h);
            }
        }
        return g;
    }

    /**
     * The first softmax-PG steps move θ by η times the gradient of {@code V_τ(ρ)}. Central differences with
     * h = 1e-5: truncation {@code h²/6·|∂³V|} ≲ 1e-9 here, round-off {@code ε|V|/h} ≈ 1e-10; tolerance 1e-7.
     * Also the test problem T1 gradient at θ = 0 (1e-8, the reference printed precision).
     */
    @Test
    void softmaxPgStepsFollowTheFiniteDifferenceGradient() {
        double[][] theta = TabularBaselines.zeroLogits(T1);
        double[][] w0 = TabularBaselines.gradient(T1, TabularBaselines.evaluate(T1, theta, 0.5));
        TestSupport.assertMatrix(new double[][] {{0.7954755867, -0.7954755867, 0.0}, {-0.6782594695, 1.0445598358, -0.3663003663}},
                w0, 1e-8, "T1 gradient at theta = 0");
        checkSteps(T1, theta, 0.5, 0.7, "T1");
        FiniteMdp garnet = RandomInstances.garnetMdp(5, 0, 4, 3, 2, 0.85);
        RandomGenerator rng = Streams.of(5, Purpose.TEST, 0, 0);
        double[][] start = new double[4][3];
        for (double[] row : start) {
            for (int a = 0; a < 3; a++) {
                row[a] = rng.nextGaussian();
            }
        }
        checkSteps(garnet, start, 0.2, 0.5, "garnet-5-0");
        checkSteps(garnet, start, 0.0, 0.5, "garnet-5-0 tau=0");
    }

    private static void checkSteps(FiniteMdp mdp, double[][] theta, double tau, double eta, String what) {
        for (int k = 0; k < 3; k++) {
            Evaluated e = TabularBaselines.evaluate(mdp, theta, tau);
            double[][] fd = finiteDifference(mdp, theta, tau, 1e-5);
            TestSupport.assertMatrix(fd, TabularBaselines.gradient(mdp, e), 1e-7, what + " gradient at step " + k);
            double[][] next = TabularBaselines.softmaxPgStep(mdp, e, eta);
            for (int s = 0; s < theta.length; s++) {
                for (int a = 0; a < theta[s].length; a++) {
                    assertEquals(theta[s][a] + eta * fd[s][a], next[s][a], eta * 1e-7, what + " step " + k + " [" + s + "][" + a + "]");
                }
            }
            assertTrue(value(mdp, next, tau) > e.soft().valueAtInitial(), what + ": the step ascends V_tau(rho)");
            theta = next;
        }
    }

    /** {@code ln gap} and the smallest action probability along a softmax-PG run from θ = 0. */
    private static double[][] pgRun(FiniteMdp mdp, double tau, double eta, int iterations) {
        SoftOptimum opt = ExactSolver.softValueIteration(mdp, tau);
        double[][] theta = TabularBaselines.zeroLogits(mdp);
        double[] lnGap = new double[iterations + 1];
        double[] minPi = new double[iterations + 1];
        for (int k = 0; k <= iterations; k++) {
            Evaluated e = TabularBaselines.evaluate(mdp, theta, tau);
            // The value-gap identity, not V* − V: it has no 1e-12 floor from the VI tolerance.
            lnGap[k] = Math.log(ExactSolver.gapFromIdentity(mdp, e.policy(), e.soft(), opt));
            minPi[k] = 1;
            for (double[] row : e.policy()) {
                for (double p : row) {
                    minPi[k] = Math.min(minPi[k], p);
                }
            }
            theta = TabularBaselines.softmaxPgStep(mdp, e, eta);
        }
        return new double[][] {lnGap, minPi};
    }

    /** {@code {slope, R²}} of the least-squares line through {@code (k, y_k)}, {@code k ∈ [from, to]}. */
    private static double[] fit(double[] y, int from, int to) {
        double[] x = new double[to - from + 1];
        double[] w = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = from + i;
            w[i] = y[from + i];
        }
        double[] line = Fits.line(x, w);
        double mean = 0;
        for (double v : w) {
            mean += v / w.length;
        }
        double ssRes = 0;
        double ssTot = 0;
        for (int i = 0; i < x.length; i++) {
            double r = w[i] - (line[0] + line[1] * x[i]);
            ssRes += r * r;
            ssTot += (w[i] - mean) * (w[i] - mean);
        }
        return new double[] {line[1], 1 - ssRes / ssTot};
    }

    /**
     * Softmax PG with τ = 0.5, η = 0.1 on T1 converges linearly once π is bounded away from 0 (Mei et al. 2020,
     * Thm 6): over k ∈ [150, 250] and [300, 400], where min π ≥ 0.08 and the gap falls from 2e-5 to 2e-10,
     * {@code ln gap} is a straight line (R² ≥ 0.9999) with a negative slope (≈ −0.046 per iteration) that
     * agrees between the two windows to 5%. (The asymptotic rate is that of the linearised iteration at θ*.)
     */
    @Test
    void softmaxPgConvergesLinearlyOnT1() {
        double[][] run = pgRun(T1, 0.5, 0.1, 400);
        double[] lnGap = run[0];
        double[] early = fit(lnGap, 150, 250);
        double[] late = fit(lnGap, 300, 400);
        String msg = "slopes " + early[0] + ", " + late[0] + "; R² " + early[1] + ", " + late[1];
        for (int k = 150; k <= 400; k++) {
            assertTrue(run[1][k] >= 0.08, "min pi at k = " + k + " is " + run[1][k]);
        }
        assertTrue(early[0] < -0.01 && late[0] < -0.01, msg);
        assertTrue(early[1] >= 0.9999 && late[1] >= 0.9999, msg);
        assertTrue(Math.abs(early[0] / late[0] - 1) <= 0.05, msg);
        assertTrue(lnGap[400] < Math.log(1e-9), "gap after 400 iterations: " + Math.exp(lnGap[400]));
    }

    /**
     * NPG with η = (1−γ)/τ is soft policy iteration ({@code π ∝ μ e^{Q/τ}}): it reaches the soft optimum,
     * {@code ‖Q*_τ − Q‖∞ ≤ 1e-10} and {@code |gap| ≤ 1e-10}, in fewer than 100 iterations (VI floor ≈ 1e-12).
     */
    @ParameterizedTest(name = "instance {0}")
    @ValueSource(ints = {-2, -1, 0, 1, 2})
    void softPolicyIterationReachesTheSoftOptimum(int instance) {
        FiniteMdp mdp = instance < 0 ? T1 : RandomInstances.garnetMdp(11, instance, 6, 3, 3, 0.9);
        double tau = instance == -2 ? 0.1 : 0.5;
        SoftOptimum opt = ExactSolver.softValueIteration(mdp, tau);
        SoftOptimum opt0 = ExactSolver.softValueIteration(mdp, 0);
        double eta = TabularBaselines.npgMaxStep(tau, mdp.gamma());
        double[][] theta = TabularBaselines.zeroLogits(mdp);
        int k = 0;
        while (true) {
            Evaluated e = TabularBaselines.evaluate(mdp, theta, tau);
            Metrics m = TabularBaselines.metrics(e, opt, opt0);
            if (supDistance(opt.q(), e.soft().q()) <= 1e-10 && Math.abs(m.gap()) <= 1e-10 && m.maxTv() <= 1e-10) {
                break;
            }
            assertTrue(++k < 100, mdp.name() + " tau=" + tau + ": not at the soft optimum after 100 iterations, gap " + m.gap());
            theta = TabularBaselines.npgStep(mdp, e, eta);
        }
    }

    private static double supDistance(double[][] a, double[][] b) {
        double m = 0;
        for (int s = 0; s < a.length; s++) {
            for (int j = 0; j < a[s].length; j++) {
                m = Math.max(m, Math.abs(a[s][j] - b[s][j]));
            }
        }
        return m;
    }

    /**
     * Cen et al. 2021, Thm 1, for 0 &lt; η ≤ (1−γ)/τ:
     * {@code ‖Q*_τ − Q^{(t+1)}‖∞ ≤ C₁ γ (1−ητ)^t} and {@code ‖ln π*_τ − ln π^{(t+1)}‖∞ ≤ 2C₁τ⁻¹(1−ητ)^t},
     * {@code C₁ = ‖Q*_τ − Q^{(0)}‖∞ + 2τ(1 − ητ/(1−γ)) ‖ln π*_τ − ln π^{(0)}‖∞} — checked for every t until the
     * bound reaches 1e-9 (a slack of 1e-11 absorbs the VI tolerance), on random MDPs, with η a quarter and a
     * half of the largest step, from a random initial policy.
     */
    @ParameterizedTest(name = "instance {0}")
    @ValueSource(ints = {0, 1, 2})
    void npgLinearRateBound(int instance) {
        FiniteMdp mdp = RandomInstances.garnetMdp(23, instance, 8, 4, 3, 0.9);
        double tau = 0.2 + 0.2 * instance;
        SoftOptimum opt = ExactSolver.softValueIteration(mdp, tau);
        RandomGenerator rng = Streams.of(23, Purpose.TEST, 1, instance);
        double[][] init = new double[8][4];
        for (double[] row : init) {
            for (int a = 0; a < 4; a++) {
                row[a] = 2 * rng.nextGaussian();
            }
        }
        for (double fraction : new double[] {0.25, 0.5}) {
            double eta = fraction * TabularBaselines.npgMaxStep(tau, mdp.gamma());
            double[][] theta = init;
            Evaluated e = TabularBaselines.evaluate(mdp, theta, tau);
            double c1 = supDistance(opt.q(), e.soft().q())
                    + 2 * tau * (1 - eta * tau / (1 - mdp.gamma())) * supDistance(logs(opt.policy()), logs(e.policy()));
            double rate = 1 - eta * tau;
            String ctx = mdp.name() + " tau=" + tau + " eta=" + eta;
            for (int t = 0; c1 * Math.pow(rate, t) > 1e-9; t++) {
                theta = TabularBaselines.npgStep(mdp, e, eta);
                e = TabularBaselines.evaluate(mdp, theta, tau);
                double bound = Math.pow(rate, t);
                double qErr = supDistance(opt.q(), e.soft().q());
                double logErr = supDistance(logs(opt.policy()), logs(e.policy()));
                assertTrue(qErr <= c1 * mdp.gamma() * bound + 1e-11, ctx + " t+1=" + (t + 1) + ": Q error " + qErr
                        + " > " + c1 * mdp.gamma() * bound);
                assertTrue(logErr <= 2 * c1 / tau * bound + 1e-11, ctx + " t+1=" + (t + 1) + ": ln pi error " + logErr);
            }
        }
    }

    private static double[][] logs(double[][] p) {
        double[][] l = new double[p.length][];
        for (int s = 0; s < p.length; s++) {
            l[s] = new double[p[s].length];
            for (int a = 0; a < p[s].length; a++) {
                l[s][a] = Math.log(p[s][a]);
            }
        }
        return l;
    }

    /**
     * Unregularised NPG (τ = 0, α = 0, {@code θ ← ℓ + ηQ/(1−γ)}) improves monotonically and satisfies the
     * sublinear bound of Agarwal, Kakade, Lee, Mahajan (JMLR 2021, Thm 16) from the uniform policy:
     * {@code V*(ρ) − V^{(T)}(ρ) ≤ ln|A|/(ηT) + 1/((1−γ)²T)}. With τ = 0, value = V_0 and gap = gap0.
     */
    @Test
    void unregularisedNpgIsAllowedAndConverges() {
        FiniteMdp mdp = RandomInstances.garnetMdp(29, 0, 6, 3, 2, 0.9);
        SoftOptimum opt0 = ExactSolver.softValueIteration(mdp, 0);
        double eta = 0.3;
        TabularBaselines.checkStepSize(Method.NPG, "baseline.eta", 1e6, 0, mdp.gamma()); // no upper bound at tau = 0
        double[][] theta = TabularBaselines.zeroLogits(mdp);
        double previous = Double.NEGATIVE_INFINITY;
        for (int t = 0; t <= 200; t++) {
            Evaluated e = TabularBaselines.evaluate(mdp, theta, 0);
            assertSame(e.soft(), e.plain());
            Metrics m = TabularBaselines.metrics(e, opt0, opt0);
            assertEquals(m.gap(), m.gap0(), 0.0);
            assertTrue(m.value() >= previous - 1e-12, "monotone improvement at t = " + t);
            if (t > 0) {
                double bound = Math.log(3) / (eta * t) + 1 / ((1 - mdp.gamma()) * (1 - mdp.gamma()) * t);
                assertTrue(m.gap0() <= bound, "t = " + t + ": gap0 " + m.gap0() + " > " + bound);
            }
            previous = m.value();
            theta = TabularBaselines.step(Method.NPG, mdp, e, eta);
        }
        assertTrue(TabularBaselines.metrics(TabularBaselines.evaluate(mdp, theta, 0), opt0, opt0).gap0() < 1e-6);
    }

    /**
     * The metrics against their definitions: at θ with π = π*_τ the gap and max_tv vanish and gap0 is the
     * entropic bias {@code V*_0(ρ) − V_0^{π*_τ}(ρ) > 0}; at the test problem T1 policy θ the gap is 0.8151431817.
     */
    @Test
    void metricsAtKnownPolicies() {
        SoftOptimum opt = ExactSolver.softValueIteration(T1, 0.5);
        SoftOptimum opt0 = ExactSolver.softValueIteration(T1, 0);
        double[][] atOptimum = logs(opt.policy());
        for (double[] row : atOptimum) {
            for (int a = 0; a < row.length; a++) {
                row[a] -= Math.log(1.0 / 3); // θ = ln(π*/μ)
            }
        }
        Metrics m = TabularBaselines.metrics(TabularBaselines.evaluate(T1, atOptimum, 0.5), opt, opt0);
        assertEquals(opt.valueAtInitial(), m.value(), 1e-11);
        assertEquals(0, m.gap(), 1e-11);
        assertEquals(0, m.maxTv(), 1e-12);
        double bias = opt0.valueAtInitial() - ExactSolver.evaluate(T1, opt.policy(), 0).valueAtInitial();
        assertEquals(bias, m.gap0(), 1e-11);
        assertTrue(bias > 0.1, "entropic bias " + bias);
        Metrics spec = TabularBaselines.metrics(TabularBaselines.evaluate(T1,
                new double[][] {{0.3, -0.2, 0.1}, {-0.5, 0.4, 0.0}}, 0.5), opt, opt0);
        assertEquals(5.3854046329, spec.value(), 1e-8);
        assertEquals(0.8151431817, spec.gap(), 1e-8);
        assertThrows(IllegalArgumentException.class, () -> TabularBaselines.metrics(
                TabularBaselines.evaluate(T1, atOptimum, 0.1), opt, opt0), "optimum for another tau");
    }

    @Test
    void stepSizesAreValidated() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TabularBaselines.checkStepSize(Method.NPG, "baseline.eta", 0.3, 0.5, 0.9));
        assertTrue(e.getMessage().contains("baseline.eta") && e.getMessage().contains("eta <= (1-gamma)/tau"), e.getMessage());
        TabularBaselines.checkStepSize(Method.NPG, "baseline.eta", 0.2, 0.5, 0.9); // (1−γ)/τ itself is allowed
        assertThrows(InvalidInputException.class, () -> TabularBaselines.checkStepSize(Method.SOFTMAX_PG, "baseline.eta", 0, 0.5, 0.9));
        assertThrows(InvalidInputException.class, () -> TabularBaselines.checkStepSize(Method.NPG, "baseline.eta", -1, 0, 0.9));
        Evaluated ev = TabularBaselines.evaluate(T1, TabularBaselines.zeroLogits(T1), 0.5);
        assertThrows(InvalidInputException.class, () -> TabularBaselines.npgStep(T1, ev, 0.21));
        assertEquals(Method.NPG, Method.fromConfig("baseline.method", "NPG"));
        assertEquals(Method.SOFTMAX_PG, Method.fromConfig("baseline.method", "softmax-pg"));
        InvalidInputException bad = assertThrows(InvalidInputException.class, () -> Method.fromConfig("baseline.method", "pg"));
        assertTrue(bad.getMessage().contains("baseline.method"), bad.getMessage());
    }
}
