package org.pgflow.policy;

import org.pgflow.util.Checks;

/**
 * Tabular softmax with one reference logit per state (docs/algorithms.md §4.6, remedy for Assumption 4): the logit of
 * action 0 is fixed at 0 and the parameters are the other {@code n×(m−1)} logits, stored row-major,
 * {@code θ[x·(m−1) + (u−1)]}:
 * <pre>
 *   π(u|x) = e^{ℓ(x,u)} / Σ_v e^{ℓ(x,v)},   ℓ(x,0) = 0,  ℓ(x,u) = θ_{x,u} (u ≥ 1)
 *   ∂ ln π(u|x) / ∂θ_{y,v} = 1{y = x} (1{u = v} − π(v|x))       (v ≥ 1)
 * </pre>
 * The state vector holds the state index in {@code state[0]} ({@link org.pgflow.mdp.SspEnvironment}).
 * Immutable and thread-safe.
 */
public final class TabularSoftmaxPolicy implements Policy {
    private static final long serialVersionUID = 1L;

    private final int n;
    private final int m;

    private TabularSoftmaxPolicy(int n, int m) {
        this.n = n;
        this.m = m;
    }

    /**
     * @param numStates  non-terminal states {@code n ≥ 1}
     * @param numActions actions {@code m ≥ 1}
     * @return the policy family
     */
    public static TabularSoftmaxPolicy of(int numStates, int numActions) {
        Checks.inRange("numStates", numStates, 1, 100_000_000);
        Checks.inRange("numActions", numActions, 1, 1_000_000);
        return new TabularSoftmaxPolicy(numStates, numActions);
    }

    /** @return the number of non-terminal states {@code n} */
    public int numStates() {
        return n;
    }

    @Override
    public int numActions() {
        return m;
    }

    @Override
    public int numParameters() {
        return n * (m - 1);
    }

    @Override
    public int scratchSize() {
        return 0;
    }

    @Override
    public void probabilities(double[] theta, double[] state, double[] probs, double[] scratch) {
        rowProbabilities(theta, (int) state[0], probs);
    }

    private void rowProbabilities(double[] theta, int x, double[] probs) {
        int base = x * (m - 1);
        double max = 0;
        for (int v = 1; v < m; v++) {
            max = Math.max(max, theta[base + v - 1]);
        }
        probs[0] = Math.exp(-max);
        double s = probs[0];
        for (int v = 1; v < m; v++) {
            probs[v] = Math.exp(theta[base + v - 1] - max);
            s += probs[v];
        }
        for (int v = 0; v < m; v++) {
            probs[v] /= s;
        }
    }

    @Override
    public void gradLogProbability(double[] theta, double[] state, int action, double[] probs, double[] out,
                                   double[] scratch) {
        java.util.Arrays.fill(out, 0.0);
        int base = (int) state[0] * (m - 1);
        for (int v = 1; v < m; v++) {
            out[base + v - 1] = (action == v ? 1.0 : 0.0) - probs[v];
        }
    }

    /**
     * @param theta parameters
     * @return the probability table {@code π[x][u]} (new array)
     */
    public double[][] table(double[] theta) {
        double[][] pi = new double[n][m];
        for (int x = 0; x < n; x++) {
            rowProbabilities(theta, x, pi[x]);
        }
        return pi;
    }

    /**
     * Restricts a gradient with respect to all {@code n×m} logits (e.g. {@code SspMoments.Result.gradEta()})
     * to the free logits: {@code ∂/∂θ_{x,u} = full[x][u]} for {@code u ≥ 1} (fixing {@code ℓ(x,0) = 0} does
     * not change the partial derivatives of the others).
     *
     * @param full gradient {@code [n][m]}
     * @return the gradient in this parametrisation (length {@code n(m−1)})
     */
    public double[] restrict(double[][] full) {
        double[] g = new double[numParameters()];
        for (int x = 0; x < n; x++) {
            for (int u = 1; u < m; u++) {
                g[x * (m - 1) + u - 1] = full[x][u];
            }
        }
        return g;
    }

    /**
     * @param logits full logits {@code [n][m]}
     * @return the parameters of the same policy ({@code θ_{x,u} = ℓ(x,u) − ℓ(x,0)})
     */
    public double[] fromLogits(double[][] logits) {
        double[] theta = new double[numParameters()];
        for (int x = 0; x < n; x++) {
            for (int u = 1; u < m; u++) {
                theta[x * (m - 1) + u - 1] = logits[x][u] - logits[x][0];
            }
        }
        return theta;
    }
}
