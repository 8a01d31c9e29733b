package org.pgflow.math;

import java.io.Serializable;
import java.util.Arrays;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * A one-dimensional quadrature rule {@code Σ_j w_j h(x_j) ≈ ∫ h dλ} with nodes in increasing order (docs/algorithms.md §2.7b).
 *
 * <p>Factories: {@link #gaussLegendre(int)} (λ = Lebesgue on [−1, 1], Σw = 2), {@link #gaussHermite(int)}
 * (physicists' weight {@code e^{−x²}} on ℝ, Σw = √π), and the probability versions
 * {@link #uniform(int, double, double)} (λ = Uniform[lo, hi], Σw = 1) and {@link #normal(int, double, double)}
 * (λ = N(mean, sd²), Σw = 1), which are the action grids of docs/algorithms.md §2.7b for uniform and Gaussian μ.
 *
 * <p>Nodes are found by Newton's method on the three-term recurrences (Legendre: Bonnet's recurrence;
 * Hermite: the orthonormal recurrence, which does not overflow), from the classical asymptotic initial
 * guesses (Numerical Recipes §4.6), to full double precision. Immutable and thread-safe; accessors copy.
 */
public final class Quadrature implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int MAX_NEWTON = 100;
    /** Largest supported number of nodes (Hermite initial guesses are validated up to here). */
    public static final int MAX_NODES = 1000;

    private final double[] nodes;
    private final double[] weights;

    private Quadrature(double[] nodes, double[] weights) {
        this.nodes = nodes;
        this.weights = weights;
    }

    /** @return the number of nodes */
    public int size() {
        return nodes.length;
    }

    /** @return node {@code x_j} */
    public double node(int j) {
        return nodes[j];
    }

    /** @return weight {@code w_j} */
    public double weight(int j) {
        return weights[j];
    }

    /** @return a copy of the nodes (increasing) */
    public double[] nodes() {
        return nodes.clone();
    }

    /** @return a copy of the weights */
    public double[] weights() {
        return weights.clone();
    }

    /**
     * Applies the rule to a function.
     *
     * @param h integrand
     * @return {@code Σ_j w_j h(x_j)}
     */
    public double integrate(java.util.function.DoubleUnaryOperator h) {
        double s = 0;
        for (int j = 0; j < nodes.length; j++) {
            s += weights[j] * h.applyAsDouble(nodes[j]);
        }
        return s;
    }

    /**
     * Gauss–Legendre rule on [−1, 1] with the Lebesgue weight: exact for polynomials of degree ≤ 2n − 1.
     *
     * @param n number of nodes, in [1, {@link #MAX_NODES}]
     * @return the rule (Σ w = 2)
     * @throws InvalidInputException if n is out of range
     */
    public static Quadrature gaussLegendre(int n) {
        Checks.inRange("quadrature nodes", n, 1, MAX_NODES);
        double[] x = new double[n];
        double[] w = new double[n];
        int half = (n + 1) / 2;
        for (int i = 0; i < half; i++) {
            // root i (counting from the largest) of P_n; Tricomi's initial guess
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int it = 0; it < MAX_NEWTON; it++) {
                double p0 = 1;
                double p1 = 0;
                for (int j = 1; j <= n; j++) {
                    double p2 = p1;
                    p1 = p0;
                    p0 = ((2.0 * j - 1.0) * z * p1 - (j - 1.0) * p2) / j;
                }
                // p0 = P_n(z), p1 = P_{n−1}(z)
                dp = n * (z * p0 - p1) / (z * z - 1.0);
                double dz = p0 / dp;
                z -= dz;
                if (Math.abs(dz) <= 1e-16 * Math.max(1.0, Math.abs(z))) {
                    // recompute P_n' at the converged z for the weight
                    double q0 = 1;
                    double q1 = 0;
                    for (int j = 1; j <= n; j++) {
                        double q2 = q1;
                        q1 = q0;
                        q0 = ((2.0 * j - 1.0) * z * q1 - (j - 1.0) * q2) / j;
                    }
                    dp = n * (z * q0 - q1) / (z * z - 1.0);
                    break;
                }
            }
            x[n - 1 - i] = z;
            x[i] = -z;
            w[i] = 2.0 / ((1.0 - z * z) * dp * dp);
            w[n - 1 - i] = w[i];
        }
        if (n % 2 == 1) {
            x[n / 2] = 0.0; // exact symmetry
        }
        return new Quadrature(x, w);
    }

    /**
     * Gauss–Hermite rule for the weight {@code e^{−x²}} on ℝ: exact for polynomials of degree ≤ 2n − 1.
     *
     * @param n number of nodes, in [1, {@link #MAX_NODES}]
     * @return the rule (Σ w = √π)
     * @throws InvalidInputException if n is out of range
     */
    public static Quadrature gaussHermite(int n) {
        Checks.inRange("quadrature nodes", n, 1, MAX_NODES);
        final double pim4 = Math.pow(Math.PI, -0.25);
        double[] x = new double[n];
        double[] w = new double[n];
        int half = (n + 1) / 2;
        double z = 0;
        for (int i = 0; i < half; i++) {
            // asymptotic initial guesses for the largest roots, then extrapolation from the previous ones
            if (i == 0) {
                z = Math.sqrt(2.0 * n + 1.0) - 1.85575 * Math.pow(2.0 * n + 1.0, -0.16667);
            } else if (i == 1) {
                z -= 1.14 * Math.pow(n, 0.426) / z;
            } else if (i == 2) {
                z = 1.86 * z - 0.86 * x[n - 1];
            } else if (i == 3) {
                z = 1.91 * z - 0.91 * x[n - 2];
            } else {
                z = 2.0 * z - x[n - 1 - (i - 2)];
            }
            double pp = 0;
            boolean converged = false;
            for (int it = 0; it < MAX_NEWTON; it++) {
                double[] pr = hermiteOrthonormal(n, z, pim4);
                pp = Math.sqrt(2.0 * n) * pr[1];
                double dz = pr[0] / pp;
                z -= dz;
                if (Math.abs(dz) <= 1e-15 * Math.max(1.0, Math.abs(z))) {
                    pp = Math.sqrt(2.0 * n) * hermiteOrthonormal(n, z, pim4)[1];
                    converged = true;
                    break;
                }
            }
            if (!converged) {
                throw new ArithmeticException("Gauss-Hermite Newton iteration did not converge for n=" + n + ", root " + i);
            }
            x[n - 1 - i] = z;
            x[i] = -z;
            w[i] = 2.0 / (pp * pp);
            w[n - 1 - i] = w[i];
        }
        if (n % 2 == 1) {
            x[n / 2] = 0.0;
        }
        return new Quadrature(x, w);
    }

    /** Orthonormal Hermite values {@code (h_n(z), h_{n−1}(z))} with {@code h_0 = π^{−1/4}}. */
    private static double[] hermiteOrthonormal(int n, double z, double pim4) {
        double p1 = pim4;
        double p2 = 0;
        for (int j = 1; j <= n; j++) {
            double p3 = p2;
            p2 = p1;
            p1 = z * Math.sqrt(2.0 / j) * p2 - Math.sqrt((j - 1.0) / j) * p3;
        }
        return new double[] {p1, p2};
    }

    /**
     * Gauss–Legendre rule for the uniform probability on {@code [lo, hi]}: nodes mapped affinely, weights
     * divided by 2 so that they sum to 1 (the action grid for a box with uniform μ, docs/algorithms.md §2.7b).
     *
     * @param n  number of nodes
     * @param lo lower end (finite)
     * @param hi upper end (finite, {@code > lo})
     * @return the rule (Σ w = 1 up to round-off; the weights are renormalised to sum to 1 exactly in floating point)
     */
    public static Quadrature uniform(int n, double lo, double hi) {
        Checks.finite("lo", lo);
        Checks.finite("hi", hi);
        if (!(hi > lo)) {
            throw new InvalidInputException("hi must be > lo but was [" + lo + ", " + hi + "]");
        }
        Quadrature gl = gaussLegendre(n);
        double[] x = new double[n];
        double[] w = new double[n];
        double mid = 0.5 * (lo + hi);
        double half = 0.5 * (hi - lo);
        for (int j = 0; j < n; j++) {
            x[j] = mid + half * gl.nodes[j];
            w[j] = 0.5 * gl.weights[j];
        }
        return new Quadrature(x, normalise(w));
    }

    /**
     * Gauss–Hermite rule for the normal probability {@code N(mean, sd²)}: nodes {@code mean + √2·sd·x_j},
     * weights {@code w_j/√π} (the action grid for Gaussian μ, docs/algorithms.md §2.7b).
     *
     * @param n    number of nodes
     * @param mean mean (finite)
     * @param sd   standard deviation (positive, finite)
     * @return the rule (Σ w = 1, renormalised in floating point)
     */
    public static Quadrature normal(int n, double mean, double sd) {
        Checks.finite("mean", mean);
        Checks.positive("sd", sd);
        Quadrature gh = gaussHermite(n);
        double[] x = new double[n];
        double[] w = new double[n];
        for (int j = 0; j < n; j++) {
            x[j] = mean + Math.sqrt(2.0) * sd * gh.nodes[j];
            w[j] = gh.weights[j] / Math.sqrt(Math.PI);
        }
        return new Quadrature(x, normalise(w));
    }

    private static double[] normalise(double[] w) {
        double s = 0;
        for (double v : w) {
            s += v;
        }
        for (int j = 0; j < w.length; j++) {
            w[j] /= s;
        }
        return w;
    }

    @Override
    public String toString() {
        return "Quadrature" + Arrays.toString(nodes);
    }
}
