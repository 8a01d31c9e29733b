/**
 * Plain-Java numerical helpers on {@code double[]}: dense solves and the symmetric eigen-decomposition
 * through netlib LAPACK, Cholesky, stabilised log-sum-exp and softmax, Gauss–Legendre and Gauss–Hermite
 * quadrature. Depends only on {@code dev.ludovic.netlib}.
 */
package org.pgflow.math;
