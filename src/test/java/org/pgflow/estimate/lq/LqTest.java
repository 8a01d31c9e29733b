package org.pgflow.estimate.lq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.pgflow.estimate.ClosedLoopChain;
import org.pgflow.math.Quadrature;
import org.pgflow.mdp.env.LinearQuadratic;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.stats.RunningMoments;

/**
 * LQ closed forms (docs/algorithms.md §3.1–3.4) against the reference numbers of T4 (docs/algorithms.md §5, NumPy/SciPy double precision,
 * printed with 13 decimals, hence 1e-10), against each other (closed-form vs iterated Riccati; policy
 * evaluation at the optimum vs the Riccati constants; vector vs scalar), against quadrature (soft-Bellman
 * residual) and against simulation with continuous Gaussian actions.
 *
 * <p>Statistical assertions use Z = 4 (two-sided CLT false-failure probability 6.3e-5 each); each test states
 * its count. Seeds are fixed.
 */
public class LqTest {
    private static final double SPEC_TOL = 1e-10;
    private static final double Z = 4.0;
    private static final long SEED = 77L;

    // T4: A_d = 0.9, B_d = 0.5, q = 1, R = 0.1, W = 0.01, γ = 0.9, τ = 0.1, σ_μ = 1
    private static final ScalarLq T4 = ScalarLq.gaussian(0.9, 0.5, 1.0, 0.1, 0.01, 0.9, 0.1, 1.0);
    private static final LinearQuadratic T4_ENV = LinearQuadratic.scalar(0.9, 0.5, 1.0, 0.1, 0.01, 0.9, 1.0,
            1.0, 0.25, 20, 3.0, 3.0);

    @Test
    void t4ClosedFormMatchesSpec() {
        assertEquals(0.15, T4.rBar(), 1e-15);
        assertEquals(1.3231727938735, T4.lambda(), SPEC_TOL, "Lambda");
        assertEquals(0.4477138786215, T4.h(), SPEC_TOL, "H");
        assertEquals(1.1969362736056, T4.gain(), SPEC_TOL, "K");
        assertEquals(0.1116784678508, T4.policyVariance(), SPEC_TOL, "Var pi*");
        assertEquals(1.2151512310301, T4.e(), SPEC_TOL, "e");
        double[] it = T4.riccatiIteration();
        assertEquals(T4.lambda(), it[0], 1e-14, "iterated vs closed-form Lambda");
        assertTrue(it[1] < 100, "iterations " + it[1]);
        // ρ = N(1, 0.25)
        assertEquals(-2.8691172234, T4.optimalValue(1.0, 0.25), 1e-9, "V*(rho)");
        assertEquals(0.1733094493, T4.occupancySecondMoment(T4.gain(), T4.policyVariance(), 1.0, 0.25), 1e-9, "E_d[s^2]");
    }

    @Test
    void t4LebesgueVariantMatchesSpec() {
        ScalarLq leb = ScalarLq.lebesgue(0.9, 0.5, 1.0, 0.1, 0.01, 0.9, 0.1);
        assertEquals(1.2384322326402, leb.lambda(), SPEC_TOL, "Lambda");
        assertEquals(1.3246235146678, leb.gain(), SPEC_TOL, "K");
        assertEquals(0.1320490237034, leb.policyVariance(), SPEC_TOL, "Var");
        assertEquals(0.2048113845591, leb.e(), SPEC_TOL, "e");
        LinearGaussianValue ev = leb.evaluate(leb.gain(), leb.policyVariance());
        assertEquals(leb.lambda(), ev.p(), 1e-13, "p at optimum (Lebesgue)");
        assertEquals(leb.e(), ev.c(), 1e-13, "c at optimum (Lebesgue)");
    }

    /** Evaluation at (K, τ/(2H)) reproduces (Λ, e); perturbing k or v lowers V at every state (optimality). */
    @Test
    void evaluationAtTheOptimumReturnsLambdaAndE() {
        LinearGaussianValue ev = T4.evaluate(T4.gain(), T4.policyVariance());
        assertEquals(T4.lambda(), ev.p(), 1e-13, "p");
        assertEquals(T4.e(), ev.c(), 1e-13, "c");
        double[][] perturb = {{0.05, 0}, {-0.05, 0}, {0, 0.02}, {0, -0.02}};
        for (double[] d : perturb) {
            LinearGaussianValue other = T4.evaluate(T4.gain() + d[0], T4.policyVariance() + d[1]);
            for (double s : new double[] {-2, 0, 0.7}) {
                assertTrue(other.value(s) < ev.value(s), "perturbation " + d[0] + "," + d[1] + " at s=" + s);
            }
        }
    }

    /**
     * Soft-Bellman optimality on the Gauss–Hermite grid of μ (80 nodes): V*(s) = τ ln Σ_j ω_j e^{Q*(s,a_j)/τ}.
     * docs/algorithms.md §5 reports a residual ≤ 3e-9; π* has sd 0.33 against σ_μ = 1, so 80 nodes resolve it.
     */
    @Test
    void softBellmanResidualOnHermiteGrid() {
        Quadrature gh = Quadrature.normal(80, 0.0, 1.0);
        for (double s : new double[] {-1, -0.3, 0, 0.5, 1}) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < gh.size(); j++) {
                max = Math.max(max, T4.optimalQ(s, gh.node(j)) / 0.1);
            }
            double sum = 0;
            for (int j = 0; j < gh.size(); j++) {
                sum += gh.weight(j) * Math.exp(T4.optimalQ(s, gh.node(j)) / 0.1 - max);
            }
            double tv = 0.1 * (max + Math.log(sum));
            assertEquals(T4.optimalValue(s), tv, 3e-9, "soft Bellman residual at s=" + s);
        }
    }

    /**
     * Monte Carlo V̂(ρ) of a non-optimal linear-Gaussian policy (k = 0.8, v = 0.2), continuous Gaussian actions,
     * geometric horizon, vs −p(m_0² + s_0²) − c; and at the optimum vs V*(ρ). 2 assertions: ≤ 1.3e-4.
     */
    @Test
    void monteCarloValueOfLinearGaussianPolicyMatchesClosedForm() {
        double[][] cases = {{0.8, 0.2}, {T4.gain(), T4.policyVariance()}};
        for (int c = 0; c < cases.length; c++) {
            double k = cases[c][0];
            double v = cases[c][1];
            LinearGaussianChain chain = new LinearGaussianChain(T4_ENV, new double[][] {{k}}, new double[][] {{v}}, 0.1);
            RandomGenerator rng = Streams.of(SEED, Purpose.TEST, 1, c);
            RunningMoments acc = RunningMoments.create();
            for (int i = 0; i < 200_000; i++) {
                acc.accept(ClosedLoopChain.valueSample(chain, rng));
            }
            double exact = T4.evaluate(k, v).value(1.0, 0.25);
            assertEquals(exact, acc.mean(), Z * acc.standardError(), "V(rho) k=" + k + " v=" + v + " seed=" + SEED
                    + " se=" + acc.standardError());
        }
    }

    /** E_d[s²] of the geometric state sampler vs docs/algorithms.md §3.2, for π* and for (k, v) = (0.8, 0.2). 2 assertions: ≤ 1.3e-4. */
    @Test
    void stateSamplerSecondMomentMatchesOccupancyFormula() {
        double[][] cases = {{T4.gain(), T4.policyVariance()}, {0.8, 0.2}};
        for (int c = 0; c < cases.length; c++) {
            double k = cases[c][0];
            double v = cases[c][1];
            LinearGaussianChain chain = new LinearGaussianChain(T4_ENV, new double[][] {{k}}, new double[][] {{v}}, 0.1);
            RandomGenerator rng = Streams.of(SEED, Purpose.TEST, 2, c);
            RunningMoments acc = RunningMoments.create();
            double[] s = new double[1];
            for (int i = 0; i < 200_000; i++) {
                ClosedLoopChain.sampleState(chain, rng, s);
                acc.accept(s[0] * s[0]);
            }
            double exact = T4.occupancySecondMoment(k, v, 1.0, 0.25);
            assertEquals(exact, acc.mean(), Z * acc.standardError(), "E_d[s^2] k=" + k + " v=" + v + " seed=" + SEED);
        }
    }

    @Test
    void vectorFormulasReduceToScalarOnes() {
        VectorLq vec = VectorLq.of(T4_ENV, 0.1);
        assertEquals(T4.lambda(), vec.lambda()[0][0], 1e-13, "Lambda");
        assertEquals(T4.gain(), vec.gain()[0][0], 1e-13, "K");
        assertEquals(T4.policyVariance(), vec.policyCovariance()[0][0], 1e-13, "Var");
        assertEquals(T4.e(), vec.e(), 1e-12, "e");
        VectorLq.Evaluation ev = vec.evaluate(new double[][] {{0.8}}, new double[][] {{0.2}});
        LinearGaussianValue sc = T4.evaluate(0.8, 0.2);
        assertEquals(sc.p(), ev.p()[0][0], 1e-13, "p");
        assertEquals(sc.c(), ev.c(), 1e-12, "c");
    }

    /** A seeded random instance with n = 3, m = 2. */
    public static LinearQuadratic randomInstance(long seed) {
        RandomGenerator g = Streams.of(seed, Purpose.INSTANCE, 0, 0);
        int n = 3;
        int m = 2;
        double[][] a = new double[n][n];
        double[][] b = new double[n][m];
        double[][] gq = new double[n][n];
        double[][] gr = new double[m][m];
        double[][] gw = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = 0.4 * g.nextGaussian();
                gq[i][j] = g.nextGaussian();
                gw[i][j] = g.nextGaussian();
            }
            for (int j = 0; j < m; j++) {
                b[i][j] = g.nextGaussian();
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                gr[i][j] = g.nextGaussian();
            }
        }
        double[][] q = gram(gq, 1.0 / 3, 0.1);
        double[][] r = gram(gr, 0.05, 0.05);
        double[][] w = gram(gw, 0.005, 0.001);
        return LinearQuadratic.of(a, b, q, r, w, 0.9, 1.0, new double[] {1.0, -0.5, 0.3}, gram(gw, 0.02, 0.05), 9, 3.0, 3.0);
    }

    /** {@code c·GGᵀ + d·I}. */
    private static double[][] gram(double[][] gmat, double c, double d) {
        int n = gmat.length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int k = 0; k < n; k++) {
                    v += gmat[i][k] * gmat[j][k];
                }
                s[i][j] = c * v + (i == j ? d : 0);
            }
        }
        return s;
    }

    /** Policy evaluation of N(−Ks, (τ/2)H^{-1}) returns (Λ, e), on 5 seeded random instances (n = 3, m = 2). */
    @Test
    void vectorEvaluationAtTheOptimumReturnsLambdaAndE() {
        for (long seed = 1; seed <= 5; seed++) {
            LinearQuadratic lq = randomInstance(seed);
            VectorLq sol = VectorLq.of(lq, 0.1);
            VectorLq.Evaluation ev = sol.evaluate(sol.gain(), sol.policyCovariance());
            double[][] lam = sol.lambda();
            double scale = Math.max(1, Math.abs(sol.e()));
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(lam[i][j], ev.p()[i][j], 1e-11 * Math.max(1, Math.abs(lam[i][j])),
                            "P[" + i + "][" + j + "] seed=" + seed);
                }
            }
            assertEquals(sol.e(), ev.c(), 1e-11 * scale, "c seed=" + seed);
        }
    }

    /**
     * Vector V*(ρ) = −tr(Λ(m_0m_0ᵀ + Σ_0)) − e vs Monte Carlo with continuous Gaussian actions from π*, on one
     * random instance. 1 assertion: ≤ 6.3e-5.
     */
    @Test
    void vectorMonteCarloValueMatchesClosedForm() {
        LinearQuadratic lq = randomInstance(3);
        VectorLq sol = VectorLq.of(lq, 0.1);
        double[][] lam = sol.lambda();
        double[] m0 = lq.rhoMean();
        double[][] s0 = lq.rhoCov();
        double quad = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                quad += lam[i][j] * (m0[i] * m0[j] + s0[i][j]);
            }
        }
        double exact = -quad - sol.e();
        LinearGaussianChain chain = new LinearGaussianChain(lq, sol.gain(), sol.policyCovariance(), 0.1);
        RandomGenerator rng = Streams.of(SEED, Purpose.TEST, 3, 0);
        RunningMoments acc = RunningMoments.create();
        for (int i = 0; i < 100_000; i++) {
            acc.accept(ClosedLoopChain.valueSample(chain, rng));
        }
        assertEquals(exact, acc.mean(), Z * acc.standardError(), "vector V*(rho) seed=" + SEED + " se=" + acc.standardError());
    }

    /**
     * The gridded LQ simulator (Gauss–Hermite grid of μ, docs/algorithms.md §2.7b) under π = μ (ℓ ≡ 0): the grid matches the
     * first two moments of μ exactly, and the LQ value depends on the action law only through them, so V̂(ρ)
     * must equal the closed form of N(0·s, σ_μ²). 1 assertion at Z = 4: ≤ 6.3e-5.
     */
    @Test
    void griddedSimulatorUnderReferencePolicyMatchesClosedForm() {
        double[] mu = T4_ENV.referenceWeights();
        org.pgflow.estimate.MonteCarloEvaluator mc = new org.pgflow.estimate.MonteCarloEvaluator(T4_ENV,
                org.pgflow.policy.TabularActionDistribution.stateless(mu, mu), 0.1, false);
        RandomGenerator rng = Streams.of(SEED, Purpose.TEST, 4, 0);
        RunningMoments acc = RunningMoments.create();
        for (int i = 0; i < 100_000; i++) {
            acc.accept(mc.valueSample(rng));
        }
        double exact = T4.evaluate(0.0, 1.0).value(1.0, 0.25);
        assertEquals(exact, acc.mean(), Z * acc.standardError(), "gridded V(rho) under mu, seed=" + SEED);
    }
}
