package org.pgflow.estimate;

import org.pgflow.mdp.FiniteMdp;

/**
 * The weight table {@code W(s,a) = ∂V_τ(ρ)/∂F(s,a)} that turns a policy evaluation into the mean-field drift
 * {@code b(θ) = Σ_{s,a} W(s,a) ∇_θ f(s,a,θ)} (DESIGN §2, SPEC §2.4 and §2.9):
 * <pre>
 *   W(s,a) = d(s) π(a|s) (Adv(s,a) − Ā(s)) / (1−γ),   Adv = Q − τℓ,  Ā(s) = Σ_a π(a|s) Adv(s,a)
 * </pre>
 * {@code ln Z} cancels in {@code Adv − Ā}, so {@code ℓ} may be replaced by {@code F}.
 */
public final class WeightTables {
    private WeightTables() {
    }

    /**
     * Exact-mode weight table over all (s,a), point index {@code s·A + a}.
     *
     * @param mdp    the model
     * @param policy {@code π[s][a]} (the softmax of the logits)
     * @param ev     its exact evaluation
     * @return {@code W}, length S·A
     */
    public static double[] exact(FiniteMdp mdp, double[][] policy, PolicyEvaluation ev) {
        int ns = mdp.numStates();
        int na = mdp.numActions();
        double tau = ev.tau();
        double scale = 1 / (1 - mdp.gamma());
        double[] w = new double[ns * na];
        for (int s = 0; s < ns; s++) {
            double mean = 0;
            for (int a = 0; a < na; a++) {
                mean += policy[s][a] * (ev.q()[s][a] - tau * ev.logRatio()[s][a]);
            }
            for (int a = 0; a < na; a++) {
                double adv = ev.q()[s][a] - tau * ev.logRatio()[s][a];
                w[s * na + a] = scale * ev.occupancy()[s] * policy[s][a] * (adv - mean);
            }
        }
        return w;
    }
}
