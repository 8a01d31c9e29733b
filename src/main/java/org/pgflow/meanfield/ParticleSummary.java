package org.pgflow.meanfield;

import java.io.Serializable;

/**
 * The measure summary broadcast to Monte Carlo rollout tasks (docs/algorithms.md §2.9, docs/architecture.md §4): the particle matrix, or a
 * seeded uniform subsample of it, in structure-of-arrays form, from which {@code F(s,a) = (1/m) Σ_i f(s,a,θ_i)}
 * is evaluated at states not known in advance. A subsample of m &lt; N particles gives an unbiased estimate of
 * F but, the softmax being non-linear, a policy (and weight table) biased by O(1/m) (measured in
 * {@code SummarySubsampleBiasTest}). Final class (not a record) for Kryo; immutable by convention.
 */
public final class ParticleSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    // The layout is kept as primitives: Spark's Kryo 4 cannot serialise the NeuronLayout record.
    private final int units;
    private final int inputDim;
    private final double alpha;
    private final int count;
    private final double[] theta;

    /**
     * @param layout neuron layout
     * @param count  particles m ≥ 1
     * @param theta  coordinate-major parameters, length D·m (owned by the summary)
     */
    public ParticleSummary(NeuronLayout layout, int count, double[] theta) {
        if (count < 1 || theta.length != (long) layout.dim() * count) {
            throw new IllegalArgumentException("summary of " + count + " particles needs " + (long) layout.dim() * count
                    + " parameters but has " + theta.length);
        }
        this.units = layout.units();
        this.inputDim = layout.inputDim();
        this.alpha = layout.alpha();
        this.count = count;
        this.theta = theta;
    }

    /**
     * Builds a summary from particle rows (flat layout of docs/algorithms.md §2.1).
     *
     * @param layout neuron layout
     * @param rows   particles
     * @return the summary
     */
    public static ParticleSummary ofRows(NeuronLayout layout, double[][] rows) {
        int m = rows.length;
        int d = layout.dim();
        double[] t = new double[m * d];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) {
                t[j * m + i] = rows[i][j];
            }
        }
        return new ParticleSummary(layout, m, t);
    }

    /** @return the layout */
    public NeuronLayout layout() {
        return new NeuronLayout(units, inputDim, alpha);
    }

    /** @return number of particles m */
    public int count() {
        return count;
    }

    /**
     * {@code F(p) = (1/m) Σ_i f(p, θ_i)} on the given points.
     *
     * @param points input points
     * @param out    destination, length {@code points.size()} (overwritten)
     */
    public void outputs(Points points, double[] out) {
        java.util.Arrays.fill(out, 0, points.size(), 0);
        NeuronKernels.accumulateOutputs(theta, count, layout(), points, out);
        for (int p = 0; p < points.size(); p++) {
            out[p] /= count;
        }
    }
}
