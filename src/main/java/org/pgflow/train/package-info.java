/**
 * Engine-agnostic training loops: the mean-field iteration (summary → evaluation → weight table → Langevin
 * step) over a {@link org.pgflow.train.ParticleEngine}, its Monte Carlo variant over a
 * {@link org.pgflow.train.RolloutEngine}, and the variance-adjusted actor–critic loop
 * ({@link org.pgflow.train.VarianceLoop}) over an {@link org.pgflow.train.EpisodeEngine}; the in-JVM
 * implementations of the three engines ({@link org.pgflow.train.LocalParticleEngine}, the {@code local}
 * factories) on a {@link org.pgflow.train.WorkerPool}. Holds no formulas of its own: they live in
 * {@code meanfield}, {@code estimate}, {@code variance}.
 */
package org.pgflow.train;
