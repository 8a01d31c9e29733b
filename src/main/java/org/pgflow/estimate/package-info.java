/**
 * Policy evaluation: exact solvers for finite MDPs (soft value iteration, LU policy evaluation, occupancy,
 * tabular gradient, value-gap identity) and, later, Monte Carlo samplers and rollouts. Plain Java; depends on
 * {@code mdp}, {@code math}, {@code random}, {@code util}.
 */
package org.pgflow.estimate;
