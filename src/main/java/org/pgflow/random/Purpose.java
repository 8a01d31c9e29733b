package org.pgflow.random;

/**
 * What a random stream is used for. Each purpose has a fixed id that enters the seed derivation, so adding a
 * new purpose never shifts the streams of existing ones. Never renumber.
 */
public enum Purpose {
    /** Initial particle positions (item = particle id). */
    INIT(1),
    /** Initial positions of the second, coupled cloud (item = particle id). */
    INIT_COUPLED(2),
    /** Brownian increments of the Euler–Maruyama step (iteration, item = particle id). */
    PARTICLE_NOISE(3),
    /** Monte Carlo state sampling and Q rollouts (iteration, item = rollout id). */
    ROLLOUT(4),
    /** Actor–critic episodes (iteration, item = episode id). */
    EPISODE(5),
    /** Subsample selection for diagnostics and summaries (iteration, item). */
    SUBSAMPLE(6),
    /** Random problem instances (item = instance index). */
    INSTANCE(7),
    /** Monte Carlo monitoring of the value (iteration, item = rollout id). */
    MONITOR(8),
    /** Second, independent batch of episodes (least-squares critic sample splitting). */
    EPISODE_CRITIC(9),
    /** Episodes from x0 of the Monte Carlo variance-adjusted weight table (iteration, item = episode id). */
    VARIANCE_WEIGHT(10),
    /**
     * Continuation rollouts of that estimator: master seed = the episode's derived seed, iteration = step k of
     * the episode, item 0; shared by the |U| continuations of one step (common random numbers).
     */
    VARIANCE_WEIGHT_CONTINUATION(11),
    /** Independent batch of episodes for Ĵ(x0) in that estimator (sample splitting; iteration, item = episode id). */
    VARIANCE_WEIGHT_START(12),
    /** Test-only streams. */
    TEST(63);

    private final int id;

    Purpose(int id) {
        this.id = id;
    }

    /** @return the fixed id of this purpose */
    public int id() {
        return id;
    }
}
