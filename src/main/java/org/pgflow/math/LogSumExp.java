package org.pgflow.math;

/**
 * Stabilised log-sum-exp and softmax with positive weights (a reference measure):
 * {@code lse(x; μ) = m + ln Σ_a μ_a exp(x_a − m)}, {@code m = max_a x_a}. Stateless.
 */
public final class LogSumExp {
    private LogSumExp() {
    }

    /**
     * @param x  values
     * @param mu positive weights of the same length
     * @return {@code ln Σ_a μ_a exp(x_a)} computed without overflow
     */
    public static double of(double[] x, double[] mu) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        if (m == Double.NEGATIVE_INFINITY || Double.isNaN(m)) {
            return m;
        }
        double s = 0;
        for (int a = 0; a < x.length; a++) {
            s += mu[a] * Math.exp(x[a] - m);
        }
        return m + Math.log(s);
    }

    /**
     * Softmax with respect to the weights {@code μ}: {@code π_a = μ_a e^{x_a} / Σ_b μ_b e^{x_b}}.
     *
     * @param x   logits
     * @param mu  positive weights
     * @param out destination of length {@code x.length} (may be a fresh array)
     * @return {@code out}
     */
    public static double[] softmax(double[] x, double[] mu, double[] out) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        double s = 0;
        for (int a = 0; a < x.length; a++) {
            out[a] = mu[a] * Math.exp(x[a] - m);
            s += out[a];
        }
        for (int a = 0; a < x.length; a++) {
            out[a] /= s;
        }
        return out;
    }
}
