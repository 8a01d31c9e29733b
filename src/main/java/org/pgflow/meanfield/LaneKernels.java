package org.pgflow.meanfield;

import java.util.Arrays;

/**
 * The vector kernels' arithmetic in plain scalar Java: for a lane count {@code L}, every particle gets the
 * operations {@code VectorKernels} applies to its lane, in the same order, and the sums over particles run in
 * {@code L} lane accumulators (particle {@code i} in lane {@code i mod L}) reduced left to right, as the vector
 * code reduces them. So a block gives the same bits through either class.
 *
 * <p>Why it exists: the Vector API is fast only once C2 has compiled a loop; before that every vector operation
 * is a heap object and a lambda call, about a hundred times slower than scalar code. Small blocks never amortise
 * that (a run of a 400-particle cloud spends most of its time there), while this plain loop is compiled within a
 * few hundred calls. {@code VectorKernels} hands it blocks below {@link #SMALL_BLOCK_LANES}·L particles. The tail
 * after the last full vector is left to the caller, exactly as in the vector kernels.
 */
final class LaneKernels {
    /** Blocks with fewer than this many full vectors run here. */
    static final int SMALL_BLOCK_LANES = 64;

    private LaneKernels() {
    }

    /**
     * The full-vector part ({@code i < bound}) of {@code VectorKernels.outputs}.
     *
     * @param lanesCount L
     * @param bound      particles in full vectors (a multiple of L)
     */
    static void outputs(int lanesCount, double[] theta, int count, int bound, NeuronLayout layout, Points points,
                        double[] out, double[] activations, double[] e) {
        int units = layout.units();
        int np = points.size();
        double[] tc = Scratch.row(Scratch.Row.OUT_TC, units * count);
        for (int k = 0; k < units; k++) {
            int row = layout.c(k) * count;
            for (int i = 0; i < bound; i++) {
                tc[k * count + i] = PortableTanh.tanh(theta[row + i]);
            }
        }
        double[] z = Scratch.row(Scratch.Row.OUT_Z, count);
        double[] h = activations != null ? activations : Scratch.row(Scratch.Row.OUT_H, count);
        double[] lanes = Scratch.row(Scratch.Row.OUT_LANES, lanesCount);
        int mask = lanesCount - 1;
        double alpha = layout.alpha();
        for (int p = 0; p < np; p++) {
            double f = 0;
            for (int k = 0; k < units; k++) {
                int hRow = activations != null ? (p * units + k) * count : 0;
                if (e != null) {
                    for (int i = 0; i < bound; i++) {
                        h[hRow + i] = ExpFactors.activation(e, count, i, k, layout.inputDim(), points, p);
                    }
                } else {
                    preActivation(theta, count, layout, points, p, k, z, bound);
                    for (int i = 0; i < bound; i++) {
                        h[hRow + i] = PortableTanh.tanh(z[i]);
                    }
                }
                Arrays.fill(lanes, 0.0);
                int tRow = k * count;
                for (int i = 0; i < bound; i++) {
                    lanes[i & mask] += tc[tRow + i] * h[hRow + i];
                }
                f += sumLanes(lanes, 0, lanesCount);
            }
            out[p] += alpha * f;
        }
    }

    /** {@code z = b_k + Σ_q w_{k, idx_q} x_q} for point p, unit k, particles below bound (the vector order). */
    private static void preActivation(double[] theta, int count, NeuronLayout layout, Points points, int p, int k,
                                      double[] z, int bound) {
        System.arraycopy(theta, layout.b(k) * count, z, 0, bound);
        int[] off = points.offsets();
        int[] idx = points.indices();
        double[] val = points.values();
        boolean unit = points.unitValues();
        for (int q = off[p]; q < off[p + 1]; q++) {
            int wRow = layout.w(k, idx[q]) * count;
            if (unit) {
                for (int i = 0; i < bound; i++) {
                    z[i] += theta[wRow + i];
                }
            } else {
                double x = val[q];
                for (int i = 0; i < bound; i++) {
                    z[i] += theta[wRow + i] * x;
                }
            }
        }
    }

    /**
     * The per-row steps of a drift pass over the full vectors ({@code i < bound}), in scalar or SIMD code; the
     * pass itself ({@link #drift(DriftRows, int, NeuronLayout, Points, double[], double[], double[])}) is shared,
     * so both make the same calls in the same order.
     */
    interface DriftRows {
        /**
         * The activations of unit k at point p.
         *
         * @param z scratch row for the pre-activations
         * @param h receives {@code tanh z}
         */
        void activations(int p, int k, double[] z, double[] h);

        /** Point p's contribution {@code W_p ∇f} to unit k, given its activations {@code hs[hRow ..]}. */
        void accumulate(double[] hs, int hRow, int p, int k, double wp, double[] gc, double[] gb, double[] drift);

        /** Unit k's c, b and w rows from the sums over points ({@code h} is a scratch row). */
        void finish(int k, double[] h, double[] gc, double[] gb, double[] drift);
    }

    /**
     * The full-vector part of a drift: zeroes the w rows (they accumulate {@code Σ_p W_p (1 − h²) x_pj} in place),
     * adds every point of non-zero weight unit by unit (activations from the memo when given, else computed), then
     * finishes unit by unit.
     */
    static void drift(DriftRows rows, int count, NeuronLayout layout, Points points, double[] weight, double[] drift,
                      double[] activations) {
        int units = layout.units();
        int np = points.size();
        int dx = layout.inputDim();
        double[] gc = Scratch.zeroed(Scratch.Row.DRIFT_GC, units * count);   // Σ_p W_p h  per unit (row) and particle
        double[] gb = Scratch.zeroed(Scratch.Row.DRIFT_GB, units * count);   // Σ_p W_p (1 − h²)
        double[] z = Scratch.row(Scratch.Row.DRIFT_Z, count);
        double[] h = Scratch.row(Scratch.Row.DRIFT_H, count);
        Arrays.fill(drift, layout.w(0, 0) * count, layout.w(units - 1, dx - 1) * count + count, 0.0);
        for (int p = 0; p < np; p++) {
            double wp = weight[p];
            if (wp == 0) {
                continue;
            }
            for (int k = 0; k < units; k++) {
                if (activations != null) {
                    rows.accumulate(activations, (p * units + k) * count, p, k, wp, gc, gb, drift);
                } else {
                    rows.activations(p, k, z, h);
                    rows.accumulate(h, 0, p, k, wp, gc, gb, drift);
                }
            }
        }
        for (int k = 0; k < units; k++) {
            rows.finish(k, h, gc, gb, drift);
        }
    }

    /**
     * The full-vector part of {@code VectorKernels.drift} (its caller zeroes nothing: this method does what the
     * vector code does for {@code i < bound}, including zeroing the w rows).
     */
    static void drift(double[] theta, int count, int bound, NeuronLayout layout, Points points, double[] weight,
                      double[] drift, double[] activations, double[] e) {
        drift(new ScalarRows(theta, count, bound, layout, points, e), count, layout, points, weight, drift, activations);
    }

    /** The drift rows in scalar code, particle by particle in the order of the vector code's lanes. */
    private static final class ScalarRows implements DriftRows {
        private final double[] theta;
        private final int count;
        private final int bound;
        private final NeuronLayout layout;
        private final Points points;
        private final int[] off;
        private final int[] idx;
        private final double[] val;
        private final boolean unit;
        private final double[] e;

        ScalarRows(double[] theta, int count, int bound, NeuronLayout layout, Points points, double[] e) {
            this.e = e;
            this.theta = theta;
            this.count = count;
            this.bound = bound;
            this.layout = layout;
            this.points = points;
            this.off = points.offsets();
            this.idx = points.indices();
            this.val = points.values();
            this.unit = points.unitValues();
        }

        @Override
        public void activations(int p, int k, double[] z, double[] h) {
            if (e != null) {
                for (int i = 0; i < bound; i++) {
                    h[i] = ExpFactors.activation(e, count, i, k, layout.inputDim(), points, p);
                }
                return;
            }
            preActivation(theta, count, layout, points, p, k, z, bound);
            for (int i = 0; i < bound; i++) {
                h[i] = PortableTanh.tanh(z[i]);
            }
        }

        @Override
        public void accumulate(double[] hs, int hRow, int p, int k, double wp, double[] gc, double[] gb, double[] drift) {
            int gRow = k * count;
            for (int i = 0; i < bound; i++) {
                double hv = hs[hRow + i];
                gc[gRow + i] += hv * wp;
                double g = (-(hv * hv) + 1.0) * wp;
                gb[gRow + i] += g;
                for (int q = off[p]; q < off[p + 1]; q++) {
                    int row = layout.w(k, idx[q]) * count + i;
                    drift[row] += unit ? g : g * val[q];
                }
            }
        }

        @Override
        public void finish(int k, double[] h, double[] gc, double[] gb, double[] drift) {
            double alpha = layout.alpha();
            int dx = layout.inputDim();
            int cRow = k * count;
            int tRow = layout.c(k) * count;
            int bRow = layout.b(k) * count;
            for (int i = 0; i < bound; i++) {
                double tck = PortableTanh.tanh(theta[tRow + i]);
                drift[cRow + i] = ((-(tck * tck) + 1.0) * alpha) * gc[cRow + i];
                double at = tck * alpha;
                drift[bRow + i] = at * gb[cRow + i];
                for (int j = 0; j < dx; j++) {
                    int row = layout.w(k, j) * count + i;
                    drift[row] = at * drift[row];
                }
            }
        }
    }

    /** {@code VectorKernels.moments}: lane sums of θ_j and of θ_j θ_l (fused multiply-add), then the tail. */
    static void moments(int lanesCount, double[] theta, int count, int bound, int dim, double[] sum, double[] sumOuter) {
        double[] lanes = new double[lanesCount];
        int mask = lanesCount - 1;
        for (int j = 0; j < dim; j++) {
            int rowJ = j * count;
            Arrays.fill(lanes, 0.0);
            for (int i = 0; i < bound; i++) {
                lanes[i & mask] += theta[rowJ + i];
            }
            sum[j] = plusTail(sumLanes(lanes, 0, lanesCount), theta, rowJ, bound, count);
        }
        int q = 0;
        for (int j = 0; j < dim; j++) {
            int rowJ = j * count;
            for (int l = j; l < dim; l++) {
                int rowL = l * count;
                Arrays.fill(lanes, 0.0);
                for (int i = 0; i < bound; i++) {
                    lanes[i & mask] = Math.fma(theta[rowJ + i], theta[rowL + i], lanes[i & mask]);
                }
                double s = sumLanes(lanes, 0, lanesCount);
                for (int i = bound; i < count; i++) {
                    s += theta[rowJ + i] * theta[rowL + i];
                }
                sumOuter[q++] = s;
            }
        }
    }

    /**
     * @return {@code s + θ[row + bound] + … + θ[row + count − 1]}, added left to right: the particles after the
     *         last full vector
     */
    static double plusTail(double s, double[] theta, int row, int bound, int count) {
        for (int i = bound; i < count; i++) {
            s += theta[row + i];
        }
        return s;
    }

    /** {@code a[from] + … + a[from+L−1]}, left to right. */
    private static double sumLanes(double[] a, int from, int lanesCount) {
        double s = a[from];
        for (int l = 1; l < lanesCount; l++) {
            s += a[from + l];
        }
        return s;
    }
}
