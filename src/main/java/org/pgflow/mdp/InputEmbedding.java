package org.pgflow.mdp;

import java.io.Serializable;

/**
 * The bounded network input {@code x(state, u) ∈ ℝ^{d_x}} of the mean-field policy on an {@link EpisodicEnvironment}
 * whose states are not indexed (docs/algorithms.md §2.1, §2.14): the point at which a particle's output
 * {@code f(x(state,u), θ)} is evaluated. Implementations are immutable and thread-safe.
 */
public interface InputEmbedding extends Serializable {
    /** @return {@code d_x} */
    int inputDim();

    /**
     * Writes the input of one (state, action) pair.
     *
     * @param state  a non-terminal state vector of the environment
     * @param action action in {@code 0..m−1}
     * @param x      destination of length {@link #inputDim()} (every entry overwritten)
     */
    void embed(double[] state, int action, double[] x);

    /**
     * The one-hot embedding {@code one-hot(x) ++ one-hot(u)} of a finite SSP's state vector ({@link SspEnvironment}:
     * the index in {@code state[0]}), the inputs of {@code Points.oneHotStateActions}.
     *
     * @param numStates  non-terminal states n
     * @param numActions actions m
     * @return the embedding ({@code d_x = n + m})
     */
    static InputEmbedding oneHot(int numStates, int numActions) {
        return new OneHot(numStates, numActions);
    }

    /** {@link #oneHot}: a named class, for task closures. */
    final class OneHot implements InputEmbedding {
        private static final long serialVersionUID = 1L;
        private final int n;
        private final int m;

        OneHot(int n, int m) {
            this.n = n;
            this.m = m;
        }

        @Override
        public int inputDim() {
            return n + m;
        }

        @Override
        public void embed(double[] state, int action, double[] x) {
            java.util.Arrays.fill(x, 0, n + m, 0.0);
            x[SspEnvironment.index(state)] = 1.0;
            x[n + action] = 1.0;
        }
    }
}
