package org.pgflow.train;

import org.pgflow.variance.ActorCriticModel;
import org.pgflow.variance.ActorCriticState;
import org.pgflow.variance.EpisodeSums;
import org.pgflow.variance.NormalEquations;

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
                EpisodeSums sums = null;
                for (EpisodeSums part : pool.map(Math.toIntExact(VarianceLoop.numBlocks(episodes, blockSize)),
                        blk -> VarianceLoop.simulateBlock(model, state, seed, VarianceLoop.blockStart(blk, blockSize),
                                VarianceLoop.blockCount(blk, blockSize, episodes)))) {
                    sums = sums == null ? part : sums.combine(part);
                }
                return sums;
            }

            @Override
            public NormalEquations criticBatch(ActorCriticModel model, ActorCriticState state, long seed, long episodes,
                                               int blockSize) {
                NormalEquations ne = null;
                for (NormalEquations part : pool.map(Math.toIntExact(VarianceLoop.numBlocks(episodes, blockSize)),
                        blk -> VarianceLoop.simulateCriticBlock(model, state, seed, VarianceLoop.blockStart(blk, blockSize),
                                VarianceLoop.blockCount(blk, blockSize, episodes)))) {
                    ne = ne == null ? part : ne.combine(part);
                }
                return ne;
            }
        };
    }
}
