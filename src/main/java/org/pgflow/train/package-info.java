/**
 * Engine-agnostic training loops: the single-JVM loop of the variance-adjusted actor–critic
 * ({@link org.pgflow.train.VarianceLoop}), built from pure pieces (block simulation, ordered combination,
 * update step) that a Spark driver reuses unchanged. No formulas live here (they are in
 * {@code org.pgflow.variance}); no Spark. Depends on {@code variance}, {@code policy}, {@code mdp},
 * {@code random} and {@code util}.
 */
package org.pgflow.train;
