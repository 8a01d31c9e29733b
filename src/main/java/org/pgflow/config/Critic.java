package org.pgflow.config;

/** The critic of the actor–critic ({@code variance.critic:}, docs/algorithms.md §4.6–4.9). */
public enum Critic implements Choice {
    /** Equations (4), averaged over the batch (variant A). */
    INCREMENTAL,
    /** Batch least squares on an independent critic batch (variant B). */
    LEAST_SQUARES,
    /** The exact projections of §4.6 (finite SSPs, for checks). */
    EXACT,
    /** The TD(0) critic of §4.9 on the critic schedule α_k. */
    TD0,
    /** The LSTD(λ) critic of §4.9 on the critic batch. */
    LSTD;

    /** @return whether it bootstraps from state values, so that it needs {@code variance.criticStateFeatures: true} */
    public boolean needsStateFeatures() {
        return this == TD0 || this == LSTD;
    }
}
