package org.pgflow.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SymmetricEigen} against the defining identities on seeded random symmetric matrices
 * ({@code A v = λ v}, orthonormality, trace and determinant), against closed forms (diagonal, 2×2) and on
 * repeated eigenvalues; plus the input checks and the sign convention.
 */
class SymmetricEigenTest {
    /** Residual tolerance relative to ‖A‖_F: dsyev is backward stable to a small multiple of d·ε. */
    private static final double RESIDUAL_TOL = 1e-12;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 12);
    }

    /** Random symmetric {@code d×d} with entries in [−1, 1) scaled by {@code scale}. */
    static double[][] randomSymmetric(SplittableRandom rng, int d, double scale) {
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                a[i][j] = scale * (2 * rng.nextDouble() - 1);
                a[j][i] = a[i][j];
            }
        }
        return a;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomMatricesSatisfyTheEigenIdentities(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 1 + rng.nextInt(12);
        double scale = Math.pow(10, rng.nextInt(-3, 4));
        double[][] a = randomSymmetric(rng, d, scale);
        String ctx = "seed=" + seed + " d=" + d + " scale=" + scale;
        SymmetricEigen e = SymmetricEigen.of(a);
        double norm = Dense.norm(a);
        assertEquals(d, e.values().length, ctx);
        for (int k = 0; k < d; k++) {
            if (k > 0) {
                assertTrue(e.values()[k - 1] <= e.values()[k], ctx + " ascending at " + k);
            }
            double[] v = e.vectors()[k];
            for (int i = 0; i < d; i++) {
                double av = 0;
                for (int j = 0; j < d; j++) {
                    av += a[i][j] * v[j];
                }
                assertEquals(e.values()[k] * v[i], av, RESIDUAL_TOL * norm, ctx + " (A v - λ v)[" + i + "] of vector " + k);
            }
            for (int l = 0; l < d; l++) {
                assertEquals(k == l ? 1.0 : 0.0, dot(v, e.vectors()[l]), 1e-13, ctx + " <v" + k + ", v" + l + ">");
            }
            assertLargestComponentPositive(v, ctx + " vector " + k);
        }
        double trace = 0;
        double sum = 0;
        double product = 1;
        for (int i = 0; i < d; i++) {
            trace += a[i][i];
            sum += e.values()[i];
            product *= e.values()[i];
        }
        assertEquals(trace, sum, RESIDUAL_TOL * d * norm, ctx + " trace");
        // first-order error of Π λ when every λ_i moves by ≤ ε‖A‖: ε‖A‖ Σ_i Π_{j≠i} |λ_j|
        double sensitivity = 0;
        for (int i = 0; i < d; i++) {
            double p = 1;
            for (int j = 0; j < d; j++) {
                p *= j == i ? 1 : Math.abs(e.values()[j]);
            }
            sensitivity += p;
        }
        assertEquals(determinant(a), product, 1e-11 * norm * sensitivity, ctx + " determinant");
    }

    @Test
    void diagonalMatrixGivesSortedDiagonalAndUnitVectors() {
        double[][] a = {{3, 0, 0}, {0, -1, 0}, {0, 0, 2}};
        SymmetricEigen e = SymmetricEigen.of(a);
        assertEquals(-1.0, e.values()[0], 1e-15);
        assertEquals(2.0, e.values()[1], 1e-15);
        assertEquals(3.0, e.values()[2], 1e-15);
        double[][] expected = {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}};
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[k][i], e.vectors()[k][i], 1e-15, "vector " + k + "[" + i + "]");
            }
        }
    }

    /** [[a, b], [b, c]]: λ = (a+c)/2 ∓ √(((a−c)/2)² + b²), eigenvector (b, λ − a) normalised. */
    @Test
    void twoByTwoMatchesClosedForm() {
        double a = 2.0;
        double b = -0.75;
        double c = 0.5;
        double mid = (a + c) / 2;
        double rad = Math.hypot((a - c) / 2, b);
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{a, b}, {b, c}});
        double[] lambda = {mid - rad, mid + rad};
        for (int k = 0; k < 2; k++) {
            assertEquals(lambda[k], e.values()[k], 1e-15, "λ" + k);
            double[] v = {b, lambda[k] - a};
            double n = Math.hypot(v[0], v[1]);
            double sign = Math.abs(v[0]) >= Math.abs(v[1]) ? Math.signum(v[0]) : Math.signum(v[1]);
            assertEquals(sign * v[0] / n, e.vectors()[k][0], 1e-15, "v" + k + "[0]");
            assertEquals(sign * v[1] / n, e.vectors()[k][1], 1e-15, "v" + k + "[1]");
        }
    }

    /** Q diag(1, 1, 1, 5) Qᵀ with a seeded random orthogonal Q: the triple eigenspace is Q's first three columns. */
    @Test
    void repeatedEigenvaluesGiveAnOrthonormalBasisOfTheEigenspace() {
        long seed = 20;
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 4;
        double[][] q = SymmetricEigen.of(randomSymmetric(rng, d, 1)).vectors(); // rows orthonormal
        double[] lam = {1, 1, 1, 5};
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    a[i][j] += q[k][i] * lam[k] * q[k][j];
                }
            }
        }
        for (int i = 0; i < d; i++) { // symmetrise the rounding
            for (int j = 0; j < i; j++) {
                a[i][j] = a[j][i];
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a);
        for (int k = 0; k < d; k++) {
            assertEquals(lam[k], e.values()[k], 1e-14, "seed=" + seed + " λ" + k);
        }
        // the last vector is ±q[3]; the first three are orthogonal to it and orthonormal among themselves
        assertEquals(1.0, Math.abs(dot(e.vectors()[3], q[3])), 1e-14, "seed=" + seed + " simple eigenvector");
        for (int k = 0; k < 3; k++) {
            assertEquals(0.0, dot(e.vectors()[k], q[3]), 1e-14, "seed=" + seed + " vector " + k + " ⟂ q3");
            for (int l = 0; l < 3; l++) {
                assertEquals(k == l ? 1.0 : 0.0, dot(e.vectors()[k], e.vectors()[l]), 1e-14, "seed=" + seed);
            }
        }
        SymmetricEigen identity = SymmetricEigen.of(new double[][] {{2, 0}, {0, 2}});
        assertEquals(2.0, identity.values()[0], 0.0);
        assertEquals(2.0, identity.values()[1], 0.0);
        assertEquals(0.0, dot(identity.vectors()[0], identity.vectors()[1]), 1e-15);
    }

    @Test
    void signConventionPicksTheFirstOfTiedLargestComponents() {
        // eigenvectors (1, 1)/√2 and (1, −1)/√2 up to sign: both have |v0| = |v1|, so v0 > 0
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{0, 1}, {1, 0}});
        assertEquals(-1.0, e.values()[0], 1e-15);
        assertTrue(e.vectors()[0][0] > 0 && e.vectors()[0][1] < 0, "vector 0 first component positive");
        assertTrue(e.vectors()[1][0] > 0 && e.vectors()[1][1] > 0, "vector 1 first component positive");
        SymmetricEigen neg = SymmetricEigen.of(new double[][] {{1, 0}, {0, 0}});
        assertEquals(1.0, neg.vectors()[1][0], 0.0);
    }

    @Test
    void emptyAndOneByOne() {
        SymmetricEigen empty = SymmetricEigen.of(new double[0][0]);
        assertEquals(0, empty.values().length);
        SymmetricEigen one = SymmetricEigen.of(new double[][] {{-4.5}});
        assertEquals(-4.5, one.values()[0], 0.0);
        assertEquals(1.0, one.vectors()[0][0], 0.0);
    }

    @Test
    void rejectsInvalidInputNamingTheIndex() {
        IllegalArgumentException notSquare = assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.of(new double[][] {{1, 2}, {3}}));
        assertTrue(notSquare.getMessage().contains("row 1"), notSquare.getMessage());
        IllegalArgumentException asym = assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.of(new double[][] {{1, 0, 0}, {0, 1, 2}, {0, 2 + 1e-9, 1}}));
        assertTrue(asym.getMessage().contains("[1][2]"), asym.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.of(new double[][] {{1, 0}, {0, Double.NaN}}));
        assertTrue(nan.getMessage().contains("[1][1]"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.of(new double[][] {{1, Double.POSITIVE_INFINITY}, {Double.POSITIVE_INFINITY, 1}}));
        // within the relative tolerance: accepted
        SymmetricEigen.of(new double[][] {{1e6, 1}, {1 + 1e-7, 1e6}});
        assertThrows(IllegalArgumentException.class, () -> new SymmetricEigen(new double[2], new double[1][2]));
    }

    private static void assertLargestComponentPositive(double[] v, String ctx) {
        int top = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[top])) {
                top = i;
            }
        }
        assertTrue(v[top] > 0, ctx + " largest component " + top + " = " + v[top]);
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** Determinant by Gaussian elimination with partial pivoting (independent of LAPACK). */
    private static double determinant(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        double det = 1;
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            if (m[p][c] == 0) {
                return 0;
            }
            if (p != c) {
                double[] t = m[p];
                m[p] = m[c];
                m[c] = t;
                det = -det;
            }
            det *= m[c][c];
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k < n; k++) {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
        return det;
    }
}
