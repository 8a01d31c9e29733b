/**
 * Problem models: the immutable {@link org.pgflow.mdp.FiniteMdp} and {@link org.pgflow.mdp.Ssp}, their fixed
 * JSON formats ({@link org.pgflow.mdp.ModelFiles}) with validation that names field, index and value, and
 * seeded random-instance generators; the simulator contract {@link org.pgflow.mdp.SimEnvironment} (finite action
 * set or quadrature grid) with its adapter for finite MDPs; episodic environments
 * ({@link org.pgflow.mdp.EpisodicEnvironment}: the SSP adapter, {@link org.pgflow.mdp.RiskyChain}, the
 * {@link org.pgflow.mdp.Portfolio} of test problem T9). Concrete continuous simulators live in {@code mdp.env}.
 * Depends on {@code random} and {@code util}.
 */
package org.pgflow.mdp;
