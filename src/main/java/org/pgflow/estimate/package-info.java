/**
 * Policy evaluation: exact solvers for finite MDPs (soft value iteration, LU policy evaluation, occupancy,
 * tabular gradient, value-gap identity); Monte Carlo estimation by simulation (SPEC §2.8: geometric-horizon
 * state sampler, all-action Q rollouts with common random numbers, truncated Q, value samples) over a
 * {@link org.pgflow.estimate.ClosedLoopChain}; and the T3 oracle by quadrature. LQ closed forms are in
 * {@code estimate.lq}. Plain Java; depends on {@code mdp}, {@code policy}, {@code math}, {@code random}, {@code util}.
 */
package org.pgflow.estimate;
