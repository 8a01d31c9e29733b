/**
 * Policy evaluation: exact solvers for finite MDPs (soft value iteration, LU policy evaluation, occupancy,
 * tabular gradient, value-gap identity); Monte Carlo estimation by simulation (docs/algorithms.md §2.8: geometric-horizon
 * state sampler, all-action Q rollouts with common random numbers, truncated Q, value samples) over a
 * {@link org.pgflow.estimate.ClosedLoopChain}; and the T3 oracle by quadrature. LQ closed forms are in
 * {@code estimate.lq}. Weight tables {@code W = ∂(objective)/∂F} that feed the mean-field drift: the entropy-regularised
 * value ({@link org.pgflow.estimate.WeightTables#exact}) and the variance-adjusted objective on finite SSPs, exact
 * ({@link org.pgflow.estimate.WeightTables#varianceAdjusted}) and by Monte Carlo
 * ({@link org.pgflow.estimate.VarianceWeightBatch}). The tabular softmax-PG and natural-PG baselines
 * ({@link org.pgflow.estimate.TabularBaselines}). Plain Java; depends on {@code mdp}, {@code policy},
 * {@code meanfield} (input points), {@code variance} (exact SSP moments), {@code math}, {@code random}, {@code stats},
 * {@code util}.
 */
package org.pgflow.estimate;
