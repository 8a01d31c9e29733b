package org.pgflow.math;

import org.netlib.util.intW;

/**
 * Eigen-decomposition {@code A = Σ_i λ_i v_i v_iᵀ} of a real symmetric matrix by LAPACK {@code dsyev}
 * (jobz {@code "V"}, upper triangle) through {@code dev.ludovic.netlib}, the pure-Java implementation for the
 * reasons given in {@link Dense} (the same bits on every machine).
 *
 * <p>{@code values} are ascending; {@code vectors[i]} is the unit eigenvector of {@code values[i]}, its sign
 * fixed so that its component of largest magnitude is positive (on a tie in magnitude, the first such
 * component). For a repeated eigenvalue the vectors span its eigenspace and are orthonormal, but which basis
 * of that space is returned is LAPACK's choice. Arrays owned by the record.
 *
 * @param values  eigenvalues, ascending
 * @param vectors {@code vectors[i]} the unit eigenvector of {@code values[i]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {

    /** Relative asymmetry {@code |a_ij − a_ji|} tolerated, measured against {@code max|a|}. */
    private static final double SYMMETRY_TOL = 1e-12;

    /**
     * Validates the shapes: one eigenvector of length {@code values.length} per eigenvalue.
     *
     * @throws IllegalArgumentException on a null array or a length mismatch
     */
    public SymmetricEigen {
        if (values == null || vectors == null) {
            throw new IllegalArgumentException("values and vectors must be non-null");
        }
        if (vectors.length != values.length) {
            throw new IllegalArgumentException(
                    "vectors has " + vectors.length + " rows, expected " + values.length + " (one per eigenvalue)");
        }
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i] == null || vectors[i].length != values.length) {
                throw new IllegalArgumentException("vectors[" + i + "] must have length " + values.length);
            }
        }
    }

    /**
     * Decomposes a symmetric matrix.
     *
     * @param a square, symmetric to {@code |a_ij − a_ji| ≤ 1e-12·max|a|}, finite, row-major; not modified
     *          (only its upper triangle enters the decomposition)
     * @return eigenvalues ascending and their unit eigenvectors with the sign convention above
     * @throws IllegalArgumentException if {@code a} is not square, not symmetric or has a non-finite entry
     *                                  (the message names the index)
     * @throws ArithmeticException      if {@code dsyev} does not converge ({@code info > 0})
     */
    public static SymmetricEigen of(double[][] a) {
        int n = checkedSize(a);
        double[] colMajor = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                colMajor[i + j * n] = a[i][j];
            }
        }
        double[] w = new double[n];
        if (n > 0) {
            intW info = new intW(0);
            double[] query = new double[1];
            synchronized (Lapack.LOCK) { // f2j LAPACK is not thread-safe (see Lapack)
                Lapack.JAVA.dsyev("V", "U", n, colMajor, n, w, query, -1, info);
                checkInfo(info.val);
                int lwork = Math.max(1, Math.max(3 * n - 1, (int) query[0]));
                Lapack.JAVA.dsyev("V", "U", n, colMajor, n, w, new double[lwork], lwork, info);
                checkInfo(info.val);
            }
        }
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            double[] v = vectors[k];
            int top = 0;
            for (int i = 0; i < n; i++) {
                v[i] = colMajor[i + k * n]; // column k of the column-major result
                if (Math.abs(v[i]) > Math.abs(v[top])) {
                    top = i;
                }
            }
            if (v[top] < 0) {
                for (int i = 0; i < n; i++) {
                    v[i] = -v[i];
                }
            }
        }
        return new SymmetricEigen(w, vectors);
    }

    /** @return the size of a square, symmetric, finite {@code a} */
    private static int checkedSize(double[][] a) {
        if (a == null) {
            throw new IllegalArgumentException("matrix must be non-null");
        }
        int n = a.length;
        double maxAbs = 0;
        for (int i = 0; i < n; i++) {
            if (a[i] == null || a[i].length != n) {
                throw new IllegalArgumentException("matrix row " + i + " has length "
                        + (a[i] == null ? "null" : a[i].length) + ", expected " + n + " (square)");
            }
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(a[i][j])) {
                    throw new IllegalArgumentException("matrix entry [" + i + "][" + j + "] must be finite but was " + a[i][j]);
                }
                maxAbs = Math.max(maxAbs, Math.abs(a[i][j]));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (!(Math.abs(a[i][j] - a[j][i]) <= SYMMETRY_TOL * maxAbs)) {
                    throw new IllegalArgumentException("matrix is not symmetric at [" + i + "][" + j + "]: "
                            + a[i][j] + " vs " + a[j][i] + " (relative tolerance " + SYMMETRY_TOL + ")");
                }
            }
        }
        return n;
    }

    private static void checkInfo(int info) {
        if (info > 0) {
            throw new ArithmeticException("dsyev did not converge: " + info + " off-diagonal elements did not reach zero");
        }
        if (info < 0) {
            throw new IllegalStateException("dsyev argument " + (-info) + " invalid");
        }
    }
}
