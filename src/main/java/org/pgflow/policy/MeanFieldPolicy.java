package org.pgflow.policy;

import org.pgflow.math.LogSumExp;

/**
 * The softmax policy induced by a parameter measure on a finite action set (docs/algorithms.md §2.2):
 * {@code π_ν(a|s) = μ_a exp(F_ν(s,a)) / Σ_b μ_b exp(F_ν(s,b))}, with {@code F} given on all (s,a) points,
 * point index {@code s·A + a}.
 */
public final class MeanFieldPolicy {
    private MeanFieldPolicy() {
    }

    /**
     * @param outputs    {@code F(s,a)} at point {@code s·A + a}
     * @param numStates  S
     * @param mu         reference weights μ (length A)
     * @return {@code π[s][a]}
     */
    public static double[][] probabilities(double[] outputs, int numStates, double[] mu) {
        int na = mu.length;
        double[][] pi = new double[numStates][na];
        double[] row = new double[na];
        for (int s = 0; s < numStates; s++) {
            System.arraycopy(outputs, s * na, row, 0, na);
            LogSumExp.softmax(row, mu, pi[s]);
        }
        return pi;
    }
}
