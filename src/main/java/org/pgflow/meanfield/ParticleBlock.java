package org.pgflow.meanfield;

import java.io.Serializable;

/**
 * A block of particles in structure-of-arrays form: coordinate {@code j} of particle {@code firstId + i} is
 * {@code theta[j·count + i]}. Optionally carries the synchronously coupled cloud (same ids, same noise) and
 * the summed drift norm of the step that produced it. On Spark a block is immutable: the step builds the next
 * one (a cached RDD partition must not change, a lost successor is recomputed from it). The in-JVM engine,
 * which holds the only reference, steps its blocks in place ({@link BlockOps#step(MeanFieldSetup, ParticleBlock,
 * long, double[], double[], boolean)}): the new block object shares the old one's arrays.
 *
 * <p><b>Activation memo.</b> A block may carry, in transient fields, the activations
 * {@code h_k(p, θ_i)} its summary pass computed (see {@link KernelBackend}), so that the drift pass of the step
 * taken from this block need not evaluate {@code tanh} again. The memo is a pure function of {@code theta} (and
 * the run's fixed points and layout), it is never serialised, and {@link BlockOps#step} takes it away (clears
 * it) when it uses it: a block that is deserialised, recomputed from lineage or stepped twice simply has no
 * memo, and the kernels then recompute the very same bits. It never changes results, only time and memory.
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
    // Memo of the activations on the run's points (main and coupled cloud); transient: Java serialisation and
    // Kryo's FieldSerializer both skip it. Guarded by `this`.
    private transient double[] activations;
    private transient double[] coupledActivations;
    // Buffers of the previous block's memo, handed on by the step so that the next summary need not allocate
    // (and zero) P·K·count doubles per block per iteration. Contents are garbage until overwritten.
    private transient double[] spare;
    private transient double[] coupledSpare;

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

    /** @return particle i's parameters in the flat layout of docs/algorithms.md §2.1 (new array) */
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

    /**
     * Attaches the activation memo computed by the summary pass (replacing any previous one).
     *
     * @param main    activations of the main cloud ({@code P·K·count}), or null
     * @param coupled activations of the coupled cloud, or null
     */
    synchronized void offerActivations(double[] main, double[] coupled) {
        this.activations = main;
        this.coupledActivations = coupled;
    }

    /**
     * Removes and returns the activation memo.
     *
     * @return {@code {main, coupled}}, either possibly null
     */
    synchronized double[][] takeActivations() {
        double[][] both = {activations, coupledActivations};
        activations = null;
        coupledActivations = null;
        return both;
    }

    /**
     * Hands this (new) block the buffers of its predecessor's memo for reuse by its own summary.
     *
     * @param main    buffer or null
     * @param coupled buffer or null
     */
    synchronized void offerSpare(double[] main, double[] coupled) {
        this.spare = main;
        this.coupledSpare = coupled;
    }

    /**
     * Removes and returns the spare buffers.
     *
     * @return {@code {main, coupled}}, either possibly null
     */
    synchronized double[][] takeSpare() {
        double[][] both = {spare, coupledSpare};
        spare = null;
        coupledSpare = null;
        return both;
    }

    /** @return whether an activation memo is attached (for tests) */
    synchronized boolean hasActivations() {
        return activations != null || coupledActivations != null;
    }
}
