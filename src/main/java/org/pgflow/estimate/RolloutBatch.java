package org.pgflow.estimate;

import java.io.Serializable;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.pgflow.mdp.SimEnvironment;
import org.pgflow.meanfield.ParticleSummary;
import org.pgflow.policy.MeanFieldActionDistribution;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.stats.MeanSe;
import org.pgflow.stats.RunningMoments;

/**
 * Monte Carlo policy evaluation of the mean-field policy for one block of rollout ids (docs/algorithms.md §2.8), the unit of
 * work of a rollout task, and its combinable result. For rollout id {@code i} of iteration {@code k}, with the
 * stream {@code (seed, ROLLOUT, k, i)}:
 * <ol>
 *   <li>{@code s_i ∼ d_ρ^π} by the geometric-horizon sampler;</li>
 *   <li>all-action {@code Q̂(s_i, a)} with common random numbers (geometric horizon, unbiased; or truncated at
 *       H steps), entropy {@code −τℓ} charged at every t ≥ 1 and not at t = 0;</li>
 *   <li>{@code Â = Q̂ − τℓ}, {@code Ā = Σ_a π Â}, and the unnormalised weight row {@code π(a|s_i)(Â − Ā)}
 *       (zero for a terminal {@code s_i}); the driver divides by {@code (1−γ) M_s} to get
 *       {@code W_{i,a}} of docs/algorithms.md §2.9 line 6 ({@code ln Z} cancels in {@code Â − Ā}, so {@code ℓ} may stand for F).</li>
 * </ol>
 * Ids below {@code monitorCount} also draw, from {@code (seed, MONITOR, k, i)}, one sample of {@code V̂_τ(ρ)} and,
 * for environments with a time limit and ids below {@code returnCount}, one episode return. Blocks are combined
 * in ascending id ({@link #append}; the monitoring moments by {@link RunningMoments#combine} in that order), so the
 * result does not depend on the partitioning. Final class for Kryo.
 */
public final class RolloutBatch implements Serializable {
    private static final long serialVersionUID = 1L;

    /** First rollout id. */
    public long first;
    /** Number of rollout ids covered (state rows: {@code states.length / stateDim}). */
    public int count;
    /** State dimension. */
    public int stateDim;
    /** Number of actions. */
    public int numActions;
    /** Sampled states, row-major {@code count × stateDim}. */
    public double[] states;
    /** Unnormalised weight rows {@code π(Â − Ā)}, row-major {@code count × numActions}. */
    public double[] weights;
    /** Count, mean and squared deviations of the V̂(ρ) samples, in id order. */
    public RunningMoments values = RunningMoments.create();
    /** Count, mean and squared deviations of the episode returns, in id order. */
    public RunningMoments returns = RunningMoments.create();
    /** Environment steps simulated. */
    public long steps;

    /** For Kryo. */
    public RolloutBatch() {
    }

    /**
     * Simulates rollouts {@code [first, first + count)} of iteration {@code k}.
     *
     * @param env          the environment
     * @param summary      the particles defining the policy
     * @param tau          entropy strength τ
     * @param horizon      0 for the unbiased geometric horizon, else the truncation H of Q̂_H
     * @param seed         master seed
     * @param k            iteration
     * @param first        first rollout id
     * @param count        number of rollouts
     * @param monitorCount ids below this also sample V̂(ρ)
     * @param returnCount  ids below this also sample an episode return (environments with a time limit)
     * @return the batch
     */
    public static RolloutBatch simulate(SimEnvironment env, ParticleSummary summary, double tau, int horizon, long seed,
                                        long k, long first, int count, long monitorCount, long returnCount) {
        return simulate(env, summary, tau, horizon, seed, k, first, count, monitorCount, returnCount, Long.MAX_VALUE);
    }

    /**
     * As {@link #simulate(SimEnvironment, ParticleSummary, double, int, long, long, long, int, long, long)}, with
     * only the ids below {@code stateCount} sampling a state (the others only monitor): the batch then holds
     * {@code max(0, min(first + count, stateCount) − first)} state rows.
     *
     * @param stateCount ids below this sample a state and its weight row (M_s)
     * @return the batch
     */
    public static RolloutBatch simulate(SimEnvironment env, ParticleSummary summary, double tau, int horizon, long seed,
                                        long k, long first, int count, long monitorCount, long returnCount,
                                        long stateCount) {
        MeanFieldActionDistribution policy = new MeanFieldActionDistribution(env, summary);
        MonteCarloEvaluator mc = new MonteCarloEvaluator(env, policy, tau, false);
        int na = env.numActions();
        int ds = env.stateDim();
        RolloutBatch b = new RolloutBatch();
        b.first = first;
        b.count = count;
        b.stateDim = ds;
        b.numActions = na;
        int rows = (int) Math.max(0, Math.min(first + count, stateCount) - first);
        b.states = new double[rows * ds];
        b.weights = new double[rows * na];
        double[] s = new double[ds];
        double[] q = new double[na];
        double[] pi = new double[na];
        double[] ell = new double[na];
        for (int j = 0; j < count; j++) {
            long id = first + j;
            boolean live = false;
            RandomGenerator rng = null;
            if (j < rows) {
                rng = Streams.of(seed, Purpose.ROLLOUT, k, id);
                live = mc.sampleState(rng, s);
                System.arraycopy(s, 0, b.states, j * ds, ds);
            }
            if (live) {
                if (horizon > 0) {
                    mc.qAllActionsTruncated(s, horizon, rng, q);
                } else {
                    mc.qAllActions(s, rng, q);
                }
                policy.evaluate(s, pi, ell);
                double mean = 0;
                for (int a = 0; a < na; a++) {
                    mean += pi[a] * (q[a] - tau * ell[a]);
                }
                for (int a = 0; a < na; a++) {
                    b.weights[j * na + a] = pi[a] * (q[a] - tau * ell[a] - mean);
                }
            }
            if (id < monitorCount) {
                RandomGenerator m = Streams.of(seed, Purpose.MONITOR, k, id);
                b.values.accept(mc.valueSample(m));
                if (id < returnCount && env.maxEpisodeSteps() > 0) {
                    b.returns.accept(mc.episodeReturn(m));
                }
            }
        }
        b.steps = mc.steps();
        return b;
    }

    /**
     * Appends {@code next}, which must start where this batch ends.
     *
     * @param next the following block
     * @return {@code this}
     */
    public RolloutBatch append(RolloutBatch next) {
        if (next.first != first + count) {
            throw new IllegalStateException("rollout blocks out of order: " + next.first + " after " + (first + count));
        }
        states = concat(states, next.states);
        weights = concat(weights, next.weights);
        count += next.count;
        values.combine(next.values);
        returns.combine(next.returns);
        steps += next.steps;
        return this;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** @return the number of sampled states (rows of {@link #states} and {@link #weights}) */
    public int stateRows() {
        return stateDim == 0 ? 0 : states.length / stateDim;
    }

    /** @return mean and standard error of the V̂(ρ) samples (NaN standard error when fewer than two) */
    public MeanSe valueEstimate() {
        return values.meanSe();
    }

    /** @return mean and standard error of the episode returns (NaN standard error when fewer than two) */
    public MeanSe returnEstimate() {
        return returns.meanSe();
    }
}
