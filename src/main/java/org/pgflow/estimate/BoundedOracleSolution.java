package org.pgflow.estimate;

import org.pgflow.math.Quadrature;
import org.pgflow.mdp.env.BoundedOracle;
import org.pgflow.util.Checks;

/**
 * Soft optimum of the bounded continuous oracle T3 (docs/algorithms.md §3.6) by Gauss–Legendre quadrature. Transitions do not
 * depend on the action and {@code d_ρ = ρ = U[−1, 1]}, so for τ &gt; 0
 * <pre>
 *   Z_r(s) = ∫ e^{r(s,a)/τ} μ(da),   π*(da|s) = e^{r(s,a)/τ} μ(da)/Z_r(s)
 *   V*(ρ) = τ E_U[ln Z_r]/(1−γ),     V*(s) = τ ln Z_r(s) + γ/(1−γ)·τ E_U[ln Z_r]
 *   E_{π*}[a|s] = ∫ a e^{r(s,a)/τ} μ(da) / Z_r(s)
 * </pre>
 * with μ = U[−1, 1] and r = 0.3 tanh(s + 2a). Both integrals (in a, and in s for E_U) use an n-node rule;
 * the integrands are analytic, so n = 200 is at machine precision (docs/algorithms.md: ≥ 200 nodes). Immutable.
 */
public final class BoundedOracleSolution {
    private final double gamma;
    private final double tau;
    private final Quadrature rule; // probability rule on [−1, 1]
    private final double meanLnZ;

    private BoundedOracleSolution(double gamma, double tau, int nodes) {
        this.gamma = Checks.inHalfOpen("gamma", gamma, 0.0, 1.0);
        this.tau = Checks.positive("tau", tau);
        this.rule = Quadrature.uniform(nodes, -1.0, 1.0);
        this.meanLnZ = rule.integrate(this::lnZr);
    }

    /**
     * @param gamma discount (docs/algorithms.md: 0.9)
     * @param tau   entropy strength &gt; 0 (docs/algorithms.md: 0.2)
     * @param nodes Gauss–Legendre nodes per integral
     * @return the solution
     */
    public static BoundedOracleSolution of(double gamma, double tau, int nodes) {
        return new BoundedOracleSolution(gamma, tau, nodes);
    }

    /** @return {@code ln Z_r(s)}, log-sum-exp stabilised */
    public double lnZr(double s) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < rule.size(); j++) {
            max = Math.max(max, BoundedOracle.reward(s, rule.node(j)) / tau);
        }
        double sum = 0;
        for (int j = 0; j < rule.size(); j++) {
            sum += rule.weight(j) * Math.exp(BoundedOracle.reward(s, rule.node(j)) / tau - max);
        }
        return max + Math.log(sum);
    }

    /** @return {@code τ E_U[ln Z_r]} */
    public double tauMeanLnZ() {
        return tau * meanLnZ;
    }

    /** @return {@code V*(ρ)} */
    public double optimalValueAtInitial() {
        return tau * meanLnZ / (1 - gamma);
    }

    /** @return {@code V*(s)} */
    public double optimalValue(double s) {
        return tau * lnZr(s) + gamma / (1 - gamma) * tau * meanLnZ;
    }

    /** @return {@code E_{π*}[a | s]} */
    public double optimalMeanAction(double s) {
        double lnZ = lnZr(s);
        double m = 0;
        for (int j = 0; j < rule.size(); j++) {
            double a = rule.node(j);
            m += rule.weight(j) * a * Math.exp(BoundedOracle.reward(s, a) / tau - lnZ);
        }
        return m;
    }
}
