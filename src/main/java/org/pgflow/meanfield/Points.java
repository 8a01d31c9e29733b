package org.pgflow.meanfield;

import java.io.Serializable;
import org.pgflow.mdp.FiniteMdp;

/**
 * A set of (state, action) input points {@code x_p = x(s_p, a_p)}, stored sparsely (compressed rows) so that
 * one-hot embeddings cost a gather of two weights instead of a {@code d_x}-long dot product. Immutable after
 * construction; arrays are owned by this object.
 */
public final class Points implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int inputDim;
    private final int[] offsets;   // row p occupies [offsets[p], offsets[p+1])
    private final int[] indices;
    private final double[] values;
    private final boolean unitValues;

    private Points(int inputDim, int[] offsets, int[] indices, double[] values) {
        this.inputDim = inputDim;
        this.offsets = offsets;
        this.indices = indices;
        this.values = values;
        boolean unit = true;
        for (double v : values) {
            unit &= v == 1.0;
        }
        this.unitValues = unit;
    }

    /**
     * Builds points from dense rows, dropping exact zeros.
     *
     * @param rows {@code x_p} for each point, all of length {@code inputDim}
     * @return the points
     */
    public static Points ofDense(double[][] rows) {
        int d = rows[0].length;
        int nnz = 0;
        for (double[] r : rows) {
            if (r.length != d) {
                throw new IllegalArgumentException("input rows differ in length: " + r.length + " vs " + d);
            }
            for (double v : r) {
                nnz += v != 0 ? 1 : 0;
            }
        }
        int[] off = new int[rows.length + 1];
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        int q = 0;
        for (int p = 0; p < rows.length; p++) {
            for (int j = 0; j < d; j++) {
                if (rows[p][j] != 0) {
                    idx[q] = j;
                    val[q] = rows[p][j];
                    q++;
                }
            }
            off[p + 1] = q;
        }
        return new Points(d, off, idx, val);
    }

    /**
     * All (s,a) points of a finite MDP, point index {@code p = s·A + a}.
     *
     * @param mdp the model (its feature maps define x)
     * @return the S·A points
     */
    public static Points allStateActions(FiniteMdp mdp) {
        double[][] rows = new double[mdp.numStates() * mdp.numActions()][];
        for (int s = 0; s < mdp.numStates(); s++) {
            for (int a = 0; a < mdp.numActions(); a++) {
                rows[s * mdp.numActions() + a] = mdp.input(s, a);
            }
        }
        return ofDense(rows);
    }

    /**
     * All (state, action) points of a finite problem without feature maps (e.g. an SSP's non-terminal states)
     * with the one-hot embedding {@code x(s,a) = one-hot(s) ++ one-hot(a)} ({@code d_x = S + A}), point index
     * {@code p = s·A + a}.
     *
     * @param numStates  S ≥ 1
     * @param numActions A ≥ 1
     * @return the S·A points
     */
    public static Points oneHotStateActions(int numStates, int numActions) {
        double[][] rows = new double[numStates * numActions][numStates + numActions];
        for (int s = 0; s < numStates; s++) {
            for (int a = 0; a < numActions; a++) {
                rows[s * numActions + a][s] = 1.0;
                rows[s * numActions + a][numStates + a] = 1.0;
            }
        }
        return ofDense(rows);
    }

    /**
     * No points: the measure summary then carries only the cloud's moments (Monte Carlo mode on environments
     * without a finite state space).
     *
     * @param inputDim d_x
     * @return an empty set of points
     */
    public static Points empty(int inputDim) {
        return new Points(inputDim, new int[1], new int[0], new double[0]);
    }

    /**
     * The points {@code x(s_i, a)} of sampled states and every action, point index {@code i·A + a}.
     *
     * @param env    the environment (its embedding)
     * @param states row-major states, {@code count × stateDim}
     * @param count  number of states
     * @return the {@code count·A} points
     */
    public static Points ofStates(org.pgflow.mdp.SimEnvironment env, double[] states, int count) {
        int na = env.numActions();
        int ds = env.stateDim();
        double[][] rows = new double[count * na][env.inputDim()];
        double[] s = new double[ds];
        for (int i = 0; i < count; i++) {
            System.arraycopy(states, i * ds, s, 0, ds);
            for (int a = 0; a < na; a++) {
                env.embed(s, a, rows[i * na + a]);
            }
        }
        return count == 0 ? empty(env.inputDim()) : ofDense(rows);
    }

    /** @return number of points P */
    public int size() {
        return offsets.length - 1;
    }

    /** @return d_x */
    public int inputDim() {
        return inputDim;
    }

    /** @return start of point p's non-zeros in {@link #index}/{@link #value} */
    public int start(int p) {
        return offsets[p];
    }

    /** @return end (exclusive) of point p's non-zeros */
    public int end(int p) {
        return offsets[p + 1];
    }

    /** @return input index of non-zero q */
    public int index(int q) {
        return indices[q];
    }

    /** @return value of non-zero q */
    public double value(int q) {
        return values[q];
    }

    /**
     * Whether every stored non-zero is exactly 1 (one-hot and other binary embeddings). Kernels then add the
     * gathered weights instead of multiplying them by 1, which gives the same bits ({@code w·1.0 == w}).
     *
     * @return true when all non-zero values equal 1.0
     */
    public boolean unitValues() {
        return unitValues;
    }

    /** The CSR row offsets, for kernels in this package (internal array: do not modify). */
    int[] offsets() {
        return offsets;
    }

    /** The CSR column indices, for kernels in this package (internal array: do not modify). */
    int[] indices() {
        return indices;
    }

    /** The CSR values, for kernels in this package (internal array: do not modify). */
    double[] values() {
        return values;
    }

    /** @return the dense input of point p (new array) */
    public double[] dense(int p) {
        double[] x = new double[inputDim];
        for (int q = offsets[p]; q < offsets[p + 1]; q++) {
            x[indices[q]] = values[q];
        }
        return x;
    }
}
