package org.pgflow.estimate.lq;

import org.pgflow.math.Dense;

/** Package-private small dense matrix helpers (row-major {@code double[][]}), for the LQ closed forms. */
final class Mat {
    private Mat() {
    }

    static double[][] mul(double[][] x, double[][] y) {
        int n = x.length;
        int k = y.length;
        int m = y[0].length;
        double[][] z = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < k; l++) {
                double v = x[i][l];
                for (int j = 0; j < m; j++) {
                    z[i][j] += v * y[l][j];
                }
            }
        }
        return z;
    }

    static double[][] t(double[][] x) {
        double[][] z = new double[x[0].length][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                z[j][i] = x[i][j];
            }
        }
        return z;
    }

    /** {@code αx + βy}. */
    static double[][] lin(double alpha, double[][] x, double beta, double[][] y) {
        double[][] z = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                z[i][j] = alpha * x[i][j] + beta * y[i][j];
            }
        }
        return z;
    }

    static double[][] identity(int n, double c) {
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) {
            z[i][i] = c;
        }
        return z;
    }

    static double trace(double[][] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i][i];
        }
        return s;
    }

    static double[][] symmetrise(double[][] x) {
        double[][] z = new double[x.length][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                z[i][j] = 0.5 * (x[i][j] + x[j][i]);
            }
        }
        return z;
    }

    /** Inverse by LU solves (LAPACK dgesv), one column at a time. */
    static double[][] inverse(double[][] x) {
        int n = x.length;
        double[][] inv = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] e = new double[n];
            e[j] = 1;
            double[] col = Dense.solve(x, e);
            for (int i = 0; i < n; i++) {
                inv[i][j] = col[i];
            }
        }
        return inv;
    }

    /** ln det of a symmetric positive-definite matrix (Cholesky). */
    static double logDetSpd(double[][] x) {
        double[][] l = Dense.cholesky(x);
        if (l == null) {
            throw new ArithmeticException("matrix is not positive definite");
        }
        double s = 0;
        for (int i = 0; i < l.length; i++) {
            s += 2 * Math.log(l[i][i]);
        }
        return s;
    }

    static double maxAbsDiff(double[][] x, double[][] y) {
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                d = Math.max(d, Math.abs(x[i][j] - y[i][j]));
            }
        }
        return d;
    }

    /**
     * Solves the discounted Stein (discrete Lyapunov) equation {@code P = M + γ Fᵀ P F} through its Kronecker
     * form {@code (I − γ Fᵀ⊗Fᵀ) vec(P) = vec(M)} (n² unknowns; fine for small n).
     */
    static double[][] stein(double[][] f, double[][] m, double gamma) {
        int n = f.length;
        int nn = n * n;
        double[][] sys = new double[nn][nn];
        double[] rhs = new double[nn];
        // row (i,j): P_ij − γ Σ_{k,l} F_ki F_lj P_kl = M_ij
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int row = i * n + j;
                rhs[row] = m[i][j];
                sys[row][row] += 1;
                for (int k = 0; k < n; k++) {
                    for (int l = 0; l < n; l++) {
                        sys[row][k * n + l] -= gamma * f[k][i] * f[l][j];
                    }
                }
            }
        }
        double[] vec = Dense.solve(sys, rhs);
        double[][] p = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i][j] = vec[i * n + j];
            }
        }
        return symmetrise(p);
    }
}
