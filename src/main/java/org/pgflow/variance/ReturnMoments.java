package org.pgflow.variance;

import java.io.Serializable;

/**
 * Combinable central moments of the episode return {@code B}: count {@code n}, mean, and
 * {@code M_p = Σ (B − mean)^p} for {@code p = 2, 3, 4}, updated by the one-pass formulas of Pébay (2008,
 * Sandia SAND2008-6212; Terriberry's form for {@code add}), which are stable where raw power sums are not.
 * {@link #combine} has the same contract as Spark's {@code aggregate} combiner.
 *
 * <p>Estimates (docs/algorithms.md §5 general rule): {@code J = mean}, {@code SE = s/√n};
 * {@code Var = s² = M_2/(n−1)} with the delta-method standard error
 * {@code SE² = (μ_4 − σ⁴ (n−3)/(n−1)) / n}; {@code η = J − λ Var} with
 * {@code SE² = (σ² − 2λ μ_3 + λ² (μ_4 − σ⁴)) / n} (using {@code Cov(mean, s²) ≈ μ_3/n}),
 * {@code μ_p = M_p/n}. Mutable; not thread-safe.
 */
public final class ReturnMoments implements Serializable {
    private static final long serialVersionUID = 1L;

    private long n;
    private double mean;
    private double m2;
    private double m3;
    private double m4;

    /** @return an empty accumulator */
    public static ReturnMoments create() {
        return new ReturnMoments();
    }

    /**
     * Adds one return.
     *
     * @param x the return
     * @return this
     */
    public ReturnMoments add(double x) {
        long n1 = n;
        n++;
        double delta = x - mean;
        double dn = delta / n;
        double dn2 = dn * dn;
        double term1 = delta * dn * n1;
        mean += dn;
        m4 += term1 * dn2 * ((double) n * n - 3.0 * n + 3) + 6 * dn2 * m2 - 4 * dn * m3;
        m3 += term1 * dn * (n - 2) - 3 * dn * m2;
        m2 += term1;
        return this;
    }

    /**
     * Merges another accumulator into this one.
     *
     * @param o the other accumulator (unchanged)
     * @return this
     */
    public ReturnMoments combine(ReturnMoments o) {
        if (o.n == 0) {
            return this;
        }
        if (n == 0) {
            n = o.n;
            mean = o.mean;
            m2 = o.m2;
            m3 = o.m3;
            m4 = o.m4;
            return this;
        }
        double na = n;
        double nb = o.n;
        double nn = na + nb;
        double d = o.mean - mean;
        double d2 = d * d;
        double newM4 = m4 + o.m4 + d2 * d2 * na * nb * (na * na - na * nb + nb * nb) / (nn * nn * nn)
                + 6 * d2 * (na * na * o.m2 + nb * nb * m2) / (nn * nn) + 4 * d * (na * o.m3 - nb * m3) / nn;
        double newM3 = m3 + o.m3 + d2 * d * na * nb * (na - nb) / (nn * nn) + 3 * d * (na * o.m2 - nb * m2) / nn;
        double newM2 = m2 + o.m2 + d2 * na * nb / nn;
        mean += d * nb / nn;
        m2 = newM2;
        m3 = newM3;
        m4 = newM4;
        n += o.n;
        return this;
    }

    /** @return a copy */
    public ReturnMoments copy() {
        return new ReturnMoments().combine(this);
    }

    /** @return the count */
    public long count() {
        return n;
    }

    /** @return the sample mean (0 when empty) */
    public double mean() {
        return mean;
    }

    /** @return {@code Σ (B − mean)²} */
    public double sumSquaredDeviations() {
        return m2;
    }

    /** @return the unbiased sample variance {@code M_2/(n−1)} (NaN when n &lt; 2) */
    public double sampleVariance() {
        return n < 2 ? Double.NaN : m2 / (n - 1);
    }

    /** @return {@code J} with SE {@code s/√n} */
    public MonteCarloEstimate j() {
        return new MonteCarloEstimate(mean, Math.sqrt(sampleVariance() / n), n);
    }

    /** @return {@code Var(B)} (unbiased) with its delta-method standard error */
    public MonteCarloEstimate var() {
        double s2 = sampleVariance();
        double mu4 = m4 / n;
        double v = (mu4 - s2 * s2 * (n - 3.0) / (n - 1.0)) / n;
        return new MonteCarloEstimate(s2, Math.sqrt(Math.max(v, 0)), n);
    }

    /**
     * @param lambda {@code λ}
     * @return {@code η = J − λ Var} with its delta-method standard error
     */
    public MonteCarloEstimate eta(double lambda) {
        double s2 = sampleVariance();
        double mu3 = m3 / n;
        double mu4 = m4 / n;
        double v = (s2 - 2 * lambda * mu3 + lambda * lambda * (mu4 - s2 * s2)) / n;
        return new MonteCarloEstimate(mean - lambda * s2, Math.sqrt(Math.max(v, 0)), n);
    }

    /** @return the standard deviation {@code s = √Var} */
    public double standardDeviation() {
        return Math.sqrt(sampleVariance());
    }
}
