package org.pgflow.train;

/**
 * A column of {@code metrics.csv} (docs/architecture.md §7.3), with its CSV name. Which columns a run writes, and
 * in which order, is its family's {@link MetricsSchema}; a {@link MetricsRow} holds one value per column.
 */
public enum Metric {
    /** k. */
    ITERATION("iteration"),
    /** Seconds since the run started (carried across resumes). */
    TIME_S("time_s"),
    /** The objective the loop ascends. */
    OBJECTIVE("objective"),
    /** {@code V_τ^{π_k}(ρ)} (exact). */
    VALUE("value"),
    /** {@code V*_τ(ρ) − V_τ^{π_k}(ρ)}. */
    GAP("gap"),
    /** {@code max_s TV(π_k(·|s), π*(·|s))}. */
    MAX_TV("max_tv"),
    /** KL of the cloud to the Gaussian reference, from its moments. */
    KL_GAUSS("kl_gauss"),
    /** KL from the kNN entropy estimate of a subsample. */
    KL_KNN("kl_knn"),
    /** The objective with {@link #KL_KNN} in place of {@link #KL_GAUSS}. */
    OBJECTIVE_KNN("objective_knn"),
    /** Mean |b̂| of the step taken from the cloud (empty in the last row). */
    DRIFT_NORM("drift_norm"),
    /** |mean θ|. */
    THETA_MEAN_NORM("theta_mean_norm"),
    /** Mean |θ|². */
    THETA_SQ_MEAN("theta_sq_mean"),
    /** Empirical W2 coupling distance of the two clouds. */
    W2_COUPLED("w2_coupled"),
    /** {@link #VALUE} of the coupled cloud. */
    VALUE_COUPLED("value_coupled"),
    /** {@link #GAP} of the coupled cloud. */
    GAP_COUPLED("gap_coupled"),
    /** Monte Carlo {@code V̂(ρ)}. */
    VALUE_MC("value_mc"),
    /** Standard error of {@link #VALUE_MC}. */
    VALUE_SE("value_se"),
    /** Mean environment episode return. */
    ENV_RETURN("env_return"),
    /** Standard error of {@link #ENV_RETURN}. */
    ENV_RETURN_SE("env_return_se"),
    /** Simulator steps of the iteration's rollouts. */
    ROLLOUT_STEPS("rollout_steps"),
    /** Particles in the measure summary. */
    SUMMARY_PARTICLES("summary_particles"),
    /** {@code τ_k}. */
    TAU("tau"),
    /** {@code σ_k}. */
    SIGMA("sigma"),
    /** The gap at {@code τ_k} under its explicit name. */
    GAP_TAU("gap_tau"),
    /** {@code V*_0(ρ) − V_0^{π_k}(ρ)}. */
    GAP0("gap0"),
    /** Expected return J. */
    J("J"),
    /** Standard error of {@link #J}. */
    J_SE("J_se"),
    /** Variance of the return. */
    VAR("Var"),
    /** Standard error of {@link #VAR}. */
    VAR_SE("Var_se"),
    /** {@code η = J − λ Var}. */
    ETA("eta"),
    /** Standard error of {@link #ETA}. */
    ETA_SE("eta_se"),
    /** Episodes behind the estimates. */
    EPISODES("episodes"),
    /** Simulator steps of those episodes. */
    STEPS("steps"),
    /** Exact J of {@code π_k}. */
    EXACT_J("exact_J"),
    /** Exact Var of {@code π_k}. */
    EXACT_VAR("exact_Var"),
    /** Exact η of {@code π_k}. */
    EXACT_ETA("exact_eta"),
    /** ‖∇η‖ over the full logit table. */
    GRAD_NORM("grad_norm"),
    /** ‖θ‖. */
    THETA_NORM("theta_norm"),
    /** ‖∇̂η − ∇η‖/‖∇η‖ of the actor direction the critic gave. */
    CRITIC_BIAS("critic_bias"),
    /** Standard deviation of the episodic return, {@code √Var}. */
    SD("SD"),
    /** Its standard error (delta method). */
    SD_SE("SD_se");

    private final String csvName;

    Metric(String csvName) {
        this.csvName = csvName;
    }

    /** @return the column's name in the header of metrics.csv (and its key in run.json's {@code final}) */
    public String csvName() {
        return csvName;
    }
}
