package org.pgflow.estimate;

import java.util.random.RandomGenerator;
import org.pgflow.random.Streams;

/**
 * An environment closed by a policy: the Markov chain {@code s_{t+1} ∼ P(·|s_t, a_t)}, {@code a_t ∼ π(·|s_t)},
 * with the regularised reward {@code r(s_t,a_t) − τℓ(s_t,a_t)} of each step. This is all the state sampler
 * and the value estimators of docs/algorithms.md §2.8 need, so they work for finite-action simulators
 * ({@link MonteCarloEvaluator}) and for continuous-action policies alike (e.g. the linear-Gaussian LQ policy,
 * {@code estimate.lq.LinearGaussianChain}). Implementations may keep scratch space (then not thread-safe).
 */
public interface ClosedLoopChain {
    /** @return length of the state vector */
    int stateDim();

    /** @return discount γ ∈ [0, 1) */
    double gamma();

    /**
     * @param rng source
     * @param s   destination of {@code s0 ∼ ρ}
     */
    void sampleInitial(RandomGenerator rng, double[] s);

    /** @return {@code true} if {@code s} is absorbing with zero reward and no entropy afterwards */
    boolean isTerminal(double[] s);

    /**
     * Samples {@code a ∼ π(·|s)} and {@code s' ∼ P(·|s,a)} from a non-terminal state.
     *
     * @param s    state (not modified)
     * @param rng  source
     * @param next destination of s' (does not alias s)
     * @return {@code r(s,a) − τℓ(s,a)} (or an unbiased substitute, e.g. Rao–Blackwellised entropy)
     */
    double step(double[] s, RandomGenerator rng, double[] next);

    /**
     * Samples a state from the normalised discounted occupancy {@code d_ρ^π} (docs/algorithms.md §2.8): {@code s0 ∼ ρ},
     * {@code T ∼ Geom} with {@code P(T=t) = (1−γ)γ^t}, roll T steps (stopping at a terminal state).
     *
     * @param chain the chain
     * @param rng   source
     * @param out   destination of the state
     * @return {@code true} if the state is non-terminal
     */
    static boolean sampleState(ClosedLoopChain chain, RandomGenerator rng, double[] out) {
        double[] s = new double[chain.stateDim()];
        double[] next = new double[s.length];
        chain.sampleInitial(rng, s);
        long horizon = Streams.geometric(chain.gamma(), rng);
        for (long t = 0; t < horizon && !chain.isTerminal(s); t++) {
            chain.step(s, rng, next);
            double[] tmp = s;
            s = next;
            next = tmp;
        }
        System.arraycopy(s, 0, out, 0, out.length);
        return !chain.isTerminal(out);
    }

    /**
     * One unbiased sample of {@code V_τ^π(ρ)}: {@code Σ_{t=0}^{T} [r_t − τℓ_t]}, T geometric (entropy at t = 0
     * included, docs/algorithms.md §2.8).
     *
     * @param chain the chain
     * @param rng   source
     * @return the sample
     */
    static double valueSample(ClosedLoopChain chain, RandomGenerator rng) {
        double[] s = new double[chain.stateDim()];
        double[] next = new double[s.length];
        chain.sampleInitial(rng, s);
        long horizon = Streams.geometric(chain.gamma(), rng);
        double total = 0;
        for (long t = 0; t <= horizon && !chain.isTerminal(s); t++) {
            total += chain.step(s, rng, next);
            double[] tmp = s;
            s = next;
            next = tmp;
        }
        return total;
    }

    /**
     * Truncated discounted return {@code Σ_{t=0}^{H−1} γ^t [r_t − τℓ_t]} from {@code s0 ∼ ρ}.
     *
     * @param chain   the chain
     * @param rng     source
     * @param horizon H ≥ 1
     * @return the sample (bias ≤ γ^H·sup|r − τℓ|/(1−γ))
     */
    static double discountedReturn(ClosedLoopChain chain, RandomGenerator rng, int horizon) {
        double[] s = new double[chain.stateDim()];
        double[] next = new double[s.length];
        chain.sampleInitial(rng, s);
        double total = 0;
        double w = 1.0;
        for (int t = 0; t < horizon && !chain.isTerminal(s); t++) {
            total += w * chain.step(s, rng, next);
            w *= chain.gamma();
            double[] tmp = s;
            s = next;
            next = tmp;
        }
        return total;
    }
}
