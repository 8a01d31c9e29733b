package org.pgflow.spark;

import java.util.List;
import java.util.stream.LongStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.pgflow.estimate.RolloutBatch;
import org.pgflow.meanfield.ParticleSummary;
import org.pgflow.train.RolloutEngine;

/**
 * Monte Carlo rollouts on Spark (docs/algorithms.md §2.9 steps 1–3): the measure summary (particle matrix or its seeded
 * subsample) is broadcast, an RDD of rollout-block ids is folded partition by partition in one job ({@link Jobs#foldPartitions}) — each task rebuilds
 * its streams from {@code (seed, ROLLOUT/MONITOR, k, rollout id)} — and the driver appends the blocks in id order.
 * The environment (small, immutable) travels in the task closure.
 */
public final class SparkRolloutEngine implements RolloutEngine {
    private final JavaSparkContext jsc;
    private final int partitions;

    /**
     * @param spark      the session
     * @param partitions partitions of the rollout-block RDD
     */
    public SparkRolloutEngine(SparkSession spark, int partitions) {
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.partitions = partitions;
        FaultInjection.propagate(jsc);
    }

    @Override
    public RolloutBatch evaluate(Request r) {
        long blocks = RolloutEngine.numBlocks(r);
        List<Long> ids = LongStream.range(0, blocks).boxed().toList();
        Broadcast<ParticleSummary> summary = jsc.broadcast(r.summary());
        try {
            Request shell = new Request(r.env(), null, r.tau(), r.horizon(), r.seed(), r.iteration(), r.rollouts(),
                    r.states(), r.monitor(), r.returns(), r.blockSize());
            return SparkEpisodeEngine.OrderedParts.merged(Jobs.foldPartitions(
                            jsc.parallelize(ids, (int) Math.min(partitions, blocks)), new SparkEpisodeEngine.OrderedParts(),
                            new RolloutBlocks(shell, summary), SparkEpisodeEngine.OrderedParts.class))
                    .fold(RolloutBatch::append);
        } finally {
            summary.destroy();
        }
    }

    /** Simulates one block with the broadcast summary. */
    static final class RolloutBlocks implements Function2<SparkEpisodeEngine.OrderedParts, Long, SparkEpisodeEngine.OrderedParts> {
        private static final long serialVersionUID = 1L;
        private final Request shell;
        private final Broadcast<ParticleSummary> summary;

        RolloutBlocks(Request shell, Broadcast<ParticleSummary> summary) {
            this.shell = shell;
            this.summary = summary;
        }

        @Override
        public SparkEpisodeEngine.OrderedParts call(SparkEpisodeEngine.OrderedParts acc, Long block) {
            FaultInjection.maybeFail("rollout block");
            Request r = new Request(shell.env(), summary.value(), shell.tau(), shell.horizon(), shell.seed(),
                    shell.iteration(), shell.rollouts(), shell.states(), shell.monitor(), shell.returns(), shell.blockSize());
            return acc.add(block, RolloutEngine.block(r, block));
        }
    }
}
