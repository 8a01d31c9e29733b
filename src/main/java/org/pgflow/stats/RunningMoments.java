package org.pgflow.stats;

import java.io.Serializable;

/**
 * Combinable count / mean / sum of squared deviations (Welford's update, Chan et al.'s combination), the
 * sufficient statistics of a Monte Carlo mean and its standard error {@code sd/√n}. Same contract as Spark's
 * {@code aggregate}: {@link #accept} per sample, {@link #combine} per partial result. Mutable, not thread-safe.
 */
public final class RunningMoments implements Serializable {
    private static final long serialVersionUID = 1L;

    private long n;
    private double mean;
    private double m2;

    private RunningMoments() {
    }

    /** @return an empty accumulator */
    public static RunningMoments create() {
        return new RunningMoments();
    }

    /**
     * @param x one sample
     * @return this
     */
    public RunningMoments accept(double x) {
        n++;
        double d = x - mean;
        mean += d / n;
        m2 += d * (x - mean);
        return this;
    }

    /**
     * @param other partial result (not modified)
     * @return this, now holding the union of both samples
     */
    public RunningMoments combine(RunningMoments other) {
        if (other.n == 0) {
            return this;
        }
        if (n == 0) {
            n = other.n;
            mean = other.mean;
            m2 = other.m2;
            return this;
        }
        long total = n + other.n;
        double d = other.mean - mean;
        mean += d * other.n / total;
        m2 += other.m2 + d * d * ((double) n * other.n / total);
        n = total;
        return this;
    }

    /** @return the number of samples */
    public long count() {
        return n;
    }

    /** @return the sample mean (NaN if empty) */
    public double mean() {
        return n == 0 ? Double.NaN : mean;
    }

    /** @return the unbiased sample variance (NaN if fewer than 2 samples) */
    public double variance() {
        return n < 2 ? Double.NaN : m2 / (n - 1);
    }

    /** @return the standard error of the mean {@code sqrt(variance/n)} (NaN if fewer than 2 samples) */
    public double standardError() {
        return Math.sqrt(variance() / n);
    }
}
