package org.pgflow.stats;

/**
 * Small regression helpers for study summaries: least-squares lines (slopes of log–log plots) and the
 * exponential contraction rate of the synchronous-coupling distance (SPEC §2.10–2.11). Stateless.
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
     * Exponential decay rate β of a distance {@code W(t) ≈ W0 e^{−βt}} down to its noise floor: the floor is the
     * median of the last 20% of the series; β is minus the slope of ln W against t over the initial stretch where
     * W stays above twice the floor.
     *
     * @param t times (iteration × Δt)
     * @param w distances, positive
     * @return β, or NaN if the series never rises above twice its floor for three points
     */
    public static double decayRate(double[] t, double[] w) {
        int n = w.length;
        if (n < 5) {
            return Double.NaN;
        }
        double[] tail = java.util.Arrays.copyOfRange(w, n - Math.max(1, n / 5), n);
        java.util.Arrays.sort(tail);
        double floor = tail[tail.length / 2];
        int end = 0;
        while (end < n && w[end] > 2 * floor) {
            end++;
        }
        if (end < 3) {
            return Double.NaN;
        }
        double[] x = java.util.Arrays.copyOf(t, end);
        double[] y = new double[end];
        for (int i = 0; i < end; i++) {
            y[i] = Math.log(w[i]);
        }
        return -line(x, y)[1];
    }
}
