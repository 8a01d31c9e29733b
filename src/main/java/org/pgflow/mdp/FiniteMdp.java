package org.pgflow.mdp;

import java.io.Serializable;
import java.util.Arrays;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * An immutable finite, discounted, entropy-regularisable MDP (docs/algorithms.md §1.3, docs/architecture.md §7.2):
 * transitions {@code P[s][a][s']}, rewards {@code r[s][a]}, discount {@code γ ∈ [0,1)}, initial law {@code ρ},
 * reference measure {@code μ} on actions (positive weights; the mandated convention is a probability, default
 * {@code 1/A}) and bounded input features {@code x(s,a) = stateFeatures[s] ++ actionFeatures[a]} (default
 * one-hot, {@code d_x = S + A}).
 *
 * <p>Every instance is validated on construction ({@link #of}); an invalid one cannot exist. Arrays are copied
 * in and stored flat; accessors return values, never internal arrays. Thread-safe.
 */
public final class FiniteMdp implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Tolerance on the sums of probability rows (docs/architecture.md §7.2). */
    public static final double SUM_TOLERANCE = 1e-9;

    private final String name;
    private final int numStates;
    private final int numActions;
    private final double gamma;
    private final double[] p;      // [(s*A + a)*S + s']
    private final double[] r;      // [s*A + a]
    private final double[] rho;
    private final double[] mu;
    private final double[][] stateFeatures;
    private final double[][] actionFeatures;
    private final boolean oneHot;

    private FiniteMdp(String name, int numStates, int numActions, double gamma, double[] p, double[] r,
                      double[] rho, double[] mu, double[][] stateFeatures, double[][] actionFeatures, boolean oneHot) {
        this.name = name;
        this.numStates = numStates;
        this.numActions = numActions;
        this.gamma = gamma;
        this.p = p;
        this.r = r;
        this.rho = rho;
        this.mu = mu;
        this.stateFeatures = stateFeatures;
        this.actionFeatures = actionFeatures;
        this.oneHot = oneHot;
    }

    /**
     * Validates and builds an MDP. Field names in messages are those of the {@code *.mdp.json} format.
     *
     * @param name           optional name (null → "mdp")
     * @param gamma          discount, in [0, 1)
     * @param transitions    {@code [S][A][S]}, non-negative rows summing to 1 ± 1e-9
     * @param rewards        {@code [S][A]}, finite
     * @param initial        {@code [S]}, non-negative, summing to 1 ± 1e-9
     * @param referenceMeasure {@code [A]} positive finite weights, or null for {@code 1/A}
     * @param stateFeatures  {@code [S][d_s]} finite, or null for one-hot
     * @param actionFeatures {@code [A][d_a]} finite, or null for one-hot
     * @return the validated model
     * @throws InvalidInputException naming the field, index and value of the first violation
     */
    public static FiniteMdp of(String name, double gamma, double[][][] transitions, double[][] rewards, double[] initial,
                               double[] referenceMeasure, double[][] stateFeatures, double[][] actionFeatures) {
        int s0 = transitions.length;
        if (s0 < 1) {
            throw new InvalidInputException("states must be >= 1 but was " + s0);
        }
        int a0 = transitions[0].length;
        if (a0 < 1) {
            throw new InvalidInputException("actions must be >= 1 but was " + a0);
        }
        Checks.inHalfOpen("gamma", gamma, 0.0, 1.0);
        double[] p = new double[s0 * a0 * s0];
        for (int s = 0; s < s0; s++) {
            requireLength("transitions[" + s + "]", transitions[s].length, a0, "actions");
            for (int a = 0; a < a0; a++) {
                String path = "transitions[" + s + "][" + a + "]";
                requireLength(path, transitions[s][a].length, s0, "states");
                probabilityRow(path, transitions[s][a]);
                System.arraycopy(transitions[s][a], 0, p, (s * a0 + a) * s0, s0);
            }
        }
        requireLength("rewards", rewards.length, s0, "states");
        double[] r = new double[s0 * a0];
        for (int s = 0; s < s0; s++) {
            requireLength("rewards[" + s + "]", rewards[s].length, a0, "actions");
            for (int a = 0; a < a0; a++) {
                r[s * a0 + a] = Checks.finite("rewards[" + s + "][" + a + "]", rewards[s][a]);
            }
        }
        requireLength("initial", initial.length, s0, "states");
        probabilityRow("initial", initial);
        double[] mu;
        if (referenceMeasure == null) {
            mu = new double[a0];
            Arrays.fill(mu, 1.0 / a0);
        } else {
            requireLength("referenceMeasure", referenceMeasure.length, a0, "actions");
            mu = referenceMeasure.clone();
            for (int a = 0; a < a0; a++) {
                Checks.positive("referenceMeasure[" + a + "]", mu[a]);
            }
        }
        boolean oneHot = stateFeatures == null && actionFeatures == null;
        double[][] sf = stateFeatures == null ? identity(s0) : features("stateFeatures", stateFeatures, s0, "states");
        double[][] af = actionFeatures == null ? identity(a0) : features("actionFeatures", actionFeatures, a0, "actions");
        return new FiniteMdp(name == null ? "mdp" : name, s0, a0, gamma, p, r, initial.clone(), mu, sf, af, oneHot);
    }

    private static void requireLength(String path, int actual, int expected, String what) {
        if (actual != expected) {
            throw new InvalidInputException(path + " has " + actual + " entries but " + expected + " were expected (" + what + ")");
        }
    }

    /** Checks one probability row: finite, non-negative, sum 1 ± {@link #SUM_TOLERANCE}. */
    static void probabilityRow(String path, double[] row) {
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            double v = row[i];
            if (!Double.isFinite(v)) {
                throw new InvalidInputException(path + "[" + i + "] must be finite but was " + v);
            }
            if (v < 0) {
                throw new InvalidInputException(path + "[" + i + "] is a probability and must be >= 0 but was " + v);
            }
            sum += v;
        }
        if (!(Math.abs(sum - 1.0) <= SUM_TOLERANCE)) {
            throw new InvalidInputException(path + " must sum to 1 ± " + SUM_TOLERANCE + " but sums to " + sum);
        }
    }

    private static double[][] features(String field, double[][] f, int rows, String what) {
        requireLength(field, f.length, rows, what);
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            requireLength(field + "[" + i + "]", f[i].length, f[0].length, "length of " + field + "[0]");
            out[i] = f[i].clone();
            for (int j = 0; j < out[i].length; j++) {
                Checks.finite(field + "[" + i + "][" + j + "]", out[i][j]);
            }
        }
        return out;
    }

    private static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1.0;
        }
        return m;
    }

    /** @return the model's name */
    public String name() {
        return name;
    }

    /** @return number of states {@code S} */
    public int numStates() {
        return numStates;
    }

    /** @return number of actions {@code A} */
    public int numActions() {
        return numActions;
    }

    /** @return discount {@code γ ∈ [0,1)} */
    public double gamma() {
        return gamma;
    }

    /** @return {@code P(s'|s,a)} */
    public double p(int s, int a, int next) {
        return p[(s * numActions + a) * numStates + next];
    }

    /** @return {@code r(s,a)} */
    public double r(int s, int a) {
        return r[s * numActions + a];
    }

    /** @return {@code ρ(s)} */
    public double rho(int s) {
        return rho[s];
    }

    /** @return {@code μ(a)} */
    public double mu(int a) {
        return mu[a];
    }

    /** @return a copy of the initial law {@code ρ} */
    public double[] rho() {
        return rho.clone();
    }

    /** @return a copy of the reference measure {@code μ} */
    public double[] mu() {
        return mu.clone();
    }

    /** @return the transition row {@code P(·|s,a)} into {@code out} (length S) */
    public double[] transitionRow(int s, int a, double[] out) {
        System.arraycopy(p, (s * numActions + a) * numStates, out, 0, numStates);
        return out;
    }

    /** @return {@code true} when both feature maps are the default one-hot ones */
    public boolean oneHotFeatures() {
        return oneHot;
    }

    /** @return the input dimension {@code d_x = d_s + d_a} */
    public int inputDimension() {
        return stateFeatures[0].length + actionFeatures[0].length;
    }

    /**
     * @return the input embedding {@code x(s,a) = stateFeatures[s] ++ actionFeatures[a]} (new array)
     */
    public double[] input(int s, int a) {
        double[] sf = stateFeatures[s];
        double[] af = actionFeatures[a];
        double[] x = new double[sf.length + af.length];
        System.arraycopy(sf, 0, x, 0, sf.length);
        System.arraycopy(af, 0, x, sf.length, af.length);
        return x;
    }

    /** @return max |r(s,a)| */
    public double maxAbsReward() {
        double m = 0;
        for (double v : r) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
