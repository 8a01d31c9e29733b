package org.pgflow.mdp;

import java.io.Serializable;
import java.util.ArrayDeque;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * An immutable episodic stochastic-shortest-path problem (docs/algorithms.md §4.1, docs/architecture.md §7.2): non-terminal states
 * {@code 0..n−1}, terminal state {@code n} (absorbing, reward 0), actions {@code 0..m−1}, transitions
 * {@code P(y|x,u)} over {@code y ∈ 0..n}, rewards {@code r(x,u)}, start state {@code x0} and an optional
 * discount {@code γ ∈ (0,1]} (1 = the paper's undiscounted return).
 *
 * <p>Validation rejects, besides malformed rows, an <em>improper</em> problem: one where the terminal state
 * cannot be reached from some state even when every action has positive probability (the uniform policy).
 * Thread-safe.
 */
public final class Ssp implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final int n;
    private final int m;
    private final double[] p;   // [(x*m + u)*(n+1) + y]
    private final double[] r;   // [x*m + u]
    private final int start;
    private final double gamma;

    private Ssp(String name, int n, int m, double[] p, double[] r, int start, double gamma) {
        this.name = name;
        this.n = n;
        this.m = m;
        this.p = p;
        this.r = r;
        this.start = start;
        this.gamma = gamma;
    }

    /**
     * Validates and builds an SSP.
     *
     * @param name        optional name
     * @param transitions {@code [n][m][n+1]} non-negative rows summing to 1 ± 1e-9; index n is the terminal
     * @param rewards     {@code [n][m]} finite
     * @param start       start state in {@code 0..n−1}
     * @param gamma       discount in (0, 1]
     * @return the validated problem
     * @throws InvalidInputException naming field, index and value; or if the problem is improper
     */
    public static Ssp of(String name, double[][][] transitions, double[][] rewards, int start, double gamma) {
        int n = transitions.length;
        if (n < 1) {
            throw new InvalidInputException("states must be >= 1 but was " + n);
        }
        int m = transitions[0].length;
        if (m < 1) {
            throw new InvalidInputException("actions must be >= 1 but was " + m);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new InvalidInputException("gamma must be in (0, 1] but was " + gamma);
        }
        double[] p = new double[n * m * (n + 1)];
        for (int x = 0; x < n; x++) {
            if (transitions[x].length != m) {
                throw new InvalidInputException("transitions[" + x + "] has " + transitions[x].length
                        + " entries but " + m + " were expected (actions)");
            }
            for (int u = 0; u < m; u++) {
                String path = "transitions[" + x + "][" + u + "]";
                if (transitions[x][u].length != n + 1) {
                    throw new InvalidInputException(path + " has " + transitions[x][u].length + " entries but "
                            + (n + 1) + " were expected (states + 1 terminal)");
                }
                FiniteMdp.probabilityRow(path, transitions[x][u]);
                System.arraycopy(transitions[x][u], 0, p, (x * m + u) * (n + 1), n + 1);
            }
        }
        if (rewards.length != n) {
            throw new InvalidInputException("rewards has " + rewards.length + " entries but " + n + " were expected (states)");
        }
        double[] r = new double[n * m];
        for (int x = 0; x < n; x++) {
            if (rewards[x].length != m) {
                throw new InvalidInputException("rewards[" + x + "] has " + rewards[x].length + " entries but "
                        + m + " were expected (actions)");
            }
            for (int u = 0; u < m; u++) {
                r[x * m + u] = Checks.finite("rewards[" + x + "][" + u + "]", rewards[x][u]);
            }
        }
        Checks.inRange("start", start, 0, n - 1);
        Ssp ssp = new Ssp(name == null ? "ssp" : name, n, m, p, r, start, gamma);
        double[][] uniform = new double[n][m];
        for (double[] row : uniform) {
            java.util.Arrays.fill(row, 1.0 / m);
        }
        int stuck = ssp.firstStateNotReachingTerminal(uniform);
        if (stuck >= 0) {
            throw new InvalidInputException("transitions: the SSP is improper: the terminal state " + n
                    + " is unreachable from state " + stuck + " even under the uniform policy");
        }
        return ssp;
    }

    /**
     * Finds a state from which the terminal state cannot be reached when actions are taken with the given
     * probabilities (only the support matters).
     *
     * @param policy {@code [n][m]} action probabilities
     * @return the smallest such state, or −1 if the policy is proper
     */
    public int firstStateNotReachingTerminal(double[][] policy) {
        // Backward breadth-first search from the terminal over edges x→y with Σ_u π(u|x) P(y|x,u) > 0.
        boolean[] reaches = new boolean[n + 1];
        reaches[n] = true;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(n);
        while (!queue.isEmpty()) {
            int y = queue.poll();
            for (int x = 0; x < n; x++) {
                if (reaches[x]) {
                    continue;
                }
                for (int u = 0; u < m; u++) {
                    if (policy[x][u] > 0 && p(x, u, y) > 0) {
                        reaches[x] = true;
                        queue.add(x);
                        break;
                    }
                }
            }
        }
        for (int x = 0; x < n; x++) {
            if (!reaches[x]) {
                return x;
            }
        }
        return -1;
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return number of non-terminal states {@code n}; the terminal is state {@code n} */
    public int numStates() {
        return n;
    }

    /** @return number of actions {@code m} */
    public int numActions() {
        return m;
    }

    /** @return {@code P(y|x,u)}, {@code y ∈ 0..n} (n = terminal) */
    public double p(int x, int u, int y) {
        return p[(x * m + u) * (n + 1) + y];
    }

    /** @return {@code r(x,u)} */
    public double r(int x, int u) {
        return r[x * m + u];
    }

    /** @return the start state {@code x0} */
    public int start() {
        return start;
    }

    /** @return the discount γ ∈ (0, 1]; 1 means the undiscounted return of the paper */
    public double gamma() {
        return gamma;
    }

    /** @return the terminal state index ({@code n}) */
    public int terminal() {
        return n;
    }
}
