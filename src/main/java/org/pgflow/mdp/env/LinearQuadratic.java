package org.pgflow.mdp.env;

import java.util.random.RandomGenerator;
import org.pgflow.math.Dense;
import org.pgflow.math.Quadrature;
import org.pgflow.mdp.ContinuingEnvironment;
import org.pgflow.mdp.SimEnvironment;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * The entropy-regularised discounted LQ problem of docs/algorithms.md §3.1 (scalar) and §3.4 (vector):
 * <pre>
 *   s ∈ ℝ^n, a ∈ ℝ^m,  s' = A_d s + B_d a + ξ,  ξ ∼ N(0, W),   r(s,a) = −(sᵀ Q_s s + aᵀ R a)
 *   μ = N(0, σ_μ² I_m),  ρ = N(m_0, Σ_0)
 * </pre>
 * As a {@link SimEnvironment}: μ is replaced by the tensor Gauss–Hermite grid of J points per action coordinate
 * (nodes {@code √2 σ_μ x_j}, weights {@code w_j/√π}; docs/algorithms.md §2.7b). {@link #stepContinuous} simulates with any
 * real action (used to check the closed forms without grid error). Embedding (d_x = n + m, clipped to [−1, 1]):
 * {@code x = (s/stateScale, a/actionScale)}. No terminal states, no time limit. Matrices are row-major and
 * copied on the way in and out. Immutable and thread-safe.
 */
public final class LinearQuadratic implements ContinuingEnvironment {
    private static final long serialVersionUID = 1L;

    private final int n;
    private final int m;
    private final double[][] a;
    private final double[][] b;
    private final double[][] qs;
    private final double[][] r;
    private final double[][] w;
    private final double[][] wChol;
    private final double gamma;
    private final double sigmaMu;
    private final double[] rhoMean;
    private final double[][] rhoCov;
    private final double[][] rhoChol;
    private final ActionGrid grid;
    private final double stateScale;
    private final double actionScale;

    private LinearQuadratic(double[][] a, double[][] b, double[][] qs, double[][] r, double[][] w, double gamma,
                            double sigmaMu, double[] rhoMean, double[][] rhoCov, int gridSize, double stateScale,
                            double actionScale) {
        this.n = a.length;
        if (n < 1) {
            throw new InvalidInputException("A must be n×n with n >= 1 but had " + n + " rows");
        }
        this.m = b.length == n && b[0].length >= 1 ? b[0].length : -1;
        if (m < 1) {
            throw new InvalidInputException("B must be " + n + "×m with m >= 1");
        }
        this.a = copy("A", a, n, n);
        this.b = copy("B", b, n, m);
        this.qs = copy("Q", qs, n, n);
        this.r = copy("R", r, m, m);
        this.w = copy("W", w, n, n);
        this.gamma = Checks.inHalfOpen("gamma", gamma, 0.0, 1.0);
        this.sigmaMu = Checks.positive("sigmaMu", sigmaMu);
        if (rhoMean.length != n) {
            throw new InvalidInputException("rho mean length " + rhoMean.length + " != n = " + n);
        }
        for (int i = 0; i < n; i++) {
            Checks.finite("rho mean[" + i + "]", rhoMean[i]);
        }
        this.rhoMean = rhoMean.clone();
        this.rhoCov = copy("rho covariance", rhoCov, n, n);
        this.wChol = psdFactor("W", this.w);
        this.rhoChol = psdFactor("rho covariance", this.rhoCov);
        this.grid = ActionGrid.tensor(Quadrature.normal(gridSize, 0.0, sigmaMu), m);
        this.stateScale = Checks.positive("stateScale", stateScale);
        this.actionScale = Checks.positive("actionScale", actionScale);
    }

    /**
     * Vector problem (docs/algorithms.md §3.4).
     *
     * @param a           A_d (n×n)
     * @param b           B_d (n×m)
     * @param qs          Q_s (n×n, symmetric PSD)
     * @param r           R (m×m, symmetric PSD)
     * @param w           noise covariance W (n×n, symmetric PSD)
     * @param gamma       discount in [0, 1)
     * @param sigmaMu     σ_μ &gt; 0 (μ = N(0, σ_μ² I))
     * @param rhoMean     m_0 (length n)
     * @param rhoCov      Σ_0 (n×n, symmetric PSD)
     * @param gridSize    J Gauss–Hermite nodes per action coordinate (J^m actions)
     * @param stateScale  embedding scale of states
     * @param actionScale embedding scale of actions
     * @return the environment
     * @throws InvalidInputException on a wrong shape, a non-finite entry or an out-of-range scalar
     */
    public static LinearQuadratic of(double[][] a, double[][] b, double[][] qs, double[][] r, double[][] w, double gamma,
                                     double sigmaMu, double[] rhoMean, double[][] rhoCov, int gridSize,
                                     double stateScale, double actionScale) {
        return new LinearQuadratic(a, b, qs, r, w, gamma, sigmaMu, rhoMean, rhoCov, gridSize, stateScale, actionScale);
    }

    /**
     * Scalar problem (docs/algorithms.md §3.1) with ρ = N(m_0, s_0²).
     *
     * @return the environment (n = m = 1)
     */
    public static LinearQuadratic scalar(double ad, double bd, double q, double r, double w, double gamma, double sigmaMu,
                                         double rhoMean, double rhoVar, int gridSize, double stateScale, double actionScale) {
        return of(new double[][] {{ad}}, new double[][] {{bd}}, new double[][] {{q}}, new double[][] {{r}},
                new double[][] {{w}}, gamma, sigmaMu, new double[] {rhoMean}, new double[][] {{rhoVar}}, gridSize,
                stateScale, actionScale);
    }

    private static double[][] copy(String name, double[][] x, int rows, int cols) {
        if (x.length != rows) {
            throw new InvalidInputException(name + " must have " + rows + " rows but had " + x.length);
        }
        double[][] c = new double[rows][];
        for (int i = 0; i < rows; i++) {
            if (x[i].length != cols) {
                throw new InvalidInputException(name + "[" + i + "] must have " + cols + " columns but had " + x[i].length);
            }
            for (int j = 0; j < cols; j++) {
                Checks.finite(name + "[" + i + "][" + j + "]", x[i][j]);
            }
            c[i] = x[i].clone();
        }
        return c;
    }

    /** A factor L with L Lᵀ = S for a symmetric PSD S (Cholesky with a tiny ridge for singular S, e.g. 0). */
    private static double[][] psdFactor(String name, double[][] s) {
        int k = s.length;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < i; j++) {
                if (!(Math.abs(s[i][j] - s[j][i]) <= 1e-12 * (1 + Math.abs(s[i][j])))) {
                    throw new InvalidInputException(name + " must be symmetric but [" + i + "][" + j + "] = " + s[i][j]
                            + " != [" + j + "][" + i + "] = " + s[j][i]);
                }
            }
        }
        double[][] l = Dense.cholesky(s);
        if (l != null) {
            return l;
        }
        // PSD but singular (typically all zeros): factor S + εI and accept only if S ≈ L Lᵀ
        double[][] ridge = new double[k][k];
        for (int i = 0; i < k; i++) {
            ridge[i] = s[i].clone();
            ridge[i][i] += 1e-300 + 1e-14 * Math.abs(s[i][i]);
        }
        l = Dense.cholesky(ridge);
        if (l == null) {
            boolean zero = true;
            for (double[] row : s) {
                for (double v : row) {
                    zero &= v == 0;
                }
            }
            if (zero) {
                return new double[k][k];
            }
            throw new InvalidInputException(name + " must be positive semi-definite");
        }
        return l;
    }

    /** @return state dimension n */
    public int n() {
        return n;
    }

    /** @return action dimension m */
    public int m() {
        return m;
    }

    /** @return a copy of A_d */
    public double[][] a() {
        return deep(a);
    }

    /** @return a copy of B_d */
    public double[][] b() {
        return deep(b);
    }

    /** @return a copy of Q_s */
    public double[][] q() {
        return deep(qs);
    }

    /** @return a copy of R */
    public double[][] r() {
        return deep(r);
    }

    /** @return a copy of W */
    public double[][] w() {
        return deep(w);
    }

    /** @return σ_μ */
    public double sigmaMu() {
        return sigmaMu;
    }

    /** @return a copy of m_0 */
    public double[] rhoMean() {
        return rhoMean.clone();
    }

    /** @return a copy of Σ_0 */
    public double[][] rhoCov() {
        return deep(rhoCov);
    }

    /** @return the action grid */
    public ActionGrid grid() {
        return grid;
    }

    private static double[][] deep(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i].clone();
        }
        return c;
    }

    /**
     * @return {@code r(s,a) = −(sᵀQ_s s + aᵀRa)}
     */
    public double reward(double[] s, double[] act) {
        return -(quad(qs, s) + quad(r, act));
    }

    private static double quad(double[][] mat, double[] v) {
        double t = 0;
        for (int i = 0; i < v.length; i++) {
            double row = 0;
            for (int j = 0; j < v.length; j++) {
                row += mat[i][j] * v[j];
            }
            t += v[i] * row;
        }
        return t;
    }

    /**
     * One transition with a real action vector.
     *
     * @param s    state (length n)
     * @param act  action (length m)
     * @param rng  source of the noise ξ
     * @param next destination {@code A_d s + B_d a + ξ}
     * @return {@code r(s,a)}
     */
    public double stepContinuous(double[] s, double[] act, RandomGenerator rng, double[] next) {
        double rew = reward(s, act);
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (int j = 0; j < n; j++) {
                v += a[i][j] * s[j] + wChol[i][j] * z[j];
            }
            for (int k = 0; k < m; k++) {
                v += b[i][k] * act[k];
            }
            next[i] = v;
        }
        return rew;
    }

    @Override
    public String name() {
        return "lq";
    }

    @Override
    public int stateDim() {
        return n;
    }

    @Override
    public int numActions() {
        return grid.size();
    }

    @Override
    public double referenceWeight(int act) {
        return grid.weight(act);
    }

    @Override
    public int inputDim() {
        return n + m;
    }

    @Override
    public void embed(double[] s, int act, double[] x) {
        for (int i = 0; i < n; i++) {
            x[i] = Math.min(Math.max(s[i] / stateScale, -1.0), 1.0);
        }
        for (int k = 0; k < m; k++) {
            x[n + k] = Math.min(Math.max(grid.coordinate(act, k) / actionScale, -1.0), 1.0);
        }
    }

    @Override
    public double gamma() {
        return gamma;
    }

    @Override
    public void sampleInitial(RandomGenerator rng, double[] s) {
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            double v = rhoMean[i];
            for (int j = 0; j <= i; j++) {
                v += rhoChol[i][j] * z[j];
            }
            s[i] = v;
        }
    }

    @Override
    public double step(double[] s, int act, RandomGenerator rng, double[] next) {
        double[] u = new double[m];
        grid.action(act, u);
        return stepContinuous(s, u, rng, next);
    }
}
