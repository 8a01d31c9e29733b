/**
 * Policies: tabular policies and their file format, tabular softmax; the {@link org.pgflow.policy.Policy}
 * contract with scores ∇ln π (tabular softmax with a reference logit, linear softmax / logistic, the portfolio
 * reference rules); later the mean-field softmax. Depends on {@code mdp}, {@code math} and {@code util}.
 */
package org.pgflow.policy;
