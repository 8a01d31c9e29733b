package org.pgflow.run;

import java.nio.file.Path;
import org.pgflow.io.ParticleSnapshots;
import org.pgflow.train.EpisodeEngine;
import org.pgflow.train.LocalParticleEngine;
import org.pgflow.train.ParticleEngine;
import org.pgflow.train.RolloutEngine;
import org.pgflow.train.WorkerPool;

/**
 * The in-JVM engine: a fixed pool of worker threads over the same blocks, kernels and streams as the Spark
 * engine, with sums combined in block order (same bits for any thread count, and as on Spark), particles
 * stepped in place, Parquet snapshots written by the Parquet library. Starts no SparkSession.
 */
public final class LocalEngine implements Engine {
    private final WorkerPool pool;
    private final String master;

    /**
     * @param threads worker threads (≥ 1)
     * @param master  the master the run was given (recorded only)
     */
    public LocalEngine(int threads, String master) {
        this.pool = new WorkerPool(threads);
        this.master = master;
    }

    /**
     * The thread count of {@code threads: auto}: the N of a {@code local[N]} master, else the cores.
     *
     * @param configured {@code threads} ({@link org.pgflow.config.RunConfig.SparkSpec#AUTO} for auto)
     * @param master     the master URL
     * @return ≥ 1
     */
    public static int threads(int configured, String master) {
        if (configured != org.pgflow.config.RunConfig.SparkSpec.AUTO) {
            return configured;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\d+)(,\\d+)?]").matcher(master);
        if (m.matches()) {
            return Math.max(1, Integer.parseInt(m.group(1)));
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String master() {
        return master;
    }

    @Override
    public int parallelism() {
        return pool.threads();
    }

    @Override
    public String sparkVersion() {
        return null;
    }

    @Override
    public ParticleEngine particles(Path scratch, long checkpointEvery) {
        return new LocalParticleEngine(pool, ParticleSnapshots.writer(pool));
    }

    @Override
    public RolloutEngine rollouts() {
        return RolloutEngine.local(pool);
    }

    @Override
    public EpisodeEngine episodes() {
        return EpisodeEngine.local(pool);
    }

    @Override
    public void close() {
        pool.close();
    }
}
