package org.pgflow.train;

import org.pgflow.estimate.RolloutBatch;
import org.pgflow.mdp.SimEnvironment;
import org.pgflow.meanfield.ParticleSummary;

/**
 * Where the Monte Carlo rollouts of a mean-field iteration run: in this JVM ({@link #LOCAL}) or over an RDD of
 * rollout-id blocks ({@code org.pgflow.spark.SparkRolloutEngine}). Block {@code b} holds ids
 * {@code [b·B, min((b+1)·B, n))} and blocks are appended in ascending id, so both return the same bits for any
 * partitioning.
 */
public interface RolloutEngine {
    /**
     * Simulates rollout ids {@code 0..n−1} of iteration k ({@link RolloutBatch#simulate}).
     *
     * @param request what to simulate
     * @return the combined batch
     */
    RolloutBatch evaluate(Request request);

    /**
     * One iteration's rollouts.
     *
     * @param env          the environment
     * @param summary      the particles (measure summary)
     * @param tau          τ
     * @param horizon      0 = geometric, else truncation H
     * @param seed         master seed
     * @param iteration    k
     * @param rollouts     number of rollout ids n (≥ the number of sampled states and of monitor samples)
     * @param states       ids below this sample a state and its Q̂ row (M_s)
     * @param monitor      ids below this sample V̂(ρ)
     * @param returns      ids below this sample an episode return
     * @param blockSize    ids per block B
     */
    record Request(SimEnvironment env, ParticleSummary summary, double tau, int horizon, long seed, long iteration,
                   long rollouts, long states, long monitor, long returns, int blockSize) implements java.io.Serializable {
    }

    /** Simulates block {@code b} of a request (pure). */
    static RolloutBatch block(Request r, long b) {
        long first = b * r.blockSize();
        int count = (int) Math.min(r.blockSize(), r.rollouts() - first);
        RolloutBatch batch = RolloutBatch.simulate(r.env(), r.summary(), r.tau(), r.horizon(), r.seed(), r.iteration(),
                first, count, r.monitor(), r.returns(), r.states());
        return batch;
    }

    /** @return the number of blocks of a request */
    static long numBlocks(Request r) {
        return (r.rollouts() + r.blockSize() - 1) / r.blockSize();
    }

    /** Sequential blocks in this JVM. */
    RolloutEngine LOCAL = local(WorkerPool.SEQUENTIAL);

    /**
     * The in-JVM engine: blocks simulated on the pool's threads, appended in block order.
     *
     * @param pool worker threads
     * @return the engine
     */
    static RolloutEngine local(WorkerPool pool) {
        return r -> {
            RolloutBatch all = null;
            for (RolloutBatch part : pool.map(Math.toIntExact(numBlocks(r)), b -> block(r, b))) {
                all = all == null ? part : all.append(part);
            }
            return all;
        };
    }
}
