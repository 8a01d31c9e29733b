/**
 * The only package that imports Spark: the session factory, the Kryo registrator, the RDD-backed particle
 * engine and the job drivers. Holds no formulas: task functions delegate to {@code meanfield}, {@code estimate}
 * and {@code variance} kernels.
 */
package org.pgflow.spark;
