package org.pgflow.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.pgflow.estimate.PointWeightBatch;
import org.pgflow.estimate.VarianceWeightBatch;
import org.pgflow.mdp.EpisodicEnvironment;
import org.pgflow.mdp.InputEmbedding;
import org.pgflow.meanfield.ParticleSummary;
import org.pgflow.train.EpisodeEngine;
import org.pgflow.train.VarianceLoop;
import org.pgflow.variance.ActorCriticModel;
import org.pgflow.variance.ActorCriticState;
import org.pgflow.variance.EpisodeSums;
import org.pgflow.variance.NormalEquations;
import org.pgflow.variance.ReturnMoments;

/**
 * Actor–critic episodes on Spark (docs/algorithms.md §4.8): per batch, the iteration state {@code (θ, Ĵ, w_J, w_M, w̃_J)} is
 * broadcast, an RDD of episode-block ids is folded partition by partition in one job ({@link Jobs#foldPartitions}) — each task simulates its blocks
 * with streams {@code (seed, EPISODE, k, episode id)} through {@link VarianceLoop#simulateBlock} — and the
 * driver combines the per-block sums in ascending block id. The result equals the single-JVM loop bit for bit,
 * for any number of partitions. The model (environment, policy, λ) is constant and travels in the task closure.
 */
public final class SparkEpisodeEngine implements EpisodeEngine {
    private final JavaSparkContext jsc;
    private final int partitions;

    /**
     * @param spark      the session
     * @param partitions number of partitions of the episode-block RDD
     */
    public SparkEpisodeEngine(SparkSession spark, int partitions) {
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.partitions = partitions;
        FaultInjection.propagate(jsc);
    }

    @Override
    public EpisodeSums actorBatch(ActorCriticModel model, ActorCriticState state, long seed, long episodes, int blockSize) {
        return run(b -> new ActorBlocks(model, b, seed, episodes, blockSize), state, episodes, blockSize,
                EpisodeSums::combine);
    }

    @Override
    public NormalEquations criticBatch(ActorCriticModel model, ActorCriticState state, long seed, long episodes,
                                       int blockSize) {
        return run(b -> new CriticBlocks(model, b, seed, episodes, blockSize), state, episodes, blockSize,
                NormalEquations::combine);
    }

    private <T> T run(java.util.function.Function<Broadcast<ActorCriticState>, BlockFunction<T>> task,
                      ActorCriticState state, long episodes, int blockSize, BinaryOperator<T> combine) {
        long blocks = VarianceLoop.numBlocks(episodes, blockSize);
        List<Long> ids = LongStream.range(0, blocks).boxed().toList();
        Broadcast<ActorCriticState> b = jsc.broadcast(state);
        try {
            JavaRDD<Long> rdd = jsc.parallelize(ids, (int) Math.min(partitions, blocks));
            return OrderedParts.merged(Jobs.foldPartitions(rdd, new OrderedParts(), task.apply(b), OrderedParts.class))
                    .fold(combine);
        } finally {
            b.destroy();
        }
    }

    @Override
    public VarianceWeightBatch weightBatch(EpisodicEnvironment env, VarianceWeightBatch.StateIndex index,
                                           double[][] policy, long seed, long iteration, long episodes, int blockSize,
                                           int maxSteps) {
        return runBroadcast(new WeightBlocks(env, index, seed, iteration, episodes, blockSize, maxSteps, false), policy,
                episodes, blockSize, VarianceWeightBatch::combine);
    }

    @Override
    public ReturnMoments startValues(EpisodicEnvironment env, VarianceWeightBatch.StateIndex index, double[][] policy,
                                     long seed, long iteration, long episodes, int blockSize, int maxSteps) {
        return runBroadcast(new WeightBlocks(env, index, seed, iteration, episodes, blockSize, maxSteps, true), policy,
                episodes, blockSize, ReturnMoments::combine);
    }

    @Override
    public PointWeightBatch pointWeightBatch(EpisodicEnvironment env, InputEmbedding embedding, ParticleSummary summary,
                                             long seed, long iteration, long episodes, int blockSize, int maxSteps) {
        return runBroadcast(new PointBlocks(env, embedding, seed, iteration, episodes, blockSize, maxSteps, false),
                summary, episodes, blockSize, PointWeightBatch::combine);
    }

    @Override
    public ReturnMoments pointStartValues(EpisodicEnvironment env, InputEmbedding embedding, ParticleSummary summary,
                                          long seed, long iteration, long episodes, int blockSize, int maxSteps) {
        return runBroadcast(new PointBlocks(env, embedding, seed, iteration, episodes, blockSize, maxSteps, true),
                summary, episodes, blockSize, ReturnMoments::combine);
    }

    /** The policy (or particle summary) broadcast, the block ids folded in one job, the blocks combined in ascending id. */
    private <V, T> T runBroadcast(BroadcastBlocks<V> task, V value, long episodes, int blockSize,
                                  BinaryOperator<T> combine) {
        long blocks = VarianceLoop.numBlocks(episodes, blockSize);
        List<Long> ids = LongStream.range(0, blocks).boxed().toList();
        Broadcast<V> b = jsc.broadcast(value);
        try {
            task.value = b;
            JavaRDD<Long> rdd = jsc.parallelize(ids, (int) Math.min(partitions, blocks));
            return OrderedParts.merged(Jobs.foldPartitions(rdd, new OrderedParts(), task, OrderedParts.class))
                    .fold(combine);
        } finally {
            b.destroy();
        }
    }

    /** Episode blocks of a weight batch of docs/algorithms.md §2.14 (or of its start-value batch) on a broadcast value. */
    abstract static class BroadcastBlocks<V> implements Function2<OrderedParts, Long, OrderedParts> {
        private static final long serialVersionUID = 1L;
        final EpisodicEnvironment env;
        final long seed;
        final long iteration;
        final long episodes;
        final int blockSize;
        final int maxSteps;
        final boolean startValues;
        Broadcast<V> value;

        BroadcastBlocks(EpisodicEnvironment env, long seed, long iteration, long episodes, int blockSize, int maxSteps,
                        boolean startValues) {
            this.env = env;
            this.seed = seed;
            this.iteration = iteration;
            this.episodes = episodes;
            this.blockSize = blockSize;
            this.maxSteps = maxSteps;
            this.startValues = startValues;
        }

        abstract Object simulate(V v, long first, int count);

        @Override
        public OrderedParts call(OrderedParts acc, Long block) {
            FaultInjection.maybeFail("variance weight block");
            return acc.add(block, simulate(value.value(), VarianceLoop.blockStart(block, blockSize),
                    VarianceLoop.blockCount(block, blockSize, episodes)));
        }
    }

    /** Blocks of the indexed weight batch (policy table broadcast). */
    static final class WeightBlocks extends BroadcastBlocks<double[][]> {
        private static final long serialVersionUID = 1L;
        private final VarianceWeightBatch.StateIndex index;

        WeightBlocks(EpisodicEnvironment env, VarianceWeightBatch.StateIndex index, long seed, long iteration,
                     long episodes, int blockSize, int maxSteps, boolean startValues) {
            super(env, seed, iteration, episodes, blockSize, maxSteps, startValues);
            this.index = index;
        }

        @Override
        Object simulate(double[][] pi, long first, int count) {
            return startValues
                    ? VarianceWeightBatch.startValueBlock(env, index, pi, seed, iteration, first, count, maxSteps)
                    : VarianceWeightBatch.simulate(env, index, pi, seed, iteration, first, count, maxSteps);
        }
    }

    /** Blocks of the point-based weight batch (particle summary broadcast). */
    static final class PointBlocks extends BroadcastBlocks<ParticleSummary> {
        private static final long serialVersionUID = 1L;
        private final InputEmbedding embedding;

        PointBlocks(EpisodicEnvironment env, InputEmbedding embedding, long seed, long iteration, long episodes,
                    int blockSize, int maxSteps, boolean startValues) {
            super(env, seed, iteration, episodes, blockSize, maxSteps, startValues);
            this.embedding = embedding;
        }

        @Override
        Object simulate(ParticleSummary summary, long first, int count) {
            return startValues
                    ? PointWeightBatch.startValueBlock(env, embedding, summary, seed, iteration, first, count, maxSteps)
                    : PointWeightBatch.simulate(env, embedding, summary, seed, iteration, first, count, maxSteps);
        }
    }

    /** Folds one block's result into the partition's collection. */
    abstract static class BlockFunction<T> implements Function2<OrderedParts, Long, OrderedParts> {
        private static final long serialVersionUID = 1L;
        final ActorCriticModel model;
        final long seed;
        final long episodes;
        final int blockSize;
        final Broadcast<ActorCriticState> state;

        BlockFunction(ActorCriticModel model, Broadcast<ActorCriticState> state, long seed, long episodes, int blockSize) {
            this.model = model;
            this.state = state;
            this.seed = seed;
            this.episodes = episodes;
            this.blockSize = blockSize;
        }

        abstract Object simulate(ActorCriticState s, long first, int count);

        @Override
        public OrderedParts call(OrderedParts acc, Long block) {
            FaultInjection.maybeFail("episode block");
            return acc.add(block, simulate(state.value(), VarianceLoop.blockStart(block, blockSize),
                    VarianceLoop.blockCount(block, blockSize, episodes)));
        }
    }

    /** Actor-batch blocks. */
    static final class ActorBlocks extends BlockFunction<EpisodeSums> {
        private static final long serialVersionUID = 1L;

        ActorBlocks(ActorCriticModel model, Broadcast<ActorCriticState> state, long seed, long episodes, int blockSize) {
            super(model, state, seed, episodes, blockSize);
        }

        @Override
        Object simulate(ActorCriticState s, long first, int count) {
            return VarianceLoop.simulateBlock(model, s, seed, first, count);
        }
    }

    /** Critic-batch blocks (variant B). */
    static final class CriticBlocks extends BlockFunction<NormalEquations> {
        private static final long serialVersionUID = 1L;

        CriticBlocks(ActorCriticModel model, Broadcast<ActorCriticState> state, long seed, long episodes, int blockSize) {
            super(model, state, seed, episodes, blockSize);
        }

        @Override
        Object simulate(ActorCriticState s, long first, int count) {
            return VarianceLoop.simulateCriticBlock(model, s, seed, first, count);
        }
    }


    /**
     * Per-block results keyed by block id; {@link #fold} combines them in ascending block id so that the total
     * does not depend on the partitioning or on the reduction tree. Final class for Kryo.
     */
    public static final class OrderedParts implements Serializable {
        private static final long serialVersionUID = 1L;
        private long[] ids = new long[4];
        private Object[] parts = new Object[4];
        private int size;

        /** Empty (also the Kryo constructor). */
        public OrderedParts() {
        }

        /** Adds one block's result; returns {@code this}. */
        public OrderedParts add(long id, Object part) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                parts = Arrays.copyOf(parts, size * 2);
            }
            ids[size] = id;
            parts[size++] = part;
            return this;
        }

        /** @return one collection holding all the parts of {@code all} (the per-partition results of a job) */
        static OrderedParts merged(OrderedParts[] all) {
            OrderedParts into = new OrderedParts();
            for (OrderedParts o : all) {
                for (int i = 0; i < o.size; i++) {
                    into.add(o.ids[i], o.parts[i]);
                }
            }
            return into;
        }

        /** @return the parts in ascending block id (each block exactly once) */
        @SuppressWarnings("unchecked")
        public <T> List<T> inOrder() {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Long.compare(ids[x], ids[y]));
            List<T> out = new java.util.ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                if (i > 0 && ids[order[i]] == ids[order[i - 1]]) {
                    throw new IllegalStateException("block " + ids[order[i]] + " computed twice");
                }
                out.add((T) parts[order[i]]);
            }
            return out;
        }

        /** @return the parts combined in ascending block id */
        public <T> T fold(BinaryOperator<T> combine) {
            T acc = null;
            for (T part : this.<T>inOrder()) {
                acc = acc == null ? part : combine.apply(acc, part);
            }
            return acc;
        }
    }
}
