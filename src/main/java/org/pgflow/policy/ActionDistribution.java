package org.pgflow.policy;

/**
 * A stochastic policy over a finite action set (or a quadrature grid, docs/algorithms.md §2.7b), as the Monte Carlo
 * estimators consume it: probabilities {@code π(a|s)} (masses summing to 1) and log-density ratios
 * {@code ℓ(s,a) = ln(π(a|s)/μ_a)} with respect to the environment's reference weights μ.
 *
 * <p>Implementations must be consistent ({@code π = μ e^ℓ}) and deterministic functions of the state.
 * They may keep scratch space (then they are not thread-safe and say so); estimators call them from one thread.
 */
public interface ActionDistribution {
    /** @return the number of actions */
    int numActions();

    /**
     * @param s     state
     * @param piOut destination of {@code π(·|s)} (length {@link #numActions()})
     */
    void probabilities(double[] s, double[] piOut);

    /**
     * @param s      state
     * @param ellOut destination of {@code ℓ(s,·) = ln(π(·|s)/μ)}; {@code −∞} where π = 0
     */
    void logRatio(double[] s, double[] ellOut);

    /**
     * Both at once (override when one pass computes both, as for softmax policies).
     *
     * @param s      state
     * @param piOut  destination of {@code π(·|s)}
     * @param ellOut destination of {@code ℓ(s,·)}
     */
    default void evaluate(double[] s, double[] piOut, double[] ellOut) {
        probabilities(s, piOut);
        logRatio(s, ellOut);
    }
}
