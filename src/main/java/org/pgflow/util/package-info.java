/**
 * Validation helpers and the two exception types that say whose fault a failure is:
 * {@link org.pgflow.util.InvalidInputException} (the user's input, exit status 2) and
 * {@link org.pgflow.util.NumericalDivergenceException} (the numbers diverged during a run); the strict
 * readers of input files ({@link org.pgflow.util.JsonFields}, {@link org.pgflow.util.StrictYaml}). Depends on
 * Jackson and SnakeYAML only.
 */
package org.pgflow.util;
