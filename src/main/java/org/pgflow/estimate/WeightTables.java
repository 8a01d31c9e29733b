package org.pgflow.estimate;

import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.Ssp;
import org.pgflow.variance.SspMoments;

/**
 * The weight table {@code W(s,a) = ∂V_τ(ρ)/∂F(s,a)} that turns a policy evaluation into the mean-field drift
 * {@code b(θ) = Σ_{s,a} W(s,a) ∇_θ f(s,a,θ)} (docs/architecture.md §4, docs/algorithms.md §2.4 and §2.9):
 * <pre>
 *   W(s,a) = d(s) π(a|s) (Adv(s,a) − Ā(s)) / (1−γ),   Adv = Q − τℓ,  Ā(s) = Σ_a π(a|s) Adv(s,a)
 * </pre>
 * {@code ln Z} cancels in {@code Adv − Ā}, so {@code ℓ} may be replaced by {@code F}.
 *
 * <p>{@link #varianceAdjusted} is the table of the variance-adjusted objective on a finite SSP (docs/algorithms.md §2.14),
 * {@code W_η(x,v) = ∂η/∂F(x,v)}; the same drift kernel turns either table into {@code b = Σ W ∇_θ f}.
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

    /**
     * Exact weight table of the variance-adjusted objective {@code η = J(x0) − λ Var(B)} (docs/algorithms.md §2.14, §4.5) for a
     * softmax policy {@code π(u|x) ∝ μ_u e^{F(x,u)}} on a finite SSP, over the non-terminal (x, v), point index
     * {@code x·m + v}:
     * <pre>
     *   W_η(x,v) = ∂η/∂F(x,v)
     *            = π(v|x) [ (1 + 2λJ(x0)) q(x) (J(x,v) − J(x)) − λ q₂(x) (M(x,v) − M(x)) − 2λ G(x) (J(x,v) − J(x)) ]
     *   J(x) = Σ_u π(u|x) J(x,u),  M(x) = Σ_u π(u|x) M(x,u)
     * </pre>
     * from {@code ∂π(u|x)/∂F(x,v) = π(u|x)(1{u=v} − π(v|x))} (independent of μ) and
     * {@code ∇η = Σ ∇π(u|x) c(x,u)}. {@code q} are the expected visits from x0, {@code G} the reward-weighted
     * occupancy {@code Σ_k E[R_{<k} 1{x_k = x}]}, {@code q₂ = q} for the undiscounted return (γ = 1; for γ &lt; 1
     * the γ²-discounted visits of docs/algorithms.md §4.5). Sign: ascent direction, {@code W > 0} raises η when F(x,v) grows.
     * No reward entropy enters η, so there is no τ term. Equal to {@code SspMoments.Result.gradEta()} flattened.
     *
     * @param ssp     the problem
     * @param policy  {@code π[x][u]} (the softmax of F)
     * @param moments {@code SspMoments.compute(ssp, policy, λ)} (carries λ)
     * @return {@code W_η}, length n·m
     */
    public static double[] varianceAdjusted(Ssp ssp, double[][] policy, SspMoments.Result moments) {
        int n = ssp.numStates();
        int m = ssp.numActions();
        double lambda = moments.lambda();
        double j0 = moments.j()[ssp.start()];
        double a = 1 + 2 * lambda * j0;
        double[] w = new double[n * m];
        for (int x = 0; x < n; x++) {
            double jx = 0;
            double mx = 0;
            for (int u = 0; u < m; u++) {
                jx += policy[x][u] * moments.jq()[x][u];
                mx += policy[x][u] * moments.mq()[x][u];
            }
            double q = moments.q()[x];
            double q2 = moments.q2()[x];
            double g = moments.g()[x];
            for (int v = 0; v < m; v++) {
                double dj = moments.jq()[x][v] - jx;
                double dm = moments.mq()[x][v] - mx;
                w[x * m + v] = policy[x][v] * (a * q * dj - lambda * q2 * dm - 2 * lambda * g * dj);
            }
        }
        return w;
    }
}
