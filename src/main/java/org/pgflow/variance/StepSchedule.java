package org.pgflow.variance;

import java.io.Serializable;
import org.pgflow.util.Checks;

/**
 * Two-time-scale step sizes (docs/algorithms.md §4.7): {@code α_k = α_0 (1 + k/k_0)^{−a}} for the critic (fast) and
 * {@code β_k = β_0 (1 + k/k_0)^{−b}} for the actor (slow); defaults {@code a = 0.6}, {@code b = 0.9}. The
 * conditions of Theorem 10 ({@code Σα = Σβ = ∞}, {@code Σα², Σβ² < ∞}, {@code β/α → 0}) hold for
 * {@code ½ < a < b ≤ 1}; other exponents in [0, 1] are accepted (e.g. constant steps for experiments).
 * Immutable; a final class (Kryo-friendly).
 */
public final class StepSchedule implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double alpha0;
    private final double beta0;
    private final double k0;
    private final double alphaExponent;
    private final double betaExponent;

    private StepSchedule(double alpha0, double beta0, double k0, double alphaExponent, double betaExponent) {
        this.alpha0 = alpha0;
        this.beta0 = beta0;
        this.k0 = k0;
        this.alphaExponent = alphaExponent;
        this.betaExponent = betaExponent;
    }

    /**
     * @param alpha0        {@code α_0 > 0}
     * @param beta0         {@code β_0 > 0}
     * @param k0            {@code k_0 > 0}
     * @param alphaExponent {@code a ∈ [0, 1]}
     * @param betaExponent  {@code b ∈ [0, 1]}
     * @return the schedule
     * @throws org.pgflow.util.InvalidInputException naming the parameter out of range
     */
    public static StepSchedule of(double alpha0, double beta0, double k0, double alphaExponent,
                                  double betaExponent) {
        Checks.positive("alpha0", alpha0);
        Checks.positive("beta0", beta0);
        Checks.positive("k0", k0);
        Checks.inClosed("alphaExponent", alphaExponent, 0, 1);
        Checks.inClosed("betaExponent", betaExponent, 0, 1);
        return new StepSchedule(alpha0, beta0, k0, alphaExponent, betaExponent);
    }

    /** @return the schedule with the default exponents 0.6 and 0.9 */
    public static StepSchedule of(double alpha0, double beta0, double k0) {
        return of(alpha0, beta0, k0, 0.6, 0.9);
    }

    /** @return {@code α_k} */
    public double alpha(long k) {
        return alpha0 * Math.pow(1 + k / k0, -alphaExponent);
    }

    /** @return {@code β_k} */
    public double beta(long k) {
        return beta0 * Math.pow(1 + k / k0, -betaExponent);
    }

    @Override
    public String toString() {
        return "StepSchedule{alpha0=" + alpha0 + ", beta0=" + beta0 + ", k0=" + k0 + ", a=" + alphaExponent
                + ", b=" + betaExponent + "}";
    }
}
