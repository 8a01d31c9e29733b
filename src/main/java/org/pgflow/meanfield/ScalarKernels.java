package org.pgflow.meanfield;

import java.util.Arrays;

/**
 * The scalar (plain Java, {@code Math.tanh}) neuron kernels: the reference implementation of
 * {@link KernelBackend}, and the fallback when {@code jdk.incubator.vector} is absent. The arithmetic is the
 * one of the first release of {@link NeuronKernels}, operation for operation, so forcing
 * {@code -Dpgflow.kernels=scalar} reproduces earlier runs bit for bit. The range methods
 * ({@code from..to}) also serve the vector kernels for the particles left over after the last full vector,
 * then with {@link PortableTanh} so that those particles get the same bits as a vector lane would give them.
 */
final class ScalarKernels implements KernelBackend {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public boolean benefitsFromActivationMemo(NeuronLayout layout, Points points) {
        return true;
    }

    @Override
    public void outputs(double[] theta, int count, NeuronLayout layout, Points points, double[] out, double[] activations) {
        double[] tc = new double[layout.units()];
        outputs(theta, count, 0, count, layout, points, out, activations, tc, false, null);
    }

    /**
     * {@link #outputs} for particles {@code from ≤ i < to}; {@code tc} is scratch of length K; {@code portable}
     * selects {@link PortableTanh} (the vector kernels' tanh, for their leftover particles) over {@code Math.tanh};
     * {@code e}, when not null, holds the block's factor rows ({@link ExpFactors}) and the activations come from
     * them, as a vector lane would compute them.
     */
    static void outputs(double[] theta, int count, int from, int to, NeuronLayout layout, Points points, double[] out,
                        double[] activations, double[] tc, boolean portable, double[] e) {
        int units = layout.units();
        int np = points.size();
        double alpha = layout.alpha();
        for (int i = from; i < to; i++) {
            for (int k = 0; k < units; k++) {
                tc[k] = tanh(theta[layout.c(k) * count + i], portable);
            }
            for (int p = 0; p < np; p++) {
                double f = 0;
                for (int k = 0; k < units; k++) {
                    double h = e != null ? ExpFactors.activation(e, count, i, k, layout.inputDim(), points, p)
                            : tanh(preActivation(theta, count, i, k, layout, points, p), portable);
                    if (activations != null) {
                        activations[(p * units + k) * count + i] = h;
                    }
                    f += tc[k] * h;
                }
                out[p] += alpha * f;
            }
        }
    }

    private static double tanh(double z, boolean portable) {
        return portable ? PortableTanh.tanh(z) : Math.tanh(z);
    }

    /** {@code z_k = ⟨w_k, x_p⟩ + b_k} for particle i (non-zeros in ascending order, {@code z += w·x}). */
    static double preActivation(double[] theta, int count, int i, int k, NeuronLayout layout, Points points, int p) {
        double z = theta[layout.b(k) * count + i];
        int wBase = layout.w(k, 0);
        for (int q = points.start(p); q < points.end(p); q++) {
            z += theta[(wBase + points.index(q)) * count + i] * points.value(q);
        }
        return z;
    }

    @Override
    public void drift(double[] theta, int count, NeuronLayout layout, Points points, double[] weight, double[] drift,
                      double[] activations) {
        int units = layout.units();
        double[] gw = new double[units * layout.inputDim()];
        double[] gb = new double[units];
        double[] gc = new double[units];
        drift(theta, count, 0, count, layout, points, weight, drift, activations, gw, gb, gc, false, null);
    }

    /**
     * {@link #drift} for particles {@code from ≤ i < to}; {@code gw} (length K·d_x), {@code gb}, {@code gc}
     * (length K) are scratch; {@code portable} and {@code e} as for {@link #outputs(double[], int, int, int,
     * NeuronLayout, Points, double[], double[], double[], boolean, double[])}.
     */
    static void drift(double[] theta, int count, int from, int to, NeuronLayout layout, Points points, double[] weight,
                      double[] drift, double[] activations, double[] gw, double[] gb, double[] gc, boolean portable,
                      double[] e) {
        int units = layout.units();
        int np = points.size();
        int dx = layout.inputDim();
        double alpha = layout.alpha();
        for (int i = from; i < to; i++) {
            Arrays.fill(gw, 0);     // Σ_p W_p (1 − h²) x_p  per unit
            Arrays.fill(gb, 0);     // Σ_p W_p (1 − h²)
            Arrays.fill(gc, 0);     // Σ_p W_p h
            for (int p = 0; p < np; p++) {
                double wp = weight[p];
                if (wp == 0) {
                    continue;
                }
                for (int k = 0; k < units; k++) {
                    double h = activations != null ? activations[(p * units + k) * count + i]
                            : e != null ? ExpFactors.activation(e, count, i, k, dx, points, p)
                            : tanh(preActivation(theta, count, i, k, layout, points, p), portable);
                    gc[k] += wp * h;
                    double g = wp * (1 - h * h);
                    gb[k] += g;
                    for (int q = points.start(p); q < points.end(p); q++) {
                        gw[k * dx + points.index(q)] += g * points.value(q);
                    }
                }
            }
            for (int k = 0; k < units; k++) {
                double tck = tanh(theta[layout.c(k) * count + i], portable);
                drift[layout.c(k) * count + i] = alpha * (1 - tck * tck) * gc[k];
                drift[layout.b(k) * count + i] = alpha * tck * gb[k];
                for (int j = 0; j < dx; j++) {
                    drift[layout.w(k, j) * count + i] = alpha * tck * gw[k * dx + j];
                }
            }
        }
    }

    @Override
    public void moments(double[] theta, int count, int dim, double[] sum, double[] sumOuter) {
        for (int j = 0; j < dim; j++) {
            int rowJ = j * count;
            double acc = 0;
            for (int i = 0; i < count; i++) {
                acc += theta[rowJ + i];
            }
            sum[j] = acc;
        }
        int q = 0;
        for (int j = 0; j < dim; j++) {
            for (int l = j; l < dim; l++) {
                double acc = 0;
                int rowJ = j * count;
                int rowL = l * count;
                for (int i = 0; i < count; i++) {
                    acc += theta[rowJ + i] * theta[rowL + i];
                }
                sumOuter[q++] = acc;
            }
        }
    }

    @Override
    public void tanh(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = Math.tanh(x[i]);
        }
    }

    @Override
    public void gaussianRows(long[] keys, int count, int m, double scale, double[] out, int row0, int row1) {
        org.pgflow.random.NormalPairs.rows(keys, 0, count, m, scale, out, row0, row1);
    }

    @Override
    public void updateRow(double[] theta, double[] drift, int from, double[] z, int zFrom, double[] next, double[] norms,
                          int count, double shrink, double dt) {
        updateRow(theta, drift, from, z, zFrom, next, norms, 0, count, shrink, dt);
    }

    /** {@link #updateRow} for particles {@code [lo, hi)} (the vector kernels' tail and small blocks). */
    static void updateRow(double[] theta, double[] drift, int from, double[] z, int zFrom, double[] next, double[] norms,
                          int lo, int hi, double shrink, double dt) {
        for (int i = lo; i < hi; i++) {
            double b = drift[from + i];
            norms[i] += b * b;
            next[from + i] = shrink * theta[from + i] + dt * b + z[zFrom + i];
        }
    }
}
