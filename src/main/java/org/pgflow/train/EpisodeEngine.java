package org.pgflow.train;

import org.pgflow.estimate.PointWeightBatch;
import org.pgflow.estimate.VarianceWeightBatch;
import org.pgflow.mdp.EpisodicEnvironment;
import org.pgflow.mdp.InputEmbedding;
import org.pgflow.meanfield.ParticleSummary;
import org.pgflow.variance.ActorCriticModel;
import org.pgflow.variance.ActorCriticState;
import org.pgflow.variance.EpisodeSums;
import org.pgflow.variance.NormalEquations;
import org.pgflow.variance.ReturnMoments;

/**
 * Where the episodes of one actor–critic iteration are simulated: in this JVM ({@link #LOCAL}) or over an RDD of
 * episode blocks ({@code org.pgflow.spark.SparkEpisodeEngine}). Both simulate block {@code b} = episodes
 * {@code [b·B, min((b+1)·B, E))} with {@link VarianceLoop#simulateBlock} and combine the blocks in ascending
 * block id, so they return the same bits.
 */
public interface EpisodeEngine {
    /**
     * The actor batch: per-episode increments of (4) and (6), summed.
     *
     * @param model     the model
     * @param state     iteration-k state
     * @param seed      master seed
     * @param episodes  E
     * @param blockSize B
     * @return combined sums
     */
    EpisodeSums actorBatch(ActorCriticModel model, ActorCriticState state, long seed, long episodes, int blockSize);

    /**
     * The critic batch of variant B: normal equations, summed.
     *
     * @param model     the model
     * @param state     iteration-k state
     * @param seed      master seed
     * @param episodes  critic episodes
     * @param blockSize B
     * @return combined normal equations
     */
    NormalEquations criticBatch(ActorCriticModel model, ActorCriticState state, long seed, long episodes, int blockSize);

    /**
     * The Monte Carlo variance-adjusted weight table of docs/algorithms.md §2.14: episodes {@code 0..E−1} of iteration k in
     * blocks {@code [b·B, min((b+1)·B, E))} through {@link VarianceWeightBatch#simulate}, combined in ascending
     * block id. The default runs the blocks one after the other in this JVM (the reference bits).
     *
     * @param env       the episodic simulator
     * @param index     its state index
     * @param policy    {@code π[x][u]}
     * @param seed      master seed
     * @param iteration k
     * @param episodes  E
     * @param blockSize B
     * @param maxSteps  longest allowed episode or continuation
     * @return the combined sums
     */
    default VarianceWeightBatch weightBatch(EpisodicEnvironment env, VarianceWeightBatch.StateIndex index,
                                            double[][] policy, long seed, long iteration, long episodes, int blockSize,
                                            int maxSteps) {
        return LOCAL.weightBatch(env, index, policy, seed, iteration, episodes, blockSize, maxSteps);
    }

    /**
     * The independent start-value batch for {@code Ĵ(x0)} ({@link VarianceWeightBatch#startValueBlock}), in the
     * same blocks and order as {@link #weightBatch}.
     *
     * @return the combined moments of the returns
     */
    default ReturnMoments startValues(EpisodicEnvironment env, VarianceWeightBatch.StateIndex index, double[][] policy,
                                      long seed, long iteration, long episodes, int blockSize, int maxSteps) {
        return LOCAL.startValues(env, index, policy, seed, iteration, episodes, blockSize, maxSteps);
    }

    /**
     * The point-based Monte Carlo weight table of docs/algorithms.md §2.14 for environments whose states are points:
     * episodes {@code 0..E−1} of iteration k in blocks {@code [b·B, min((b+1)·B, E))} through
     * {@link PointWeightBatch#simulate}, combined in ascending block id. The default runs the blocks one after the
     * other in this JVM (the reference bits).
     *
     * @param env       the episodic simulator
     * @param embedding its network input {@code x(state, u)}
     * @param summary   the particles of the mean-field policy
     * @param seed      master seed
     * @param iteration k
     * @param episodes  E
     * @param blockSize B
     * @param maxSteps  longest allowed episode or continuation
     * @return the combined points and terms
     */
    default PointWeightBatch pointWeightBatch(EpisodicEnvironment env, InputEmbedding embedding, ParticleSummary summary,
                                              long seed, long iteration, long episodes, int blockSize, int maxSteps) {
        return LOCAL.pointWeightBatch(env, embedding, summary, seed, iteration, episodes, blockSize, maxSteps);
    }

    /**
     * The independent start-value batch of the point-based table ({@link PointWeightBatch#startValueBlock}), in
     * the same blocks and order as {@link #pointWeightBatch}.
     *
     * @return the combined moments of the returns
     */
    default ReturnMoments pointStartValues(EpisodicEnvironment env, InputEmbedding embedding, ParticleSummary summary,
                                           long seed, long iteration, long episodes, int blockSize, int maxSteps) {
        return LOCAL.pointStartValues(env, embedding, summary, seed, iteration, episodes, blockSize, maxSteps);
    }

    /** Sequential blocks in this JVM. */
    EpisodeEngine LOCAL = local(WorkerPool.SEQUENTIAL);

    /**
     * The in-JVM engine: episode blocks simulated on the pool's threads, combined in ascending block id.
     *
     * @param pool worker threads
     * @return the engine
     */
    static EpisodeEngine local(WorkerPool pool) {
        return new EpisodeEngine() {
            @Override
            public EpisodeSums actorBatch(ActorCriticModel model, ActorCriticState state, long seed, long episodes,
                                          int blockSize) {
                return inBlockOrder(pool, episodes, blockSize,
                        (first, count) -> VarianceLoop.simulateBlock(model, state, seed, first, count), EpisodeSums::combine);
            }

            @Override
            public NormalEquations criticBatch(ActorCriticModel model, ActorCriticState state, long seed, long episodes,
                                               int blockSize) {
                return inBlockOrder(pool, episodes, blockSize,
                        (first, count) -> VarianceLoop.simulateCriticBlock(model, state, seed, first, count),
                        NormalEquations::combine);
            }

            @Override
            public VarianceWeightBatch weightBatch(EpisodicEnvironment env, VarianceWeightBatch.StateIndex index,
                                                   double[][] policy, long seed, long iteration, long episodes,
                                                   int blockSize, int maxSteps) {
                return inBlockOrder(pool, episodes, blockSize, (first, count) -> VarianceWeightBatch.simulate(env, index,
                        policy, seed, iteration, first, count, maxSteps), VarianceWeightBatch::combine);
            }

            @Override
            public ReturnMoments startValues(EpisodicEnvironment env, VarianceWeightBatch.StateIndex index,
                                             double[][] policy, long seed, long iteration, long episodes, int blockSize,
                                             int maxSteps) {
                return inBlockOrder(pool, episodes, blockSize, (first, count) -> VarianceWeightBatch.startValueBlock(env,
                        index, policy, seed, iteration, first, count, maxSteps), ReturnMoments::combine);
            }

            @Override
            public PointWeightBatch pointWeightBatch(EpisodicEnvironment env, InputEmbedding embedding,
                                                     ParticleSummary summary, long seed, long iteration, long episodes,
                                                     int blockSize, int maxSteps) {
                return inBlockOrder(pool, episodes, blockSize, (first, count) -> PointWeightBatch.simulate(env,
                        embedding, summary, seed, iteration, first, count, maxSteps), PointWeightBatch::combine);
            }

            @Override
            public ReturnMoments pointStartValues(EpisodicEnvironment env, InputEmbedding embedding,
                                                  ParticleSummary summary, long seed, long iteration, long episodes,
                                                  int blockSize, int maxSteps) {
                return inBlockOrder(pool, episodes, blockSize, (first, count) -> PointWeightBatch.startValueBlock(env,
                        embedding, summary, seed, iteration, first, count, maxSteps), ReturnMoments::combine);
            }
        };
    }

    /** One block of episodes {@code [first, first + count)}. */
    @FunctionalInterface
    interface BlockTask<T> {
        T run(long first, int count);
    }

    /**
     * Episodes {@code 0..E−1} in blocks of B on the pool's threads, the block results combined in ascending block id.
     *
     * @param pool      worker threads
     * @param episodes  E
     * @param blockSize B
     * @param task      one block's work
     * @param combine   how two block results add up
     * @param <T>       block result
     * @return the combined result
     */
    private static <T> T inBlockOrder(WorkerPool pool, long episodes, int blockSize, BlockTask<T> task,
                                      java.util.function.BinaryOperator<T> combine) {
        T acc = null;
        for (T part : pool.map(Math.toIntExact(VarianceLoop.numBlocks(episodes, blockSize)),
                b -> task.run(VarianceLoop.blockStart(b, blockSize), VarianceLoop.blockCount(b, blockSize, episodes)))) {
            acc = acc == null ? part : combine.apply(acc, part);
        }
        return acc;
    }
}
