package org.pgflow.variance;

import java.util.Arrays;

/**
 * Per-episode unbiased estimators of {@code ∇J(x0)} and {@code ∇M(x0)} (docs/algorithms.md §4.4), used as cross-checks:
 * <pre>
 *   likelihood ratio:  z = Σ_t g_t,   ∇J ≈ B z,   ∇M ≈ B² z
 *   Proposition 3:     ∇J ≈ Σ_t g_t J(x_t,u_t),   ∇M ≈ Σ_t g_t M(x_t,u_t) + 2 Σ_{t≥1} g_t R_{&lt;t} J(x_t,u_t)
 * </pre>
 * Proposition 3 needs the exact tables {@code J(x,u)}, {@code M(x,u)} of a finite SSP (state index in
 * {@code x_t[0]}). Stateless.
 */
public final class GradientEstimators {
    private GradientEstimators() {
    }

    /**
     * Likelihood-ratio estimates of one episode.
     *
     * @param tr    finished trajectory
     * @param gradJ destination ({@code n_θ}), overwritten with {@code B z}
     * @param gradM destination ({@code n_θ}), overwritten with {@code B² z}
     */
    public static void likelihoodRatio(Trajectory tr, double[] gradJ, double[] gradM) {
        int np = tr.numParameters();
        Arrays.fill(gradJ, 0.0);
        for (int t = 0; t < tr.length(); t++) {
            for (int i = 0; i < np; i++) {
                gradJ[i] += tr.score(t, i);
            }
        }
        double b = tr.returnValue();
        for (int i = 0; i < np; i++) {
            double z = gradJ[i];
            gradJ[i] = b * z;
            gradM[i] = b * b * z;
        }
    }

    /**
     * Proposition 3 estimates of one episode on a finite SSP.
     *
     * @param tr    finished trajectory
     * @param jq    exact {@code J(x,u)}
     * @param mq    exact {@code M(x,u)}
     * @param gradJ destination ({@code n_θ}), overwritten
     * @param gradM destination ({@code n_θ}), overwritten
     */
    public static void proposition3(Trajectory tr, double[][] jq, double[][] mq, double[] gradJ, double[] gradM) {
        int np = tr.numParameters();
        Arrays.fill(gradJ, 0.0);
        Arrays.fill(gradM, 0.0);
        for (int t = 0; t < tr.length(); t++) {
            int x = (int) tr.state(t, 0);
            int u = tr.action(t);
            double cj = jq[x][u];
            double cm = mq[x][u] + 2 * tr.pastReward(t) * jq[x][u];
            for (int i = 0; i < np; i++) {
                double g = tr.score(t, i);
                gradJ[i] += g * cj;
                gradM[i] += g * cm;
            }
        }
    }
}
