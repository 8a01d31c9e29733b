package org.pgflow.policy;

import org.pgflow.mdp.StateFeatures;

/**
 * Linear softmax on state–action features {@code ψ(x,u) ∈ ℝ^d}:
 * <pre>
 *   π_θ(u|x) = exp(θᵀψ(x,u)) / Σ_v exp(θᵀψ(x,v))
 *   ∇_θ ln π_θ(u|x) = ψ(x,u) − Σ_v π_θ(v|x) ψ(x,v)
 * </pre>
 * With {@link StateActionFeatures#logistic} this is the logistic policy of docs/algorithms.md §5 T9,
 * {@code π(1|x) = 1/(1+exp(−θᵀφ(x)))}. Logits are stabilised by subtracting their maximum. The scratch holds
 * {@code ψ(x,·)} ({@code m·d} values) between {@link #probabilities} and {@link #gradLogProbability}.
 * Immutable and thread-safe.
 */
public final class LinearSoftmaxPolicy implements Policy {
    private static final long serialVersionUID = 1L;

    private final StateActionFeatures psi;
    private final int d;
    private final int m;

    private LinearSoftmaxPolicy(StateActionFeatures psi) {
        this.psi = psi;
        this.d = psi.dimension();
        this.m = psi.numActions();
    }

    /** @return the linear softmax on the given state–action features */
    public static LinearSoftmaxPolicy of(StateActionFeatures psi) {
        return new LinearSoftmaxPolicy(psi);
    }

    /** @return the logistic policy {@code π(1|x) = σ(θᵀφ(x))} on state features {@code φ} (docs/algorithms.md §5 T9) */
    public static LinearSoftmaxPolicy logistic(StateFeatures phi) {
        return new LinearSoftmaxPolicy(StateActionFeatures.logistic(phi));
    }

    @Override
    public int numActions() {
        return m;
    }

    @Override
    public int numParameters() {
        return d;
    }

    @Override
    public int scratchSize() {
        return m * d;
    }

    @Override
    public void probabilities(double[] theta, double[] state, double[] probs, double[] scratch) {
        psi.features(state, scratch);
        double max = Double.NEGATIVE_INFINITY;
        for (int u = 0; u < m; u++) {
            double s = 0;
            for (int i = 0; i < d; i++) {
                s += theta[i] * scratch[u * d + i];
            }
            probs[u] = s;
            max = Math.max(max, s);
        }
        double z = 0;
        for (int u = 0; u < m; u++) {
            probs[u] = Math.exp(probs[u] - max);
            z += probs[u];
        }
        for (int u = 0; u < m; u++) {
            probs[u] /= z;
        }
    }

    @Override
    public void gradLogProbability(double[] theta, double[] state, int action, double[] probs, double[] out,
                                   double[] scratch) {
        for (int i = 0; i < d; i++) {
            double mean = 0;
            for (int v = 0; v < m; v++) {
                mean += probs[v] * scratch[v * d + i];
            }
            out[i] = scratch[action * d + i] - mean;
        }
    }
}
