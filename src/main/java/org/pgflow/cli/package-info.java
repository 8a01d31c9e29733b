/**
 * The {@code pgflow} command line (picocli): {@code run}, {@code study}, {@code solve}, {@code moments},
 * {@code report}. It parses arguments, chooses the engine a run executes on ({@link org.pgflow.cli.Engines}:
 * in-JVM on an embedded master, Spark on a cluster) and maps failures to exit statuses (0 success, 2 invalid
 * input, 1 anything else). The only package that calls {@link System#exit}; the work itself is in {@code run}.
 */
package org.pgflow.cli;
