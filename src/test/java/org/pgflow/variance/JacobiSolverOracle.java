package org.pgflow.variance;

import org.pgflow.math.Dense;

/**
 * Reference for {@link SymmetricSolver}: the same ridge, pseudo-inverse and minimum-norm solves with the
 * eigen-decomposition done by an independent cyclic Jacobi iteration instead of LAPACK {@code dsyev}. Test
 * oracle only.
 */
final class JacobiSolverOracle {
    private JacobiSolverOracle() {
    }

    /**
     * Ridge solve; falls back to the pseudo-inverse of {@code A + εI} when that matrix is singular, and
     * returns zeros when {@code A = 0} (no data: e.g. the weighted critic when all past rewards vanish).
     *
     * @param a     symmetric {@code d×d}, not modified
     * @param b     right-hand side, not modified
     * @param ridge relative ridge {@code ≥ 0}
     * @return the solution
     */
    static double[] ridgeSolve(double[][] a, double[] b, double ridge) {
        double[][] m = ridged(a, ridge);
        if (m == null) {
            return new double[b.length];
        }
        try {
            return Dense.solve(m, b);
        } catch (Dense.SingularMatrixException e) {
            return pinvSolve(m, b);
        }
    }

    /** {@code A + εI} with {@code ε = ridge · Σ|A_ii|/d} (a new matrix), or null when {@code A = 0}. */
    private static double[][] ridged(double[][] a, double ridge) {
        int d = a.length;
        double trace = 0;
        double maxAbs = 0;
        for (int i = 0; i < d; i++) {
            trace += Math.abs(a[i][i]);
            for (int j = 0; j < d; j++) {
                maxAbs = Math.max(maxAbs, Math.abs(a[i][j]));
            }
        }
        if (maxAbs == 0) {
            return null;
        }
        double eps = ridge * trace / d;
        double[][] m = new double[d][];
        for (int i = 0; i < d; i++) {
            m[i] = a[i].clone();
            m[i][i] += eps;
        }
        return m;
    }

    /**
     * Ridge solve of a general (non-symmetric) square system {@code (A + εI) x = b}, {@code ε = ridge · Σ|A_ii|/d},
     * by LU; when {@code A + εI} is singular, the minimum-norm least-squares solution; zeros when {@code A = 0}.
     *
     * @param a     {@code d×d}, not modified
     * @param b     right-hand side, not modified
     * @param ridge relative ridge {@code ≥ 0}
     * @return the solution
     */
    static double[] ridgeSolveGeneral(double[][] a, double[] b, double ridge) {
        double[][] m = ridged(a, ridge);
        if (m == null) {
            return new double[b.length];
        }
        try {
            return Dense.solve(m, b);
        } catch (Dense.SingularMatrixException e) {
            return minimumNormSolve(m, b);
        }
    }

    /**
     * Minimum-norm least-squares solution {@code A⁺ b} of a general square system, as {@code (AᵀA)⁺ Aᵀb}.
     *
     * @param a {@code d×d}, not modified
     * @param b right-hand side
     * @return {@code A⁺ b}
     */
    static double[] minimumNormSolve(double[][] a, double[] b) {
        int d = b.length;
        double[][] ata = new double[d][d];
        double[] atb = new double[d];
        for (int k = 0; k < d; k++) {
            for (int i = 0; i < d; i++) {
                double aki = a[k][i];
                if (aki == 0) {
                    continue;
                }
                atb[i] += aki * b[k];
                for (int j = 0; j < d; j++) {
                    ata[i][j] += aki * a[k][j];
                }
            }
        }
        return pinvSolve(ata, atb);
    }

    /**
     * Minimum-norm least-squares solution {@code A⁺ b} of a symmetric system.
     *
     * @param a symmetric {@code d×d}, not modified
     * @param b right-hand side
     * @return {@code A⁺ b}
     */
    static double[] pinvSolve(double[][] a, double[] b) {
        int d = b.length;
        double[][] v = new double[d][d];
        double[] lam = eigen(a, v);
        double max = 0;
        for (double l : lam) {
            max = Math.max(max, Math.abs(l));
        }
        double[] x = new double[d];
        for (int k = 0; k < d; k++) {
            if (!(Math.abs(lam[k]) > 1e-12 * max)) {
                continue;
            }
            double c = 0;
            for (int i = 0; i < d; i++) {
                c += v[i][k] * b[i];
            }
            c /= lam[k];
            for (int i = 0; i < d; i++) {
                x[i] += c * v[i][k];
            }
        }
        return x;
    }

    /**
     * Cyclic Jacobi eigen-decomposition {@code A = V diag(λ) Vᵀ} of a symmetric matrix.
     *
     * @param a   symmetric, not modified
     * @param vec receives the eigenvectors as columns ({@code d×d})
     * @return the eigenvalues
     */
    static double[] eigen(double[][] a, double[][] vec) {
        int d = a.length;
        double[][] s = new double[d][];
        for (int i = 0; i < d; i++) {
            s[i] = a[i].clone();
            java.util.Arrays.fill(vec[i], 0.0);
            vec[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < d; i++) {
                diag += s[i][i] * s[i][i];
                for (int j = i + 1; j < d; j++) {
                    off += s[i][j] * s[i][j];
                }
            }
            if (off <= 1e-30 * diag || off == 0) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    if (s[p][q] == 0) {
                        continue;
                    }
                    double theta = (s[q][q] - s[p][p]) / (2 * s[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double sn = t * c;
                    for (int k = 0; k < d; k++) { // columns p, q
                        double skp = s[k][p];
                        double skq = s[k][q];
                        s[k][p] = c * skp - sn * skq;
                        s[k][q] = sn * skp + c * skq;
                    }
                    for (int k = 0; k < d; k++) { // rows p, q
                        double spk = s[p][k];
                        double sqk = s[q][k];
                        s[p][k] = c * spk - sn * sqk;
                        s[q][k] = sn * spk + c * sqk;
                    }
                    for (int k = 0; k < d; k++) {
                        double vkp = vec[k][p];
                        double vkq = vec[k][q];
                        vec[k][p] = c * vkp - sn * vkq;
                        vec[k][q] = sn * vkp + c * vkq;
                    }
                }
            }
        }
        double[] lam = new double[d];
        for (int i = 0; i < d; i++) {
            lam[i] = s[i][i];
        }
        return lam;
    }
}
