package org.pgflow.variance;

/**
 * Reference for {@link SymmetricSolver}: the pseudo-inverse from an independent cyclic Jacobi eigen-decomposition
 * instead of LAPACK {@code dsyev}, and the ridge and minimum-norm solves run on it (their LU, ridge and normal
 * equations are {@link SymmetricSolver}'s own). Test oracle only.
 */
final class JacobiSolverOracle {
    private JacobiSolverOracle() {
    }

    /** {@link SymmetricSolver#ridgeSolve(double[][], double[], double)} with the Jacobi pseudo-inverse. */
    static double[] ridgeSolve(double[][] a, double[] b, double ridge) {
        return SymmetricSolver.ridgeSolve(a, b, ridge, JacobiSolverOracle::pinvSolve);
    }

    /** {@link SymmetricSolver#ridgeSolveGeneral(double[][], double[], double)} with the Jacobi pseudo-inverse. */
    static double[] ridgeSolveGeneral(double[][] a, double[] b, double ridge) {
        return SymmetricSolver.ridgeSolveGeneral(a, b, ridge, JacobiSolverOracle::pinvSolve);
    }

    /** {@link SymmetricSolver#minimumNormSolve(double[][], double[])} with the Jacobi pseudo-inverse. */
    static double[] minimumNormSolve(double[][] a, double[] b) {
        return SymmetricSolver.minimumNormSolve(a, b, JacobiSolverOracle::pinvSolve);
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
