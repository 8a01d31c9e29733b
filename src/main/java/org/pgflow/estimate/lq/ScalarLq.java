package org.pgflow.estimate.lq;

import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * Closed forms of the scalar entropy-regularised LQ problem (docs/algorithms.md §3.1–3.3), derived [D ✓] in the docs/algorithms.md:
 * <pre>
 *   s' = A_d s + B_d a + ξ, ξ ∼ N(0, W);  r = −(q s² + R a²);  μ = N(0, σ_μ²) (Gaussian) or Lebesgue
 *   R̄ = R + τ/(2σ_μ²)  (Gaussian μ)   |   R̄ = R  (Lebesgue μ)
 *   Riccati   Λ = q + γ A_d² Λ R̄ / (R̄ + γ B_d² Λ)   (positive root; B_d = 0: Λ = q/(1 − γA_d²))
 *   H = R̄ + γΛB_d²,  K = γΛA_dB_d/H,  π*(·|s) = N(−Ks, τ/(2H)),  V*(s) = −Λs² − e
 *   e = [γΛW − (τ/2) ln(τ/(2Hσ_μ²))]/(1−γ)   |   e = [γΛW − (τ/2) ln(πτ/H)]/(1−γ)
 * </pre>
 * Exact evaluation of a linear-Gaussian policy {@code π = N(−ks, v)} (docs/algorithms.md §3.2), with {@code F = A_d − B_d k},
 * {@code γF² < 1}: {@code V^π(s) = −p s² − c},
 * <pre>
 *   p = (q + R̄k²)/(1 − γF²)
 *   c = [R̄v − (τ/2)(1 + ln(v/σ_μ²)) + γp(B_d²v + W)]/(1−γ)        (Gaussian μ)
 *   c = [R v − (τ/2)(1 + ln(2πv))    + γp(B_d²v + W)]/(1−γ)        (Lebesgue μ: differential entropy)
 *   Q^π(s,a) = −qs² − Ra² − γp(A_d s + B_d a)² − γpW − γc
 *   E_{d_ρ^π}[s²] = (1−γ)[(m_0² + s_0²)/(1 − γF²) + Σ_ξ/(1 − F²)·(1/(1−γ) − 1/(1 − γF²))],  Σ_ξ = B_d²v + W
 * </pre>
 * (the occupancy formula needs |F| &lt; 1). Immutable and thread-safe.
 */
public final class ScalarLq {
    private final double ad;
    private final double bd;
    private final double q;
    private final double r;
    private final double w;
    private final double gamma;
    private final double tau;
    private final double sigmaMu; // +∞ for Lebesgue
    private final double rBar;
    private final double lambda;

    private ScalarLq(double ad, double bd, double q, double r, double w, double gamma, double tau, double sigmaMu) {
        this.ad = Checks.finite("A_d", ad);
        this.bd = Checks.finite("B_d", bd);
        this.q = Checks.nonNegative("q", q);
        this.r = Checks.nonNegative("R", r);
        this.w = Checks.nonNegative("W", w);
        this.gamma = Checks.inHalfOpen("gamma", gamma, 0.0, 1.0);
        this.tau = Checks.positive("tau", tau);
        this.sigmaMu = sigmaMu;
        this.rBar = Double.isInfinite(sigmaMu) ? r : r + tau / (2 * sigmaMu * sigmaMu);
        if (!(rBar > 0)) {
            throw new InvalidInputException("effective action cost R̄ must be > 0 but was " + rBar);
        }
        if (bd == 0 && !(gamma * ad * ad < 1)) {
            throw new InvalidInputException("with B_d = 0, gamma·A_d² must be < 1 but was " + gamma * ad * ad);
        }
        this.lambda = riccatiClosedForm();
    }

    /**
     * Gaussian reference measure μ = N(0, σ_μ²) (docs/algorithms.md §3.1).
     *
     * @return the problem
     * @throws InvalidInputException on an out-of-range parameter (named in the message)
     */
    public static ScalarLq gaussian(double ad, double bd, double q, double r, double w, double gamma, double tau, double sigmaMu) {
        return new ScalarLq(ad, bd, q, r, w, gamma, tau, Checks.positive("sigmaMu", sigmaMu));
    }

    /**
     * Lebesgue reference measure (docs/algorithms.md §3.3; not a finite measure, outside the paper's assumptions; needs R &gt; 0).
     *
     * @return the problem
     */
    public static ScalarLq lebesgue(double ad, double bd, double q, double r, double w, double gamma, double tau) {
        return new ScalarLq(ad, bd, q, r, w, gamma, tau, Double.POSITIVE_INFINITY);
    }

    /** @return {@code true} for the Lebesgue variant */
    public boolean isLebesgue() {
        return Double.isInfinite(sigmaMu);
    }

    /** @return the effective action cost R̄ */
    public double rBar() {
        return rBar;
    }

    private double riccatiClosedForm() {
        if (bd == 0) {
            return q / (1 - gamma * ad * ad);
        }
        double beta0 = rBar * (1 - gamma * ad * ad) - q * gamma * bd * bd;
        double disc = beta0 * beta0 + 4 * gamma * bd * bd * q * rBar;
        // positive root; the "−β0 + √" form cancels when β0 > 0 ≫ …, so use the conjugate there
        if (beta0 > 0) {
            return 2 * q * rBar / (beta0 + Math.sqrt(disc));
        }
        return (-beta0 + Math.sqrt(disc)) / (2 * gamma * bd * bd);
    }

    /**
     * Value iteration on Λ from Λ_0 = 0 (monotone from below), stopping when {@code |Λ_{k+1} − Λ_k| < 1e-15}.
     *
     * @return {iterated Λ, number of iterations}
     */
    public double[] riccatiIteration() {
        double l = 0;
        for (int k = 1; k <= 1_000_000; k++) {
            double next = q + gamma * ad * ad * l * rBar / (rBar + gamma * bd * bd * l);
            if (Math.abs(next - l) < 1e-15) {
                return new double[] {next, k};
            }
            l = next;
        }
        throw new ArithmeticException("Riccati iteration did not converge");
    }

    /** @return Λ (closed form) */
    public double lambda() {
        return lambda;
    }

    /** @return {@code H = R̄ + γΛB_d²} */
    public double h() {
        return rBar + gamma * lambda * bd * bd;
    }

    /** @return the optimal gain {@code K = γΛA_dB_d/H} */
    public double gain() {
        return gamma * lambda * ad * bd / h();
    }

    /** @return the variance of π*: {@code τ/(2H)} */
    public double policyVariance() {
        return tau / (2 * h());
    }

    /** @return the constant e of {@code V*(s) = −Λs² − e} */
    public double e() {
        double logTerm = isLebesgue() ? Math.log(Math.PI * tau / h()) : Math.log(tau / (2 * h() * sigmaMu * sigmaMu));
        return (gamma * lambda * w - 0.5 * tau * logTerm) / (1 - gamma);
    }

    /** @return {@code V*(s) = −Λs² − e} */
    public double optimalValue(double s) {
        return -lambda * s * s - e();
    }

    /** @return {@code Q*(s,a) = −qs² − Ra² − γΛ(A_d s + B_d a)² − γΛW − γe} */
    public double optimalQ(double s, double a) {
        double m = ad * s + bd * a;
        return -q * s * s - r * a * a - gamma * lambda * m * m - gamma * lambda * w - gamma * e();
    }

    /**
     * @param rhoMean m_0
     * @param rhoVar  s_0²
     * @return {@code V*(ρ) = −Λ(m_0² + s_0²) − e} for ρ = N(m_0, s_0²)
     */
    public double optimalValue(double rhoMean, double rhoVar) {
        return -lambda * (rhoMean * rhoMean + rhoVar) - e();
    }

    /**
     * Exact evaluation of the linear-Gaussian policy N(−ks, v) (docs/algorithms.md §3.2).
     *
     * @param k gain
     * @param v variance &gt; 0
     * @return {@code (p, c)} with {@code V^π(s) = −ps² − c}
     * @throws InvalidInputException if v ≤ 0 or NaN, or {@code γ(A_d − B_d k)² ≥ 1} (value −∞)
     */
    public LinearGaussianValue evaluate(double k, double v) {
        Checks.finite("k", k);
        Checks.positive("v", v);
        double f = ad - bd * k;
        if (!(gamma * f * f < 1)) {
            throw new InvalidInputException("gamma·(A_d − B_d k)² must be < 1 but was " + gamma * f * f);
        }
        double p = (q + rBar * k * k) / (1 - gamma * f * f);
        double entropy = isLebesgue() ? 0.5 * tau * (1 + Math.log(2 * Math.PI * v))
                : 0.5 * tau * (1 + Math.log(v / (sigmaMu * sigmaMu)));
        double c = (rBar * v - entropy + gamma * p * (bd * bd * v + w)) / (1 - gamma);
        return new LinearGaussianValue(p, c);
    }

    /**
     * @return {@code Q^π(s,a) = −qs² − Ra² − γp(A_d s + B_d a)² − γpW − γc} for the evaluated policy
     */
    public double q(LinearGaussianValue ev, double s, double a) {
        double m = ad * s + bd * a;
        return -q * s * s - r * a * a - gamma * ev.p() * m * m - gamma * ev.p() * w - gamma * ev.c();
    }

    /**
     * Second moment of the normalised discounted occupancy (docs/algorithms.md §3.2) for ρ = N(m_0, s_0²).
     *
     * @param k       gain
     * @param v       policy variance
     * @param rhoMean m_0
     * @param rhoVar  s_0²
     * @return {@code E_{d_ρ^π}[s²]}
     * @throws InvalidInputException unless |A_d − B_d k| &lt; 1
     */
    public double occupancySecondMoment(double k, double v, double rhoMean, double rhoVar) {
        double f = ad - bd * k;
        if (!(f * f < 1)) {
            throw new InvalidInputException("|A_d − B_d k| must be < 1 but was " + Math.abs(f));
        }
        double sigmaXi = bd * bd * v + w;
        double f2 = f * f;
        return (1 - gamma) * ((rhoMean * rhoMean + rhoVar) / (1 - gamma * f2)
                + sigmaXi / (1 - f2) * (1 / (1 - gamma) - 1 / (1 - gamma * f2)));
    }
}
