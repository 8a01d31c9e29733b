/**
 * Policies: tabular policies and their file format; the mean-field softmax π_ν on finite action sets; the
 * actor–critic {@link org.pgflow.policy.Policy} contract with scores ∇ln π (tabular softmax with a reference
 * logit, linear softmax / logistic, the portfolio reference rules); the estimator-facing contract
 * {@link org.pgflow.policy.ActionDistribution} (π and ℓ = ln(π/μ) on a finite action set) with a tabular
 * implementation; and the exact rejection sampler for π ∝ e^F μ̄ with a bounded logit (docs/algorithms.md §2.7c).
 * Depends on {@code mdp}, {@code math}, {@code random} and {@code util}.
 */
package org.pgflow.policy;
