package org.pgflow.policy;

import org.pgflow.mdp.FiniteMdpSimulator;
import org.pgflow.util.InvalidInputException;

/**
 * A tabular policy {@code π[s][a]} on a finite MDP simulated by {@link FiniteMdpSimulator} (state vector
 * {@code {index}}), with {@code ℓ = ln(π/μ)} precomputed. Also {@link #stateless(double[], double[])} for a
 * state-independent policy on any environment (e.g. the reference policy π = μ, for which ℓ ≡ 0).
 * Immutable and thread-safe.
 */
public final class TabularActionDistribution implements ActionDistribution, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final double[][] pi;
    private final double[][] ell;
    private final boolean stateless;

    private TabularActionDistribution(double[][] pi, double[] mu, boolean stateless) {
        this.stateless = stateless;
        this.pi = new double[pi.length][];
        this.ell = new double[pi.length][];
        for (int s = 0; s < pi.length; s++) {
            if (pi[s].length != mu.length) {
                throw new InvalidInputException("policy[" + s + "] length " + pi[s].length + " != actions " + mu.length);
            }
            double sum = 0;
            for (int a = 0; a < mu.length; a++) {
                double p = pi[s][a];
                if (!(p >= 0 && p <= 1)) {
                    throw new InvalidInputException("policy[" + s + "][" + a + "] must be in [0, 1] but was " + p);
                }
                sum += p;
            }
            if (!(Math.abs(sum - 1.0) <= 1e-9)) {
                throw new InvalidInputException("policy[" + s + "] must sum to 1 ± 1e-9 but summed to " + sum);
            }
            this.pi[s] = pi[s].clone();
            this.ell[s] = new double[mu.length];
            for (int a = 0; a < mu.length; a++) {
                this.ell[s][a] = pi[s][a] > 0 ? Math.log(pi[s][a] / mu[a]) : Double.NEGATIVE_INFINITY;
            }
        }
    }

    /**
     * @param pi {@code [S][A]} probabilities (rows sum to 1 ± 1e-9)
     * @param mu reference weights {@code [A]}
     * @return the policy, indexed by the state index {@code (int) s[0]}
     * @throws InvalidInputException on a wrong shape, a value outside [0, 1] or NaN, or a row sum off 1
     */
    public static TabularActionDistribution of(double[][] pi, double[] mu) {
        return new TabularActionDistribution(pi, mu, false);
    }

    /**
     * @param pi action probabilities, the same in every state
     * @param mu reference weights
     * @return a state-independent policy for any environment
     */
    public static TabularActionDistribution stateless(double[] pi, double[] mu) {
        return new TabularActionDistribution(new double[][] {pi}, mu, true);
    }

    private int row(double[] s) {
        return stateless ? 0 : (int) s[0];
    }

    @Override
    public int numActions() {
        return pi[0].length;
    }

    @Override
    public void probabilities(double[] s, double[] piOut) {
        System.arraycopy(pi[row(s)], 0, piOut, 0, piOut.length);
    }

    @Override
    public void logRatio(double[] s, double[] ellOut) {
        System.arraycopy(ell[row(s)], 0, ellOut, 0, ellOut.length);
    }
}
