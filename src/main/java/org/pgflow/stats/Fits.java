package org.pgflow.stats;

/**
 * Small regression helpers for study summaries: least-squares lines (slopes of log–log plots) and the
 * exponential contraction rate of the synchronous-coupling distance (docs/algorithms.md §2.10–2.11). Stateless.
 */
public final class Fits {
    private Fits() {
    }

    /**
     * Ordinary least-squares line through (x, y).
     *
     * @param x abscissae (at least two distinct)
     * @param y ordinates
     * @return {@code {intercept, slope}}, or NaNs when fewer than two distinct x
     */
    public static double[] line(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        if (!(sxx > 0)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double slope = sxy / sxx;
        return new double[] {my - slope * mx, slope};
    }

    /**
     * A fitted exponential decay {@code ln W(t) ≈ intercept − rate·t} over {@code t ≤ windowEnd}.
     *
     * @param rate      β
     * @param intercept ln W at t = 0 of the fitted line
     * @param windowEnd last time used by the fit
     * @param floor     the noise floor estimate (median of the last 20% of the series)
     */
    public record Decay(double rate, double intercept, double windowEnd, double floor) {
    }

    /**
     * Exponential decay rate β of a distance {@code W(t) ≈ W0 e^{−βt}} down to its noise floor: the floor is the
     * median of the last 20% of the series; β is minus the least-squares slope of ln W against t over the initial
     * stretch where W stays above twice the floor. When the series has not reached its floor by the end of the
     * run the fit window ends early and the rate reflects the initial contraction only.
     *
     * @param t times (iteration × Δt)
     * @param w distances, positive
     * @return the fit, or null if the series stays above twice its floor for fewer than three points
     */
    public static Decay decay(double[] t, double[] w) {
        int n = w.length;
        if (n < 5) {
            return null;
        }
        double[] tail = java.util.Arrays.copyOfRange(w, n - Math.max(1, n / 5), n);
        java.util.Arrays.sort(tail);
        double floor = tail[tail.length / 2];
        int end = 0;
        while (end < n && w[end] > 2 * floor) {
            end++;
        }
        if (end < 3) {
            return null;
        }
        double[] x = java.util.Arrays.copyOf(t, end);
        double[] y = new double[end];
        for (int i = 0; i < end; i++) {
            y[i] = Math.log(w[i]);
        }
        double[] fit = line(x, y);
        return new Decay(-fit[1], fit[0], t[end - 1], floor);
    }
}
