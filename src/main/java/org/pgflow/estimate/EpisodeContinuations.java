package org.pgflow.estimate;

import java.util.random.RandomGenerator;
import org.pgflow.mdp.EpisodicEnvironment;
import org.pgflow.policy.ActionDistribution;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.util.NumericalDivergenceException;
import org.pgflow.variance.ReturnMoments;

/**
 * The simulation shared by the weight batches of docs/algorithms.md §2.14 ({@link VarianceWeightBatch}: indexed
 * states; {@link PointWeightBatch}: visited points): episodes from x0 under π with, at every step, one
 * continuation rollout per action on a common stream, and the per-(step, action) terms handed to a
 * {@link Visitor}. Streams: episode {@code (seed, VARIANCE_WEIGHT, k, e)}; the continuations of step j of
 * episode e {@code (seedOf(seed, VARIANCE_WEIGHT_CONTINUATION, k, e), VARIANCE_WEIGHT_CONTINUATION, j, 0)}; the
 * start-value batch {@code (seed, VARIANCE_WEIGHT_START, k, e)}.
 */
final class EpisodeContinuations {
    private EpisodeContinuations() {
    }

    /** Receives the terms of one block, in episode order. */
    interface Visitor {
        /**
         * A step begins at {@code state} (valid until the next call).
         *
         * @param state the state {@code x_j}
         */
        void step(double[] state);

        /**
         * The terms of action v at the current step (only for {@code π(v|x_j) > 0}).
         *
         * @param v action
         * @param c {@code π(v|x_j)(B^{(v)} − B̄)}
         * @param g {@code R_{<j} · c}
         * @param h {@code π(v|x_j)((B^{(v)})² − S̄)}
         */
        void action(int v, double c, double g, double h);

        /**
         * An episode ended.
         *
         * @param ret   its return B
         * @param steps its length
         */
        void episode(double ret, long steps);
    }

    /**
     * Episodes {@code first .. first+count−1} of iteration k with their continuations.
     *
     * @return the steps of all continuation rollouts
     * @throws NumericalDivergenceException if an episode or a continuation exceeds {@code maxSteps} steps
     */
    static long simulate(EpisodicEnvironment env, ActionDistribution policy, long seed, long iteration, long first,
                         int count, int maxSteps, Visitor out) {
        int m = env.numActions();
        double[] state = new double[env.stateSize()];
        double[] cont = new double[env.stateSize()];
        double[] b = new double[m];
        double[] pi = new double[m];
        double[] piCont = new double[m];
        long continuationSteps = 0;
        for (long e = first; e < first + count; e++) {
            RandomGenerator rng = Streams.of(seed, Purpose.VARIANCE_WEIGHT, iteration, e);
            long contSeed = Streams.seedOf(seed, Purpose.VARIANCE_WEIGHT_CONTINUATION, iteration, e);
            env.reset(state, rng);
            double past = 0;
            long j = 0;
            while (!env.isTerminal(state)) {
                if (j >= maxSteps) {
                    throw new NumericalDivergenceException(iteration, "episode " + e + " length", "above maxSteps = "
                            + maxSteps + " (improper policy?)");
                }
                policy.probabilities(state, pi);
                double bBar = 0;
                double sBar = 0;
                for (int v = 0; v < m; v++) {
                    if (pi[v] == 0) {
                        continue;
                    }
                    System.arraycopy(state, 0, cont, 0, cont.length);
                    RandomGenerator crn = Streams.of(contSeed, Purpose.VARIANCE_WEIGHT_CONTINUATION, j, 0);
                    double ret = env.step(cont, v, crn);
                    long len = 1;
                    while (!env.isTerminal(cont)) {
                        if (len >= maxSteps) {
                            throw new NumericalDivergenceException(iteration, "continuation of episode " + e
                                    + " length", "above maxSteps = " + maxSteps + " (improper policy?)");
                        }
                        policy.probabilities(cont, piCont);
                        ret += env.step(cont, Streams.categorical(piCont, crn), crn);
                        len++;
                    }
                    continuationSteps += len;
                    b[v] = ret;
                    bBar += pi[v] * b[v];
                    sBar += pi[v] * b[v] * b[v];
                }
                out.step(state);
                for (int v = 0; v < m; v++) {
                    if (pi[v] != 0) {
                        double d = pi[v] * (b[v] - bBar);
                        out.action(v, d, past * d, pi[v] * (b[v] * b[v] - sBar));
                    }
                }
                int u = Streams.categorical(pi, rng);
                past += env.step(state, u, rng);
                j++;
            }
            out.episode(past, j);
        }
        return continuationSteps;
    }

    /**
     * The start-value batch: episodes {@code first .. first+count−1} from x0 under π, returns only.
     *
     * @return the moments of the returns
     * @throws NumericalDivergenceException if an episode exceeds {@code maxSteps}
     */
    static ReturnMoments startValues(EpisodicEnvironment env, ActionDistribution policy, long seed, long iteration,
                                     long first, int count, int maxSteps) {
        ReturnMoments r = ReturnMoments.create();
        double[] state = new double[env.stateSize()];
        double[] pi = new double[env.numActions()];
        for (long e = first; e < first + count; e++) {
            RandomGenerator rng = Streams.of(seed, Purpose.VARIANCE_WEIGHT_START, iteration, e);
            env.reset(state, rng);
            double ret = 0;
            long j = 0;
            while (!env.isTerminal(state)) {
                if (j++ >= maxSteps) {
                    throw new NumericalDivergenceException(iteration, "start-value episode " + e + " length",
                            "above maxSteps = " + maxSteps + " (improper policy?)");
                }
                policy.probabilities(state, pi);
                ret += env.step(state, Streams.categorical(pi, rng), rng);
            }
            r.add(ret);
        }
        return r;
    }
}
