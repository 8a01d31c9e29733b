package org.pgflow.mdp;

import java.io.Serializable;

/**
 * A feature map {@code φ(x) ∈ ℝ^d} on the states of an {@link EpisodicEnvironment}, used by linear policies
 * (docs/algorithms.md §5 T9) and as optional extra critic columns (docs/algorithms.md §4.6). Immutable and thread-safe.
 */
public interface StateFeatures extends Serializable {
    /** @return the dimension {@code d} */
    int dimension();

    /**
     * @param state  a non-terminal state
     * @param out    destination; entries {@code out[offset .. offset+d)} are overwritten, others untouched
     * @param offset first index written
     */
    void features(double[] state, double[] out, int offset);
}
