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

    /** For Kryo. */
    public WeightTable() {
    }

    /**
     * @param iteration     k
     * @param weight        main weight table
     * @param coupledWeight coupled weight table or null
     */
    public WeightTable(long iteration, double[] weight, double[] coupledWeight) {
        this.iteration = iteration;
        this.weight = weight;
        this.coupledWeight = coupledWeight;
    }
}
