package org.pgflow.mdp;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.util.Checks;

/**
 * Seeded random problem instances in the Garnet style (Archibald, McKinnon, Thomas 1995; Bhatnagar et al.
 * 2009): each (state, action) moves to {@code branching} distinct successor states chosen uniformly, with
 * probabilities given by a uniform random partition of [0,1]. Rewards are i.i.d. uniform. The instance is a
 * pure function of {@code (seed, index)} through the stream {@code (seed, INSTANCE, 0, index)}.
 */
public final class RandomInstances {
    private RandomInstances() {
    }

    /**
     * A random discounted MDP with rewards U[0,1], a random initial law, uniform μ and one-hot features.
     *
     * @param seed       master seed
     * @param index      instance index (distinct instances for distinct indices)
     * @param numStates  S ≥ 1
     * @param numActions A ≥ 1
     * @param branching  successors per (s,a), in [1, S]
     * @param gamma      discount in [0, 1)
     * @return the instance
     */
    public static FiniteMdp garnetMdp(long seed, long index, int numStates, int numActions, int branching, double gamma) {
        Checks.inRange("states", numStates, 1, 1_000_000);
        Checks.inRange("actions", numActions, 1, 1_000_000);
        Checks.inRange("branching", branching, 1, numStates);
        RandomGenerator rng = Streams.of(seed, Purpose.INSTANCE, 0, index);
        double[][][] p = new double[numStates][numActions][];
        double[][] r = new double[numStates][numActions];
        for (int s = 0; s < numStates; s++) {
            for (int a = 0; a < numActions; a++) {
                p[s][a] = new double[numStates];
                scatter(p[s][a], 0, numStates, branching, 1.0, rng);
                r[s][a] = rng.nextDouble();
            }
        }
        double[] rho = new double[numStates];
        scatter(rho, 0, numStates, numStates, 1.0, rng);
        return FiniteMdp.of("garnet-" + seed + "-" + index, gamma, p, r, rho, null, null, null);
    }

    /**
     * A random proper SSP: from every (x,u) the terminal state is reached with probability in
     * {@code [terminalMin, terminalMin + 0.3]}, so every policy is proper; the rest of the mass goes to
     * {@code branching} distinct non-terminal states. Rewards U[−1, 1]; start state 0; γ = 1.
     *
     * @param seed        master seed
     * @param index       instance index
     * @param numStates   non-terminal states n ≥ 1
     * @param numActions  m ≥ 1
     * @param branching   non-terminal successors per (x,u), in [1, n]
     * @param terminalMin minimum termination probability per step, in (0, 0.7]
     * @return the instance
     */
    public static Ssp garnetSsp(long seed, long index, int numStates, int numActions, int branching, double terminalMin) {
        Checks.inRange("states", numStates, 1, 1_000_000);
        Checks.inRange("actions", numActions, 1, 1_000_000);
        Checks.inRange("branching", branching, 1, numStates);
        if (!(terminalMin > 0 && terminalMin <= 0.7)) {
            throw new org.pgflow.util.InvalidInputException("terminalMin must be in (0, 0.7] but was " + terminalMin);
        }
        RandomGenerator rng = Streams.of(seed, Purpose.INSTANCE, 1, index);
        double[][][] p = new double[numStates][numActions][];
        double[][] r = new double[numStates][numActions];
        for (int x = 0; x < numStates; x++) {
            for (int u = 0; u < numActions; u++) {
                p[x][u] = new double[numStates + 1];
                double term = terminalMin + 0.3 * rng.nextDouble();
                scatter(p[x][u], 0, numStates, branching, 1.0 - term, rng);
                p[x][u][numStates] = term;
                r[x][u] = 2 * rng.nextDouble() - 1;
            }
        }
        return Ssp.of("garnet-ssp-" + seed + "-" + index, p, r, 0, 1.0);
    }

    /**
     * Puts {@code mass} on {@code k} distinct random entries of {@code row[from..from+n)}, split by a uniform
     * random partition; the entries then sum to {@code mass} up to one rounding (the last piece absorbs it).
     */
    private static void scatter(double[] row, int from, int n, int k, double mass, RandomGenerator rng) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < k; i++) { // partial Fisher–Yates
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        double[] cuts = new double[k + 1];
        for (int i = 1; i < k; i++) {
            cuts[i] = rng.nextDouble();
        }
        cuts[k] = 1.0;
        Arrays.sort(cuts, 1, k);
        double used = 0;
        for (int i = 0; i < k; i++) {
            double w = i == k - 1 ? mass - used : mass * (cuts[i + 1] - cuts[i]);
            row[from + idx[i]] += w;
            used += w;
        }
    }
}
