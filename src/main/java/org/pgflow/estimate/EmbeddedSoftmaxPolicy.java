package org.pgflow.estimate;

import org.pgflow.mdp.InputEmbedding;
import org.pgflow.meanfield.ParticleSummary;
import org.pgflow.meanfield.Points;
import org.pgflow.policy.ActionDistribution;

/**
 * The mean-field softmax policy {@code π_ν(u|x) = μ_u e^{F(x,u)} / Σ_v μ_v e^{F(x,v)}} on an episodic environment
 * whose states are points (docs/algorithms.md §2.2, §2.14), F evaluated from a {@link ParticleSummary} at the
 * inputs {@code x(state, u)} of an {@link InputEmbedding}. The last state's values are kept (the |U|
 * continuations of a step start from the same state). Not thread-safe: one instance per task.
 */
public final class EmbeddedSoftmaxPolicy implements ActionDistribution {
    private final InputEmbedding embedding;
    private final ParticleSummary summary;
    private final double[] mu;
    private final double[][] inputs;
    private final double[] f;
    private final double[] pi;
    private final double[] ell;
    private double[] last;

    /**
     * @param embedding the inputs {@code x(state, u)}
     * @param summary   the particles (their input dimension must be the embedding's)
     * @param mu        reference weights {@code μ_u > 0} (one per action)
     * @throws IllegalArgumentException if the dimensions disagree
     */
    public EmbeddedSoftmaxPolicy(InputEmbedding embedding, ParticleSummary summary, double[] mu) {
        if (summary.layout().inputDim() != embedding.inputDim()) {
            throw new IllegalArgumentException("particles expect inputs of dimension " + summary.layout().inputDim()
                    + " but the embedding writes " + embedding.inputDim());
        }
        this.embedding = embedding;
        this.summary = summary;
        this.mu = mu.clone();
        this.inputs = new double[mu.length][embedding.inputDim()];
        this.f = new double[mu.length];
        this.pi = new double[mu.length];
        this.ell = new double[mu.length];
    }

    @Override
    public int numActions() {
        return mu.length;
    }

    private void at(double[] state) {
        if (last != null && java.util.Arrays.equals(last, state)) {
            return;
        }
        for (int u = 0; u < mu.length; u++) {
            embedding.embed(state, u, inputs[u]);
        }
        summary.outputs(Points.ofDense(inputs), f);
        double top = f[0];
        for (int u = 1; u < f.length; u++) {
            top = Math.max(top, f[u]);
        }
        double norm = 0;
        for (int u = 0; u < f.length; u++) {
            norm += pi[u] = mu[u] * Math.exp(f[u] - top);
        }
        double logNorm = top + Math.log(norm);
        for (int u = 0; u < f.length; u++) {
            pi[u] /= norm;
            ell[u] = f[u] - logNorm;
        }
        last = state.clone();
    }

    @Override
    public void probabilities(double[] s, double[] piOut) {
        at(s);
        System.arraycopy(pi, 0, piOut, 0, pi.length);
    }

    @Override
    public void logRatio(double[] s, double[] ellOut) {
        at(s);
        System.arraycopy(ell, 0, ellOut, 0, ell.length);
    }
}
