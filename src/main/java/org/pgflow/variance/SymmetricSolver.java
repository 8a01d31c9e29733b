package org.pgflow.variance;

import org.pgflow.math.Dense;
import org.pgflow.math.SymmetricEigen;

/**
 * Solves the small symmetric systems of the critics (docs/algorithms.md §4.6, §4.8 B): a ridge solve
 * {@code (A + εI) x = b} with {@code ε = ridge · trace(A)/d} by LU (general symmetric, possibly indefinite
 * {@code A} as in the weighted critic with negative rewards), and the Moore–Penrose solution
 * {@code x = A⁺ b} by the LAPACK eigen-decomposition {@link SymmetricEigen} (eigenvalues below
 * {@code 1e-12·max|λ|} are treated as zero). The LSTD critics (docs/algorithms.md §4.9) have non-symmetric matrices: {@link #ridgeSolveGeneral} and
 * {@link #minimumNormSolve} handle those through the symmetric tools (normal equations {@code AᵀA}) when LU
 * fails. Stateless.
 */
public final class SymmetricSolver {
    /** Eigenvalues with {@code |λ| ≤ PINV_CUTOFF · max|λ|} count as zero in the pseudo-inverse. */
    private static final double PINV_CUTOFF = 1e-12;

    private SymmetricSolver() {
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
    public static double[] ridgeSolve(double[][] a, double[] b, double ridge) {
        return ridgeSolve(a, b, ridge, SymmetricSolver::pinvSolve);
    }

    /**
     * {@code (A + εI)⁻¹ b} by LU, {@code singular} of {@code (A + εI, b)} when LU fails, zeros when {@code A = 0}
     * (package-private so that tests can give another pseudo-inverse).
     */
    static double[] ridgeSolve(double[][] a, double[] b, double ridge, Solve singular) {
        double[][] m = ridged(a, ridge);
        if (m == null) {
            return new double[b.length];
        }
        try {
            return Dense.solve(m, b);
        } catch (Dense.SingularMatrixException e) {
            return singular.solve(m, b);
        }
    }

    /** A solve {@code x = f(M, b)}: the pseudo-inverse, or what is used when {@code A + εI} is exactly singular. */
    @FunctionalInterface
    interface Solve {
        double[] solve(double[][] m, double[] b);
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
    public static double[] ridgeSolveGeneral(double[][] a, double[] b, double ridge) {
        return ridgeSolveGeneral(a, b, ridge, SymmetricSolver::pinvSolve);
    }

    /** {@link #ridgeSolveGeneral(double[][], double[], double)} with the symmetric pseudo-inverse {@code pinv}. */
    static double[] ridgeSolveGeneral(double[][] a, double[] b, double ridge, Solve pinv) {
        return ridgeSolve(a, b, ridge, (m, c) -> minimumNormSolve(m, c, pinv));
    }

    /**
     * Minimum-norm least-squares solution {@code A⁺ b} of a general square system, as {@code (AᵀA)⁺ Aᵀb}.
     *
     * @param a {@code d×d}, not modified
     * @param b right-hand side
     * @return {@code A⁺ b}
     */
    public static double[] minimumNormSolve(double[][] a, double[] b) {
        return minimumNormSolve(a, b, SymmetricSolver::pinvSolve);
    }

    /** {@link #minimumNormSolve(double[][], double[])} with the symmetric pseudo-inverse {@code pinv}. */
    static double[] minimumNormSolve(double[][] a, double[] b, Solve pinv) {
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
        return pinv.solve(ata, atb);
    }

    /**
     * Minimum-norm least-squares solution {@code A⁺ b} of a symmetric system, from the eigen-decomposition
     * {@code A = Σ λ_k v_k v_kᵀ} ({@link SymmetricEigen}, LAPACK {@code dsyev}):
     * {@code x = Σ_{|λ_k| > 1e-12·max|λ|} (v_k·b / λ_k) v_k}.
     *
     * @param a symmetric {@code d×d} (to a relative 1e-12), finite, not modified
     * @param b right-hand side
     * @return {@code A⁺ b}
     * @throws IllegalArgumentException if {@code a} is not square, symmetric and finite
     */
    public static double[] pinvSolve(double[][] a, double[] b) {
        int d = b.length;
        SymmetricEigen e = SymmetricEigen.of(a);
        double[] lam = e.values();
        double max = 0;
        for (double l : lam) {
            max = Math.max(max, Math.abs(l));
        }
        double[] x = new double[d];
        for (int k = 0; k < d; k++) {
            if (!(Math.abs(lam[k]) > PINV_CUTOFF * max)) {
                continue;
            }
            double[] v = e.vectors()[k];
            double c = 0;
            for (int i = 0; i < d; i++) {
                c += v[i] * b[i];
            }
            c /= lam[k];
            for (int i = 0; i < d; i++) {
                x[i] += c * v[i];
            }
        }
        return x;
    }
}
