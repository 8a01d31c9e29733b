package org.pgflow.config;

/** How the mean-field policy gradient evaluates its policy ({@code meanfield.evaluation:}). */
public enum Evaluation implements Choice {
    /** Exact policy evaluation on a finite MDP. */
    EXACT,
    /** Monte Carlo rollouts on a simulator (docs/algorithms.md §2.9). */
    MONTECARLO
}
