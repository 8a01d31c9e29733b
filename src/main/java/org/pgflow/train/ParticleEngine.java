package org.pgflow.train;

import java.nio.file.Path;
import java.util.List;
import org.pgflow.meanfield.CloudTotals;
import org.pgflow.meanfield.MeanFieldSetup;
import org.pgflow.meanfield.ParticleBlock;

/**
 * Where the particle blocks live and how the per-block operations run: in this JVM
 * ({@link LocalParticleEngine}) or as a cached RDD on Spark ({@code org.pgflow.spark.SparkParticleEngine}).
 * Both call the same {@link org.pgflow.meanfield.BlockOps} and combine blocks in block order, so they produce
 * the same bits. One engine runs one particle system at a time.
 */
public interface ParticleEngine extends AutoCloseable {
    /**
     * Creates the initial blocks.
     *
     * @param setup constants of the run
     */
    void init(MeanFieldSetup setup);

    /**
     * Reduces the current cloud to its measure summary and diagnostic sums.
     *
     * @param iteration current iteration k (for logging and checkpoints)
     * @param sampleIds ascending ids of the diagnostic subsample, or null
     * @return the totals, combined in block order
     */
    CloudTotals summarize(long iteration, long[] sampleIds);

    /**
     * Advances every block by one Euler–Maruyama step with the given weight tables.
     *
     * @param iteration     k (keys the noise)
     * @param weight        weight table of the main cloud
     * @param coupledWeight weight table of the coupled cloud, or null
     */
    void step(long iteration, double[] weight, double[] coupledWeight);

    /**
     * Advances every block by one step with a weight table over this iteration's own points (Monte Carlo mode).
     *
     * @param iteration k (keys the noise)
     * @param points    the points (sampled states × actions)
     * @param weight    weight table over {@code points}
     */
    void stepAt(long iteration, org.pgflow.meanfield.Points points, double[] weight);

    /**
     * {@link #step(long, double[], double[])} with this iteration's noise {@code σ_k} instead of the setup's σ
     * (annealing, docs/algorithms.md §2.12): both the {@code −(σ_k²/2)∇U} term and the noise {@code σ_k √Δt ζ}.
     *
     * @param iteration     k (keys the noise)
     * @param sigma         σ_k ≥ 0
     * @param weight        weight table of the main cloud
     * @param coupledWeight weight table of the coupled cloud, or null
     */
    default void step(long iteration, double sigma, double[] weight, double[] coupledWeight) {
        throw new UnsupportedOperationException(getClass().getName() + " has no annealed step");
    }

    /**
     * {@link #stepAt(long, org.pgflow.meanfield.Points, double[])} with this iteration's noise {@code σ_k}.
     *
     * @param iteration k (keys the noise)
     * @param sigma     σ_k ≥ 0
     * @param points    the points (sampled states × actions)
     * @param weight    weight table over {@code points}
     */
    default void stepAt(long iteration, double sigma, org.pgflow.meanfield.Points points, double[] weight) {
        throw new UnsupportedOperationException(getClass().getName() + " has no annealed step");
    }

    /**
     * Writes the current main cloud as a Parquet snapshot (one row per particle: id, theta[]).
     *
     * @param iteration the iteration the cloud belongs to
     * @param directory target directory (must not exist)
     */
    void snapshot(long iteration, Path directory);

    /**
     * Saves the current blocks (checkpoint) as one {@link org.pgflow.meanfield.BlockFiles} file per block, so
     * that {@link #restore} — on this engine or the other — rebuilds them exactly.
     *
     * @param directory target directory (must not exist)
     * @return what was written, in block order (the checkpoint manifest records it)
     */
    List<org.pgflow.meanfield.BlockFiles.Written> save(Path directory);

    /**
     * Starts from saved blocks instead of {@link #init}.
     *
     * @param setup     constants of the run
     * @param directory a directory written by {@link #save} (of either engine)
     * @param files     the manifest's record of its files, one per block in block order (already verified)
     */
    void restore(MeanFieldSetup setup, Path directory, List<org.pgflow.meanfield.BlockFiles.Written> files);

    /** @return all current blocks in block order (for tests and small clouds) */
    List<ParticleBlock> blocks();

    /** Releases cached data. */
    @Override
    void close();
}
