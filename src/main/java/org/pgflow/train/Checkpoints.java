package org.pgflow.train;

import java.nio.file.Path;

/**
 * Checkpoint and resume hooks of a training loop (the run directory's {@code checkpoint/}).
 * A loop calls {@link Sink#save} every {@code every} iterations, at iteration k after rows 0..k−1 of
 * metrics.csv are complete and before the cloud (or actor–critic state) of iteration k is advanced; a resumed
 * loop restarts at that k from the saved state. Random streams are addressed by (seed, purpose, iteration, id),
 * so nothing about generator positions needs saving: the resumed run computes the same bits as an uninterrupted
 * one.
 *
 * @param every  checkpoint period in iterations (≥ 1)
 * @param sink   where checkpoints go, or null for none
 * @param resume where to restart from, or null to start at iteration 0
 */
public record Checkpoints(long every, Sink sink, Resume resume) {
    /** No checkpoints, no resume. */
    public static final Checkpoints NONE = new Checkpoints(Long.MAX_VALUE, null, null);

    /** Receives checkpoints. */
    public interface Sink {
        /**
         * Saves the state of iteration k (the particle engine's blocks, or {@code state}).
         *
         * @param k       iteration
         * @param elapsed seconds since the run started (carried across resumes)
         * @param engine  the particle engine, or null (actor–critic)
         * @param state   the actor–critic state, or null (mean-field)
         */
        void save(long k, double elapsed, ParticleEngine engine, org.pgflow.variance.ActorCriticState state);
    }

    /**
     * Where a resumed run restarts (a checkpoint that passed verification).
     *
     * @param iteration     k
     * @param elapsed       seconds the run had taken until the checkpoint
     * @param particles     directory of the saved particle blocks (mean-field), or null
     * @param particleFiles the manifest's record of the block files, in block order (mean-field), or null
     * @param state         saved actor–critic state, or null
     */
    public record Resume(long iteration, double elapsed, Path particles,
                         java.util.List<org.pgflow.meanfield.BlockFiles.Written> particleFiles,
                         org.pgflow.variance.ActorCriticState state) {
    }

    /** @return whether a checkpoint is due at iteration k (never at 0, never twice at the resume point) */
    public boolean due(long k) {
        return sink != null && k > 0 && k % every == 0 && (resume == null || k != resume.iteration());
    }

    /** @return the first iteration of the loop */
    public long start() {
        return resume == null ? 0 : resume.iteration();
    }

    /** @return the seconds already spent before the loop starts */
    public double elapsedBefore() {
        return resume == null ? 0 : resume.elapsed();
    }
}
