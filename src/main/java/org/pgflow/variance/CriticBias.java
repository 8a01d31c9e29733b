package org.pgflow.variance;

import org.pgflow.mdp.SspEnvironment;

/**
 * How far the actor direction implied by a critic is from the exact gradient on a finite SSP (docs/algorithms.md §4.5, §4.9):
 * <pre>
 *   d(w) = E[Δθ | θ, Ĵ, w_J, w_M, w̃_J]
 *        = Σ_{x,u} π(u|x) g(x,u) [ q(x)((1+2λĴ) φᵀw_J − λ φᵀw_M) − 2λ G(x) φᵀw̃_J ]     (mean of (6))
 *   critic_bias = ‖d(w) − ∇η‖ / ‖∇η‖
 * </pre>
 * {@code d(w)} is the exact expectation over episodes of the actor increment for the given critic, so the
 * measure contains no actor-batch noise: it is the bias the critic alone causes in the ascent direction (zero
 * at the projections of §4.6 by Proposition 8; the TD-fixed-point bias for TD/LSTD with features that cannot
 * represent J and M). Pure and stateless.
 */
public final class CriticBias {
    private CriticBias() {
    }

    /**
     * @param direction the actor direction {@code d(w)} implied by the critic
     * @param gradient  the exact {@code ∇η}
     * @param absolute  {@code ‖d − ∇η‖}
     * @param relative  {@code ‖d − ∇η‖/‖∇η‖} ({@code NaN} when {@code ∇η = 0})
     */
    public record Result(double[] direction, double[] gradient, double absolute, double relative) {
    }

    /**
     * @param model the model; its environment must be an {@link SspEnvironment}
     * @param state θ and the critic that drives the actor step
     * @return the implied direction and its bias
     * @throws org.pgflow.util.InvalidInputException if the environment is not a finite SSP
     */
    public static Result of(ActorCriticModel model, ActorCriticState state) {
        double[][] dg = ExactCritic.directionAndGradient(model, state);
        double[] d = dg[0];
        double[] g = dg[1];
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < d.length; i++) {
            diff += (d[i] - g[i]) * (d[i] - g[i]);
            norm += g[i] * g[i];
        }
        double abs = Math.sqrt(diff);
        return new Result(d, g, abs, norm > 0 ? abs / Math.sqrt(norm) : Double.NaN);
    }

    /**
     * The {@code critic_bias} metrics cell.
     *
     * @param model the model
     * @param state θ_k with the critic that drove iteration k's actor step
     *              ({@code VarianceLoop.IterationReport.critic()})
     * @return {@code ‖d − ∇η‖/‖∇η‖}, or {@code null} when the environment is not a finite SSP or {@code ∇η = 0}
     */
    public static Double column(ActorCriticModel model, ActorCriticState state) {
        if (!(model.environment() instanceof SspEnvironment)) {
            return null;
        }
        double r = of(model, state).relative();
        return Double.isFinite(r) ? r : null;
    }
}
