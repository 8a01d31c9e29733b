package org.pgflow.policy;

import java.util.random.RandomGenerator;
import org.pgflow.util.Checks;

/**
 * Exact sampling from {@code π(da|s) ∝ exp(F(s,a)) μ̄(da)} by rejection with μ̄-proposals (docs/algorithms.md §2.7c):
 * propose {@code a ∼ μ̄}, accept with probability {@code exp(F(s,a) − B)}, where {@code B ≥ sup_a F(s,a)} is a
 * stated bound (for a mean-field policy {@code B = αK}, since {@code |F_ν| ≤ αK}, docs/algorithms.md §2.1). The number of
 * proposals is geometric with mean {@code e^B / Z(s)}, {@code Z(s) = ∫ e^F dμ̄ ≥ e^{−B}}, hence at most
 * {@code e^{2B}} [D].
 *
 * <p>The logit F and the proposal are supplied as functions, so the sampler is tested without the neural
 * network. A logit above the stated bound is detected and reported (it would silently bias the law).
 * Immutable if its functions are; all randomness comes from the generator passed in.
 */
public final class RejectionSampler {
    /** A logit function {@code F(s,a)} bounded above by the sampler's bound. */
    @FunctionalInterface
    public interface Logit {
        /**
         * @param s state
         * @param a action
         * @return {@code F(s,a)}
         */
        double value(double[] s, double[] a);
    }

    /** A sampler of the normalised reference measure μ̄ on actions. */
    @FunctionalInterface
    public interface Proposal {
        /**
         * @param rng source
         * @param a   destination of {@code a ∼ μ̄}
         */
        void sample(RandomGenerator rng, double[] a);
    }

    private final Logit logit;
    private final double bound;
    private final Proposal proposal;
    private final long maxProposals;

    /**
     * @param logit        F
     * @param bound        B with {@code F ≤ B} everywhere (finite)
     * @param proposal     sampler of μ̄
     * @param maxProposals give up after this many proposals (a guard against a wrong bound or a degenerate F;
     *                     choose well above {@code e^{2B}})
     * @throws org.pgflow.util.InvalidInputException if B is not finite or maxProposals &lt; 1
     */
    public RejectionSampler(Logit logit, double bound, Proposal proposal, long maxProposals) {
        this.logit = java.util.Objects.requireNonNull(logit, "logit");
        this.bound = Checks.finite("bound", bound);
        this.proposal = java.util.Objects.requireNonNull(proposal, "proposal");
        this.maxProposals = Checks.inRange("maxProposals", maxProposals, 1, Long.MAX_VALUE);
    }

    /**
     * Draws one action.
     *
     * @param s    state
     * @param rng  source
     * @param aOut destination of the accepted action
     * @return the number of proposals used (≥ 1)
     * @throws IllegalStateException if {@code F(s,a) > B} for a proposed action (the stated bound is wrong), or
     *                               no proposal was accepted within {@code maxProposals}
     */
    public long sample(double[] s, RandomGenerator rng, double[] aOut) {
        for (long n = 1; n <= maxProposals; n++) {
            proposal.sample(rng, aOut);
            double f = logit.value(s, aOut);
            if (!(f <= bound)) {
                throw new IllegalStateException("logit " + f + " exceeds the stated bound " + bound);
            }
            if (rng.nextDouble() < Math.exp(f - bound)) {
                return n;
            }
        }
        throw new IllegalStateException("no proposal accepted within " + maxProposals + " proposals (bound " + bound + ")");
    }
}
