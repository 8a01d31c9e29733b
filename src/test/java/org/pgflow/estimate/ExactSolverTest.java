package org.pgflow.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pgflow.TestSupport.assertArray;
import static org.pgflow.TestSupport.assertMatrix;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgflow.TestSupport;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.policy.TabularPolicy;

/**
 * The exact engine against docs/algorithms.md §5 (T1, T2: reference numbers from independent NumPy/SciPy scripts, printed
 * to 10 decimals, hence the 1e-8 tolerance), and against itself on seeded random instances.
 */
class ExactSolverTest {
    /** docs/algorithms.md numbers are printed with 10 decimals. */
    private static final double SPEC_TOL = 1e-8;

    private static final FiniteMdp T1 = ModelFiles.loadMdp(TestSupport.env("t1.mdp.json"));
    private static final FiniteMdp T2 = ModelFiles.loadMdp(TestSupport.env("t2-softchain.mdp.json"));

    @Test
    void t1SoftOptimumTau05() {
        SoftOptimum opt = ExactSolver.softValueIteration(T1, 0.5);
        assertArray(new double[] {6.2509576876, 6.1501379416}, opt.v(), SPEC_TOL, "V*");
        assertEquals(6.2005478146, opt.valueAtInitial(), SPEC_TOL);
        assertMatrix(new double[][] {{6.6077143646, 5.5532717017, 6.0804930331}, {5.5986405874, 6.5441979246, 5.7714192560}},
                opt.q(), SPEC_TOL, "Q*");
        assertMatrix(new double[][] {{0.6803833193, 0.0825802889, 0.2370363918}, {0.1106252410, 0.7330859525, 0.1562888065}},
                opt.policy(), SPEC_TOL, "pi*");
    }

    @Test
    void t1SoftOptimumTau01AndCountingMeasureShift() {
        SoftOptimum opt = ExactSolver.softValueIteration(T1, 0.1);
        assertArray(new double[] {8.9050294096, 8.9033141836}, opt.v(), SPEC_TOL, "V* tau=0.1");
        assertEquals(8.9041717966, opt.valueAtInitial(), SPEC_TOL);

        FiniteMdp counting = FiniteMdp.of("t1-counting", 0.9, transitions(T1), rewards(T1), T1.rho(),
                new double[] {1, 1, 1}, null, null);
        SoftOptimum uni = ExactSolver.softValueIteration(T1, 0.5);
        SoftOptimum cnt = ExactSolver.softValueIteration(counting, 0.5);
        for (int s = 0; s < 2; s++) {
            assertEquals(5.4930614433, cnt.v()[s] - uni.v()[s], SPEC_TOL, "counting-measure shift, s=" + s);
        }
        assertMatrix(uni.policy(), cnt.policy(), 1e-12, "policy unchanged by the measure's mass");
    }

    @Test
    void t1UniformPolicyEvaluationAndGradient() {
        double[][] pi = TabularPolicy.uniform(2, 3);
        PolicyEvaluation ev = ExactSolver.evaluate(T1, pi, 0.5);
        assertArray(new double[] {4.5054945055, 4.3956043956}, ev.v(), SPEC_TOL, "V");
        assertEquals(4.4505494505, ev.valueAtInitial(), SPEC_TOL);
        assertMatrix(new double[][] {{5.0351648352, 3.9758241758, 4.5054945055}, {4.0252747253, 4.9659340659, 4.1956043956}},
                ev.q(), SPEC_TOL, "Q");
        assertArray(new double[] {0.4505494505, 0.5494505495}, ev.occupancy(), SPEC_TOL, "d");
        assertMatrix(new double[][] {{0.7954755867, -0.7954755867, 0.0}, {-0.6782594695, 1.0445598358, -0.3663003663}},
                ExactSolver.softmaxGradient(T1, pi, ev), SPEC_TOL, "grad");
    }

    @Test
    void t1SoftmaxPolicyValueGapAndGradient() {
        double[][] theta = {{0.3, -0.2, 0.1}, {-0.5, 0.4, 0.0}};
        double[][] pi = TabularPolicy.softmax(theta, T1.mu());
        PolicyEvaluation ev = ExactSolver.evaluate(T1, pi, 0.5);
        assertEquals(5.3854046329, ev.valueAtInitial(), SPEC_TOL);
        assertArray(new double[] {0.4218407134, 0.5781592866}, ev.occupancy(), SPEC_TOL, "d");
        SoftOptimum opt = ExactSolver.softValueIteration(T1, 0.5);
        assertEquals(0.8151431817, opt.valueAtInitial() - ev.valueAtInitial(), SPEC_TOL, "gap");
        assertEquals(0.8151431817, ExactSolver.gapFromIdentity(T1, pi, ev, opt), SPEC_TOL, "gap identity");
        assertMatrix(new double[][] {{0.5891672855, -0.4744977584, -0.1146695271}, {-0.2534469952, 0.8005296609, -0.5470826657}},
                ExactSolver.softmaxGradient(T1, pi, ev), SPEC_TOL, "grad");
    }

    @Test
    void t2SoftChain() {
        SoftOptimum opt = ExactSolver.softValueIteration(T2, 0.1);
        assertArray(new double[] {4.7804104375, 5.4552037164, 6.2892340503, 7.2439261465, 8.3298885907}, opt.v(), SPEC_TOL, "V*");
        double[] right = new double[5];
        for (int s = 0; s < 5; s++) {
            right[s] = opt.policy()[s][1];
        }
        assertArray(new double[] {0.9922977568, 0.9999808565, 0.9999974484, 0.9999995841, 0.9995981098}, right, SPEC_TOL, "pi*(right)");
        PolicyEvaluation ev = ExactSolver.evaluate(T2, TabularPolicy.uniform(5, 2), 0.1);
        // docs/algorithms.md prints V[1] with 7 decimals only.
        assertArray(new double[] {0.9459206182, 1.1561252, 1.6232464930, 2.4510892288, 3.8236184599}, ev.v(), 1e-7, "V uniform");
        assertArray(new double[] {0.3823618460, 0.2451089229, 0.1623246493, 0.1156125200, 0.0945920618}, ev.occupancy(), SPEC_TOL, "d");
    }

    @Test
    void tauZeroIsOrdinaryValueIteration() {
        SoftOptimum opt = ExactSolver.softValueIteration(T1, 0.0);
        // The greedy policy is deterministic and its evaluation (τ = 0) reproduces V*.
        PolicyEvaluation ev = ExactSolver.evaluate(T1, opt.policy(), 0.0);
        assertArray(opt.v(), ev.v(), 1e-11, "V of greedy policy");
        for (int s = 0; s < 2; s++) {
            double max = Math.max(opt.q()[s][0], Math.max(opt.q()[s][1], opt.q()[s][2]));
            assertEquals(max, opt.v()[s], 1e-11, "V* = max Q*");
        }
    }

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    /**
     * On random Garnet instances: soft VI equals the evaluation of its own soft policy, the occupancy is a
     * probability vector, the value-gap identity holds, and the tabular gradient matches central differences
     * (h = 1e-5: truncation O(h²)·|V'''| ≈ 1e-9 and round-off ε|V|/h ≈ 1e-10 for |V| ≤ 10).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomInstancesAgreeWithIndependentComputations(long seed) {
        int ns = 2 + (int) (seed % 5);
        int na = 2 + (int) (seed % 3);
        double gamma = 0.5 + 0.4 * ((seed * 7) % 10) / 10.0;
        double tau = 0.05 + 0.1 * (seed % 7);
        FiniteMdp mdp = RandomInstances.garnetMdp(1234, seed, ns, na, Math.min(ns, 3), gamma);
        String ctx = "seed=" + seed + " S=" + ns + " A=" + na + " gamma=" + gamma + " tau=" + tau;

        SoftOptimum opt = ExactSolver.softValueIteration(mdp, tau);
        PolicyEvaluation evOpt = ExactSolver.evaluate(mdp, opt.policy(), tau);
        assertArray(opt.v(), evOpt.v(), 1e-10, "VI vs evaluation of pi*, " + ctx);

        java.util.random.RandomGenerator rng = org.pgflow.random.Streams.of(99, org.pgflow.random.Purpose.TEST, 0, seed);
        double[][] theta = new double[ns][na];
        for (double[] row : theta) {
            for (int a = 0; a < na; a++) {
                row[a] = rng.nextGaussian();
            }
        }
        double[][] pi = TabularPolicy.softmax(theta, mdp.mu());
        PolicyEvaluation ev = ExactSolver.evaluate(mdp, pi, tau);
        double dsum = 0;
        for (double v : ev.occupancy()) {
            assertTrue(v >= -1e-15, "d >= 0, " + ctx);
            dsum += v;
        }
        assertEquals(1.0, dsum, 1e-12, "occupancy sums to 1, " + ctx);
        assertEquals(opt.valueAtInitial() - ev.valueAtInitial(), ExactSolver.gapFromIdentity(mdp, pi, ev, opt), 1e-10,
                "value-gap identity, " + ctx);
        assertTrue(ev.valueAtInitial() <= opt.valueAtInitial() + 1e-12, "V^pi <= V*, " + ctx);

        double[][] grad = ExactSolver.softmaxGradient(mdp, pi, ev);
        double h = 1e-5;
        for (int s = 0; s < ns; s++) {
            for (int a = 0; a < na; a++) {
                double keep = theta[s][a];
                theta[s][a] = keep + h;
                double up = ExactSolver.evaluate(mdp, TabularPolicy.softmax(theta, mdp.mu()), tau).valueAtInitial();
                theta[s][a] = keep - h;
                double down = ExactSolver.evaluate(mdp, TabularPolicy.softmax(theta, mdp.mu()), tau).valueAtInitial();
                theta[s][a] = keep;
                assertEquals((up - down) / (2 * h), grad[s][a], 1e-7, "dV/dtheta[" + s + "][" + a + "], " + ctx);
            }
        }
    }

    private static double[][][] transitions(FiniteMdp m) {
        double[][][] p = new double[m.numStates()][m.numActions()][];
        for (int s = 0; s < m.numStates(); s++) {
            for (int a = 0; a < m.numActions(); a++) {
                p[s][a] = m.transitionRow(s, a, new double[m.numStates()]);
            }
        }
        return p;
    }

    private static double[][] rewards(FiniteMdp m) {
        double[][] r = new double[m.numStates()][m.numActions()];
        for (int s = 0; s < m.numStates(); s++) {
            for (int a = 0; a < m.numActions(); a++) {
                r[s][a] = m.r(s, a);
            }
        }
        return r;
    }
}
