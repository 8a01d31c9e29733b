package org.pgflow.config;

/** What a run learns with ({@code algorithm:}). */
public enum Algorithm implements Choice {
    /** The mean-field policy gradient (docs/algorithms.md §2). */
    MEANFIELD,
    /** The variance-adjusted actor–critic (docs/algorithms.md §4.7–4.8). */
    VARIANCE,
    /** The tabular baselines with exact evaluation (docs/algorithms.md §2.13). */
    TABULAR
}
