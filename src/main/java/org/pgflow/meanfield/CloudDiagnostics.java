package org.pgflow.meanfield;

import org.pgflow.math.Dense;

/**
 * Diagnostics of a particle cloud (docs/algorithms.md §2.10): the KL divergence to the Gibbs reference {@code e^{−U}},
 * {@code U(θ) = (D/2) ln(2π/λ_U) + (λ_U/2)|θ|²}, estimated two ways —
 * <ul>
 *   <li>Gaussian fit (a lower bound): {@code ½[λ tr Σ̂ + λ|m̂|² − D − ln det Σ̂ − D ln λ]};</li>
 *   <li>Kozachenko–Leonenko kNN entropy on a subsample:
 *       {@code Ĥ = ψ(n) − ψ(k) + ln c_D + (D/n) Σ ln ε_i}, {@code ln c_D = (D/2) ln π − lnΓ(D/2 + 1)},
 *       and {@code KL = −Ĥ + E_ν U} with {@code E_ν U} from the moments of the whole cloud.</li>
 * </ul>
 * Stateless.
 */
public final class CloudDiagnostics {
    private CloudDiagnostics() {
    }

    /** @return the sample mean {@code Σθ / N} */
    public static double[] mean(CloudTotals t) {
        double[] m = t.sum().clone();
        for (int j = 0; j < m.length; j++) {
            m[j] /= t.count();
        }
        return m;
    }

    /** @return {@code E_ν |θ|²} */
    public static double meanSquaredNorm(CloudTotals t) {
        int dim = t.sum().length;
        double trace = 0;
        int q = 0;
        for (int j = 0; j < dim; j++) {
            trace += t.sumOuter()[q];
            q += dim - j;
        }
        return trace / t.count();
    }

    /** @return {@code E_ν U = (D/2) ln(2π/λ) + (λ/2) E|θ|²} */
    public static double expectedPotential(CloudTotals t, double lambdaU) {
        int dim = t.sum().length;
        return 0.5 * dim * Math.log(2 * Math.PI / lambdaU) + 0.5 * lambdaU * meanSquaredNorm(t);
    }

    /**
     * Gaussian-fit KL (maximum-likelihood covariance, divisor N).
     *
     * @param t       totals of the cloud
     * @param lambdaU precision of U
     * @return the estimate, or {@code +∞} when the covariance is singular (N ≤ D or a degenerate cloud)
     */
    public static double gaussianKl(CloudTotals t, double lambdaU) {
        int dim = t.sum().length;
        double n = t.count();
        double[] m = mean(t);
        double[][] cov = new double[dim][dim];
        int q = 0;
        for (int j = 0; j < dim; j++) {
            for (int l = j; l < dim; l++) {
                double c = t.sumOuter()[q++] / n - m[j] * m[l];
                cov[j][l] = c;
                cov[l][j] = c;
            }
        }
        double[][] chol = Dense.cholesky(cov);
        if (chol == null) {
            return Double.POSITIVE_INFINITY;
        }
        double logDet = 0;
        double trace = 0;
        double m2 = 0;
        for (int j = 0; j < dim; j++) {
            logDet += 2 * Math.log(chol[j][j]);
            trace += cov[j][j];
            m2 += m[j] * m[j];
        }
        return 0.5 * (lambdaU * trace + lambdaU * m2 - dim - logDet - dim * Math.log(lambdaU));
    }

    /**
     * Kozachenko–Leonenko entropy estimate of the law that the sample rows were drawn from.
     *
     * @param rows sample, n ≥ k + 1 rows of dimension D
     * @param k    neighbour order ≥ 1
     * @return {@code Ĥ}, or {@code −∞} if two sample points coincide
     */
    public static double knnEntropy(double[][] rows, int k) {
        int n = rows.length;
        if (n <= k) {
            throw new IllegalArgumentException("kNN entropy needs more than k = " + k + " points but has " + n);
        }
        int dim = rows[0].length;
        double sumLog = 0;
        double[] best = new double[k]; // k smallest squared distances, ascending
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
            double[] xi = rows[i];
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double[] xj = rows[j];
                double d2 = 0;
                for (int l = 0; l < dim && d2 < best[k - 1]; l++) {
                    double d = xi[l] - xj[l];
                    d2 += d * d;
                }
                if (d2 < best[k - 1]) {
                    int pos = k - 1;
                    while (pos > 0 && best[pos - 1] > d2) {
                        best[pos] = best[pos - 1];
                        pos--;
                    }
                    best[pos] = d2;
                }
            }
            sumLog += 0.5 * Math.log(best[k - 1]);
        }
        double logUnitBall = 0.5 * dim * Math.log(Math.PI) - logGamma(0.5 * dim + 1);
        return digamma(n) - digamma(k) + logUnitBall + dim * sumLog / n;
    }

    /** Digamma at a positive integer: {@code −γ_E + Σ_{j<n} 1/j}. */
    static double digamma(int n) {
        double s = -0.5772156649015329;
        for (int j = 1; j < n; j++) {
            s += 1.0 / j;
        }
        return s;
    }

    /** ln Γ(x) for x = m/2 (m ≥ 2 integer), exact by the recurrences Γ(x+1) = xΓ(x), Γ(1) = 1, Γ(½) = √π. */
    static double logGamma(double x) {
        double r = 0;
        double y = x;
        while (y > 1.0 + 1e-12) {
            y -= 1;
            r += Math.log(y);
        }
        if (Math.abs(y - 0.5) < 1e-12) {
            r += 0.5 * Math.log(Math.PI);
        }
        return r;
    }
}
