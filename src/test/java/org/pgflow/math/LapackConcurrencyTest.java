package org.pgflow.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The f2j LAPACK keeps Fortran SAVE variables in static fields ({@code dlamch}'s machine constants); calls from
 * several threads must neither race on their first initialisation nor on later calls (two study cells drawing
 * their particle plots at once hung in {@code dlascl} before every call took {@link Lapack#LOCK}).
 */
class LapackConcurrencyTest {
    private static final long SEED = 20261202L;

    @Test
    void theMachineConstantsAreSetWhenTheWrapperIsLoaded() {
        assertFalse(Lapack.JAVA == null);
        // Loading Lapack ran dsyev once under the lock: dlamch's first-call flag is cleared.
        assertFalse(org.netlib.lapack.Dlamch.first, "dlamch not initialised by the Lapack class initialiser");
    }

    @Test
    void concurrentSolvesAndEigenDecompositionsEqualSequentialOnes() throws Exception {
        int cases = 64;
        List<double[][]> mats = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int c = 0; c < cases; c++) {
            int n = 2 + c % 9;
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    a[i][j] = a[j][i] = rnd.nextDouble(-1, 1) * Math.pow(10, rnd.nextInt(-6, 7));
                }
                a[i][i] += n;
            }
            mats.add(a);
        }
        List<double[]> expected = new ArrayList<>();
        for (double[][] a : mats) {
            expected.add(flatten(a));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 4; round++) {
                List<Future<double[]>> got = new ArrayList<>();
                for (double[][] a : mats) {
                    got.add(pool.submit(() -> flatten(a)));
                }
                for (int c = 0; c < cases; c++) {
                    assertArrayEquals(expected.get(c), got.get(c).get(), 0.0,
                            "case " + c + " round " + round + " differs from the sequential result (seed " + SEED + ")");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Eigenvalues, eigenvectors and the solution of A x = 1, concatenated. */
    private static double[] flatten(double[][] a) {
        SymmetricEigen e = SymmetricEigen.of(a);
        double[] b = new double[a.length];
        java.util.Arrays.fill(b, 1);
        double[] x = Dense.solve(a, b);
        int n = a.length;
        double[] out = new double[n + n * n + n];
        System.arraycopy(e.values(), 0, out, 0, n);
        for (int k = 0; k < n; k++) {
            System.arraycopy(e.vectors()[k], 0, out, n + k * n, n);
        }
        System.arraycopy(x, 0, out, n + n * n, n);
        return out;
    }
}
