package org.pgflow.estimate.lq;

import org.pgflow.mdp.env.LinearQuadratic;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * Closed forms of the vector entropy-regularised LQ problem with Gaussian μ = N(0, σ_μ² I_m) (docs/algorithms.md §3.4):
 * <pre>
 *   R̄ = R + (τ/(2σ_μ²)) I_m,   H = R̄ + γ B_dᵀ Λ B_d
 *   Λ = Q_s + γ A_dᵀΛA_d − γ² A_dᵀΛB_d H^{-1} B_dᵀΛA_d        (iterated from Λ_0 = 0)
 *   K = γ H^{-1} B_dᵀΛA_d,   π*(·|s) = N(−Ks, (τ/2) H^{-1}),   V*(s) = −sᵀΛs − e
 *   e = [γ tr(ΛW) − (τ/2) ln det((τ/(2σ_μ²)) H^{-1})]/(1−γ)
 * </pre>
 * Exact evaluation of {@code π = N(−Ks, Σ)} [D, generalising docs/algorithms.md §3.2], with {@code F = A_d − B_d K}:
 * <pre>
 *   P = Q_s + KᵀR̄K + γ FᵀPF                        (Stein equation, solved in Kronecker form)
 *   c = [tr(R̄Σ) − (τ/2)(m + ln det(Σ/σ_μ²)) + γ tr(P(B_dΣB_dᵀ + W))]/(1−γ),   V^π(s) = −sᵀPs − c
 * </pre>
 * (the per-step regularised reward is {@code −sᵀ(Q_s + KᵀR̄K)s − tr(R̄Σ) + (τ/2)(m + ln det(Σ/σ_μ²))}).
 * Immutable and thread-safe.
 */
public final class VectorLq {
    private final double[][] a;
    private final double[][] b;
    private final double[][] qs;
    private final double[][] w;
    private final double gamma;
    private final double tau;
    private final double sigmaMu;
    private final double[][] rBar;
    private final double[][] lambda;
    private final int iterations;

    private VectorLq(LinearQuadratic lq, double tau) {
        this.a = lq.a();
        this.b = lq.b();
        this.qs = lq.q();
        this.w = lq.w();
        this.gamma = lq.gamma();
        this.tau = Checks.positive("tau", tau);
        this.sigmaMu = lq.sigmaMu();
        this.rBar = Mat.lin(1, lq.r(), 1, Mat.identity(lq.m(), tau / (2 * sigmaMu * sigmaMu)));
        double[][] l = new double[a.length][a.length];
        int k = 0;
        while (true) {
            double[][] next = riccatiMap(l);
            k++;
            double diff = Mat.maxAbsDiff(next, l);
            l = next;
            if (diff < 1e-15 * Math.max(1, maxAbs(l))) {
                break;
            }
            if (k > 1_000_000 || !Double.isFinite(diff)) {
                throw new ArithmeticException("vector Riccati iteration did not converge (last change " + diff + ")");
            }
        }
        this.lambda = l;
        this.iterations = k;
    }

    private static double maxAbs(double[][] x) {
        double mm = 0;
        for (double[] row : x) {
            for (double v : row) {
                mm = Math.max(mm, Math.abs(v));
            }
        }
        return mm;
    }

    /**
     * @param lq  the problem (its Gaussian μ, matrices and γ)
     * @param tau entropy strength &gt; 0
     * @return the solved problem
     * @throws InvalidInputException if τ is not positive and finite
     */
    public static VectorLq of(LinearQuadratic lq, double tau) {
        return new VectorLq(lq, tau);
    }

    private double[][] hOf(double[][] l) {
        return Mat.lin(1, rBar, gamma, Mat.mul(Mat.t(b), Mat.mul(l, b)));
    }

    private double[][] riccatiMap(double[][] l) {
        double[][] at = Mat.t(a);
        double[][] atlb = Mat.mul(at, Mat.mul(l, b));
        double[][] hinv = Mat.inverse(hOf(l));
        double[][] corr = Mat.mul(atlb, Mat.mul(hinv, Mat.t(atlb)));
        return Mat.symmetrise(Mat.lin(1, Mat.lin(1, qs, gamma, Mat.mul(at, Mat.mul(l, a))), -gamma * gamma, corr));
    }

    /** @return a copy of Λ */
    public double[][] lambda() {
        return copy(lambda);
    }

    /** @return the number of Riccati iterations used */
    public int iterations() {
        return iterations;
    }

    /** @return {@code H = R̄ + γB_dᵀΛB_d} */
    public double[][] h() {
        return hOf(lambda);
    }

    /** @return the optimal gain {@code K = γH^{-1}B_dᵀΛA_d} (m×n) */
    public double[][] gain() {
        return Mat.lin(gamma, Mat.mul(Mat.inverse(h()), Mat.mul(Mat.t(b), Mat.mul(lambda, a))), 0, new double[b[0].length][a.length]);
    }

    /** @return the covariance of π*: {@code (τ/2)H^{-1}} */
    public double[][] policyCovariance() {
        return Mat.symmetrise(Mat.lin(tau / 2, Mat.inverse(h()), 0, new double[b[0].length][b[0].length]));
    }

    /** @return e of {@code V*(s) = −sᵀΛs − e} */
    public double e() {
        int m = b[0].length;
        double[][] hinv = Mat.inverse(h());
        double logDet = m * Math.log(tau / (2 * sigmaMu * sigmaMu)) + Mat.logDetSpd(Mat.symmetrise(hinv));
        return (gamma * Mat.trace(Mat.mul(lambda, w)) - 0.5 * tau * logDet) / (1 - gamma);
    }

    /**
     * Exact evaluation of {@code π = N(−Ks, Σ)}.
     *
     * @param k     gain (m×n)
     * @param sigma covariance (m×m, symmetric positive definite)
     * @return {@code (P, c)} with {@code V^π(s) = −sᵀPs − c}
     * @throws InvalidInputException on a wrong shape or a non-positive-definite Σ
     */
    public Evaluation evaluate(double[][] k, double[][] sigma) {
        int n = a.length;
        int m = b[0].length;
        if (k.length != m || k[0].length != n) {
            throw new InvalidInputException("K must be " + m + "×" + n);
        }
        if (sigma.length != m || sigma[0].length != m) {
            throw new InvalidInputException("Sigma must be " + m + "×" + m);
        }
        double[][] f = Mat.lin(1, a, -1, Mat.mul(b, k));
        double[][] mm = Mat.lin(1, qs, 1, Mat.mul(Mat.t(k), Mat.mul(rBar, k)));
        double[][] p = Mat.stein(f, mm, gamma);
        double logDet;
        try {
            logDet = Mat.logDetSpd(Mat.lin(1 / (sigmaMu * sigmaMu), Mat.symmetrise(sigma), 0, sigma));
        } catch (ArithmeticException ex) {
            throw new InvalidInputException("Sigma must be positive definite");
        }
        double[][] noise = Mat.lin(1, Mat.mul(b, Mat.mul(sigma, Mat.t(b))), 1, w);
        double c = (Mat.trace(Mat.mul(rBar, sigma)) - 0.5 * tau * (m + logDet) + gamma * Mat.trace(Mat.mul(p, noise)))
                / (1 - gamma);
        return new Evaluation(p, c);
    }

    /**
     * Value of a linear-Gaussian policy in the vector problem.
     *
     * @param p quadratic form P (n×n)
     * @param c constant
     */
    public record Evaluation(double[][] p, double c) {
        /** @return {@code V^π(s) = −sᵀPs − c} */
        public double value(double[] s) {
            double v = 0;
            for (int i = 0; i < s.length; i++) {
                for (int j = 0; j < s.length; j++) {
                    v += s[i] * p[i][j] * s[j];
                }
            }
            return -v - c;
        }
    }

    private static double[][] copy(double[][] x) {
        double[][] z = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            z[i] = x[i].clone();
        }
        return z;
    }
}
