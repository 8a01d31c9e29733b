package org.pgflow.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.pgflow.mdp.env.BoundedOracle;
import org.pgflow.policy.ActionDistribution;
import org.pgflow.policy.TabularActionDistribution;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.stats.RunningMoments;

/**
 * T3 (docs/algorithms.md §3.6, §5): Gauss–Legendre quadrature reproduces the reference reference numbers (NumPy/SciPy, printed
 * with 12 decimals) to 1e-9, and Monte Carlo on the gridded simulator ({@link BoundedOracle}, docs/algorithms.md §2.7b)
 * reproduces V*(ρ) under the gridded π* and V = 0 under the uniform policy.
 */
class BoundedOracleTest {
    private static final double SPEC_TOL = 1e-9;
    private static final double GAMMA = 0.9;
    private static final double TAU = 0.2;
    private static final int GRID = 64;
    private static final BoundedOracleSolution SOL = BoundedOracleSolution.of(GAMMA, TAU, 200);

    @Test
    void quadratureReproducesSpecNumbers() {
        assertEquals(0.092080034261, SOL.tauMeanLnZ(), SPEC_TOL, "tau E_U[ln Z_r]");
        assertEquals(0.920800342609, SOL.optimalValueAtInitial(), SPEC_TOL, "V*(rho)");
        double[] s = {-1, -0.5, 0, 0.5, 1};
        double[] lnZ = {-0.265176650287, 0.167668003489, 0.509923984142, 0.777461648525, 0.990925993529};
        for (int i = 0; i < s.length; i++) {
            assertEquals(lnZ[i], SOL.lnZr(s[i]), SPEC_TOL, "ln Z_r(" + s[i] + ")");
            assertEquals(TAU * lnZ[i] + 0.828720308348, SOL.optimalValue(s[i]), SPEC_TOL, "V*(" + s[i] + ")");
        }
        assertEquals(0.410397284934, SOL.optimalMeanAction(0.5), SPEC_TOL, "E_pi*[a | s = 0.5]");
        // converged in the number of nodes
        assertEquals(SOL.optimalValueAtInitial(), BoundedOracleSolution.of(GAMMA, TAU, 400).optimalValueAtInitial(), 1e-13);
    }

    /** π* on the grid of the simulator: π*(a_j|s) = ω_j e^{r(s,a_j)/τ} / Σ_i ω_i e^{r(s,a_i)/τ}. */
    private static final class GridOptimum implements ActionDistribution {
        private final BoundedOracle env;

        GridOptimum(BoundedOracle env) {
            this.env = env;
        }

        @Override
        public int numActions() {
            return env.numActions();
        }

        @Override
        public void probabilities(double[] s, double[] piOut) {
            double[] ell = new double[piOut.length];
            logRatio(s, ell);
            for (int a = 0; a < piOut.length; a++) {
                piOut[a] = env.referenceWeight(a) * Math.exp(ell[a]);
            }
        }

        @Override
        public void evaluate(double[] s, double[] piOut, double[] ellOut) {
            logRatio(s, ellOut);
            for (int a = 0; a < piOut.length; a++) {
                piOut[a] = env.referenceWeight(a) * Math.exp(ellOut[a]);
            }
        }

        @Override
        public void logRatio(double[] s, double[] ellOut) {
            double lnZ;
            double z = 0;
            for (int a = 0; a < ellOut.length; a++) {
                z += env.referenceWeight(a) * Math.exp(BoundedOracle.reward(s[0], env.action(a)) / TAU);
            }
            lnZ = Math.log(z);
            for (int a = 0; a < ellOut.length; a++) {
                ellOut[a] = BoundedOracle.reward(s[0], env.action(a)) / TAU - lnZ;
            }
        }
    }

    /**
     * V̂(ρ) on a 64-point grid: π* gives V*(ρ) (the grid's ln Z equals the 200-node quadrature's to round-off: the
     * integrand is analytic in a strip of half-width π/4, so Gauss–Legendre error ∼ 2.06^{−128}), the uniform policy
     * (π = μ, ℓ = 0) gives 0 (odd reward). 2 assertions at Z = 4: false-failure probability ≤ 1.3e-4.
     */
    @Test
    void monteCarloOnTheGridReproducesOptimalAndUniformValues() {
        gridCase(new GridOptimum(BoundedOracle.of(GRID, GAMMA)), SOL.optimalValueAtInitial(), 0);
        BoundedOracle env = BoundedOracle.of(GRID, GAMMA);
        gridCase(TabularActionDistribution.stateless(env.referenceWeights(), env.referenceWeights()), 0.0, 1);
    }

    private static void gridCase(ActionDistribution policy, double exact, int stream) {
        BoundedOracle env = BoundedOracle.of(GRID, GAMMA);
        MonteCarloEvaluator mc = new MonteCarloEvaluator(env, policy, TAU, false);
        RandomGenerator rng = Streams.of(11, Purpose.TEST, 0, stream);
        RunningMoments acc = RunningMoments.create();
        for (int i = 0; i < 20_000; i++) {
            acc.accept(mc.valueSample(rng)); // geometric horizon: unbiased
        }
        assertEquals(exact, acc.mean(), 4 * acc.standardError(), "V(rho) stream=" + stream + " se=" + acc.standardError());
    }
}
