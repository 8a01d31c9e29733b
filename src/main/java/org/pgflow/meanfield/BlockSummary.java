package org.pgflow.meanfield;

import java.io.Serializable;

/**
 * What one particle block contributes to an iteration's measure summary and diagnostics: partial sums of
 * {@code f} on every point (both clouds), first and second moments of θ, the coupled distance, the drift norms
 * carried by the block, and the rows of the diagnostic subsample that fall in the block.
 * Final class with public fields for Kryo; built by {@link BlockOps#summarize}, combined by
 * {@link BlockSummaries}.
 */
public final class BlockSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Block id: the order in which blocks are summed. */
    public int blockId;
    /** Particles in the block. */
    public long count;
    /** {@code Σ_i f(p, θ_i)}, length P. */
    public double[] outputSums;
    /** The same for the coupled cloud, or null. */
    public double[] coupledOutputSums;
    /** {@code Σ_i θ_i}, length D. */
    public double[] sum;
    /** {@code Σ_i θ_i θ_iᵀ}, packed upper triangle row by row, length D(D+1)/2. */
    public double[] sumOuter;
    /** {@code Σ_i |θ_i − θ'_i|²} between the coupled clouds (0 if not coupled). */
    public double coupledDistanceSq;
    /** {@code Σ_i |b̂(θ_i)|} of the step that produced the block. */
    public double driftNormSum;
    /** The same for the coupled cloud. */
    public double coupledDriftNormSum;
    /** Ids of the subsample particles in this block (ascending), possibly empty. */
    public long[] sampleIds;
    /** Their parameters, flat layout, one row each. */
    public double[][] sampleRows;

    /** Kryo needs a no-argument constructor. */
    public BlockSummary() {
    }
}
