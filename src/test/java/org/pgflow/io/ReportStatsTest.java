package org.pgflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Principal axes by LAPACK against power iteration and a closed form; bands and decay fits. */
class ReportStatsTest {
    /** A Gaussian cloud with standard deviations {@code sd} along the columns of the orthogonal {@code r}. */
    private static double[][] cloud(long seed, int n, double[] sd, double[][] r, boolean whiten) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = sd.length;
        double[][] z = new double[d][n]; // columns
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) {
                z[j][i] = gaussian(rng);
            }
        }
        if (whiten) { // centre and Gram–Schmidt the columns: the sample covariance becomes exactly the identity
            for (int j = 0; j < d; j++) {
                double m = Arrays.stream(z[j]).average().orElseThrow();
                for (int i = 0; i < n; i++) {
                    z[j][i] -= m;
                }
                for (int b = 0; b < j; b++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += z[j][i] * z[b][i];
                    }
                    for (int i = 0; i < n; i++) {
                        z[j][i] -= dot * z[b][i];
                    }
                }
                double norm = Math.sqrt(Arrays.stream(z[j]).map(v -> v * v).sum());
                for (int i = 0; i < n; i++) {
                    z[j][i] /= norm;
                }
            }
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < n; i++) {
                    z[j][i] *= Math.sqrt(n);
                }
            }
        }
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                for (int j = 0; j < d; j++) {
                    rows[i][a] += r[a][j] * sd[j] * z[j][i];
                }
                rows[i][a] += 10 + a; // off-centre: the covariance removes the mean
            }
        }
        return rows;
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** A rotation of R^d: Givens rotations in every coordinate plane. */
    private static double[][] rotation(int d) {
        double[][] r = new double[d][d];
        for (int i = 0; i < d; i++) {
            r[i][i] = 1;
        }
        double angle = 0.3;
        for (int p = 0; p < d; p++) {
            for (int q = p + 1; q < d; q++) {
                double c = Math.cos(angle);
                double s = Math.sin(angle);
                for (int i = 0; i < d; i++) {
                    double a = r[i][p];
                    double b = r[i][q];
                    r[i][p] = c * a - s * b;
                    r[i][q] = s * a + c * b;
                }
                angle += 0.4;
            }
        }
        return r;
    }

    private static double[] column(double[][] r, int j) {
        double[] c = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            c[i] = r[i][j];
        }
        return c;
    }

    private static void assertSameAxis(double[] expected, double[] actual, double tol, String what) {
        double dot = 0;
        for (int i = 0; i < expected.length; i++) {
            dot += expected[i] * actual[i];
        }
        double sign = Math.signum(dot);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], sign * actual[i], tol, what + " component " + i + ": " + Arrays.toString(actual));
        }
    }

    /** The principal axes computed before LAPACK: power iteration with deflation (the reference). */
    private static double[][] powerIteration(double[][] rows, int count) {
        double[][] c = ReportStats.covariance(rows);
        int d = c.length;
        double[][] axes = new double[count][];
        for (int a = 0; a < count; a++) {
            double[] v = new double[d];
            Arrays.fill(v, 1 / Math.sqrt(d));
            v[a % d] += 0.5;
            for (int it = 0; it < 500; it++) {
                double[] w = new double[d];
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        w[i] += c[i][j] * v[j];
                    }
                }
                for (int b = 0; b < a; b++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += w[i] * axes[b][i];
                    }
                    for (int i = 0; i < d; i++) {
                        w[i] -= dot * axes[b][i];
                    }
                }
                double n = Math.sqrt(Arrays.stream(w).map(x -> x * x).sum());
                for (int i = 0; i < d; i++) {
                    v[i] = w[i] / n;
                }
            }
            axes[a] = v;
        }
        return axes;
    }

    @Test
    void axesAgreeWithPowerIterationOnASeededCloud() {
        double[][] rows = cloud(7, 2000, new double[] {3, 1.5, 0.7, 0.3, 0.1}, rotation(5), false);
        double[][] lapack = ReportStats.principalAxes(rows, 2);
        double[][] power = powerIteration(rows, 2);
        assertEquals(2, lapack.length);
        for (int a = 0; a < 2; a++) {
            assertSameAxis(power[a], lapack[a], 1e-8, "axis " + a);
            assertEquals(1, Arrays.stream(lapack[a]).map(x -> x * x).sum(), 1e-12, "unit length");
        }
    }

    @Test
    void axesOfARotatedAnisotropicGaussianCloudAreTheRotatedCoordinateAxes() {
        double[][] r = rotation(4);
        double[] sd = {0.5, 4, 0.2, 2}; // largest variance along r's column 1, then column 3
        double[][] exact = ReportStats.principalAxes(cloud(11, 500, sd, r, true), 3);
        assertSameAxis(column(r, 1), exact[0], 1e-10, "first axis (whitened cloud)");
        assertSameAxis(column(r, 3), exact[1], 1e-10, "second axis (whitened cloud)");
        assertSameAxis(column(r, 0), exact[2], 1e-10, "third axis (whitened cloud)");
        for (double[] axis : exact) { // the sign convention: largest-magnitude component positive
            int big = 0;
            for (int i = 1; i < axis.length; i++) {
                big = Math.abs(axis[i]) > Math.abs(axis[big]) ? i : big;
            }
            assertTrue(axis[big] > 0, Arrays.toString(axis));
        }
        // A plain sample: the axes within sampling error (the cloud is large and the variances well apart).
        double[][] sampled = ReportStats.principalAxes(cloud(12, 20000, sd, r, false), 2);
        assertSameAxis(column(r, 1), sampled[0], 0.02, "first axis (sample)");
        assertSameAxis(column(r, 3), sampled[1], 0.02, "second axis (sample)");
    }

    @Test
    void projectionIsTheDotProduct() {
        double[][] rows = {{1, 2}, {3, -4}};
        assertEquals(List.of(2.0, -4.0), Arrays.stream(ReportStats.project(rows, new double[] {0, 1})).boxed().toList());
    }

    @Test
    void bandsAreTwoStandardErrorsWide() {
        double[][] b = ReportStats.band(new double[] {1, 2, 3}, new double[] {0.5, Double.NaN, 0}, 2);
        assertEquals(0, b[0][0]);
        assertEquals(2, b[1][0]);
        assertTrue(Double.isNaN(b[0][1]) && Double.isNaN(b[1][1]));
        assertEquals(3, b[0][2]);
    }

    @Test
    void decayFitRecoversAnExponentialRate() {
        double[] t = new double[200];
        double[] y = new double[200];
        for (int i = 0; i < t.length; i++) {
            t[i] = i;
            y[i] = 2 * Math.exp(-0.05 * i) + 1e-4; // decays to a floor of 1e-4
        }
        y[3] = Double.NaN; // left out
        ReportStats.Decay d = ReportStats.decay(t, y);
        assertNotNull(d);
        assertEquals(0.05, d.fit().rate(), 0.005);
        assertEquals(d.t().length, d.fitted().length);
        assertTrue(d.t()[d.t().length - 1] <= d.fit().windowEnd());
        assertNull(ReportStats.decay(new double[] {0, 1}, new double[] {1, 0.5}), "too few points");
        assertEquals(2, ReportStats.last(new double[] {1, 2, 3, Double.NaN}));
        assertEquals(-1, ReportStats.last(null));
    }
}
