package org.pgflow.meanfield;

/**
 * The two hot kernels of the mean-field method on a block of particles stored coordinate-major (structure of
 * arrays: coordinate {@code j} of particle {@code i} is {@code theta[j·count + i]}), for a set of input
 * points (SPEC §2.1–2.4):
 * <pre>
 *   z_k = ⟨w_k, x_p⟩ + b_k,  h_k = tanh z_k,  f(p, θ) = α Σ_k tanh(c_k) h_k
 *   partial sums:  out[p] += Σ_i f(p, θ_i)                                   (F = (1/N) Σ_all f)
 *   drift:         b(θ_i) = Σ_p W_p ∇_θ f(p, θ_i)
 *                  ∂f/∂c_k = α (1 − tanh² c_k) h_k,  ∂f/∂w_kj = α tanh c_k (1 − h_k²) x_j,  ∂f/∂b_k = α tanh c_k (1 − h_k²)
 * </pre>
 * Sums run in a fixed order (particles ascending, then points ascending), so a block gives the same bits
 * wherever it is evaluated. Stateless; the caller owns the output arrays. No allocation per particle.
 */
public final class NeuronKernels {
    private NeuronKernels() {
    }

    /**
     * Adds {@code Σ_i f(p, θ_i)} over the block's particles into {@code out[p]}.
     *
     * @param theta  block parameters, coordinate-major, length {@code D·count}
     * @param count  particles in the block
     * @param layout parameter layout
     * @param points input points (P of them)
     * @param out    partial sums, length P, accumulated into
     */
    public static void accumulateOutputs(double[] theta, int count, NeuronLayout layout, Points points, double[] out) {
        int units = layout.units();
        int np = points.size();
        double alpha = layout.alpha();
        double[] tc = new double[units];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < units; k++) {
                tc[k] = Math.tanh(theta[layout.c(k) * count + i]);
            }
            for (int p = 0; p < np; p++) {
                double f = 0;
                for (int k = 0; k < units; k++) {
                    f += tc[k] * Math.tanh(preActivation(theta, count, i, k, layout, points, p));
                }
                out[p] += alpha * f;
            }
        }
    }

    /** {@code z_k = ⟨w_k, x_p⟩ + b_k} for particle i. */
    static double preActivation(double[] theta, int count, int i, int k, NeuronLayout layout, Points points, int p) {
        double z = theta[layout.b(k) * count + i];
        int wBase = layout.w(k, 0);
        for (int q = points.start(p); q < points.end(p); q++) {
            z += theta[(wBase + points.index(q)) * count + i] * points.value(q);
        }
        return z;
    }

    /**
     * Computes the drift {@code b(θ_i) = Σ_p W_p ∇_θ f(p, θ_i)} for every particle of the block.
     *
     * @param theta  block parameters, coordinate-major
     * @param count  particles in the block
     * @param layout parameter layout
     * @param points input points
     * @param weight the weight table {@code W_p = ∂G/∂F(p)}, length P
     * @param drift  output, coordinate-major like {@code theta}, overwritten
     */
    public static void drift(double[] theta, int count, NeuronLayout layout, Points points, double[] weight, double[] drift) {
        int units = layout.units();
        int np = points.size();
        int dx = layout.inputDim();
        double alpha = layout.alpha();
        double[] gw = new double[units * dx];   // Σ_p W_p (1 − h²) x_p  per unit
        double[] gb = new double[units];        // Σ_p W_p (1 − h²)
        double[] gc = new double[units];        // Σ_p W_p h
        for (int i = 0; i < count; i++) {
            java.util.Arrays.fill(gw, 0);
            java.util.Arrays.fill(gb, 0);
            java.util.Arrays.fill(gc, 0);
            for (int p = 0; p < np; p++) {
                double wp = weight[p];
                if (wp == 0) {
                    continue;
                }
                for (int k = 0; k < units; k++) {
                    double h = Math.tanh(preActivation(theta, count, i, k, layout, points, p));
                    gc[k] += wp * h;
                    double g = wp * (1 - h * h);
                    gb[k] += g;
                    for (int q = points.start(p); q < points.end(p); q++) {
                        gw[k * dx + points.index(q)] += g * points.value(q);
                    }
                }
            }
            for (int k = 0; k < units; k++) {
                double tck = Math.tanh(theta[layout.c(k) * count + i]);
                drift[layout.c(k) * count + i] = alpha * (1 - tck * tck) * gc[k];
                drift[layout.b(k) * count + i] = alpha * tck * gb[k];
                for (int j = 0; j < dx; j++) {
                    drift[layout.w(k, j) * count + i] = alpha * tck * gw[k * dx + j];
                }
            }
        }
    }

    /**
     * {@code f(p, θ)} for a single particle given in the flat layout (row form), for tests and small uses.
     *
     * @param theta  one particle, length D
     * @param layout layout
     * @param x      dense input {@code x_p}
     * @return {@code f}
     */
    public static double output(double[] theta, NeuronLayout layout, double[] x) {
        double f = 0;
        for (int k = 0; k < layout.units(); k++) {
            double z = theta[layout.b(k)];
            for (int j = 0; j < layout.inputDim(); j++) {
                z += theta[layout.w(k, j)] * x[j];
            }
            f += Math.tanh(theta[layout.c(k)]) * Math.tanh(z);
        }
        return layout.alpha() * f;
    }
}
