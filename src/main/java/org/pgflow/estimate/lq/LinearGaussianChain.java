package org.pgflow.estimate.lq;

import java.util.random.RandomGenerator;
import org.pgflow.estimate.ClosedLoopChain;
import org.pgflow.math.Dense;
import org.pgflow.mdp.env.LinearQuadratic;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * The LQ problem closed by a linear-Gaussian policy {@code π(·|s) = N(−Ks, Σ)} with <b>continuous</b> actions
 * (no grid), for checking the closed forms of {@link ScalarLq} and {@link VectorLq} by simulation. Each step
 * draws {@code a = −Ks + Lz} ({@code LLᵀ = Σ}, z standard normal) and returns
 * {@code r(s,a) − τℓ(s,a)}, {@code ℓ = ln φ_π(a|s) − ln φ_μ(a)}, with μ = N(0, σ_μ² I) the environment's
 * reference measure:
 * <pre>
 *   ln φ_π(a|s) = −|z|²/2 − ½ ln det(2πΣ),   ln φ_μ(a) = −|a|²/(2σ_μ²) − (m/2) ln(2πσ_μ²)
 * </pre>
 * Not thread-safe (scratch arrays).
 */
public final class LinearGaussianChain implements ClosedLoopChain {
    private final LinearQuadratic env;
    private final double[][] k;
    private final double[][] chol;
    private final double tau;
    private final double logNormPi;
    private final double logNormMu;
    private final double[] a;
    private final double[] z;

    /**
     * @param env   the LQ environment (dynamics, reward, ρ, μ)
     * @param k     gain K (m×n)
     * @param sigma policy covariance Σ (m×m, symmetric positive definite)
     * @param tau   entropy strength ≥ 0
     * @throws InvalidInputException on a wrong shape or a non-positive-definite Σ
     */
    public LinearGaussianChain(LinearQuadratic env, double[][] k, double[][] sigma, double tau) {
        this.env = env;
        int n = env.n();
        int m = env.m();
        if (k.length != m || k[0].length != n) {
            throw new InvalidInputException("K must be " + m + "×" + n);
        }
        this.k = new double[m][];
        for (int i = 0; i < m; i++) {
            this.k[i] = k[i].clone();
        }
        this.chol = Dense.cholesky(sigma);
        if (chol == null) {
            throw new InvalidInputException("Sigma must be positive definite");
        }
        this.tau = Checks.nonNegative("tau", tau);
        double logDet = 0;
        for (int i = 0; i < m; i++) {
            logDet += 2 * Math.log(chol[i][i]);
        }
        this.logNormPi = -0.5 * (m * Math.log(2 * Math.PI) + logDet);
        double s2 = env.sigmaMu() * env.sigmaMu();
        this.logNormMu = -0.5 * m * Math.log(2 * Math.PI * s2);
        this.a = new double[m];
        this.z = new double[m];
    }

    @Override
    public int stateDim() {
        return env.n();
    }

    @Override
    public double gamma() {
        return env.gamma();
    }

    @Override
    public void sampleInitial(RandomGenerator rng, double[] s) {
        env.sampleInitial(rng, s);
    }

    @Override
    public boolean isTerminal(double[] s) {
        return false;
    }

    @Override
    public double step(double[] s, RandomGenerator rng, double[] next) {
        int m = a.length;
        double zz = 0;
        for (int i = 0; i < m; i++) {
            z[i] = rng.nextGaussian();
            zz += z[i] * z[i];
        }
        double aa = 0;
        for (int i = 0; i < m; i++) {
            double v = 0;
            for (int j = 0; j < s.length; j++) {
                v -= k[i][j] * s[j];
            }
            for (int j = 0; j <= i; j++) {
                v += chol[i][j] * z[j];
            }
            a[i] = v;
            aa += v * v;
        }
        double logPi = -0.5 * zz + logNormPi;
        double logMu = -aa / (2 * env.sigmaMu() * env.sigmaMu()) + logNormMu;
        double r = env.stepContinuous(s, a, rng, next);
        return r - tau * (logPi - logMu);
    }
}
