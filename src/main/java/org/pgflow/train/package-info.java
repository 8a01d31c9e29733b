/**
 * Engine-agnostic training loops: the mean-field iteration (summary → exact evaluation → weight table →
 * Langevin step) over a {@link org.pgflow.train.ParticleEngine}, and the single-JVM engine used by tests and
 * small runs. Holds no formulas of its own: they live in {@code meanfield}, {@code estimate}, {@code variance}.
 */
package org.pgflow.train;
