package org.pgflow.mdp.env;

import java.io.Serializable;
import org.pgflow.math.Quadrature;
import org.pgflow.util.InvalidInputException;

/**
 * A finite action grid replacing a continuous action set (docs/algorithms.md §2.7b): the tensor product of one
 * one-dimensional probability quadrature rule per action coordinate. Action index {@code a} maps to the
 * coordinates {@code (x_{j_1}, …, x_{j_m})} with {@code a = j_1·J^{m−1} + … + j_m} (last coordinate fastest)
 * and weight {@code μ_a = Π_i w_{j_i}} (Σ μ = 1). Immutable and thread-safe.
 */
public final class ActionGrid implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int dim;
    private final int perDim;
    private final double[] actions; // [a*dim + i]
    private final double[] weights;

    private ActionGrid(Quadrature rule, int dim) {
        if (dim < 1) {
            throw new InvalidInputException("action dimension must be >= 1 but was " + dim);
        }
        this.dim = dim;
        this.perDim = rule.size();
        long total = 1;
        for (int i = 0; i < dim; i++) {
            total *= perDim;
        }
        if (total > 1_000_000) {
            throw new InvalidInputException("action grid size must be <= 1e6 but was " + total);
        }
        int n = (int) total;
        this.actions = new double[n * dim];
        this.weights = new double[n];
        for (int a = 0; a < n; a++) {
            int rest = a;
            double w = 1;
            for (int i = dim - 1; i >= 0; i--) {
                int j = rest % perDim;
                rest /= perDim;
                actions[a * dim + i] = rule.node(j);
                w *= rule.weight(j);
            }
            weights[a] = w;
        }
    }

    /**
     * @param rule one-dimensional probability rule (weights summing to 1)
     * @param dim  number of action coordinates m ≥ 1
     * @return the tensor grid with {@code J^m} points
     */
    public static ActionGrid tensor(Quadrature rule, int dim) {
        return new ActionGrid(rule, dim);
    }

    /** @return number of grid points */
    public int size() {
        return weights.length;
    }

    /** @return number of action coordinates */
    public int dim() {
        return dim;
    }

    /** @return coordinate {@code i} of grid action {@code a} */
    public double coordinate(int a, int i) {
        return actions[a * dim + i];
    }

    /** @return the weight {@code μ_a} */
    public double weight(int a) {
        return weights[a];
    }

    /**
     * @param a   grid index
     * @param out destination of length {@link #dim()}
     */
    public void action(int a, double[] out) {
        System.arraycopy(actions, a * dim, out, 0, dim);
    }
}
