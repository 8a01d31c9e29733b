/**
 * Closed forms of the entropy-regularised LQ problem (docs/algorithms.md §3.1–3.4): Riccati solution, optimal gain,
 * variance and constant for Gaussian and Lebesgue reference measures (scalar) and Gaussian μ (vector); exact
 * evaluation of linear-Gaussian policies and their occupancy second moment; and the continuous-action closed
 * loop used to check them by simulation. Depends on {@code estimate}, {@code mdp.env}, {@code math}, {@code util}.
 */
package org.pgflow.estimate.lq;
