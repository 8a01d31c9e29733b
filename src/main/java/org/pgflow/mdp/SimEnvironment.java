package org.pgflow.mdp;

import java.util.random.RandomGenerator;

/**
 * A simulator with a finite action set (continuous action boxes are replaced by a quadrature grid, docs/algorithms.md §2.7b).
 *
 * <p>Contract, shared by every implementation:
 * <ul>
 *   <li>states are {@code double[stateDim()]} vectors owned by the caller; methods never keep a reference;</li>
 *   <li>actions are indices {@code 0 ≤ a < numActions()} with reference weights {@code μ_a > 0},
 *       {@code Σ_a μ_a = 1} (docs/algorithms.md §1.1 mandated convention);</li>
 *   <li>{@link #embed} writes a bounded input {@code x(s,a) ∈ ℝ^{d_x}} (docs/algorithms.md §2.1), with {@code |x_j| ≤ 1}
 *       unless an implementation documents otherwise;</li>
 *   <li>all randomness comes from the generator passed in ({@code s0 ∼ ρ}, {@code s' ∼ P(·|s,a)});</li>
 *   <li>a terminal state is absorbing with zero reward and no further decisions: the regularised value of a
 *       terminal state is 0 (no entropy is charged there), and estimators stop a rollout on reaching one;</li>
 *   <li>the discounted problem is infinite-horizon; {@link #maxEpisodeSteps()} is only the environment's own
 *       time limit for reporting "return per episode" (Gymnasium's truncation), never part of the MDP.</li>
 * </ul>
 * Implementations are immutable and thread-safe.
 */
public interface SimEnvironment extends java.io.Serializable {
    /** @return a short name, e.g. {@code "pendulum-v1"} */
    String name();

    /** @return length of the state vector */
    int stateDim();

    /** @return J grid points / finite actions */
    int numActions();

    /**
     * @param a action index
     * @return {@code μ_a} (quadrature weight), positive, {@code Σ_a μ_a = 1}
     */
    double referenceWeight(int a);

    /** @return {@code d_x} of the bounded input embedding {@code x(s,a)} */
    int inputDim();

    /**
     * Writes the bounded input embedding (docs/algorithms.md §2.1).
     *
     * @param s state
     * @param a action index
     * @param x destination of length {@link #inputDim()}
     */
    void embed(double[] s, int a, double[] x);

    /** @return discount γ ∈ [0, 1) */
    double gamma();

    /**
     * Samples an initial state {@code s0 ∼ ρ}.
     *
     * @param rng source
     * @param s   destination of length {@link #stateDim()}
     */
    void sampleInitial(RandomGenerator rng, double[] s);

    /**
     * One transition from a non-terminal state.
     *
     * @param s    current state (not modified)
     * @param a    action index
     * @param rng  source
     * @param next destination of {@code s' ∼ P(·|s,a)} (may not alias {@code s})
     * @return the reward {@code r(s,a)}
     */
    double step(double[] s, int a, RandomGenerator rng, double[] next);

    /**
     * @param s state
     * @return {@code true} if {@code s} is absorbing with zero reward afterwards
     */
    boolean isTerminal(double[] s);

    /** @return the environment's own time limit for "return per episode" (0 = none) */
    int maxEpisodeSteps();

    /** @return a fresh copy of the reference weights {@code μ} */
    default double[] referenceWeights() {
        double[] mu = new double[numActions()];
        for (int a = 0; a < mu.length; a++) {
            mu[a] = referenceWeight(a);
        }
        return mu;
    }
}
