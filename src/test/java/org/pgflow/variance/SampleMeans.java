package org.pgflow.variance;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-coordinate Welford means and standard errors of i.i.d. vectors, with the {@code |mean − exact| ≤ k·SE}
 * check of docs/algorithms.md §5 (the seed is printed on failure). Coordinates whose samples are all identical and equal to the
 * exact value (structural zeros) pass with SE = 0.
 */
final class SampleMeans {
    private final double[] mean;
    private final double[] m2;
    private long n;

    SampleMeans(int d) {
        mean = new double[d];
        m2 = new double[d];
    }

    void add(double[] x) {
        n++;
        for (int i = 0; i < mean.length; i++) {
            double delta = x[i] - mean[i];
            mean[i] += delta / n;
            m2[i] += delta * (x[i] - mean[i]);
        }
    }

    void add(double[][] x) {
        double[] flat = new double[mean.length];
        int k = 0;
        for (double[] row : x) {
            for (double v : row) {
                flat[k++] = v;
            }
        }
        add(flat);
    }

    long count() {
        return n;
    }

    double[] mean() {
        return mean.clone();
    }

    double se(int i) {
        return Math.sqrt(m2[i] / (n - 1) / n);
    }

    static double[] flatten(double[][] x) {
        int size = 0;
        for (double[] row : x) {
            size += row.length;
        }
        double[] flat = new double[size];
        int k = 0;
        for (double[] row : x) {
            for (double v : row) {
                flat[k++] = v;
            }
        }
        return flat;
    }

    /** Asserts {@code |mean_i − exact_i| ≤ k·SE_i + 1e-12·(1 + |exact_i|)} for every coordinate. */
    void check(double[] exact, double k, String what, long seed) {
        for (int i = 0; i < mean.length; i++) {
            double se = se(i);
            double err = Math.abs(mean[i] - exact[i]);
            assertTrue(err <= k * se + 1e-12 * (1 + Math.abs(exact[i])), what + "[" + i + "]: MC " + mean[i]
                    + " vs closed form " + exact[i] + " (|diff| = " + err + " > " + k + "·SE = " + k * se + ", n = " + n
                    + ", seed = " + seed + ")");
        }
    }
}
