/**
 * Policies: tabular policies and their file format, tabular softmax, the estimator-facing contract
 * {@link org.pgflow.policy.ActionDistribution} (π and ℓ = ln(π/μ) on a finite action set) with a tabular
 * implementation, and the exact rejection sampler for π ∝ e^F μ̄ with a bounded logit (SPEC §2.7c); later the
 * linear softmax with compatible features and the mean-field softmax. Depends on {@code mdp}, {@code math},
 * {@code random} and {@code util}.
 */
package org.pgflow.policy;
