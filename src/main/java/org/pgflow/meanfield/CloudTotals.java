package org.pgflow.meanfield;

/**
 * An iteration's measure summary and diagnostic sums over all particles, combined in block order.
 * Arrays owned by the record.
 *
 * @param count               N
 * @param outputSums          {@code Σ_n f(p, θ_n)} per point (divide by N for F)
 * @param coupledOutputSums   the same for the coupled cloud, or null
 * @param sum                 {@code Σ θ_n}
 * @param sumOuter            {@code Σ θ_n θ_nᵀ}, packed upper triangle
 * @param coupledDistanceSq   {@code Σ |θ_n − θ'_n|²}
 * @param driftNormSum        {@code Σ |b̂(θ_n)|} of the step that produced this cloud
 * @param coupledDriftNormSum the same for the coupled cloud
 * @param sampleIds           ids of the diagnostic subsample (ascending), or empty
 * @param sampleRows          their parameters
 */
public record CloudTotals(long count, double[] outputSums, double[] coupledOutputSums, double[] sum, double[] sumOuter,
                          double coupledDistanceSq, double driftNormSum, double coupledDriftNormSum, long[] sampleIds,
                          double[][] sampleRows) {
}
