package org.pgflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Min-max decimation keeps, in every bucket of x, the first and last point and each ordinate's smallest and
 * largest value, in order; it leaves short or unordered series alone.
 */
class DecimationTest {
    private static final long SEED = 20261202L;

    @Test
    void everyBucketKeepsItsEndsAndExtremes() {
        for (boolean logX : new boolean[] {false, true}) {
            SplittableRandom rng = new SplittableRandom(SEED);
            int n = 100_000;
            int buckets = 900;
            double[] x = new double[n];
            double[] y = new double[n];
            double[] z = new double[n];
            double walk = 0;
            for (int i = 0; i < n; i++) {
                x[i] = i + 1;
                walk += rng.nextGaussian();
                y[i] = walk;
                z[i] = rng.nextDouble();
            }
            int[] idx = Decimation.indices(x, new double[][] {y, z}, logX, buckets);
            String where = "seed " + SEED + " logX=" + logX;
            assertTrue(idx.length <= 6 * buckets, where + ": " + idx.length + " points kept");
            assertTrue(idx.length < n / 10, where);
            for (int q = 1; q < idx.length; q++) {
                assertTrue(idx[q] > idx[q - 1], where + ": indices ascending");
            }
            assertEquals(0, idx[0], where);
            assertEquals(n - 1, idx[idx.length - 1], where);
            // Recompute the buckets independently and check each one's ends and extremes are kept.
            boolean[] kept = new boolean[n];
            for (int i : idx) {
                kept[i] = true;
            }
            double t0 = logX ? Math.log10(x[0]) : x[0];
            double span = (logX ? Math.log10(x[n - 1]) : x[n - 1]) - t0;
            int start = 0;
            int bucketsSeen = 0;
            while (start < n) {
                int b = Math.min(buckets - 1, (int) (((logX ? Math.log10(x[start]) : x[start]) - t0) / span * buckets));
                int end = start;
                double yMin = Double.POSITIVE_INFINITY;
                double yMax = Double.NEGATIVE_INFINITY;
                double keptMin = Double.POSITIVE_INFINITY;
                double keptMax = Double.NEGATIVE_INFINITY;
                while (end < n && Math.min(buckets - 1,
                        (int) (((logX ? Math.log10(x[end]) : x[end]) - t0) / span * buckets)) == b) {
                    yMin = Math.min(yMin, y[end]);
                    yMax = Math.max(yMax, y[end]);
                    if (kept[end]) {
                        keptMin = Math.min(keptMin, y[end]);
                        keptMax = Math.max(keptMax, y[end]);
                    }
                    end++;
                }
                assertTrue(kept[start] && kept[end - 1], where + ": ends of bucket " + b);
                assertEquals(yMin, keptMin, 0.0, where + ": minimum of bucket " + b);
                assertEquals(yMax, keptMax, 0.0, where + ": maximum of bucket " + b);
                start = end;
                bucketsSeen++;
            }
            assertTrue(bucketsSeen > buckets / 2, where);
        }
    }

    @Test
    void shortOrUnorderedSeriesAreLeftWhole() {
        double[] shortX = new double[3600];
        double[] y = new double[3600];
        for (int i = 0; i < shortX.length; i++) {
            shortX[i] = i;
            y[i] = Math.sin(i);
        }
        assertEquals(3600, Decimation.indices(shortX, new double[][] {y}, false, 900).length);
        double[] x = new double[10_000];
        double[] y2 = new double[10_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y2[i] = i % 7;
        }
        x[5000] = -1; // not in order: a scatter of pairs, not a line
        assertEquals(10_000, Decimation.indices(x, new double[][] {y2}, false, 900).length);
        double[] a = {1, 2, 3};
        assertArrayEquals(new double[] {1, 3}, Decimation.take(a, new int[] {0, 2}));
    }
}
