package org.pgflow.policy;

import java.io.Serializable;
import org.pgflow.mdp.StateFeatures;

/**
 * A state–action feature map {@code ψ(x,u) ∈ ℝ^d} for {@link LinearSoftmaxPolicy}. Immutable and
 * thread-safe.
 */
public interface StateActionFeatures extends Serializable {
    /** @return the dimension {@code d} */
    int dimension();

    /** @return the number of actions {@code m} */
    int numActions();

    /**
     * Writes {@code ψ(x,u)} for every action, action-major: {@code out[u·d + i] = ψ_i(x,u)}.
     *
     * @param state a non-terminal state
     * @param out   destination of length {@code m·d}, overwritten
     */
    void features(double[] state, double[] out);

    /**
     * Logistic features for two actions: {@code ψ(x,0) = 0}, {@code ψ(x,1) = φ(x)}, so that
     * {@code π(1|x) = 1/(1 + exp(−θᵀφ(x)))} (docs/algorithms.md §5 T9).
     *
     * @param phi state features
     * @return the state–action features
     */
    static StateActionFeatures logistic(StateFeatures phi) {
        return new Logistic(phi);
    }

    /** See {@link #logistic}. */
    final class Logistic implements StateActionFeatures {
        private static final long serialVersionUID = 1L;
        private final StateFeatures phi;

        Logistic(StateFeatures phi) {
            this.phi = phi;
        }

        @Override
        public int dimension() {
            return phi.dimension();
        }

        @Override
        public int numActions() {
            return 2;
        }

        @Override
        public void features(double[] state, double[] out) {
            int d = phi.dimension();
            java.util.Arrays.fill(out, 0, d, 0.0);
            phi.features(state, out, d);
        }
    }
}
