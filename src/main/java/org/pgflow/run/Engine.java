package org.pgflow.run;

import java.nio.file.Path;
import org.pgflow.train.EpisodeEngine;
import org.pgflow.train.ParticleEngine;
import org.pgflow.train.RolloutEngine;

/**
 * Where a run's distributed work executes: the in-JVM engine ({@link LocalEngine}: a pool of worker threads,
 * no Spark) or the RDD engine ({@code org.pgflow.spark.SparkEngine}). Both run the same block kernels with the
 * same streams and combine by block id, so they give the same bits; a job asks its engine for the particle,
 * rollout and episode engines it needs and never knows which one it got.
 */
public interface Engine extends AutoCloseable {
    /** @return {@code local} or {@code spark} (recorded in run.json) */
    String name();

    /** @return the master the run was given (recorded in run.json) */
    String master();

    /** @return worker threads (in-JVM) or partitions (Spark) the work is spread over */
    int parallelism();

    /** @return the Spark version of a Spark engine, or null */
    String sparkVersion();

    /**
     * A particle engine for one run.
     *
     * @param scratch         a directory of the run the engine may use for its own files (Spark's lineage checkpoints)
     * @param checkpointEvery lineage truncation period (Spark)
     * @return the engine (the caller closes it)
     */
    ParticleEngine particles(Path scratch, long checkpointEvery);

    /** @return the rollout engine of Monte Carlo mode */
    RolloutEngine rollouts();

    /** @return the episode engine of the actor–critic */
    EpisodeEngine episodes();

    /** Releases the engine's threads or session. */
    @Override
    void close();
}
