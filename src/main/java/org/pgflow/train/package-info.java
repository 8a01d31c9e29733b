/**
 * Engine-agnostic training loops: the mean-field iteration (summary → exact evaluation → weight table →
 * Langevin step) over a {@link org.pgflow.train.ParticleEngine} with the single-JVM engine used by tests and
 * small runs, and the variance-adjusted actor–critic loop ({@link org.pgflow.train.VarianceLoop}) whose pure
 * pieces (simulate a block of episodes, combine in block order, step) a Spark driver reuses. Holds no
 * formulas of its own: they live in {@code meanfield}, {@code estimate}, {@code variance}.
 */
package org.pgflow.train;
