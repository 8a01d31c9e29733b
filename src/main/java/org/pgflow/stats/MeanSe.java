package org.pgflow.stats;

/**
 * A sample mean with its standard error {@code s/√n}.
 *
 * @param mean the sample mean (NaN when {@code n = 0})
 * @param se   its standard error ({@code ≥ 0}; NaN when {@code n < 2})
 * @param n    the number of samples ({@code ≥ 0})
 */
public record MeanSe(double mean, double se, long n) {
    /**
     * Validates the record.
     *
     * @throws IllegalArgumentException if {@code n < 0}, or {@code se} is negative, or {@code se} is NaN
     *                                  although {@code n ≥ 2}
     */
    public MeanSe {
        if (n < 0) {
            throw new IllegalArgumentException("sample count must be >= 0 but was " + n);
        }
        if (se < 0 || (n >= 2 && Double.isNaN(se))) {
            throw new IllegalArgumentException("standard error must be >= 0 (NaN only below two samples) but was " + se
                    + " with n = " + n);
        }
    }

    @Override
    public String toString() {
        return mean + " ± " + se + " (n=" + n + ")";
    }
}
