package org.pgflow.meanfield;

import java.io.Serializable;

/**
 * The broadcast of one iteration: the weight tables {@code W} of the main and (optionally) the coupled cloud
 * and the iteration number that keys the noise. Final class (not a record) for Kryo.
 */
public final class WeightTable implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Iteration k. */
    public long iteration;
    /** {@code W} of the main cloud. */
    public double[] weight;
    /** {@code W} of the coupled cloud, or null. */
    public double[] coupledWeight;
    /** The points {@code W} is over when they change every iteration (Monte Carlo mode), or null for the setup's. */
    public Points points;
    /** σ_k of this step (annealing, docs/algorithms.md §2.12), or NaN for the setup's σ. */
    public double sigma = Double.NaN;

    /** For Kryo. */
    public WeightTable() {
    }

    /**
     * @param iteration     k
     * @param weight        main weight table
     * @param coupledWeight coupled weight table or null
     * @param points        this iteration's points, or null for the setup's fixed points
     */
    public WeightTable(long iteration, double[] weight, double[] coupledWeight, Points points) {
        this.iteration = iteration;
        this.weight = weight;
        this.coupledWeight = coupledWeight;
        this.points = points;
    }

    /**
     * @param iteration     k
     * @param sigma         σ_k of this step, or NaN for the setup's σ
     * @param weight        main weight table
     * @param coupledWeight coupled weight table or null
     * @param points        this iteration's points, or null for the setup's fixed points
     */
    public WeightTable(long iteration, double sigma, double[] weight, double[] coupledWeight, Points points) {
        this(iteration, weight, coupledWeight, points);
        this.sigma = sigma;
    }

    /** @return σ_k of this step given the setup's σ */
    public double sigmaOr(double setupSigma) {
        return Double.isNaN(sigma) ? setupSigma : sigma;
    }
}
