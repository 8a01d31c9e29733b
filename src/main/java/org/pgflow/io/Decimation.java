package org.pgflow.io;

import java.util.Arrays;

/**
 * Which points of a long line a chart needs (min-max decimation, the M4 idea): the x range is cut into as many
 * buckets as the plot has pixel columns, and per bucket only the first and last point and the points where each
 * ordinate is smallest and largest are drawn, in their order. At that resolution the line looks the same, while
 * painting a series costs time in proportion to its points (an anti-aliased line of 16 000 points took ≈ 0.5 s,
 * one of 4000 points ≈ 0.1 s on the project's machine).
 */
final class Decimation {
    private Decimation() {
    }

    /**
     * @param x       abscissae, finite (and positive when {@code logX})
     * @param ys      ordinate arrays of the same length (a line's y; a band's lower and upper edge), finite
     * @param logX    buckets equal in {@code log10 x}
     * @param buckets number of buckets (≥ 1)
     * @return the ascending indices to keep: all of them when there are at most {@code 4 · buckets} points or the
     *         abscissae are not in non-decreasing order
     */
    static int[] indices(double[] x, double[][] ys, boolean logX, int buckets) {
        int n = x.length;
        if (n <= 4L * buckets || !nonDecreasing(x)) {
            return all(n);
        }
        double t0 = scale(x[0], logX);
        double span = scale(x[n - 1], logX) - t0;
        if (!(span > 0)) {
            return all(n);
        }
        boolean[] keep = new boolean[n];
        int start = 0;
        while (start < n) {
            int b = bucket(x[start], t0, span, logX, buckets);
            int end = start + 1;
            while (end < n && bucket(x[end], t0, span, logX, buckets) == b) {
                end++;
            }
            keep[start] = true;
            keep[end - 1] = true;
            for (double[] y : ys) {
                int lo = start;
                int hi = start;
                for (int i = start + 1; i < end; i++) {
                    if (y[i] < y[lo]) {
                        lo = i;
                    }
                    if (y[i] > y[hi]) {
                        hi = i;
                    }
                }
                keep[lo] = true;
                keep[hi] = true;
            }
            start = end;
        }
        int[] out = new int[n];
        int q = 0;
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                out[q++] = i;
            }
        }
        return Arrays.copyOf(out, q);
    }

    /** @return {@code a[idx[0]], a[idx[1]], …} */
    static double[] take(double[] a, int[] idx) {
        if (idx.length == a.length) {
            return a;
        }
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    private static int bucket(double x, double t0, double span, boolean logX, int buckets) {
        int b = (int) ((scale(x, logX) - t0) / span * buckets);
        return Math.min(b, buckets - 1);
    }

    private static double scale(double x, boolean logX) {
        return logX ? Math.log10(x) : x;
    }

    private static boolean nonDecreasing(double[] x) {
        for (int i = 1; i < x.length; i++) {
            if (!(x[i] >= x[i - 1])) {
                return false;
            }
        }
        return true;
    }

    private static int[] all(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }
}
