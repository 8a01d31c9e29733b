package org.pgflow.estimate;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.pgflow.mdp.SimEnvironment;
import org.pgflow.policy.ActionDistribution;
import org.pgflow.random.Streams;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * Monte Carlo policy evaluation by simulation (docs/algorithms.md §2.8), generic over a {@link SimEnvironment} and an
 * {@link ActionDistribution} on its finite action set:
 * <pre>
 *   state sampler:   s0 ∼ ρ, T ∼ Geom (P(T=t) = (1−γ)γ^t), roll π for T steps, output s_T       (law d_ρ^π)
 *   Q̂ (geometric):   Q̂(s,a) = r(s,a) + Σ_{t=1}^{T'} [ r(s_t,a_t) − τ ℓ(s_t,a_t) ],  P(T' ≥ t) = γ^t  (unbiased)
 *   Q̂_H (truncated): Q̂_H(s,a) = r(s,a) + Σ_{t=1}^{H−1} γ^t [ r(s_t,a_t) − τ ℓ(s_t,a_t) ]
 *                    |bias| ≤ γ^H · max|r − τℓ| / (1−γ)                                   ({@link #truncationBiasBound})
 *   V̂(ρ):            Σ_{t=0}^{T} [ r(s_t,a_t) − τ ℓ(s_t,a_t) ]   (entropy included at t = 0; unbiased)
 * </pre>
 * <b>Entropy accounting</b>: no entropy at t = 0 of a Q rollout (the action is given), {@code −τℓ} at every
 * t ≥ 1. With {@code raoBlackwell = true} the per-step entropy term is replaced by its conditional mean
 * {@code −τ Σ_b π(b|s_t) ℓ(s_t,b)} (still unbiased, lower variance); the reward keeps the sampled action.
 *
 * <p><b>Terminal states</b> are absorbing with zero reward and no entropy (value 0): a rollout stops when
 * it reaches one. The state sampler may therefore return a terminal state (the killed process sits in †);
 * callers give such states zero weight (no decision is taken there). {@link #sampleState} reports it.
 *
 * <p><b>Common random numbers</b>: {@link #qAllActions} and {@link #qAllActionsTruncated} draw one horizon
 * and one 64-bit key from the caller's generator and replay the same {@link SplittableRandom} stream (seeded
 * by that key) for every initial action, so the |A| rollouts of one state are coupled (docs/algorithms.md §2.8 allows
 * this: the drift estimator is linear in Q̂). Each Q̂_a on its own is still an unbiased estimate.
 *
 * <p>All randomness comes from the generator passed in. Instances hold scratch arrays and are therefore
 * <b>not thread-safe</b>: build one per task/thread (construction is cheap).
 */
public final class MonteCarloEvaluator {
    private final SimEnvironment env;
    private final ActionDistribution policy;
    private final double tau;
    private final boolean raoBlackwell;
    private final double gamma;
    private final int numActions;
    private final double[] pi;
    private final double[] ell;
    private final double[] bufA;
    private final double[] bufB;
    private final ClosedLoopChain chain;
    private long steps;

    /**
     * @param env          the simulator
     * @param policy       a policy on the simulator's actions
     * @param tau          entropy strength τ ≥ 0
     * @param raoBlackwell replace the sampled entropy term by its conditional mean over actions
     * @throws InvalidInputException if τ is negative or NaN, or the action counts differ
     */
    public MonteCarloEvaluator(SimEnvironment env, ActionDistribution policy, double tau, boolean raoBlackwell) {
        this.env = java.util.Objects.requireNonNull(env, "env");
        this.policy = java.util.Objects.requireNonNull(policy, "policy");
        this.tau = Checks.nonNegative("tau", tau);
        this.raoBlackwell = raoBlackwell;
        this.gamma = env.gamma();
        this.numActions = env.numActions();
        if (policy.numActions() != numActions) {
            throw new InvalidInputException("policy actions " + policy.numActions() + " != environment actions " + numActions);
        }
        this.pi = new double[numActions];
        this.ell = new double[numActions];
        this.bufA = new double[env.stateDim()];
        this.bufB = new double[env.stateDim()];
        this.chain = new ClosedLoopChain() {
            @Override
            public int stateDim() {
                return env.stateDim();
            }

            @Override
            public double gamma() {
                return gamma;
            }

            @Override
            public void sampleInitial(RandomGenerator rng, double[] s) {
                env.sampleInitial(rng, s);
            }

            @Override
            public boolean isTerminal(double[] s) {
                return env.isTerminal(s);
            }

            @Override
            public double step(double[] s, RandomGenerator rng, double[] next) {
                return policyStep(s, rng, next);
            }
        };
    }

    /** @return this evaluator's environment closed by its policy (shares this evaluator's scratch space) */
    public ClosedLoopChain chain() {
        return chain;
    }

    /** @return the environment */
    public SimEnvironment environment() {
        return env;
    }

    /** @return the number of environment steps this evaluator has simulated (the Monte Carlo throughput figure) */
    public long steps() {
        return steps;
    }

    /**
     * Samples {@code a ∼ π(·|s)}, steps the environment and returns the regularised reward
     * {@code r(s,a) − τℓ(s,a)} (or its Rao–Blackwellised version). {@code s} must be non-terminal.
     */
    private double policyStep(double[] s, RandomGenerator rng, double[] next) {
        policy.evaluate(s, pi, ell);
        int a = Streams.categorical(pi, rng);
        steps++;
        double r = env.step(s, a, rng, next);
        if (tau == 0) {
            return r;
        }
        if (raoBlackwell) {
            double h = 0;
            for (int b = 0; b < numActions; b++) {
                if (pi[b] > 0) {
                    h += pi[b] * ell[b];
                }
            }
            return r - tau * h;
        }
        return r - tau * ell[a];
    }

    /**
     * Samples a state from the normalised discounted occupancy {@code d_ρ^π} (docs/algorithms.md §2.8).
     *
     * @param rng source
     * @param out destination of the state (length {@code stateDim})
     * @return {@code true} if the state is non-terminal (a terminal one carries no decision)
     */
    public boolean sampleState(RandomGenerator rng, double[] out) {
        return ClosedLoopChain.sampleState(chain, rng, out);
    }

    /**
     * Unbiased all-action estimates {@code Q̂(s,a)}, {@code a = 0..A−1}, with a geometric horizon and common
     * random numbers (one horizon and one replayed stream for all actions).
     *
     * @param s    state (zero for every action if terminal)
     * @param rng  source (two draws: horizon and stream key)
     * @param qOut destination of length A
     */
    public void qAllActions(double[] s, RandomGenerator rng, double[] qOut) {
        if (env.isTerminal(s)) {
            java.util.Arrays.fill(qOut, 0.0);
            return;
        }
        long horizon = Streams.geometric(gamma, rng);
        long key = rng.nextLong();
        for (int a = 0; a < numActions; a++) {
            qOut[a] = rollout(s, a, new SplittableRandom(key), horizon, 1.0);
        }
    }

    /**
     * All-action truncated discounted estimates {@code Q̂_H(s,a)} with common random numbers; biased by at
     * most {@link #truncationBiasBound}.
     *
     * @param s       state (zero for every action if terminal)
     * @param horizon H ≥ 1 (number of rewards, including the one at t = 0)
     * @param rng     source (one draw: stream key)
     * @param qOut    destination of length A
     */
    public void qAllActionsTruncated(double[] s, int horizon, RandomGenerator rng, double[] qOut) {
        Checks.inRange("horizon", horizon, 1, Integer.MAX_VALUE);
        if (env.isTerminal(s)) {
            java.util.Arrays.fill(qOut, 0.0);
            return;
        }
        long key = rng.nextLong();
        for (int a = 0; a < numActions; a++) {
            qOut[a] = rollout(s, a, new SplittableRandom(key), horizon - 1L, gamma);
        }
    }

    /**
     * {@code r(s,a) + Σ_{t=1}^{steps} discount^t [r_t − τℓ_t]}, stopping at a terminal state.
     * {@code discount = 1} gives the geometric-horizon estimator, {@code discount = γ} the truncated one.
     */
    private double rollout(double[] s0, int a0, RandomGenerator rng, long steps, double discount) {
        double[] s = bufA;
        double[] next = bufB;
        this.steps++;
        double total = env.step(s0, a0, rng, s);
        double w = 1.0;
        for (long t = 1; t <= steps && !env.isTerminal(s); t++) {
            w *= discount;
            total += w * policyStep(s, rng, next);
            double[] tmp = s;
            s = next;
            next = tmp;
        }
        return total;
    }

    /**
     * One unbiased sample of {@code V_τ^π(ρ)}: {@code Σ_{t=0}^{T} [r_t − τℓ_t]} with a geometric horizon T
     * (entropy charged at t = 0).
     *
     * @param rng source
     * @return the sample
     */
    public double valueSample(RandomGenerator rng) {
        return ClosedLoopChain.valueSample(chain, rng);
    }

    /**
     * Truncated discounted return from {@code s0 ∼ ρ}: {@code Σ_{t=0}^{H−1} γ^t [r_t − τℓ_t]} (monitoring of
     * {@code V̂_τ(ρ)}, docs/algorithms.md §2.8; lower variance than {@link #valueSample}, bias ≤ {@link #truncationBiasBound}).
     *
     * @param rng     source
     * @param horizon H ≥ 1
     * @return the sample
     */
    public double discountedReturn(RandomGenerator rng, int horizon) {
        Checks.inRange("horizon", horizon, 1, Integer.MAX_VALUE);
        return ClosedLoopChain.discountedReturn(chain, rng, horizon);
    }

    /**
     * The environment's own "return per episode": the undiscounted sum of rewards (no entropy) from
     * {@code s0 ∼ ρ} until a terminal state or {@code maxEpisodeSteps} steps (Gymnasium's time limit).
     *
     * @param rng source
     * @return the episode return
     * @throws IllegalStateException if the environment has no time limit ({@code maxEpisodeSteps() == 0})
     */
    public double episodeReturn(RandomGenerator rng) {
        int limit = env.maxEpisodeSteps();
        if (limit <= 0) {
            throw new IllegalStateException("environment " + env.name() + " has no episode time limit");
        }
        double[] s = bufA;
        double[] next = bufB;
        env.sampleInitial(rng, s);
        double total = 0;
        for (int t = 0; t < limit && !env.isTerminal(s); t++) {
            policy.probabilities(s, pi);
            steps++;
            total += env.step(s, Streams.categorical(pi, rng), rng, next);
            double[] tmp = s;
            s = next;
            next = tmp;
        }
        return total;
    }

    /**
     * Bias bound of the truncated estimators (docs/algorithms.md §2.8): {@code γ^H · M / (1−γ)}, where
     * {@code M ≥ sup |r − τℓ|} (for a mean-field policy with μ(A) = 1: {@code M = ‖r‖∞ + 2ταK}).
     *
     * @param gamma   discount
     * @param horizon H
     * @param maxAbsRegularisedReward M
     * @return the bound
     */
    public static double truncationBiasBound(double gamma, int horizon, double maxAbsRegularisedReward) {
        return Math.pow(gamma, horizon) * maxAbsRegularisedReward / (1.0 - gamma);
    }
}
