package org.pgflow.variance;

import java.io.Serializable;
import java.util.random.RandomGenerator;
import org.pgflow.mdp.EpisodicEnvironment;
import org.pgflow.mdp.StateFeatures;
import org.pgflow.policy.Policy;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.NumericalDivergenceException;

/**
 * What stays fixed during a variance-adjusted actor–critic run (docs/algorithms.md §4.7): the environment, the policy
 * family, the critic features, the penalty {@code λ} and an episode-length guard. This is the object a Spark
 * driver broadcasts once. Immutable and thread-safe.
 *
 * <p>Critic features (docs/algorithms.md §4.6, Assumption 7): {@code φ_J(x,u) = φ_M(x,u) = (∇_θ ln π_θ(u|x), e(x))}: the
 * compatible features, optionally followed by extra state features {@code e(x)} (supersets stay
 * compatible). The same features serve the J-, M- and weighted J-critics, so the critic dimension is
 * {@code d = n_θ + dim e}.
 *
 * <p>{@link #critic()} says how the episodes feed the critic (docs/algorithms.md §4.7–4.9): {@link CriticTarget#RETURNS} — the
 * Monte Carlo targets {@code B_t}, {@code B_t²} of equations (4) and of the least-squares normal equations of
 * §4.8 B; {@link CriticTarget#TD0} — the TD(0) increments of §4.9; {@link CriticTarget#LSTD} — the LSTD(λ)
 * sums of §4.9 with trace decay {@link #traceDecay()}. TD and LSTD bootstrap from the next step's critic value,
 * so they need the state columns {@code e(x)} (without them the critic cannot represent the state values).
 * The target lives here, not in the loop settings, because the model is the one object every episode engine
 * (local or Spark) receives.
 */
public final class ActorCriticModel implements Serializable {
    private static final long serialVersionUID = 1L;

    private final EpisodicEnvironment env;
    private final Policy policy;
    private final StateFeatures extra;
    private final double lambda;
    private final int maxSteps;
    private final CriticTarget critic;
    private final double traceDecay;

    /** How episodes feed the critic. */
    public enum CriticTarget {
        /** Monte Carlo targets: increments (4) and the least-squares normal equations (§4.8 B). */
        RETURNS,
        /** TD(0) increments (§4.9), bootstrapping from {@code φ_{t+1}}. */
        TD0,
        /** LSTD(λ) sums (§4.9), traces reset at each episode start. */
        LSTD
    }

    private ActorCriticModel(EpisodicEnvironment env, Policy policy, StateFeatures extra, double lambda,
                             int maxSteps, CriticTarget critic, double traceDecay) {
        this.env = env;
        this.policy = policy;
        this.extra = extra;
        this.lambda = lambda;
        this.maxSteps = maxSteps;
        this.critic = critic;
        this.traceDecay = traceDecay;
    }

    /**
     * @param env      the environment
     * @param policy   the policy family; its number of actions must equal the environment's
     * @param extra    extra critic columns {@code e(x)}, or {@code null} for {@code φ = ∇ ln π} only
     * @param lambda   variance penalty {@code λ ≥ 0}
     * @param maxSteps episode-length guard ≥ 1: an episode longer than this is reported as divergence
     * @return the model
     * @throws InvalidInputException on a mismatch or an out-of-range value (the message names it)
     */
    public static ActorCriticModel of(EpisodicEnvironment env, Policy policy, StateFeatures extra, double lambda,
                                      int maxSteps) {
        if (env == null || policy == null) {
            throw new InvalidInputException("environment and policy must be given");
        }
        if (env.numActions() != policy.numActions()) {
            throw new InvalidInputException("policy actions " + policy.numActions() + " != environment actions "
                    + env.numActions());
        }
        Checks.nonNegative("lambda", lambda);
        Checks.inRange("maxSteps", maxSteps, 1, Integer.MAX_VALUE);
        return new ActorCriticModel(env, policy, extra, lambda, maxSteps, CriticTarget.RETURNS, 0.0);
    }

    /** @return a copy with another penalty {@code λ ≥ 0} (same critic target) */
    public ActorCriticModel withLambda(double newLambda) {
        return of(env, policy, extra, newLambda, maxSteps).withCritic(critic, traceDecay);
    }

    /**
     * @param target     how episodes feed the critic
     * @param traceDecay LSTD trace decay in {@code [0, 1]} (kept but unused by the other targets)
     * @return a copy with that critic target ({@code this} when nothing changes)
     * @throws InvalidInputException if TD or LSTD is asked for without state columns {@code e(x)}, or the
     *                               trace decay is outside [0, 1] (the messages name the config keys)
     */
    public ActorCriticModel withCritic(CriticTarget target, double traceDecay) {
        if (target == null) {
            throw new InvalidInputException("critic target must be given");
        }
        if (!(traceDecay >= 0 && traceDecay <= 1)) {
            throw new InvalidInputException("variance.lstdLambda must be in [0, 1] but was " + traceDecay);
        }
        if (target != CriticTarget.RETURNS && extra == null) {
            throw new InvalidInputException("the " + target + " critic bootstraps from state values and needs state "
                    + "features: set variance.criticStateFeatures: true with variance.critic: "
                    + (target == CriticTarget.TD0 ? "td0" : "lstd"));
        }
        if (target == critic && Double.compare(traceDecay, this.traceDecay) == 0) {
            return this;
        }
        return new ActorCriticModel(env, policy, extra, lambda, maxSteps, target, traceDecay);
    }

    /** @return how episodes feed the critic */
    public CriticTarget critic() {
        return critic;
    }

    /** @return the LSTD trace decay {@code λ ∈ [0, 1]} (docs/algorithms.md §4.9; not the variance penalty) */
    public double traceDecay() {
        return traceDecay;
    }

    /** @return the environment */
    public EpisodicEnvironment environment() {
        return env;
    }

    /** @return the policy family */
    public Policy policy() {
        return policy;
    }

    /** @return the extra critic columns, or {@code null} */
    public StateFeatures extraFeatures() {
        return extra;
    }

    /** @return {@code λ} */
    public double lambda() {
        return lambda;
    }

    /** @return the episode-length guard */
    public int maxSteps() {
        return maxSteps;
    }

    /** @return {@code n_θ} */
    public int numParameters() {
        return policy.numParameters();
    }

    /** @return the number of extra critic columns */
    public int extraSize() {
        return extra == null ? 0 : extra.dimension();
    }

    /** @return the critic dimension {@code d = n_θ + dim e} */
    public int criticDimension() {
        return numParameters() + extraSize();
    }

    /** @return an empty trajectory buffer sized for this model */
    public Trajectory newTrajectory() {
        return new Trajectory(env.stateSize(), numParameters(), extraSize());
    }

    /**
     * Simulates one episode with {@code π_θ} from the environment's start, recording states, actions,
     * rewards, scores and extra critic columns, then {@link Trajectory#finish()}. Randomness: per step one
     * uniform for the action (inversion), then whatever the environment draws.
     *
     * @param theta parameters {@code θ}
     * @param rng   the episode's stream
     * @param out   buffer, cleared first
     * @throws NumericalDivergenceException if the episode exceeds {@link #maxSteps()} steps
     */
    public void simulate(double[] theta, RandomGenerator rng, Trajectory out) {
        out.clear();
        int s = env.stateSize();
        int np = numParameters();
        int ne = extraSize();
        int m = env.numActions();
        double[] state = new double[s];
        double[] probs = new double[m];
        double[] scratch = new double[policy.scratchSize()];
        double[] score = new double[np];
        env.reset(state, rng);
        while (!env.isTerminal(state)) {
            int t = out.append();
            if (t >= maxSteps) {
                throw new NumericalDivergenceException(-1, "episode length", "above maxSteps = " + maxSteps);
            }
            System.arraycopy(state, 0, out.statesRaw(), t * s, s);
            policy.probabilities(theta, state, probs, scratch);
            int u = org.pgflow.random.Streams.categorical(probs, rng);
            policy.gradLogProbability(theta, state, u, probs, score, scratch);
            System.arraycopy(score, 0, out.scoresRaw(), t * np, np);
            if (ne > 0) {
                extra.features(state, out.extraRaw(), t * ne);
            }
            out.actionsRaw()[t] = u;
            out.rewardsRaw()[t] = env.step(state, u, rng);
        }
        out.finish();
    }

    /**
     * @return {@code φ_tᵀ w} with {@code φ_t = (g_t, e(x_t))} of step {@code t} of a finished trajectory
     */
    static double dot(Trajectory tr, int t, double[] w) {
        int np = tr.numParameters();
        int ne = tr.extraSize();
        double[] g = tr.scoresRaw();
        double[] e = tr.extraRaw();
        double s = 0;
        int gb = t * np;
        for (int i = 0; i < np; i++) {
            s += g[gb + i] * w[i];
        }
        int eb = t * ne;
        for (int i = 0; i < ne; i++) {
            s += e[eb + i] * w[np + i];
        }
        return s;
    }

    /** {@code acc += c · φ_t}. */
    static void axpy(Trajectory tr, int t, double c, double[] acc) {
        int np = tr.numParameters();
        int ne = tr.extraSize();
        double[] g = tr.scoresRaw();
        double[] e = tr.extraRaw();
        int gb = t * np;
        for (int i = 0; i < np; i++) {
            acc[i] += c * g[gb + i];
        }
        int eb = t * ne;
        for (int i = 0; i < ne; i++) {
            acc[np + i] += c * e[eb + i];
        }
    }

    /** Copies {@code φ_t} into {@code out}. */
    static void criticFeatures(Trajectory tr, int t, double[] out) {
        int np = tr.numParameters();
        int ne = tr.extraSize();
        System.arraycopy(tr.scoresRaw(), t * np, out, 0, np);
        System.arraycopy(tr.extraRaw(), t * ne, out, np, ne);
    }
}
