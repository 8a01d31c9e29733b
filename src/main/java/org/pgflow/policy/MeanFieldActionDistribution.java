package org.pgflow.policy;

import org.pgflow.mdp.SimEnvironment;
import org.pgflow.meanfield.ParticleSummary;
import org.pgflow.meanfield.Points;

/**
 * The mean-field softmax policy on a simulated environment with a finite (grid) action set (docs/algorithms.md §2.2, §2.7):
 * {@code π(a|s) = μ_a e^{F(s,a)} / Σ_b μ_b e^{F(s,b)}}, {@code ℓ(s,a) = F(s,a) − ln Z(s)}, with F evaluated from
 * a {@link ParticleSummary} at the embedded inputs {@code x(s,a)} of the environment. The values of up to
 * {@link #CACHED_STATES} distinct states are kept, so a state seen before costs no evaluation: rollouts on a
 * finite MDP visit a handful of states thousands of times per iteration. A kept value is the one the same code
 * computed for the same state, so the cache never changes results. Not thread-safe: one instance per task.
 */
public final class MeanFieldActionDistribution implements ActionDistribution {
    private final SimEnvironment env;
    private final ParticleSummary summary;
    private final double[] mu;
    private final double[][] rows;
    private final double[] f;
    private final double[] pi;
    private final double[] ell;
    private double[] lastState;
    /** Most distinct states whose values are kept. */
    static final int CACHED_STATES = 256;
    private final java.util.Map<StateKey, double[][]> cache = new java.util.HashMap<>();

    /** A state as a map key (by value). */
    private record StateKey(double[] s) {
        @Override
        public boolean equals(Object o) {
            return o instanceof StateKey k && java.util.Arrays.equals(s, k.s);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(s);
        }
    }

    /**
     * @param env     the environment (its embedding and reference weights)
     * @param summary the particles
     */
    public MeanFieldActionDistribution(SimEnvironment env, ParticleSummary summary) {
        if (summary.layout().inputDim() != env.inputDim()) {
            throw new IllegalArgumentException("particles expect inputs of dimension " + summary.layout().inputDim()
                    + " but " + env.name() + " embeds into " + env.inputDim());
        }
        this.env = env;
        this.summary = summary;
        int na = env.numActions();
        this.mu = env.referenceWeights();
        this.rows = new double[na][env.inputDim()];
        this.f = new double[na];
        this.pi = new double[na];
        this.ell = new double[na];
    }

    @Override
    public int numActions() {
        return env.numActions();
    }

    /**
     * @param s   state
     * @param out destination of {@code F(s,·)}
     */
    public void outputs(double[] s, double[] out) {
        compute(s);
        System.arraycopy(f, 0, out, 0, f.length);
    }

    private void compute(double[] s) {
        if (lastState != null && java.util.Arrays.equals(lastState, s)) {
            return;
        }
        double[][] kept = cache.get(new StateKey(s));
        if (kept != null) {
            System.arraycopy(kept[0], 0, f, 0, f.length);
            System.arraycopy(kept[1], 0, pi, 0, pi.length);
            System.arraycopy(kept[2], 0, ell, 0, ell.length);
            lastState = s.clone();
            return;
        }
        for (int a = 0; a < rows.length; a++) {
            env.embed(s, a, rows[a]);
        }
        summary.outputs(Points.ofDense(rows), f);
        double m = Double.NEGATIVE_INFINITY;
        for (double v : f) {
            m = Math.max(m, v);
        }
        double z = 0;
        for (int a = 0; a < f.length; a++) {
            pi[a] = mu[a] * Math.exp(f[a] - m);
            z += pi[a];
        }
        double lnZ = m + Math.log(z);
        for (int a = 0; a < f.length; a++) {
            pi[a] /= z;
            ell[a] = f[a] - lnZ;
        }
        lastState = s.clone();
        if (cache.size() < CACHED_STATES) {
            cache.put(new StateKey(lastState), new double[][] {f.clone(), pi.clone(), ell.clone()});
        }
    }

    @Override
    public void probabilities(double[] s, double[] piOut) {
        compute(s);
        System.arraycopy(pi, 0, piOut, 0, pi.length);
    }

    @Override
    public void logRatio(double[] s, double[] ellOut) {
        compute(s);
        System.arraycopy(ell, 0, ellOut, 0, ell.length);
    }

    @Override
    public void evaluate(double[] s, double[] piOut, double[] ellOut) {
        compute(s);
        System.arraycopy(pi, 0, piOut, 0, pi.length);
        System.arraycopy(ell, 0, ellOut, 0, ell.length);
    }
}
