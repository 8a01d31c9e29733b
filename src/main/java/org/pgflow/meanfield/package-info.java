/**
 * The particle system of the mean-field method on plain {@code double[]}: the neuron layout and input points,
 * particle blocks in structure-of-arrays form ({@link org.pgflow.meanfield.ParticleBlock}) and their checkpoint
 * files ({@link org.pgflow.meanfield.BlockFiles}), the neuron kernels (vector and scalar backends, behind
 * {@link org.pgflow.meanfield.NeuronKernels}), the per-block operations of an iteration
 * ({@link org.pgflow.meanfield.BlockOps}: initial draw, summary, Euler–Maruyama step) and the cloud diagnostics
 * (Gaussian and kNN KL, moments). Pure functions of their arguments, so a Spark task, a worker thread and a
 * test compute the same bits. Depends on {@code math}, {@code random} and {@code util}.
 */
package org.pgflow.meanfield;
