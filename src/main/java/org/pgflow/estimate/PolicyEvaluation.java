package org.pgflow.estimate;

/**
 * Exact evaluation of a fixed policy on a finite MDP (docs/algorithms.md §1.3). Arrays are owned by the record.
 *
 * @param tau            entropy strength τ
 * @param v              {@code V_τ^π[s]} (entropy charged at every step, including t = 0)
 * @param q              {@code Q_τ^π[s][a] = r + γ P V} (no entropy term for the given action)
 * @param logRatio       {@code ℓ[s][a] = ln(π[s][a]/μ[a])} ({@code −∞} where π = 0)
 * @param occupancy      normalised discounted occupancy {@code d_ρ^π[s]}, sums to 1
 * @param valueAtInitial {@code V_τ^π(ρ)}
 */
public record PolicyEvaluation(double tau, double[] v, double[][] q, double[][] logRatio, double[] occupancy,
                               double valueAtInitial) {
}
