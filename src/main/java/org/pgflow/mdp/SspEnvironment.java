package org.pgflow.mdp;

import java.util.random.RandomGenerator;
import org.pgflow.util.InvalidInputException;

/**
 * A finite {@link Ssp} seen as an {@link EpisodicEnvironment}: the state vector has length 1 and holds the
 * state index ({@code 0..n−1}, terminal {@code n}), exact in a double. Starts at {@code ssp.start()};
 * successors are drawn by inversion of {@code P(·|x,u)} with one uniform per step.
 *
 * <p>Only undiscounted problems ({@code γ = 1}) are accepted: the actor–critic of docs/algorithms.md §4.7 uses the
 * undiscounted return. Also serves as the one-hot {@link StateFeatures} of the non-terminal states (extra
 * critic columns, docs/algorithms.md §4.6). Immutable and thread-safe.
 */
public final class SspEnvironment implements EpisodicEnvironment, StateFeatures {
    private static final long serialVersionUID = 1L;

    private final Ssp ssp;
    private final int n;
    private final int m;
    private final double[] cumulative; // [(x*m+u)*(n+1) + y] = Σ_{z≤y} P(z|x,u)

    private SspEnvironment(Ssp ssp) {
        this.ssp = ssp;
        this.n = ssp.numStates();
        this.m = ssp.numActions();
        this.cumulative = new double[n * m * (n + 1)];
        for (int x = 0; x < n; x++) {
            for (int u = 0; u < m; u++) {
                double c = 0;
                for (int y = 0; y <= n; y++) {
                    c += ssp.p(x, u, y);
                    cumulative[(x * m + u) * (n + 1) + y] = c;
                }
            }
        }
    }

    /**
     * @param ssp a validated SSP with {@code γ = 1}
     * @return the environment
     * @throws InvalidInputException if {@code ssp.gamma() != 1}
     */
    public static SspEnvironment of(Ssp ssp) {
        if (!(ssp.gamma() == 1.0)) {
            throw new InvalidInputException("gamma must be 1 for the episodic actor-critic (docs/algorithms.md §4.7) but was "
                    + ssp.gamma());
        }
        return new SspEnvironment(ssp);
    }

    /** @return the underlying model */
    public Ssp ssp() {
        return ssp;
    }

    /** @return the state index stored in a state vector */
    public static int index(double[] state) {
        return (int) state[0];
    }

    @Override
    public int numActions() {
        return m;
    }

    @Override
    public int stateSize() {
        return 1;
    }

    @Override
    public void reset(double[] state, RandomGenerator rng) {
        state[0] = ssp.start();
    }

    @Override
    public double step(double[] state, int action, RandomGenerator rng) {
        int x = (int) state[0];
        int base = (x * m + action) * (n + 1);
        double u = rng.nextDouble();
        int y = n;
        for (int z = 0; z <= n; z++) {
            if (u < cumulative[base + z]) {
                y = z;
                break;
            }
        }
        // Round-off (u ≥ Σ P slightly below 1) falls back to the last successor with positive mass.
        if (u >= cumulative[base + n]) {
            for (int z = n; z >= 0; z--) {
                if (ssp.p(x, action, z) > 0) {
                    y = z;
                    break;
                }
            }
        }
        state[0] = y;
        return ssp.r(x, action);
    }

    @Override
    public boolean isTerminal(double[] state) {
        return (int) state[0] == n;
    }

    /** One-hot features of the non-terminal state: dimension {@code n}. */
    @Override
    public int dimension() {
        return n;
    }

    @Override
    public void features(double[] state, double[] out, int offset) {
        java.util.Arrays.fill(out, offset, offset + n, 0.0);
        out[offset + (int) state[0]] = 1.0;
    }
}
