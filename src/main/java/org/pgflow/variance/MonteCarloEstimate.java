package org.pgflow.variance;

/**
 * A Monte Carlo estimate with its standard error.
 *
 * @param value  the estimate
 * @param stdErr its standard error (≥ 0; NaN when fewer than two samples)
 * @param count  number of i.i.d. samples (episodes)
 */
public record MonteCarloEstimate(double value, double stdErr, long count) {
    @Override
    public String toString() {
        return value + " ± " + stdErr + " (n=" + count + ")";
    }
}
