package org.pgflow.math;

import org.netlib.util.intW;

/**
 * Small dense linear algebra on {@code double[]} for the driver-side exact solvers. Linear systems are solved
 * by LAPACK {@code dgesv} (LU with partial pivoting) through {@code dev.ludovic.netlib}, the implementation
 * Spark MLlib and Breeze call; matrices are passed row-major as {@code double[][]} and converted here.
 *
 * <p>Always the pure-Java LAPACK, never the JNI one that {@code LAPACK.getInstance()} picks when a system
 * {@code liblapack.so.3} is present: results must be the same bits on every machine of a cluster, and the JNI
 * path with a multi-threaded OpenBLAS was seen to corrupt the JVM's memory (SIGSEGV in class loading) on this
 * project's machines. The solves here are small (at most a few hundred unknowns).
 * Thread-safe: every LAPACK call holds {@code Lapack.LOCK} (the f2j code keeps state in static fields).
 */
public final class Dense {
    private Dense() {
    }

    /** Thrown when a matrix handed to a solver is exactly singular (LAPACK {@code info > 0}). */
    public static final class SingularMatrixException extends ArithmeticException {
        private static final long serialVersionUID = 1L;

        SingularMatrixException(String message) {
            super(message);
        }
    }

    /**
     * Solves {@code A x = b} for one right-hand side.
     *
     * @param a square matrix, row-major, not modified
     * @param b right-hand side of length {@code a.length}, not modified
     * @return the solution {@code x}
     * @throws SingularMatrixException if {@code A} is singular
     */
    public static double[] solve(double[][] a, double[] b) {
        return solve(a, b, false);
    }

    /**
     * Solves {@code Aᵀ x = b} (used for occupancy measures, which are left eigen-type solves).
     *
     * @param a square matrix, row-major, not modified
     * @param b right-hand side, not modified
     * @return the solution {@code x}
     * @throws SingularMatrixException if {@code A} is singular
     */
    public static double[] solveTransposed(double[][] a, double[] b) {
        return solve(a, b, true);
    }

    private static double[] solve(double[][] a, double[] b, boolean transposed) {
        int n = a.length;
        if (b.length != n) {
            throw new IllegalArgumentException("right-hand side length " + b.length + " != matrix size " + n);
        }
        // LAPACK is column-major: the row-major A read column-major is Aᵀ, so copy accordingly.
        double[] colMajor = new double[n * n];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("matrix row " + i + " has length " + a[i].length + ", expected " + n);
            }
            for (int j = 0; j < n; j++) {
                if (transposed) {
                    colMajor[i + j * n] = a[j][i];
                } else {
                    colMajor[i + j * n] = a[i][j];
                }
            }
        }
        double[] x = b.clone();
        int[] pivots = new int[n];
        intW info = new intW(0);
        synchronized (Lapack.LOCK) { // f2j LAPACK is not thread-safe (see Lapack)
            Lapack.JAVA.dgesv(n, 1, colMajor, n, pivots, x, n, info);
        }
        if (info.val > 0) {
            throw new SingularMatrixException("matrix is singular: U[" + (info.val - 1) + "," + (info.val - 1) + "] = 0");
        }
        if (info.val < 0) {
            throw new IllegalStateException("dgesv argument " + (-info.val) + " invalid");
        }
        return x;
    }

    /** @return {@code I − c·P} for a square {@code P} (new array) */
    public static double[][] identityMinus(double c, double[][] p) {
        int n = p.length;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = (i == j ? 1.0 : 0.0) - c * p[i][j];
            }
        }
        return m;
    }

    /** @return the Euclidean norm of {@code v} */
    public static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** @return the Frobenius norm of a rectangular {@code m} */
    public static double norm(double[][] m) {
        double s = 0;
        for (double[] row : m) {
            for (double x : row) {
                s += x * x;
            }
        }
        return Math.sqrt(s);
    }

    /**
     * Lower Cholesky factor of a symmetric positive-definite matrix, or {@code null} if it is not numerically
     * positive definite.
     *
     * @param a symmetric matrix, row-major, not modified
     * @return {@code L} with {@code L Lᵀ = A}, or {@code null}
     */
    public static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        return null;
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }
}
