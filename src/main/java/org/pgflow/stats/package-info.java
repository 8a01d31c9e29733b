/**
 * Combinable statistical accumulators (count/mean/M2) with the accept/combine contract of Spark's
 * {@code aggregate}; standard errors of Monte Carlo means. Depends only on the JDK.
 */
package org.pgflow.stats;
