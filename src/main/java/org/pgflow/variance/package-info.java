/**
 * Variance-adjusted actor–critic (Tamar &amp; Mannor; docs/algorithms.md §4): exact moments J, M, Var and the exact ∇η on
 * finite SSPs ({@link org.pgflow.variance.SspMoments}, §4.3–4.5); episodes and their increments of
 * equations (4) and (6) ({@link org.pgflow.variance.ActorCriticModel}, {@link org.pgflow.variance.Trajectory},
 * {@link org.pgflow.variance.EpisodeIncrement}, §4.7); combinable accumulators for the batched variants
 * ({@link org.pgflow.variance.EpisodeSums} for variant A, {@link org.pgflow.variance.NormalEquations} for the
 * least-squares critic of variant B, {@link org.pgflow.variance.ReturnMoments} for Monte Carlo J, Var, η with
 * standard errors, §4.8); the exact critic (§4.6 projections, ODE (8) right-hand sides); the pure update
 * steps ({@link org.pgflow.variance.ActorCriticUpdates}) and step-size schedules. Plain Java, no Spark;
 * depends on {@code mdp}, {@code policy}, {@code math}, {@code random}, {@code util}.
 */
package org.pgflow.variance;
