package org.pgflow.mdp.env;

import org.pgflow.mdp.SimEnvironment;
import org.pgflow.util.Checks;

/**
 * A simulator with a continuous action space discretised by an {@link ActionGrid} (docs/algorithms.md §2.7b) and a discount:
 * the part of {@link SimEnvironment} that is the same for all of them (actions = grid points, reference
 * weights = grid weights, γ validated in [0, 1)). Subclasses add the dynamics, the reward and the embedding.
 */
abstract class GridEnvironment implements SimEnvironment {
    private static final long serialVersionUID = 1L;
    /** The discount γ. */
    protected final double gamma;
    /** The action grid. */
    protected final ActionGrid grid;

    /**
     * @param gamma discount, checked to be in [0, 1)
     * @param grid  action grid
     */
    GridEnvironment(double gamma, ActionGrid grid) {
        this.gamma = Checks.inHalfOpen("gamma", gamma, 0.0, 1.0);
        this.grid = grid;
    }

    @Override
    public final int numActions() {
        return grid.size();
    }

    @Override
    public final double referenceWeight(int a) {
        return grid.weight(a);
    }

    @Override
    public final double gamma() {
        return gamma;
    }
}
