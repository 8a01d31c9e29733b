package org.pgflow.estimate;

/**
 * The soft-optimal solution of a finite MDP (docs/algorithms.md §1.3). Arrays are owned by the record; do not modify.
 *
 * @param tau            entropy strength τ ≥ 0 (0 = ordinary optimum)
 * @param v              {@code V*_τ[s]}
 * @param q              {@code Q*_τ[s][a] = r + γ P V*}
 * @param policy         {@code π*_τ[s][a]} (for τ = 0: uniform over the maximising actions)
 * @param valueAtInitial {@code V*_τ(ρ)}
 * @param iterations     value-iteration sweeps used
 */
public record SoftOptimum(double tau, double[] v, double[][] q, double[][] policy, double valueAtInitial, int iterations) {
}
