package org.pgflow.spark;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.pgflow.run.Engine;
import org.pgflow.train.EpisodeEngine;
import org.pgflow.train.ParticleEngine;
import org.pgflow.train.RolloutEngine;

/**
 * The RDD engine: particle blocks as a cached RDD ({@link SparkParticleEngine}), rollouts and episodes as jobs
 * over RDDs of block ids ({@link SparkRolloutEngine}, {@link SparkEpisodeEngine}), on a session this engine
 * opens and stops.
 */
public final class SparkEngine implements Engine {
    private final SparkRuntime runtime;
    private final int partitions;

    private SparkEngine(SparkRuntime runtime, int partitions) {
        this.runtime = runtime;
        this.partitions = partitions;
    }

    /**
     * Opens a session.
     *
     * @param master     master URL
     * @param appName    application name
     * @param partitions {@code spark.partitions} ({@link org.pgflow.config.RunConfig.SparkSpec#AUTO} for one per core)
     * @param verbose    show Spark's INFO logging
     * @return the engine
     */
    public static SparkEngine open(String master, String appName, int partitions, boolean verbose) {
        SparkRuntime rt = SparkRuntime.open(master, appName);
        try {
            if (verbose) {
                rt.verboseLogging();
            }
            return new SparkEngine(rt, SparkSessions.partitions(rt.session(), partitions));
        } catch (RuntimeException | Error e) {
            rt.close();
            throw e;
        }
    }

    /** @return the session handle (studies on a cluster run their cells through it) */
    public SparkRuntime runtime() {
        return runtime;
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public String master() {
        return runtime.master();
    }

    @Override
    public int parallelism() {
        return partitions;
    }

    @Override
    public String sparkVersion() {
        return runtime.version();
    }

    @Override
    public ParticleEngine particles(Path scratch, long checkpointEvery) {
        SparkSession spark = runtime.session();
        spark.sparkContext().setCheckpointDir(scratch.toAbsolutePath().toString());
        return new SparkParticleEngine(spark, partitions, checkpointEvery);
    }

    @Override
    public RolloutEngine rollouts() {
        return new SparkRolloutEngine(runtime.session(), partitions);
    }

    @Override
    public EpisodeEngine episodes() {
        return new SparkEpisodeEngine(runtime.session(), partitions);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
