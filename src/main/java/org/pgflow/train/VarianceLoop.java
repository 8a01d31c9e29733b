package org.pgflow.train;

import java.io.Serializable;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.pgflow.config.Critic;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;
import org.pgflow.variance.ActorCriticModel;
import org.pgflow.variance.ActorCriticState;
import org.pgflow.variance.ActorCriticUpdates;
import org.pgflow.variance.CriticWeights;
import org.pgflow.variance.EpisodeIncrement;
import org.pgflow.variance.EpisodeSums;
import org.pgflow.variance.ExactCritic;
import org.pgflow.variance.MonteCarloEstimate;
import org.pgflow.variance.NormalEquations;
import org.pgflow.variance.ReturnMoments;
import org.pgflow.variance.StepSchedule;
import org.pgflow.variance.Trajectory;

/**
 * Single-JVM loop of the variance-adjusted actor–critic (docs/algorithms.md §4.7–4.8), assembled from pure pieces that a
 * Spark driver reuses:
 * <ol>
 *   <li>{@link #simulateBlock} / {@link #simulateCriticBlock}: the episodes {@code [first, first+count)} of
 *       iteration {@code k = state.iteration()}, episode {@code e} drawn from the stream
 *       {@code Streams.of(seed, EPISODE, k, e)} (critic batch of variant B and LSTD: {@code EPISODE_CRITIC}),
 *       reduced to an {@link EpisodeSums} / {@link NormalEquations} accumulator. Block {@code b} is
 *       {@code [b·B, min((b+1)·B, E))} ({@link #blockStart}, {@link #blockCount}). What the accumulators
 *       hold follows the model's {@link ActorCriticModel#critic() critic target}: Monte Carlo or TD(0)
 *       increments, least-squares or LSTD(λ) sums.</li>
 *   <li>Blocks are combined in ascending block id ({@code acc = block0; acc.combine(block1); …}).</li>
 *   <li>{@link #step} (variant A, TD(0)), or the critic solve then {@link #stepActor} (variant B, LSTD,
 *       exact).</li>
 * </ol>
 * {@link #iterate} gives the engine the model with the critic target of {@link Settings#critic()}
 * ({@link CriticMode#target()}, LSTD trace decay {@link Settings#lstdLambda()}), so callers pass the plain model.
 * The result is bit-identical for the same seed and block size whatever the partitioning, and equal to
 * ~1e-15 relative for other block sizes. {@code episodes = 1} with {@link CriticMode#INCREMENTAL} is the
 * paper's algorithm. Stateless.
 */
public final class VarianceLoop {
    private VarianceLoop() {
    }

    /** Which critic the loop uses. */
    public enum CriticMode {
        /** Equations (4), averaged over the batch (variant A). */
        INCREMENTAL,
        /** Batch least squares on an independent critic batch (variant B). */
        LEAST_SQUARES,
        /** Exact projections of §4.6 (finite SSPs only; for tests). */
        EXACT,
        /**
         * TD(0) critic of §4.9 (incremental on the critic step schedule α_k, like variant A; offline within an
         * episode, increments averaged over the batch).
         */
        TD0,
        /** LSTD(λ) critic of §4.9 on an independent critic batch (like variant B; ridge as there). */
        LSTD;

        /** @return the critic target the episodes must produce in this mode */
        public ActorCriticModel.CriticTarget target() {
            return switch (this) {
                case TD0 -> ActorCriticModel.CriticTarget.TD0;
                case LSTD -> ActorCriticModel.CriticTarget.LSTD;
                default -> ActorCriticModel.CriticTarget.RETURNS;
            };
        }

        /**
         * @param critic the critic of a config ({@code variance.critic})
         * @return the mode that runs it
         */
        public static CriticMode of(Critic critic) {
            return switch (critic) {
                case INCREMENTAL -> INCREMENTAL;
                case LEAST_SQUARES -> LEAST_SQUARES;
                case EXACT -> EXACT;
                case TD0 -> TD0;
                case LSTD -> LSTD;
            };
        }

        /** @return whether the critic is moved by α_k (INCREMENTAL, TD0) rather than solved per batch */
        public boolean incremental() {
            return this == INCREMENTAL || this == TD0;
        }
    }

    /**
     * Loop settings, validated on construction.
     *
     * @param critic         critic mode
     * @param episodes       episodes per iteration {@code E ≥ 1} (the actor batch in variant B)
     * @param criticEpisodes episodes of the critic batch of variant B (ignored otherwise), ≥ 1
     * @param blockSize      episodes per block {@code B ≥ 1}
     * @param schedule       step sizes
     * @param thetaBound     box half-width for θ (&gt; 0; {@code +∞} for no projection)
     * @param ridge          relative ridge of the least-squares and LSTD critics, ≥ 0 (docs/algorithms.md: ≈ 1e-8)
     * @param lstdLambda     LSTD trace decay λ ∈ [0, 1] (used by {@link CriticMode#LSTD} only)
     */
    public record Settings(CriticMode critic, int episodes, int criticEpisodes, int blockSize, StepSchedule schedule,
                           double thetaBound, double ridge, double lstdLambda) implements Serializable {
        /** Validates every field (messages name it). */
        public Settings {
            if (critic == null || schedule == null) {
                throw new InvalidInputException("critic and schedule must be given");
            }
            Checks.inRange("episodes", episodes, 1, Integer.MAX_VALUE);
            Checks.inRange("criticEpisodes", criticEpisodes, 1, Integer.MAX_VALUE);
            Checks.inRange("blockSize", blockSize, 1, Integer.MAX_VALUE);
            if (!(thetaBound > 0)) {
                throw new InvalidInputException("thetaBound must be > 0 (or Infinity) but was " + thetaBound);
            }
            Checks.nonNegative("ridge", ridge);
            Checks.inClosed("lstdLambda", lstdLambda, 0, 1);
        }

        /** Settings with LSTD trace decay 0 (irrelevant unless the mode is {@link CriticMode#LSTD}). */
        public Settings(CriticMode critic, int episodes, int criticEpisodes, int blockSize, StepSchedule schedule,
                        double thetaBound, double ridge) {
            this(critic, episodes, criticEpisodes, blockSize, schedule, thetaBound, ridge, 0.0);
        }

        /** @return a copy with another block size */
        public Settings withBlockSize(int b) {
            return new Settings(critic, episodes, criticEpisodes, b, schedule, thetaBound, ridge, lstdLambda);
        }

        /**
         * @param model a model
         * @return {@code model} with this mode's critic target and LSTD trace decay
         * @throws InvalidInputException if TD0 / LSTD is asked for without state features
         */
        public ActorCriticModel configure(ActorCriticModel model) {
            return model.withCritic(critic.target(), lstdLambda);
        }
    }

    /**
     * What one iteration produced.
     *
     * @param iteration the iteration {@code k} that was run
     * @param j         Monte Carlo {@code J} of {@code π_{θ_k}} (actor batch)
     * @param var       Monte Carlo {@code Var(B)}
     * @param eta       Monte Carlo {@code η = J − λ Var}
     * @param steps     total steps simulated in the actor batch
     * @param next      the state after the update ({@code k+1})
     * @param critic    θ_k with the critic that drove this iteration's actor step (the input state for the
     *                  incremental and TD(0) critics; the batch, LSTD or exact critic otherwise) — what
     *                  {@link org.pgflow.variance.CriticBias#column} takes
     */
    public record IterationReport(long iteration, MonteCarloEstimate j, MonteCarloEstimate var,
                                  MonteCarloEstimate eta, long steps, ActorCriticState next,
                                  ActorCriticState critic) {
    }

    /** @return the number of blocks of {@code episodes} episodes in blocks of {@code blockSize} */
    public static long numBlocks(long episodes, int blockSize) {
        return (episodes + blockSize - 1) / blockSize;
    }

    /** @return the first episode id of block {@code blockId} */
    public static long blockStart(long blockId, int blockSize) {
        return blockId * blockSize;
    }

    /** @return the number of episodes of block {@code blockId} */
    public static int blockCount(long blockId, int blockSize, long episodes) {
        return (int) Math.max(0, Math.min(blockSize, episodes - blockId * blockSize));
    }

    /**
     * Simulates episodes {@code [first, first+count)} of iteration {@code state.iteration()} with
     * {@code π_θ} and reduces their increments (equations (4), (6); TD(0) critic increments when the model's
     * target is {@code TD0}) computed with the critic of {@code state}. Pure: depends only on its arguments.
     *
     * @param model the model
     * @param state iteration-k state (θ and critic)
     * @param seed  master seed
     * @param first first episode id
     * @param count number of episodes ≥ 0
     * @return the sums
     */
    public static EpisodeSums simulateBlock(ActorCriticModel model, ActorCriticState state, long seed, long first,
                                            int count) {
        EpisodeSums sums = EpisodeSums.create(model.numParameters(), model.criticDimension());
        Trajectory tr = model.newTrajectory();
        EpisodeIncrement inc = new EpisodeIncrement(model.numParameters(), model.criticDimension());
        double[] theta = state.theta();
        long k = state.iteration();
        boolean td = model.critic() == ActorCriticModel.CriticTarget.TD0;
        for (long e = first; e < first + count; e++) {
            RandomGenerator rng = Streams.of(seed, Purpose.EPISODE, k, e);
            simulate(model, theta, rng, tr, k, e);
            sums.add(td ? inc.computeTd0(tr, state, model.lambda()) : inc.compute(tr, state, model.lambda()));
        }
        return sums;
    }

    /**
     * Simulates the critic batch of variant B / LSTD (stream purpose {@code EPISODE_CRITIC}) and accumulates
     * the normal equations (LSTD(λ) sums when the model's target is {@code LSTD}). Pure.
     *
     * @param model the model
     * @param state iteration-k state (only θ and the iteration are used)
     * @param seed  master seed
     * @param first first episode id
     * @param count number of episodes ≥ 0
     * @return the normal equations
     */
    public static NormalEquations simulateCriticBlock(ActorCriticModel model, ActorCriticState state, long seed,
                                                      long first, int count) {
        NormalEquations ne = NormalEquations.createFor(model);
        Trajectory tr = model.newTrajectory();
        double[] theta = state.theta();
        long k = state.iteration();
        for (long e = first; e < first + count; e++) {
            RandomGenerator rng = Streams.of(seed, Purpose.EPISODE_CRITIC, k, e);
            simulate(model, theta, rng, tr, k, e);
            ne.add(tr);
        }
        return ne;
    }

    private static void simulate(ActorCriticModel model, double[] theta, RandomGenerator rng, Trajectory tr,
                                 long k, long e) {
        try {
            model.simulate(theta, rng, tr);
        } catch (org.pgflow.util.NumericalDivergenceException ex) {
            throw new org.pgflow.util.NumericalDivergenceException(k, "episode " + e + " length",
                    "above maxSteps = " + model.maxSteps());
        }
    }

    /**
     * Variant A / TD(0) update (pure): {@link ActorCriticUpdates#incremental}.
     *
     * @param state    iteration-k state
     * @param sums     combined increments of the iteration
     * @param settings schedule and box
     * @return iteration-(k+1) state
     */
    public static ActorCriticState step(ActorCriticState state, EpisodeSums sums, Settings settings) {
        return ActorCriticUpdates.incremental(state, sums, settings.schedule(), settings.thetaBound());
    }

    /**
     * Actor-only update of variant B / exact mode (pure): {@link ActorCriticUpdates#actorOnly}.
     *
     * @param stateWithCritic iteration-k state carrying this iteration's critic
     * @param sums            combined actor-batch increments computed with that critic
     * @param settings        schedule and box
     * @return iteration-(k+1) state
     */
    public static ActorCriticState stepActor(ActorCriticState stateWithCritic, EpisodeSums sums, Settings settings) {
        return ActorCriticUpdates.actorOnly(stateWithCritic, sums, settings.schedule(), settings.thetaBound());
    }

    /**
     * One iteration in this JVM: blocks simulated and combined in ascending block id, then the update.
     *
     * @param model    the model
     * @param state    iteration-k state
     * @param seed     master seed
     * @param settings loop settings
     * @return the report (Monte Carlo statistics of the actor batch and the new state)
     */
    public static IterationReport iterate(ActorCriticModel model, ActorCriticState state, long seed,
                                          Settings settings) {
        return iterate(model, state, seed, settings, EpisodeEngine.LOCAL);
    }

    /**
     * One iteration with the episodes simulated by {@code engine} (blocks combined in ascending block id).
     *
     * @param model    the model
     * @param state    iteration-k state
     * @param seed     master seed
     * @param settings loop settings
     * @param engine   where the episodes run
     * @return the report (Monte Carlo statistics of the actor batch and the new state)
     */
    public static IterationReport iterate(ActorCriticModel model, ActorCriticState state, long seed,
                                          Settings settings, EpisodeEngine engine) {
        long k = state.iteration();
        int b = settings.blockSize();
        ActorCriticModel m = settings.configure(model);
        ActorCriticState current = state;
        if (settings.critic() == CriticMode.LEAST_SQUARES || settings.critic() == CriticMode.LSTD) {
            NormalEquations ne = engine.criticBatch(m, state, seed, settings.criticEpisodes(), b);
            CriticWeights c = ActorCriticUpdates.requireFinite(ne.solve(settings.ridge()), k);
            current = c.applyTo(state);
        } else if (settings.critic() == CriticMode.EXACT) {
            CriticWeights c = ActorCriticUpdates.requireFinite(ExactCritic.projections(m, state.theta()), k);
            current = c.applyTo(state);
        }
        EpisodeSums sums = engine.actorBatch(m, current, seed, settings.episodes(), b);
        ActorCriticState next = settings.critic().incremental()
                ? step(current, sums, settings) : stepActor(current, sums, settings);
        ReturnMoments r = sums.returns();
        return new IterationReport(k, r.j(), r.var(), r.eta(m.lambda()), sums.steps(), next, current);
    }

    /**
     * Runs {@code iterations} iterations from {@code initial}.
     *
     * @param model      the model
     * @param initial    starting state
     * @param seed       master seed
     * @param iterations number of iterations ≥ 0
     * @param settings   loop settings
     * @param listener   receives every report (may be {@code null})
     * @return the final state
     */
    public static ActorCriticState run(ActorCriticModel model, ActorCriticState initial, long seed, long iterations,
                                       Settings settings, Consumer<IterationReport> listener) {
        ActorCriticState s = initial;
        for (long i = 0; i < iterations; i++) {
            IterationReport rep = iterate(model, s, seed, settings);
            if (listener != null) {
                listener.accept(rep);
            }
            s = rep.next();
        }
        return s;
    }

    /**
     * Monte Carlo evaluation of {@code π_θ} (no learning): {@code episodes} episodes from the stream
     * {@code (seed, MONITOR, 0, e)}.
     *
     * @param model    the model (λ used for the increments only; not needed here)
     * @param theta    policy parameters
     * @param seed     seed
     * @param episodes number of episodes
     * @return the return moments (J, Var, η with standard errors)
     */
    public static ReturnMoments evaluate(ActorCriticModel model, double[] theta, long seed, long episodes) {
        return evaluate(model, theta, seed, episodes, null);
    }

    /**
     * As {@link #evaluate(ActorCriticModel, double[], long, long)}, also handing every episode's return to
     * {@code each} (for the return distribution of a report).
     *
     * @param model    the model
     * @param theta    policy parameters
     * @param seed     seed
     * @param episodes number of episodes
     * @param each     receives each return in episode order, or null
     * @return the return moments
     */
    public static ReturnMoments evaluate(ActorCriticModel model, double[] theta, long seed, long episodes,
                                         java.util.function.DoubleConsumer each) {
        ReturnMoments r = ReturnMoments.create();
        Trajectory tr = model.newTrajectory();
        for (long e = 0; e < episodes; e++) {
            model.simulate(theta, Streams.of(seed, Purpose.MONITOR, 0, e), tr);
            r.add(tr.returnValue());
            if (each != null) {
                each.accept(tr.returnValue());
            }
        }
        return r;
    }
}
