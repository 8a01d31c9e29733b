package org.pgflow.mdp;

import java.util.random.RandomGenerator;

/**
 * A {@link FiniteMdp} seen as a {@link SimEnvironment}: the state vector is {@code {index}} (a double holding
 * an integer), transitions and the initial state are drawn by inversion of the model's rows, the reference
 * weights are the model's {@code μ}, and the embedding is the model's input map {@code x(s,a)}
 * (one-hot by default). Finite MDPs have no terminal states and no episode time limit.
 *
 * <p>The cumulative rows are precomputed once, so a step costs O(log S) (binary search). Immutable and
 * thread-safe.
 */
public final class FiniteMdpSimulator implements ContinuingEnvironment {
    private static final long serialVersionUID = 1L;

    private final FiniteMdp mdp;
    private final int numStates;
    private final int numActions;
    private final double[] cumulativeP;   // [(s*A + a)*S + s'], last entry of each row forced to 1
    private final double[] cumulativeRho;
    private final double[][] inputs;      // [s*A + a][d_x]

    private FiniteMdpSimulator(FiniteMdp mdp) {
        this.mdp = mdp;
        this.numStates = mdp.numStates();
        this.numActions = mdp.numActions();
        this.cumulativeP = new double[numStates * numActions * numStates];
        for (int s = 0; s < numStates; s++) {
            for (int a = 0; a < numActions; a++) {
                int base = (s * numActions + a) * numStates;
                double c = 0;
                for (int n = 0; n < numStates; n++) {
                    c += mdp.p(s, a, n);
                    cumulativeP[base + n] = c;
                }
                fixLast(cumulativeP, base, numStates);
            }
        }
        this.cumulativeRho = new double[numStates];
        double c = 0;
        for (int s = 0; s < numStates; s++) {
            c += mdp.rho(s);
            cumulativeRho[s] = c;
        }
        fixLast(cumulativeRho, 0, numStates);
        this.inputs = new double[numStates * numActions][];
        for (int s = 0; s < numStates; s++) {
            for (int a = 0; a < numActions; a++) {
                inputs[s * numActions + a] = mdp.input(s, a);
            }
        }
    }

    /** Makes the last positive-probability entry of a cumulative row exactly 1 (round-off of the sum). */
    private static void fixLast(double[] cum, int base, int len) {
        double total = cum[base + len - 1];
        for (int n = len - 1; n >= 0 && cum[base + n] == total; n--) {
            cum[base + n] = 1.0;
        }
    }

    /**
     * @param mdp a validated model
     * @return its simulator
     */
    public static FiniteMdpSimulator of(FiniteMdp mdp) {
        return new FiniteMdpSimulator(java.util.Objects.requireNonNull(mdp, "mdp"));
    }

    /** @return the underlying model */
    public FiniteMdp mdp() {
        return mdp;
    }

    /** @return the state index held in a state vector */
    public static int index(double[] s) {
        return (int) s[0];
    }

    @Override
    public String name() {
        return mdp.name();
    }

    @Override
    public int stateDim() {
        return 1;
    }

    @Override
    public int numActions() {
        return numActions;
    }

    @Override
    public double referenceWeight(int a) {
        return mdp.mu(a);
    }

    @Override
    public int inputDim() {
        return mdp.inputDimension();
    }

    @Override
    public void embed(double[] s, int a, double[] x) {
        double[] src = inputs[index(s) * numActions + a];
        System.arraycopy(src, 0, x, 0, src.length);
    }

    @Override
    public double gamma() {
        return mdp.gamma();
    }

    @Override
    public void sampleInitial(RandomGenerator rng, double[] s) {
        s[0] = search(cumulativeRho, 0, numStates, rng.nextDouble());
    }

    @Override
    public double step(double[] s, int a, RandomGenerator rng, double[] next) {
        int i = index(s);
        next[0] = search(cumulativeP, (i * numActions + a) * numStates, numStates, rng.nextDouble());
        return mdp.r(i, a);
    }

    /** First index n with {@code u < cum[base+n]} (rows end at exactly 1, and u < 1). */
    private static int search(double[] cum, int base, int len, double u) {
        int lo = 0;
        int hi = len - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u < cum[base + mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
