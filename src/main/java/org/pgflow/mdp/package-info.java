/**
 * Problem models: the immutable {@link org.pgflow.mdp.FiniteMdp} and {@link org.pgflow.mdp.Ssp}, their fixed
<<<<<<< HEAD
 * JSON formats ({@link org.pgflow.mdp.ModelFiles}) with validation that names field, index and value, and
 * seeded random-instance generators; episodic environments ({@link org.pgflow.mdp.EpisodicEnvironment}: the
 * SSP adapter, {@link org.pgflow.mdp.RiskyChain}, the {@link org.pgflow.mdp.Portfolio} of SPEC §5 T9).
=======
 * JSON formats ({@link org.pgflow.mdp.ModelFiles}) with validation that names field, index and value, seeded
 * random-instance generators, and the simulator contract {@link org.pgflow.mdp.SimEnvironment} (finite action
 * set or quadrature grid) with its adapter for finite MDPs. Concrete simulators live in {@code mdp.env}.
>>>>>>> envs
 * Depends on {@code math}, {@code random} and {@code util}.
 */
package org.pgflow.mdp;
