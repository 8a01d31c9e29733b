package org.pgflow.config;

/** What the mean-field policy gradient maximises ({@code meanfield.objective:}). */
public enum Objective implements Choice {
    /** The discounted entropy-regularised value (docs/algorithms.md §2.3). */
    VALUE,
    /** The variance-adjusted episodic objective {@code η = J − λ Var} (docs/algorithms.md §2.14; finite SSPs). */
    VARIANCE
}
