package org.pgflow.mdp;

/**
 * A {@link SimEnvironment} without terminal states and without an episode time limit (a continuing task):
 * {@link #isTerminal} is always {@code false} and {@link #maxEpisodeSteps} is 0.
 */
public interface ContinuingEnvironment extends SimEnvironment {
    /** @return {@code false}: no state is terminal */
    @Override
    default boolean isTerminal(double[] s) {
        return false;
    }

    /** @return 0: no time limit */
    @Override
    default int maxEpisodeSteps() {
        return 0;
    }
}
