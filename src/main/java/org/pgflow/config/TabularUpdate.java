package org.pgflow.config;

import java.util.List;

/** The tabular baseline ({@code tabular.update:}, docs/algorithms.md §2.13). */
public enum TabularUpdate implements Choice {
    /** The softmax policy gradient {@code θ ← θ + ηW} (also spelled {@code softmax-pg}). */
    PG,
    /** The entropy-regularised natural policy gradient. */
    NPG;

    /** The accepted spellings, {@code softmax-pg} being another name of {@code pg}. */
    static final List<String> SPELLINGS = List.of("pg", "softmax-pg", "npg");

    /**
     * @param text {@code pg}, {@code softmax-pg} or {@code npg}
     * @return the update
     * @throws IllegalArgumentException for anything else
     */
    public static TabularUpdate of(String text) {
        return text.equals("softmax-pg") ? PG : Choice.of(TabularUpdate.class, text);
    }
}
