package org.pgflow.variance;

/**
 * A critic {@code (Ĵ, w_J, w_M, w̃_J)} produced by a batch or exact critic (docs/algorithms.md §4.6, §4.8 B).
 *
 * @param jHat   {@code Ĵ}
 * @param wJ     {@code w_J}
 * @param wM     {@code w_M}
 * @param wTilde {@code w̃_J}
 */
public record CriticWeights(double jHat, double[] wJ, double[] wM, double[] wTilde) {
    /** @return {@code state} with this critic */
    public ActorCriticState applyTo(ActorCriticState state) {
        return state.withCritic(jHat, wJ, wM, wTilde);
    }
}
