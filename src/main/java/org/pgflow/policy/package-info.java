/**
 * Policies: tabular policies and their file format, tabular softmax; later the linear softmax with compatible
 * features and the mean-field softmax. Depends on {@code mdp}, {@code math} and {@code util}.
 */
package org.pgflow.policy;
