package org.pgflow.mdp.env;

import java.util.random.RandomGenerator;
import org.pgflow.math.Quadrature;
import org.pgflow.mdp.ContinuingEnvironment;

/**
 * The bounded continuous oracle T3 (docs/algorithms.md §3.6, §5): {@code S = A = [−1, 1]}, μ = ρ = Uniform[−1, 1],
 * next state {@code s' ∼ U[−1, 1]} independent of (s, a), reward {@code r(s,a) = 0.3·tanh(s + 2a)}; the
 * discount is a parameter (docs/algorithms.md: γ = 0.9). Transitions do not depend on the action, so the soft optimum is
 * known in closed form up to one-dimensional integrals ({@code estimate.BoundedOracleSolution}).
 *
 * <p>Actions: J Gauss–Legendre nodes on [−1, 1] with weights normalised to a probability (docs/algorithms.md §2.7b).
 * Embedding {@code x = (s, a)} (d_x = 2, in [−1, 1]), as in docs/algorithms.md §3.6's realisable particle. No terminal
 * states, no episode time limit. Immutable and thread-safe.
 */
public final class BoundedOracle extends GridEnvironment implements ContinuingEnvironment {
    private static final long serialVersionUID = 1L;
    /** Reward amplitude. */
    public static final double REWARD_SCALE = 0.3;
    /** Action slope inside the tanh. */
    public static final double ACTION_SLOPE = 2.0;

    private BoundedOracle(int gridSize, double gamma) {
        super(gamma, ActionGrid.tensor(Quadrature.uniform(gridSize, -1.0, 1.0), 1));
    }

    /**
     * @param gridSize J Gauss–Legendre actions on [−1, 1] (≥ 200 for 1e-9 accuracy of the oracle, docs/algorithms.md §3.6)
     * @param gamma    discount in [0, 1)
     * @return the environment
     */
    public static BoundedOracle of(int gridSize, double gamma) {
        return new BoundedOracle(gridSize, gamma);
    }

    /** @return {@code r(s,a) = 0.3 tanh(s + 2a)} for a continuous action */
    public static double reward(double s, double a) {
        return REWARD_SCALE * Math.tanh(s + ACTION_SLOPE * a);
    }

    /** @return the action value of grid point {@code a} */
    public double action(int a) {
        return grid.coordinate(a, 0);
    }

    @Override
    public String name() {
        return "bounded-oracle";
    }

    @Override
    public int stateDim() {
        return 1;
    }

    @Override
    public int inputDim() {
        return 2;
    }

    @Override
    public void embed(double[] s, int a, double[] x) {
        x[0] = s[0];
        x[1] = action(a);
    }

    @Override
    public void sampleInitial(RandomGenerator rng, double[] s) {
        s[0] = rng.nextDouble(-1.0, 1.0);
    }

    @Override
    public double step(double[] s, int a, RandomGenerator rng, double[] next) {
        next[0] = rng.nextDouble(-1.0, 1.0);
        return reward(s[0], action(a));
    }
}
