package org.pgflow.meanfield;

/**
 * Activations of unit-valued inputs from per-coordinate exponentials. When every input point is a sum of a few
 * unit coordinates (one-hot state plus one-hot action: {@code z = b + w_s + w_a}), {@code e^{2z}} factors into
 * {@code e^{2b} e^{2w_s} e^{2w_a}}. A block then evaluates {@code d_x + 1} exponentials per particle and unit
 * instead of one {@code tanh} per point, and every activation costs two multiplications, an addition and a
 * division: {@code h = 1 − 2/(1 + X)} with {@code X = e^{2b} Π_q e^{2w_{idx_q}}} (factors multiplied in index
 * order). On the 10 × 10 benchmark MDP that is 21 exponentials for 100 activations.
 *
 * <p><b>Accuracy.</b> Each factor is within 1 ulp of {@code StrictMath.exp(2x)} (the exponential of
 * {@link PortableTanh}: Cody–Waite reduction and the same degree-13 polynomial, {@code e^y = 2^n + 2^n expm1 r} in
 * one FMA; measured over the accepted range), so within 2 ulp ≤ 4ε relative of {@code e^{2x}} (ε = 2⁻⁵³). With m
 * input terms {@code X} carries a relative error {@code δ ≤ (m + 1)·4ε + mε} (one rounding per product). Then
 * {@code r = 1/(1 + X)} is off by at most {@code r(δX/(1+X) + ε)}, {@code 2r} by {@code δ/2 + 2ε} (since
 * {@code 2X/(1+X)² ≤ 1/2} and {@code r ≤ 1}), and the final subtraction adds one rounding:
 * {@code |h − tanh z| ≤ δ/2 + 3ε = (2.5m + 5)ε} in absolute terms, uniformly in z: 10ε for one-hot state–action
 * inputs (m = 2; 4ε was the largest error seen in {@code ExpFactorsTest}). This is an absolute bound: where
 * {@code |tanh z|} is far below 1 the relative error can be larger than the ≤ 3 ulp of {@link PortableTanh}. Every use of {@code h} here (the output sums
 * {@code α Σ tanh(c) h} and the drift's {@code W_p h} and {@code W_p (1 − h²)}) is accurate in absolute terms
 * only anyway ({@code 1 − h²} loses all relative accuracy as |h| → 1 in either form).
 *
 * <p><b>When.</b> Only where it is safe and should be cheaper: inputs unit-valued with at most {@value #MAX_TERMS}
 * non-zeros per point, and at least {@value #MIN_POINTS_PER_FACTOR} points per exponential
 * ({@code P ≥ 2(d_x + 1)}: an exponential costs about what a {@code tanh} does, so below that the per-point
 * division would not pay for itself; a rule of thumb, measured only at P = 100, d_x = 20, where factoring is
 * 1.2–1.4× faster, and not at the boundary); and, per block, every {@code b} and {@code w} within ±{@value #RANGE}, so that every
 * factor lies in {@code [e^{-2·RANGE}, e^{2·RANGE}]} and a product of {@code MAX_TERMS + 1} of them neither
 * overflows nor underflows. A block outside that range (a diverging run, a wide initial cloud) and every other
 * input use {@code tanh} of the pre-activation. The decision depends on the block's parameters and the points
 * only, so every engine, backend path, partitioning and rerun takes the same one. The scalar reference backend
 * never factors.
 *
 * <p>Row layout of the factors of a block of {@code count} particles: for unit k, row {@code k(d_x + 1) + j}
 * ({@code j < d_x}) holds {@code e^{2 w_{k,j}}} and row {@code k(d_x + 1) + d_x} holds {@code e^{2 b_k}}, each
 * {@code count} long. Stateless.
 */
final class ExpFactors {
    /** Largest accepted |b| and |w| in a factored block. */
    static final double RANGE = 64.0;
    /** Most non-zeros per point. */
    static final int MAX_TERMS = 4;
    /** Points per exponential below which factoring does not pay. */
    static final int MIN_POINTS_PER_FACTOR = 2;

    private ExpFactors() {
    }

    /**
     * @return whether blocks with these points and layout factor their activations (before the range check)
     */
    static boolean applies(NeuronLayout layout, Points points) {
        if (!points.unitValues() || points.size() < MIN_POINTS_PER_FACTOR * (layout.inputDim() + 1)) {
            return false;
        }
        for (int p = 0; p < points.size(); p++) {
            if (points.end(p) - points.start(p) > MAX_TERMS) {
                return false;
            }
        }
        return true;
    }

    /** @return the row of the factors of {@code w_{k,j}} ({@code j < d_x}) or of {@code b_k} ({@code j = d_x}) */
    static int row(int k, int j, int inputDim) {
        return k * (inputDim + 1) + j;
    }

    /** @return the parameter row (coordinate) whose exponentials factor row {@code (k, j)} holds */
    static int source(NeuronLayout layout, int k, int j) {
        return j < layout.inputDim() ? layout.w(k, j) : layout.b(k);
    }

    /**
     * {@code e[to + i] = e^{2 θ[from + i]}} for {@code lo ≤ i < hi}, stopping at the first value outside
     * ±{@link #RANGE} (or NaN).
     *
     * @return whether every value was in range
     */
    private static boolean expRow(double[] theta, int from, double[] e, int to, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            double x = theta[from + i];
            if (!(Math.abs(x) <= RANGE)) {
                return false;
            }
            e[to + i] = PortableTanh.expTwice(x);
        }
        return true;
    }

    /**
     * The activation of unit k at point p for particle i from the block's factor rows: the scalar form of the
     * vector kernels' row, operation for operation.
     */
    static double activation(double[] e, int count, int i, int k, int inputDim, Points points, int p) {
        int base = row(k, 0, inputDim) * count + i;
        double x = e[base + inputDim * count];
        for (int q = points.start(p); q < points.end(p); q++) {
            x *= e[base + points.index(q) * count];
        }
        return 1.0 - 2.0 / (x + 1.0);
    }

    /**
     * The factor rows of particles {@code [lo, hi)} of a block in scalar code (all of a small block, or the particles
 * after the last full vector).
     *
     * @return whether every parameter was in range
     */
    static boolean rows(double[] theta, int count, int lo, int hi, NeuronLayout layout, double[] e) {
        int dx = layout.inputDim();
        for (int k = 0; k < layout.units(); k++) {
            for (int j = 0; j <= dx; j++) {
                if (!expRow(theta, source(layout, k, j) * count, e, row(k, j, dx) * count, lo, hi)) {
                    return false;
                }
            }
        }
        return true;
    }
}
