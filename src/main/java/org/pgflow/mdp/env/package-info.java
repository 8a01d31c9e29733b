/**
 * Concrete simulators implementing {@link org.pgflow.mdp.SimEnvironment}, each a small immutable class with a
 * bounded input embedding and a documented action grid: Gymnasium's Pendulum-v1, CartPole-v1 and
 * MountainCarContinuous-v0 (reimplemented from Gymnasium's source, cited per class), the bounded continuous
 * oracle T3 and the entropy-regularised LQ problem (docs/algorithms.md §3). Continuous action boxes are replaced by
 * probability quadrature grids ({@link org.pgflow.mdp.env.ActionGrid}, docs/algorithms.md §2.7b). Depends on {@code mdp},
 * {@code math} and {@code util}.
 */
package org.pgflow.mdp.env;
