package org.pgflow.policy;

import java.io.Serializable;

/**
 * A differentiable stochastic policy {@code π_θ(u|x)} over the states of an
 * {@link org.pgflow.mdp.EpisodicEnvironment}, with the score {@code ∇_θ ln π_θ(u|x)} (the compatible
 * features of docs/algorithms.md §4.6, Assumption 7).
 *
 * <p>The policy object holds structure only; the parameter vector {@code θ} is passed to every call, so a
 * Spark driver can broadcast the (immutable, thread-safe) policy once and {@code θ} every iteration. Work
 * space is a caller-owned {@code double[]} of length {@link #scratchSize()}:
 * {@link #gradLogProbability} may read what {@link #probabilities} left there for the same state and
 * {@code θ}, so call them in that order without touching the scratch in between.
 */
public interface Policy extends Serializable {
    /** @return the number of actions {@code m} */
    int numActions();

    /** @return the number of parameters {@code n_θ} */
    int numParameters();

    /** @return the length of the scratch array the caller must provide (≥ 0) */
    int scratchSize();

    /**
     * Action probabilities in a state.
     *
     * @param theta   parameters of length {@link #numParameters()}
     * @param state   a non-terminal state
     * @param probs   destination of length {@link #numActions()}, overwritten
     * @param scratch work space of length {@link #scratchSize()}
     */
    void probabilities(double[] theta, double[] state, double[] probs, double[] scratch);

    /**
     * The score {@code ∇_θ ln π_θ(u|x)}; must follow {@link #probabilities} for the same state and θ.
     *
     * @param theta   parameters
     * @param state   the state passed to {@link #probabilities}
     * @param action  the action {@code u}
     * @param probs   the probabilities returned by {@link #probabilities}
     * @param out     destination of length {@link #numParameters()}, overwritten
     * @param scratch the scratch passed to {@link #probabilities}, unchanged since
     */
    void gradLogProbability(double[] theta, double[] state, int action, double[] probs, double[] out,
                            double[] scratch);
}
