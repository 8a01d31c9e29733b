package org.pgflow.mdp;

import java.io.Serializable;
import java.util.random.RandomGenerator;

/**
 * An episodic environment (docs/algorithms.md §4.1) whose state is a {@code double[]} of fixed length owned by the caller:
 * a finite SSP stores the state index in {@code state[0]} (see {@link SspEnvironment}), the portfolio of
 * docs/algorithms.md §5 T9 stores its continuous state vector. The return is undiscounted,
 * {@code B = Σ_{t=0}^{T−1} r_t}, and every episode terminates with probability 1 under every policy of the
 * families used with it (Assumption 1).
 *
 * <p>Implementations are immutable and thread-safe (they are broadcast to Spark executors); all randomness
 * comes from the generator passed in, so an episode is a pure function of its stream.
 */
public interface EpisodicEnvironment extends Serializable {
    /** @return the number of actions {@code m}; actions are {@code 0..m−1} */
    int numActions();

    /** @return the length of the state vector */
    int stateSize();

    /**
     * Writes the initial state {@code x_0}.
     *
     * @param state destination of length {@link #stateSize()}
     * @param rng   source for a random initial state (unused by deterministic starts)
     */
    void reset(double[] state, RandomGenerator rng);

    /**
     * Applies action {@code u} in {@code state} (overwritten with the next state) and returns the reward
     * {@code r_t} of that step.
     *
     * @param state  current state, replaced by the next state; must not be terminal
     * @param action action in {@code 0..m−1}
     * @param rng    source of the transition randomness
     * @return the reward of the step (finite)
     */
    double step(double[] state, int action, RandomGenerator rng);

    /** @return whether {@code state} is the absorbing terminal state {@code x†} */
    boolean isTerminal(double[] state);
}
