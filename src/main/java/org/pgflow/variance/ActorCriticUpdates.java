package org.pgflow.variance;

import org.pgflow.util.Checks;
import org.pgflow.util.NumericalDivergenceException;

/**
 * The pure update steps of the variance-adjusted actor–critic (docs/algorithms.md §4.7 (4)–(6), §4.8). With {@code E} the
 * number of episodes of the batch and {@code Σ} the sums of {@link EpisodeSums}:
 * <pre>
 *   variant A:  Ĵ' = Ĵ + α_k ΣΔĴ/E,  w' = w + α_k ΣΔw/E (w = w_J, w_M, w̃_J),  θ' = Π(θ + β_k ΣΔθ/E)
 *   variant B / exact:  critic given (batch least squares or projections),    θ' = Π(θ + β_k ΣΔθ/E)
 * </pre>
 * {@code Π} is the projection onto the box {@code [−bound, bound]^{n_θ}} (identity for an infinite bound).
 * {@code E = 1} is the paper's algorithm. Every new quantity is checked for finiteness. Stateless.
 */
public final class ActorCriticUpdates {
    private ActorCriticUpdates() {
    }

    /**
     * Variant A step (incremental critic and actor together; the actor increments were computed with the
     * critic of {@code state}, i.e. before this update).
     *
     * @param state      iteration-k state
     * @param sums       increments of the iteration's episodes (count ≥ 1)
     * @param schedule   step sizes
     * @param thetaBound box half-width ({@code +∞} for none)
     * @return the iteration-(k+1) state
     * @throws NumericalDivergenceException naming the iteration and quantity if a value is not finite
     */
    public static ActorCriticState incremental(ActorCriticState state, EpisodeSums sums, StepSchedule schedule,
                                               double thetaBound) {
        long k = state.iteration();
        requireEpisodes(sums, k);
        double e = sums.count();
        double alpha = schedule.alpha(k);
        double jHat = state.jHat() + alpha * (sums.sumDJ() / e);
        Checks.requireFinite(jHat, "jHat", k);
        double[] wJ = move(state.wJView(), sums.sumDwJ(), alpha / e, "wJ", k);
        double[] wM = move(state.wMView(), sums.sumDwM(), alpha / e, "wM", k);
        double[] wT = move(state.wTildeView(), sums.sumDwTilde(), alpha / e, "wTilde", k);
        double[] theta = actor(state, sums, schedule, thetaBound);
        return ActorCriticState.trusted(k + 1, theta, jHat, wJ, wM, wT);
    }

    /**
     * Actor-only step (variant B and exact mode): the critic of {@code state} is kept.
     *
     * @param state      iteration-k state holding this iteration's critic
     * @param sums       increments of the actor batch, computed with that critic
     * @param schedule   step sizes (only β is used)
     * @param thetaBound box half-width ({@code +∞} for none)
     * @return the iteration-(k+1) state
     * @throws NumericalDivergenceException naming the iteration and quantity if a value is not finite
     */
    public static ActorCriticState actorOnly(ActorCriticState state, EpisodeSums sums, StepSchedule schedule,
                                             double thetaBound) {
        long k = state.iteration();
        requireEpisodes(sums, k);
        double[] theta = actor(state, sums, schedule, thetaBound);
        return ActorCriticState.trusted(k + 1, theta, state.jHat(), state.wJView().clone(),
                state.wMView().clone(), state.wTildeView().clone());
    }

    /**
     * Checks a critic produced by a batch solve.
     *
     * @param c         the critic
     * @param iteration iteration for the message
     * @return {@code c}
     * @throws NumericalDivergenceException if an entry is not finite
     */
    public static CriticWeights requireFinite(CriticWeights c, long iteration) {
        Checks.requireFinite(c.jHat(), "jHat", iteration);
        Checks.requireFinite(c.wJ(), "wJ", iteration);
        Checks.requireFinite(c.wM(), "wM", iteration);
        Checks.requireFinite(c.wTilde(), "wTilde", iteration);
        return c;
    }

    private static void requireEpisodes(EpisodeSums sums, long k) {
        if (sums.count() < 1) {
            throw new IllegalArgumentException("iteration " + k + ": the batch has no episodes");
        }
    }

    private static double[] actor(ActorCriticState state, EpisodeSums sums, StepSchedule schedule, double bound) {
        long k = state.iteration();
        double beta = schedule.beta(k);
        double[] theta = move(state.thetaView(), sums.sumDTheta(), beta / sums.count(), "theta", k);
        if (bound < Double.POSITIVE_INFINITY) {
            for (int i = 0; i < theta.length; i++) {
                theta[i] = Math.max(-bound, Math.min(bound, theta[i]));
            }
        }
        return theta;
    }

    private static double[] move(double[] w, double[] sum, double step, String name, long k) {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i] + step * sum[i];
        }
        Checks.requireFinite(out, name, k);
        return out;
    }
}
