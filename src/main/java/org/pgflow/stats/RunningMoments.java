package org.pgflow.stats;

import java.io.Serializable;

/**
 * Combinable count / mean / sum of squared deviations {@code M_2 = Σ (x − mean)²}: Welford's update per sample,
 * Chan, Golub and LeVeque's pairwise formula to combine two partial results. The sufficient statistics of a Monte
 * Carlo mean and its standard error {@code s/√n}; unlike {@code Σx² − n·mean²} they do not cancel when the mean is
 * large against the spread. The samples are held relative to a shift, the first sample seen: {@code x − shift} is
 * exact for samples within a factor two of it, so a large common offset (1e9 plus noise of order 1e-2, say) loses
 * no more digits of the variance than data of the same spread about zero. Same contract as Spark's {@code aggregate}: {@link #accept} per sample,
 * {@link #combine} per partial result. The result of a sequence of {@code accept} and {@code combine} calls is a
 * fixed function of that sequence, so partial results combined in a fixed (block) order give the same bits
 * however the blocks were spread over workers. Mutable, not thread-safe.
 */
public final class RunningMoments implements Serializable {
    private static final long serialVersionUID = 2L;

    private long n;
    /** The first sample; {@link #mean} is the mean of {@code x − shift}. */
    private double shift;
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
        if (n == 0) {
            shift = x;
        }
        n++;
        double y = x - shift;
        double d = y - mean;
        mean += d / n;
        m2 += d * (y - mean);
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
            shift = other.shift;
            mean = other.mean;
            m2 = other.m2;
            return this;
        }
        long total = n + other.n;
        double d = (other.shift - shift) + (other.mean - mean);
        mean += d * other.n / total;
        m2 += other.m2 + d * d * ((double) n * other.n / total);
        n = total;
        return this;
    }

    /** @return a copy holding the same samples */
    public RunningMoments copy() {
        return create().combine(this);
    }

    /** @return the number of samples */
    public long count() {
        return n;
    }

    /** @return the sample mean (NaN if empty) */
    public double mean() {
        return n == 0 ? Double.NaN : shift + mean;
    }

    /** @return the unbiased sample variance (NaN if fewer than 2 samples) */
    public double variance() {
        return n < 2 ? Double.NaN : m2 / (n - 1);
    }

    /** @return the standard error of the mean {@code sqrt(variance/n)} (NaN if fewer than 2 samples) */
    public double standardError() {
        return Math.sqrt(variance() / n);
    }

    /** @return the mean, its standard error and the count */
    public MeanSe meanSe() {
        return new MeanSe(mean(), standardError(), n);
    }
}
