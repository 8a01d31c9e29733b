/**
 * Problem models: the immutable {@link org.pgflow.mdp.FiniteMdp} and {@link org.pgflow.mdp.Ssp}, their fixed
 * JSON formats ({@link org.pgflow.mdp.ModelFiles}) with validation that names field, index and value, and
 * seeded random-instance generators; episodic environments ({@link org.pgflow.mdp.EpisodicEnvironment}: the
 * SSP adapter, {@link org.pgflow.mdp.RiskyChain}, the {@link org.pgflow.mdp.Portfolio} of SPEC §5 T9).
 * Depends on {@code math}, {@code random} and {@code util}.
 */
package org.pgflow.mdp;
