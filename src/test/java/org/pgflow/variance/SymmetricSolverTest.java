package org.pgflow.variance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgflow.math.Dense;
import org.pgflow.math.SymmetricEigen;

/**
 * {@link SymmetricSolver} (eigen-decomposition by LAPACK) against {@link JacobiSolverOracle} (cyclic Jacobi) on
 * seeded matrices, through every path: LU ridge solves, the pseudo-inverse fallback of an exactly singular
 * {@code A + εI}, the direct pseudo-inverse and minimum-norm solves of rank-deficient matrices, and {@code A = 0}.
 * Spectra are kept in {@code [0.1, 10]} in magnitude (plus exact zeros) so that both solutions are determined to
 * far better than the 1e-10 relative tolerance.
 */
class SymmetricSolverTest {
    /** Agreement of the two eigen-solvers, relative to {@code ‖x‖}: condition ≤ 100 times a few ulps. */
    private static final double TOL = 1e-10;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 15);
    }

    /** {@code Q diag(λ) Qᵀ} with a random orthogonal {@code Q} and the given spectrum. */
    private static double[][] withSpectrum(SplittableRandom rng, double[] lam) {
        int d = lam.length;
        double[][] r = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                r[i][j] = 2 * rng.nextDouble() - 1;
                r[j][i] = r[i][j];
            }
        }
        double[][] q = SymmetricEigen.of(r).vectors();
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += q[k][i] * lam[k] * q[k][j];
                }
                a[i][j] = s;
                a[j][i] = s;
            }
        }
        return a;
    }

    /** Spectrum of size d: {@code zeros} exact zeros, the rest of magnitude in [0.1, 10], negative if asked. */
    private static double[] spectrum(SplittableRandom rng, int d, int zeros, boolean indefinite) {
        double[] lam = new double[d];
        for (int k = zeros; k < d; k++) {
            lam[k] = Math.pow(10, rng.nextDouble(-1, 1)) * (indefinite && rng.nextBoolean() ? -1 : 1);
        }
        return lam;
    }

    private static double[] vector(SplittableRandom rng, int d) {
        double[] b = new double[d];
        for (int i = 0; i < d; i++) {
            b[i] = 2 * rng.nextDouble() - 1;
        }
        return b;
    }

    private static void assertClose(double[] expected, double[] actual, String ctx) {
        assertEquals(expected.length, actual.length, ctx + " length");
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
        }
        double scale = Dense.norm(expected);
        assertTrue(diff <= TOL * scale, ctx + ": max |Δx| = " + diff + " vs " + TOL + "·‖x‖ = " + TOL * scale);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void ridgeSolvesAgreeWithTheJacobiOracle(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 2 + rng.nextInt(9);
        double[][] a = withSpectrum(rng, spectrum(rng, d, 0, seed % 2 == 0));
        double[] b = vector(rng, d);
        String ctx = "seed=" + seed + " d=" + d;
        for (double ridge : new double[] {0, 1e-8, 1e-2}) {
            assertClose(JacobiSolverOracle.ridgeSolve(a, b, ridge), SymmetricSolver.ridgeSolve(a, b, ridge),
                    ctx + " ridgeSolve ridge=" + ridge);
            assertClose(JacobiSolverOracle.ridgeSolveGeneral(a, b, ridge), SymmetricSolver.ridgeSolveGeneral(a, b, ridge),
                    ctx + " ridgeSolveGeneral ridge=" + ridge);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void pseudoInverseOfRankDeficientMatricesAgreesWithTheJacobiOracle(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 2 + rng.nextInt(9);
        int zeros = 1 + rng.nextInt(d - 1);
        double[][] a = withSpectrum(rng, spectrum(rng, d, zeros, seed % 3 == 0));
        double[] b = vector(rng, d);
        String ctx = "seed=" + seed + " d=" + d + " rank=" + (d - zeros);
        double[] x = SymmetricSolver.pinvSolve(a, b);
        assertClose(JacobiSolverOracle.pinvSolve(a, b), x, ctx + " pinvSolve");
        // A⁺b lies in the range of A and A A⁺ b is the projection of b: A x = A (A⁺ b) checked through Aᵀ(Ax − b) = 0
        double[] r = new double[d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                r[i] += a[i][j] * x[j];
            }
            r[i] -= b[i];
        }
        for (int i = 0; i < d; i++) {
            double g = 0;
            for (int j = 0; j < d; j++) {
                g += a[j][i] * r[j];
            }
            assertEquals(0.0, g, 1e-11, ctx + " normal equations residual " + i);
        }
        assertClose(JacobiSolverOracle.minimumNormSolve(a, b), SymmetricSolver.minimumNormSolve(a, b),
                ctx + " minimumNormSolve");
    }

    /** Non-symmetric square matrices for the LSTD path: a full-rank one and one of rank d−1. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void minimumNormSolveOfGeneralMatricesAgreesWithTheJacobiOracle(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 2 + rng.nextInt(7);
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            a[i] = vector(rng, d);
            a[i][i] += 2 * d; // diagonally dominant: well conditioned
        }
        double[] b = vector(rng, d);
        String ctx = "seed=" + seed + " d=" + d;
        assertClose(JacobiSolverOracle.minimumNormSolve(a, b), SymmetricSolver.minimumNormSolve(a, b), ctx + " full rank");
        double[][] deficient = new double[d][];
        for (int i = 0; i < d; i++) {
            deficient[i] = a[i].clone();
        }
        deficient[d - 1] = deficient[0].clone(); // repeated row: A x = b has rank d−1
        assertClose(JacobiSolverOracle.minimumNormSolve(deficient, b), SymmetricSolver.minimumNormSolve(deficient, b),
                ctx + " rank d-1");
        assertClose(JacobiSolverOracle.ridgeSolveGeneral(deficient, b, 0), SymmetricSolver.ridgeSolveGeneral(deficient, b, 0),
                ctx + " ridgeSolveGeneral of an exactly singular matrix");
    }

    /**
     * A symmetric matrix with a zero row and column is exactly singular in floating point, so LU fails and the
     * ridge solve without ridge falls back to the pseudo-inverse: {@code diag(S, 0)⁺ b = (S⁻¹ b₁, 0)}.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void exactlySingularRidgeSystemFallsBackToThePseudoInverse(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 3 + rng.nextInt(6);
        int zero = rng.nextInt(d);
        double[][] small = withSpectrum(rng, spectrum(rng, d - 1, 0, seed % 2 == 1));
        double[][] a = new double[d][d];
        double[] b = vector(rng, d);
        double[] bSmall = new double[d - 1];
        for (int i = 0; i < d - 1; i++) {
            bSmall[i] = b[i < zero ? i : i + 1];
            for (int j = 0; j < d - 1; j++) {
                a[i < zero ? i : i + 1][j < zero ? j : j + 1] = small[i][j];
            }
        }
        String ctx = "seed=" + seed + " d=" + d + " zero row " + zero;
        assertThrows(Dense.SingularMatrixException.class, () -> Dense.solve(a, b), ctx + " LU must fail");
        double[] x = SymmetricSolver.ridgeSolve(a, b, 0);
        assertClose(JacobiSolverOracle.ridgeSolve(a, b, 0), x, ctx + " ridgeSolve fallback");
        double[] xSmall = Dense.solve(small, bSmall);
        double[] expected = new double[d];
        for (int i = 0; i < d - 1; i++) {
            expected[i < zero ? i : i + 1] = xSmall[i];
        }
        assertClose(expected, x, ctx + " fallback is diag(S, 0)⁺ b");
        assertEquals(0.0, x[zero], 1e-12 * Dense.norm(x), ctx + " unknown of the zero row");
    }

    @Test
    void zeroMatrixGivesZeros() {
        double[][] zero = new double[3][3];
        double[] b = {1, 2, 3};
        for (double[] x : new double[][] {SymmetricSolver.ridgeSolve(zero, b, 1e-8),
                SymmetricSolver.ridgeSolveGeneral(zero, b, 1e-8), SymmetricSolver.pinvSolve(zero, b),
                SymmetricSolver.minimumNormSolve(zero, b)}) {
            assertEquals(3, x.length);
            for (double v : x) {
                assertEquals(0.0, v, 0.0);
            }
        }
    }

    @Test
    void pseudoInverseRejectsAnAsymmetricMatrix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SymmetricSolver.pinvSolve(new double[][] {{1, 2}, {0, 1}}, new double[] {1, 1}));
        assertTrue(e.getMessage().contains("[0][1]"), e.getMessage());
    }
}
