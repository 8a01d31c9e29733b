package org.pgflow.meanfield;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The neuron kernels on SIMD lanes ({@code jdk.incubator.vector}, JDK 17): one vector holds the same
 * coordinate of {@code L} consecutive particles, which the coordinate-major block stores contiguously, so every
 * load is a plain vector load. {@code tanh} is {@link #tanh(DoubleVector)}, the SIMD twin of {@link PortableTanh}
 * (≤ 3 ulp from {@code StrictMath.tanh} over the whole double range, ≈ 2 ns per element with 8 lanes, about as
 * fast as the SVML {@code lanewise(TANH)}, which is not used because it gives other bits before C2 compiles the
 * loop than after). Lane sums are reduced by a scalar loop in lane order ({@code reduceLanes(ADD)} leaves
 * the order open). Every operation used has a fully specified IEEE result, so a block gives the same bits
 * interpreted or compiled. With one-hot (unit
 * valued) inputs the pre-activation {@code z = b + w_{s} + w_{a}} is two vector loads and adds: the "gather"
 * is a choice of row, and the multiplication by the input value 1 is skipped (same bits).
 *
 * <p>Per particle (per lane) the drift does exactly the scalar kernel's operations in the scalar kernel's order
 * (no fused multiply-add), so it differs from {@link ScalarKernels} only through {@code tanh}. The output sums
 * add particles lane-wise and then the lanes, a different (fixed) order than the scalar loop. The
 * {@code count mod L} particles after the last full vector go through the scalar kernel with
 * {@link PortableTanh}, which gives them the bits a lane would.
 *
 * <p>Only {@link NeuronKernels} touches this class, by reflection and only after it has seen the module in the
 * boot layer: the rest of pgflow loads and runs without {@code --add-modules=jdk.incubator.vector}. Scratch
 * arrays are allocated once per call (per block), never per particle. Stateless and thread-safe.
 */
final class VectorKernels implements KernelBackend {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** No-argument constructor for the reflective load in {@link NeuronKernels}. */
    VectorKernels() {
    }

    /** @return the lane count of the preferred species on this machine */
    static int lanes() {
        return L;
    }

    @Override
    public String name() {
        return "vector-" + L;
    }

    @Override
    public void outputs(double[] theta, int count, NeuronLayout layout, Points points, double[] out, double[] activations) {
        int units = layout.units();
        int np = points.size();
        boolean unit = points.unitValues();
        int bound = S.loopBound(count);
        double[] tc = new double[units * L];
        double[] acc = new double[np * L];
        for (int i0 = 0; i0 < bound; i0 += L) {
            for (int k = 0; k < units; k++) {
                tanh(DoubleVector.fromArray(S, theta, layout.c(k) * count + i0)).intoArray(tc, k * L);
            }
            for (int p = 0; p < np; p++) {
                DoubleVector f = DoubleVector.zero(S);
                for (int k = 0; k < units; k++) {
                    DoubleVector h = tanh(preActivation(theta, count, i0, k, layout, points, p, unit));
                    if (activations != null) {
                        h.intoArray(activations, (p * units + k) * count + i0);
                    }
                    f = f.add(DoubleVector.fromArray(S, tc, k * L).mul(h));
                }
                DoubleVector.fromArray(S, acc, p * L).add(f).intoArray(acc, p * L);
            }
        }
        double alpha = layout.alpha();
        if (bound > 0) {
            for (int p = 0; p < np; p++) {
                out[p] += alpha * sumLanes(acc, p * L);
            }
        }
        if (bound < count) {
            ScalarKernels.outputs(theta, count, bound, count, layout, points, out, activations, new double[units], true);
        }
    }

    /** {@code z_k = b_k + Σ_q w_{k, idx_q} x_q} for the L particles at {@code i0} (scalar order: {@code z + w·x}). */
    private static DoubleVector preActivation(double[] theta, int count, int i0, int k, NeuronLayout layout,
                                              Points points, int p, boolean unit) {
        DoubleVector z = DoubleVector.fromArray(S, theta, layout.b(k) * count + i0);
        int wBase = layout.w(k, 0);
        for (int q = points.start(p); q < points.end(p); q++) {
            DoubleVector w = DoubleVector.fromArray(S, theta, (wBase + points.index(q)) * count + i0);
            z = unit ? z.add(w) : z.add(w.mul(points.value(q)));
        }
        return z;
    }

    @Override
    public void drift(double[] theta, int count, NeuronLayout layout, Points points, double[] weight, double[] drift,
                      double[] activations) {
        int units = layout.units();
        int np = points.size();
        int dx = layout.inputDim();
        double alpha = layout.alpha();
        boolean unit = points.unitValues();
        int bound = S.loopBound(count);
        double[] gc = new double[units * L];   // Σ_p W_p h           per unit and lane
        double[] gb = new double[units * L];   // Σ_p W_p (1 − h²)
        DoubleVector zero = DoubleVector.zero(S);
        for (int i0 = 0; i0 < bound; i0 += L) {
            Arrays.fill(gc, 0);
            Arrays.fill(gb, 0);
            // The w rows of the output accumulate Σ_p W_p (1 − h²) x_pj in place, then get scaled by α tanh c_k.
            for (int k = 0; k < units; k++) {
                for (int j = 0; j < dx; j++) {
                    zero.intoArray(drift, layout.w(k, j) * count + i0);
                }
            }
            for (int p = 0; p < np; p++) {
                double wp = weight[p];
                if (wp == 0) {
                    continue;
                }
                for (int k = 0; k < units; k++) {
                    DoubleVector h = activations != null
                            ? DoubleVector.fromArray(S, activations, (p * units + k) * count + i0)
                            : tanh(preActivation(theta, count, i0, k, layout, points, p, unit));
                    DoubleVector.fromArray(S, gc, k * L).add(h.mul(wp)).intoArray(gc, k * L);
                    DoubleVector g = h.mul(h).neg().add(1.0).mul(wp);
                    DoubleVector.fromArray(S, gb, k * L).add(g).intoArray(gb, k * L);
                    int wBase = layout.w(k, 0);
                    for (int q = points.start(p); q < points.end(p); q++) {
                        int row = (wBase + points.index(q)) * count + i0;
                        DoubleVector.fromArray(S, drift, row).add(unit ? g : g.mul(points.value(q))).intoArray(drift, row);
                    }
                }
            }
            for (int k = 0; k < units; k++) {
                DoubleVector tck = tanh(DoubleVector.fromArray(S, theta, layout.c(k) * count + i0));
                tck.mul(tck).neg().add(1.0).mul(alpha).mul(DoubleVector.fromArray(S, gc, k * L))
                        .intoArray(drift, layout.c(k) * count + i0);
                DoubleVector at = tck.mul(alpha);
                at.mul(DoubleVector.fromArray(S, gb, k * L)).intoArray(drift, layout.b(k) * count + i0);
                for (int j = 0; j < dx; j++) {
                    int row = layout.w(k, j) * count + i0;
                    at.mul(DoubleVector.fromArray(S, drift, row)).intoArray(drift, row);
                }
            }
        }
        if (bound < count) {
            ScalarKernels.drift(theta, count, bound, count, layout, points, weight, drift, activations,
                    new double[units * dx], new double[units], new double[units], true);
        }
    }

    @Override
    public void moments(double[] theta, int count, int dim, double[] sum, double[] sumOuter) {
        int bound = S.loopBound(count);
        double[] lanes = new double[4 * L];
        for (int j = 0; j < dim; j++) {
            int rowJ = j * count;
            DoubleVector acc = DoubleVector.zero(S);
            for (int i = 0; i < bound; i += L) {
                acc = acc.add(DoubleVector.fromArray(S, theta, rowJ + i));
            }
            acc.intoArray(lanes, 0);
            double s = sumLanes(lanes, 0);
            for (int i = bound; i < count; i++) {
                s += theta[rowJ + i];
            }
            sum[j] = s;
        }
        int q = 0;
        for (int j = 0; j < dim; j++) {
            int rowJ = j * count;
            int l = j;
            // Four columns at a time: four independent accumulator chains share each load of row j.
            for (; l + 3 < dim; l += 4) {
                int r0 = l * count;
                int r1 = r0 + count;
                int r2 = r1 + count;
                int r3 = r2 + count;
                DoubleVector a0 = DoubleVector.zero(S);
                DoubleVector a1 = a0;
                DoubleVector a2 = a0;
                DoubleVector a3 = a0;
                for (int i = 0; i < bound; i += L) {
                    DoubleVector x = DoubleVector.fromArray(S, theta, rowJ + i);
                    a0 = x.fma(DoubleVector.fromArray(S, theta, r0 + i), a0);
                    a1 = x.fma(DoubleVector.fromArray(S, theta, r1 + i), a1);
                    a2 = x.fma(DoubleVector.fromArray(S, theta, r2 + i), a2);
                    a3 = x.fma(DoubleVector.fromArray(S, theta, r3 + i), a3);
                }
                a0.intoArray(lanes, 0);
                a1.intoArray(lanes, L);
                a2.intoArray(lanes, 2 * L);
                a3.intoArray(lanes, 3 * L);
                double s0 = sumLanes(lanes, 0);
                double s1 = sumLanes(lanes, L);
                double s2 = sumLanes(lanes, 2 * L);
                double s3 = sumLanes(lanes, 3 * L);
                for (int i = bound; i < count; i++) {
                    double x = theta[rowJ + i];
                    s0 += x * theta[r0 + i];
                    s1 += x * theta[r1 + i];
                    s2 += x * theta[r2 + i];
                    s3 += x * theta[r3 + i];
                }
                sumOuter[q++] = s0;
                sumOuter[q++] = s1;
                sumOuter[q++] = s2;
                sumOuter[q++] = s3;
            }
            for (; l < dim; l++) {
                int rowL = l * count;
                DoubleVector a = DoubleVector.zero(S);
                for (int i = 0; i < bound; i += L) {
                    a = DoubleVector.fromArray(S, theta, rowJ + i).fma(DoubleVector.fromArray(S, theta, rowL + i), a);
                }
                a.intoArray(lanes, 0);
                double s = sumLanes(lanes, 0);
                for (int i = bound; i < count; i++) {
                    s += theta[rowJ + i] * theta[rowL + i];
                }
                sumOuter[q++] = s;
            }
        }
    }

    @Override
    public void tanh(double[] x, double[] out, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            tanh(DoubleVector.fromArray(S, x, i)).intoArray(out, i);
        }
        for (int i = bound; i < n; i++) {
            out[i] = PortableTanh.tanh(x[i]);
        }
    }

    /** {@code a[from] + a[from+1] + … + a[from+L−1]}, left to right. */
    private static double sumLanes(double[] a, int from) {
        double s = a[from];
        for (int l = 1; l < L; l++) {
            s += a[from + l];
        }
        return s;
    }

    private static final DoubleVector LN2_HI = DoubleVector.broadcast(S, PortableTanh.LN2_HI);
    private static final DoubleVector LN2_LO = DoubleVector.broadcast(S, PortableTanh.LN2_LO);
    private static final DoubleVector[] C = new DoubleVector[PortableTanh.C.length];

    static {
        for (int j = 2; j < C.length; j++) {
            C[j] = DoubleVector.broadcast(S, PortableTanh.C[j]);
        }
    }

    /**
     * Lane-wise {@code tanh}: {@link PortableTanh#tanh} operation for operation (see there), so the two give the
     * same bits.
     *
     * @param x arguments
     * @return {@code tanh x}
     */
    static DoubleVector tanh(DoubleVector x) {
        DoubleVector a = x.abs();
        a = a.blend(PortableTanh.CLAMP, a.compare(VectorOperators.GT, PortableTanh.CLAMP));
        VectorMask<Double> large = a.compare(VectorOperators.GE, 1.0);
        DoubleVector y = a.mul(-2.0).blend(a.mul(2.0), large);
        DoubleVector big = y.fma(PortableTanh.INV_LN2, PortableTanh.SHIFT);
        DoubleVector n = big.sub(PortableTanh.SHIFT).neg();
        DoubleVector r = n.fma(LN2_HI, y);
        r = n.fma(LN2_LO, r);
        DoubleVector p = C[13];
        for (int j = 12; j >= 2; j--) {
            p = p.fma(r, C[j]);
        }
        DoubleVector em = p.fma(r.mul(r), r);
        DoubleVector s = big.reinterpretAsLongs().sub(PortableTanh.SHIFT_BITS).add(1023L)
                .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector u = s.fma(em, s.sub(1.0));
        DoubleVector t = u.abs().div(u.add(2.0));
        return t.reinterpretAsLongs().or(x.reinterpretAsLongs().and(Long.MIN_VALUE)).reinterpretAsDoubles();
    }
}
