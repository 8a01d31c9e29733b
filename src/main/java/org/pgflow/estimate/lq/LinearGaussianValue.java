package org.pgflow.estimate.lq;

/**
 * Value of a linear-Gaussian policy in the LQ problem: {@code V^π(s) = −p s² − c} (scalar, docs/algorithms.md §3.2) or
 * {@code V^π(s) = −sᵀPs − c} (vector, {@link VectorLq#evaluate}).
 *
 * @param p quadratic coefficient (scalar case)
 * @param c constant
 */
public record LinearGaussianValue(double p, double c) {
    /** @return {@code V^π(s) = −ps² − c} */
    public double value(double s) {
        return -p * s * s - c;
    }

    /** @return {@code V^π(ρ) = −p(m_0² + s_0²) − c} for ρ = N(m_0, s_0²) */
    public double value(double rhoMean, double rhoVar) {
        return -p * (rhoMean * rhoMean + rhoVar) - c;
    }
}
