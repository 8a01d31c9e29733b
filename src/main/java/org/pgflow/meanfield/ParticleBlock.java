package org.pgflow.meanfield;

import java.io.Serializable;

/**
 * A block of particles in structure-of-arrays form: coordinate {@code j} of particle {@code firstId + i} is
 * {@code theta[j·count + i]}. Optionally carries the synchronously coupled cloud (same ids, same noise) and
 * the summed drift norm of the step that produced it. Immutable by convention: kernels never modify a block
 * in place, they build the next one (cached RDD partitions must not change under Spark).
 *
 * <p>A plain final class, not a record, because Spark's Kryo 4 cannot serialise records.
 */
public final class ParticleBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int blockId;
    private final long firstId;
    private final int count;
    private final int dim;
    private final double[] theta;
    private final double[] coupled;
    private final double driftNormSum;
    private final double coupledDriftNormSum;

    /**
     * @param blockId             block id (position in the fixed block structure)
     * @param firstId             id of the first particle
     * @param count               particles in the block
     * @param dim                 particle dimension D
     * @param theta               parameters, coordinate-major, length D·count (owned by the block)
     * @param coupled             coupled cloud's parameters or null (owned by the block)
     * @param driftNormSum        {@code Σ_i |b̂(θ_i)|} of the step that produced this block (0 initially)
     * @param coupledDriftNormSum the same for the coupled cloud
     */
    public ParticleBlock(int blockId, long firstId, int count, int dim, double[] theta, double[] coupled,
                         double driftNormSum, double coupledDriftNormSum) {
        if (theta.length != (long) dim * count || (coupled != null && coupled.length != theta.length)) {
            throw new IllegalArgumentException("block " + blockId + ": parameter array length " + theta.length
                    + " != D·count = " + (long) dim * count);
        }
        this.blockId = blockId;
        this.firstId = firstId;
        this.count = count;
        this.dim = dim;
        this.theta = theta;
        this.coupled = coupled;
        this.driftNormSum = driftNormSum;
        this.coupledDriftNormSum = coupledDriftNormSum;
    }

    /** @return block id */
    public int blockId() {
        return blockId;
    }

    /** @return id of the first particle */
    public long firstId() {
        return firstId;
    }

    /** @return particles in the block */
    public int count() {
        return count;
    }

    /** @return particle dimension D */
    public int dim() {
        return dim;
    }

    /** @return the parameters, coordinate-major (do not modify) */
    public double[] theta() {
        return theta;
    }

    /** @return the coupled cloud's parameters (do not modify), or null */
    public double[] coupled() {
        return coupled;
    }

    /** @return {@code Σ_i |b̂(θ_i)|} of the step that produced this block */
    public double driftNormSum() {
        return driftNormSum;
    }

    /** @return the coupled cloud's drift norm sum */
    public double coupledDriftNormSum() {
        return coupledDriftNormSum;
    }

    /** @return particle i's parameters in the flat layout of SPEC §2.1 (new array) */
    public double[] particle(int i) {
        return particle(theta, i);
    }

    /** @return particle i of a coordinate-major array of this block's shape (new array) */
    public double[] particle(double[] soa, int i) {
        double[] row = new double[dim];
        for (int j = 0; j < dim; j++) {
            row[j] = soa[j * count + i];
        }
        return row;
    }
}
