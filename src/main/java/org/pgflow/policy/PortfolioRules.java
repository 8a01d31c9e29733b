package org.pgflow.policy;

import org.pgflow.mdp.Portfolio;

/**
 * The fixed reference policies of docs/algorithms.md §5 T9 on the {@link Portfolio} (action 1 = invest); they have no
 * parameters (the score is empty). The state layout is the portfolio's: the regime flag is the last entry.
 */
public enum PortfolioRules implements Policy {
    /** Never invest. */
    NEVER,
    /** Always invest. */
    ALWAYS,
    /** Invest iff the regime is high. */
    INVEST_IF_HIGH,
    /** Invest with probability ½ (the logistic policy at θ = 0). */
    UNIFORM;

    @Override
    public int numActions() {
        return 2;
    }

    @Override
    public int numParameters() {
        return 0;
    }

    @Override
    public int scratchSize() {
        return 0;
    }

    @Override
    public void probabilities(double[] theta, double[] state, double[] probs, double[] scratch) {
        double invest = switch (this) {
            case NEVER -> 0.0;
            case ALWAYS -> 1.0;
            case INVEST_IF_HIGH -> state[state.length - 1] != 0 ? 1.0 : 0.0;
            case UNIFORM -> 0.5;
        };
        probs[0] = 1 - invest;
        probs[1] = invest;
    }

    @Override
    public void gradLogProbability(double[] theta, double[] state, int action, double[] probs, double[] out,
                                   double[] scratch) {
        // no parameters
    }
}
