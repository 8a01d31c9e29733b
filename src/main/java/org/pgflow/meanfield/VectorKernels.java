package org.pgflow.meanfield;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.pgflow.random.NormalPairs;

/**
 * The neuron kernels on SIMD lanes ({@code jdk.incubator.vector}, JDK 17): one vector holds the same
 * coordinate of {@code L} consecutive particles, which the coordinate-major block stores contiguously, so every
 * load is a plain vector load. {@code tanh} is the loop of {@code tanhRow}, the SIMD twin of {@link PortableTanh}
 * (≤ 3 ulp from {@code StrictMath.tanh} over the whole double range, ≈ 2 ns per element with 8 lanes, about as
 * fast as the SVML {@code lanewise(TANH)}, which is not used because it gives other bits before C2 compiles the
 * loop than after). Lane sums are reduced by a scalar loop in lane order ({@code reduceLanes(ADD)} leaves
 * the order open). Every operation used has a fully specified IEEE result, so a block gives the same bits
 * interpreted or compiled. With one-hot (unit
 * valued) inputs the pre-activation {@code z = b + w_{s} + w_{a}} is two vector loads and adds: the "gather"
 * is a choice of row, and the multiplication by the input value 1 is skipped (same bits). Where
 * {@link ExpFactors} applies, a block takes its activations from per-coordinate exponentials instead
 * ({@code expRow}; the lane code and the tail compute the same bits), and the drift recomputes them rather than
 * reading a memo. Those passes go one vector of particles at a time through all points ({@code factorOutputs},
 * {@code factorDrift}), with the per-point sums in a small first-level-cache row, instead of row by row; points of at
 * most two terms (one-hot state and action) take the paired passes ({@code pairOutputs}, {@code pairDrift}), two
 * vectors at a time with the factor offsets of every point precomputed.
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
    private static final VectorSpecies<Long> LS = S.withLanes(long.class);

    /** Particles below which a block runs through {@link LaneKernels} (the same bits in scalar code). */
    private final int smallBelow;

    /** No-argument constructor for the reflective load in {@link NeuronKernels}: small blocks in scalar code. */
    VectorKernels() {
        this(true);
    }

    /**
     * @param lanesForSmallBlocks hand blocks of fewer than {@link LaneKernels#SMALL_BLOCK_LANES} full vectors to
     *                            {@link LaneKernels}; false runs every block on the vector path (tests compare both)
     */
    VectorKernels(boolean lanesForSmallBlocks) {
        this.smallBelow = lanesForSmallBlocks ? LaneKernels.SMALL_BLOCK_LANES * L : 0;
    }

    /**
     * Runs every lane-wise operator this class uses once on each lane type, before the first vector loop and so
     * before any of the Vector API is compiled, so that the API's per-operator implementation caches
     * ({@code VectorOperators.ImplCache}, one per lane type and operator family) are full before C2 sees them.
     * Without it, the first use of an operator after C2 has compiled the cache lookup on its own takes a
     * class-check deoptimisation there. C2 adds a method's deoptimisation count once for every place it inlines
     * that method, and the loops below inline the lookup once per vector operation (about 60 times in
     * {@code angleLoop}), so a single such trap pushes the loop past the per-method limit of 100: C2 then emits
     * every type-profiled call as a real call, the stored vector's class is no longer exact, and the stores are
     * left as heap objects (the loop runs 3–4× slower). The values computed here are discarded.
     */
    static void primeOperatorCaches() {
        DoubleVector d = DoubleVector.broadcast(S, 1.0);
        for (VectorOperators.Binary op : new VectorOperators.Binary[] {VectorOperators.ADD, VectorOperators.SUB,
                VectorOperators.MUL, VectorOperators.DIV, VectorOperators.MAX, VectorOperators.MIN}) {
            d.lanewise(op, d);
            d.lanewise(op, 1.0);
        }
        for (VectorOperators.Unary op : new VectorOperators.Unary[] {VectorOperators.NEG, VectorOperators.ABS,
                VectorOperators.SQRT}) {
            d.lanewise(op);
        }
        d.lanewise(VectorOperators.FMA, d, d);
        d.reduceLanes(VectorOperators.ADD);
        d.reduceLanes(VectorOperators.MAX);
        d.reduceLanes(VectorOperators.MIN);
        LongVector l = LongVector.broadcast(LS, 1L);
        for (VectorOperators.Binary op : new VectorOperators.Binary[] {VectorOperators.ADD, VectorOperators.SUB,
                VectorOperators.MUL, VectorOperators.MAX, VectorOperators.MIN, VectorOperators.AND,
                VectorOperators.AND_NOT, VectorOperators.OR, VectorOperators.XOR, VectorOperators.LSHL,
                VectorOperators.LSHR, VectorOperators.ASHR}) {
            l.lanewise(op, l);
            l.lanewise(op, 1L);
        }
        l.lanewise(VectorOperators.NEG);
        l.lanewise(VectorOperators.ABS);
        l.reduceLanes(VectorOperators.ADD);
        l.reduceLanes(VectorOperators.MAX);
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
    public boolean benefitsFromActivationMemo(NeuronLayout layout, Points points) {
        // With tanh: JMH, one 4096-particle block: summary + drift 1.18 ms with the memo against 1.97 ms without
        // (the summary writes h straight into the memo, so recording is free). Factored (in-JVM, 2 threads, random
        // 10 × 10 MDP): 0.019–0.020 s per iteration at 10⁵ either way, 0.16–0.19 s without the memo against
        // 0.19–0.20 s with it at 10⁶: the activation costs less to recompute than to read back from memory.
        return !ExpFactors.applies(layout, points);
    }

    /**
     * The numbers the per-vector bodies need, unpacked once per call into plain fields so that the bodies make no
     * calls (C2's node budget is spent on inlining the Vector API; see the note below).
     */
    private static final class Shape {
        final int count;
        final int units;
        final int dx;
        final int bRow0;       // row of b_0 · count; b_k at bRow0 + k·count
        final int wRow0;       // row of w_{0,0}
        final int[] off;
        final int[] idx;
        final double[] val;
        final boolean unit;
        final boolean pairs;   // every point has at most PAIR_TERMS terms

        Shape(int count, NeuronLayout layout, Points points) {
            this.count = count;
            this.units = layout.units();
            this.dx = layout.inputDim();
            this.bRow0 = layout.b(0) * count;
            this.wRow0 = layout.w(0, 0);
            this.off = points.offsets();
            this.idx = points.indices();
            this.val = points.values();
            this.unit = points.unitValues();
            boolean few = true;
            for (int p = 0; p < off.length - 1; p++) {
                few &= off[p + 1] - off[p] <= PAIR_TERMS;
            }
            this.pairs = few;
        }
    }

    /**
     * Most unit terms per point for the paired factored passes ({@link #pairOutputs}, {@link #pairDrift}); a point
     * with fewer multiplies by a row of ones instead (exact, so the same bits).
     */
    private static final int PAIR_TERMS = 2;

    /**
     * For unit k and each point p (or each point of {@code slots}, in that order), the offsets in the factor rows of
     * its two factors, {@code rows[2s]} and {@code rows[2s + 1]}, the row of ones for a missing term: the products
     * {@code e^{2b} · e[rows[2s]] · e[rows[2s+1]]} are then those of {@link ExpFactors#activation}, term by term.
     */
    private static int[] pairRows(Shape sh, int k, int[] points, int n) {
        int count = sh.count;
        int base = ExpFactors.row(k, 0, sh.dx) * count;
        int ones = sh.units * (sh.dx + 1) * count;
        int[] rows = new int[2 * n];
        for (int s = 0; s < n; s++) {
            int p = points == null ? s : points[s];
            int q0 = sh.off[p];
            int terms = sh.off[p + 1] - q0;
            rows[2 * s] = terms > 0 ? base + sh.idx[q0] * count : ones;
            rows[2 * s + 1] = terms > 1 ? base + sh.idx[q0 + 1] * count : ones;
        }
        return rows;
    }

    @Override
    public void outputs(double[] theta, int count, NeuronLayout layout, Points points, double[] out, double[] activations) {
        int units = layout.units();
        int np = points.size();
        int bound = S.loopBound(count);
        double[] e = factors(theta, count, bound, layout, points, Scratch.Row.OUT_E);
        if (bound > 0 && small(count)) {
            LaneKernels.outputs(L, theta, count, bound, layout, points, out, activations, e);
        } else if (bound > 0) {
            Shape sh = new Shape(count, layout, points);
            double[] tc = Scratch.row(Scratch.Row.OUT_TC, units * count);   // tanh(c_k) of every particle, row k
            for (int k = 0; k < units; k++) {
                tanhRow(theta, k * count, tc, k * count, bound);
            }
            double alpha = layout.alpha();
            if (e != null) {
                double[] lanes = Scratch.zeroed(Scratch.Row.OUT_LANES, np * units * L);
                for (int k = 0; k < units; k++) {
                    if (sh.pairs && activations == null) {
                        pairOutputs(e, sh, pairRows(sh, k, null, np), k, tc, lanes, bound);
                    } else {
                        factorOutputs(e, sh, k, tc, lanes, activations, bound);
                    }
                }
                for (int p = 0; p < np; p++) {
                    double f = 0;
                    for (int k = 0; k < units; k++) {
                        f += sumLanes(lanes, (p * units + k) * L);
                    }
                    out[p] += alpha * f;
                }
            } else {
                tanhOutputs(theta, sh, tc, out, activations, alpha, bound);
            }
        }
        if (bound < count) {
            ScalarKernels.outputs(theta, count, bound, count, layout, points, out, activations,
                    Scratch.row(Scratch.Row.TAIL_C, units), true, e);
        }
    }

    /** The full vectors' part of {@link #outputs} with {@code tanh} of the pre-activation, point by point. */
    private static void tanhOutputs(double[] theta, Shape sh, double[] tc, double[] out, double[] activations,
                                    double alpha, int bound) {
        int count = sh.count;
        int units = sh.units;
        double[] z = Scratch.row(Scratch.Row.OUT_Z, count);
        double[] h = activations != null ? activations : Scratch.row(Scratch.Row.OUT_H, count);
        double[] lanes = Scratch.row(Scratch.Row.OUT_LANES, L);
        for (int p = 0; p < sh.off.length - 1; p++) {
            double f = 0;
            for (int k = 0; k < units; k++) {
                int hRow = activations != null ? (p * units + k) * count : 0;
                preActivationRow(theta, sh, p, k, z, bound);
                tanhRow(z, 0, h, hRow, bound);
                dotRow(tc, k * count, h, hRow, bound, lanes);
                f += sumLanes(lanes, 0);
            }
            out[p] += alpha * f;
        }
    }

    // Structure: points (and units) outside, particles inside, and every vector loop in its own small method that
    // takes and returns arrays only. C2 boxes a Vector API value that crosses a call it did not inline, and it
    // stops inlining in large methods (NodeCountInliningCutoff) and into callees already compiled to large code
    // (InlineSmallCode); when that hit the tanh, runs became 6x slower at random (it depends on compilation
    // order). So the tanh body exists once, written out inside the loop of tanhRow, and the other loops only
    // load, add, multiply and store. Rows z and h are scratch of one block row (L2-resident).

    /** {@code z = b_k + Σ_q w_{k, idx_q} x_q} for point p, unit k, every particle of the full vectors (scalar order). */
    private static void preActivationRow(double[] theta, Shape sh, int p, int k, double[] z, int bound) {
        int count = sh.count;
        int bRow = sh.bRow0 + k * count;
        int wBase = sh.wRow0 + k * sh.dx;
        int q0 = sh.off[p];
        int q1 = sh.off[p + 1];
        System.arraycopy(theta, bRow, z, 0, bound);
        for (int q = q0; q < q1; q++) {
            int wRow = (wBase + sh.idx[q]) * count;
            if (sh.unit) {
                for (int i = 0; i < bound; i += L) {
                    DoubleVector.fromArray(S, z, i).add(DoubleVector.fromArray(S, theta, wRow + i)).intoArray(z, i);
                }
            } else {
                double x = sh.val[q];
                for (int i = 0; i < bound; i += L) {
                    DoubleVector.fromArray(S, z, i).add(DoubleVector.fromArray(S, theta, wRow + i).mul(x)).intoArray(z, i);
                }
            }
        }
    }

    /**
     * The block's factor rows ({@link ExpFactors}) in the scratch row given, or null when the block uses
     * {@code tanh} of the pre-activation (inputs that do not factor, or a parameter out of range).
     */
    private double[] factors(double[] theta, int count, int bound, NeuronLayout layout, Points points, Scratch.Row row) {
        if (!ExpFactors.applies(layout, points)) {
            return null;
        }
        int dx = layout.inputDim();
        int ones = layout.units() * (dx + 1) * count;
        double[] e = Scratch.row(row, ones + count);   // the factor rows, then a row of ones (see pairRows)
        int vectors = small(count) ? 0 : bound;
        Arrays.fill(e, ones, ones + vectors, 1.0);
        for (int k = 0; vectors > 0 && k < layout.units(); k++) {
            for (int j = 0; j <= dx; j++) {
                int from = ExpFactors.source(layout, k, j) * count;
                if (!(expRow(theta, from, e, ExpFactors.row(k, j, dx) * count, vectors) <= ExpFactors.RANGE)) {
                    return null;
                }
            }
        }
        return ExpFactors.rows(theta, count, vectors, count, layout, e) ? e : null;   // the particles after the vectors
    }

    /**
     * The lane sums {@code Σ_i tanh(c_k) h_k(p, θ_i)} of a factored block's full vectors for unit k, added into
     * {@code lanes[(p·K + k)·L ..]} one vector of particles at a time (each sum still runs over the vectors in
     * ascending order, as {@link #dotRow} adds them), and the activations into the memo when one is given.
     */
    private static void factorOutputs(double[] e, Shape sh, int k, double[] tc, double[] lanes, double[] activations,
                                      int bound) {
        int count = sh.count;
        int units = sh.units;
        int base = ExpFactors.row(k, 0, sh.dx) * count;
        int bRow = base + sh.dx * count;
        int np = sh.off.length - 1;
        for (int i = 0; i < bound; i += L) {
            DoubleVector eb = DoubleVector.fromArray(S, e, bRow + i);
            DoubleVector t = DoubleVector.fromArray(S, tc, k * count + i);
            for (int p = 0; p < np; p++) {
                DoubleVector x = eb;
                for (int q = sh.off[p]; q < sh.off[p + 1]; q++) {
                    x = x.mul(DoubleVector.fromArray(S, e, base + sh.idx[q] * count + i));
                }
                DoubleVector h = DoubleVector.broadcast(S, 1.0).sub(DoubleVector.broadcast(S, 2.0).div(x.add(1.0)));
                if (activations != null) {
                    h.intoArray(activations, (p * units + k) * count + i);
                }
                int a = (p * units + k) * L;
                DoubleVector.fromArray(S, lanes, a).add(t.mul(h)).intoArray(lanes, a);
            }
        }
    }

    /**
     * {@link #factorOutputs} for points of at most two terms and no memo, two vectors of particles at a time: the
     * same products and sums (each lane sum still adds the vectors in ascending order), with the factor offsets of
     * {@link #pairRows} instead of the point's index list. Half the loop overhead per activation and no inner loop
     * over terms: 2.3–2.6× faster than {@link #factorOutputs} per activation in a stand-alone loop on the 10 × 10
     * benchmark points.
     */
    private static void pairOutputs(double[] e, Shape sh, int[] rows, int k, double[] tc, double[] lanes, int bound) {
        int count = sh.count;
        int units = sh.units;
        int bRow = ExpFactors.row(k, sh.dx, sh.dx) * count;
        int tRow = k * count;
        int np = sh.off.length - 1;
        int i = 0;
        for (; i + L < bound; i += 2 * L) {
            DoubleVector eb = DoubleVector.fromArray(S, e, bRow + i);
            DoubleVector eb2 = DoubleVector.fromArray(S, e, bRow + i + L);
            DoubleVector t = DoubleVector.fromArray(S, tc, tRow + i);
            DoubleVector t2 = DoubleVector.fromArray(S, tc, tRow + i + L);
            for (int p = 0; p < np; p++) {
                int ra = rows[2 * p] + i;
                int rb = rows[2 * p + 1] + i;
                DoubleVector x = eb.mul(DoubleVector.fromArray(S, e, ra)).mul(DoubleVector.fromArray(S, e, rb));
                DoubleVector x2 = eb2.mul(DoubleVector.fromArray(S, e, ra + L)).mul(DoubleVector.fromArray(S, e, rb + L));
                DoubleVector h = DoubleVector.broadcast(S, 1.0).sub(DoubleVector.broadcast(S, 2.0).div(x.add(1.0)));
                DoubleVector h2 = DoubleVector.broadcast(S, 1.0).sub(DoubleVector.broadcast(S, 2.0).div(x2.add(1.0)));
                int a = (p * units + k) * L;
                DoubleVector.fromArray(S, lanes, a).add(t.mul(h)).add(t2.mul(h2)).intoArray(lanes, a);
            }
        }
        if (i < bound) {   // an odd number of vectors: the last one alone
            DoubleVector eb = DoubleVector.fromArray(S, e, bRow + i);
            DoubleVector t = DoubleVector.fromArray(S, tc, tRow + i);
            for (int p = 0; p < np; p++) {
                DoubleVector x = eb.mul(DoubleVector.fromArray(S, e, rows[2 * p] + i))
                        .mul(DoubleVector.fromArray(S, e, rows[2 * p + 1] + i));
                DoubleVector h = DoubleVector.broadcast(S, 1.0).sub(DoubleVector.broadcast(S, 2.0).div(x.add(1.0)));
                int a = (p * units + k) * L;
                DoubleVector.fromArray(S, lanes, a).add(t.mul(h)).intoArray(lanes, a);
            }
        }
    }

    /** Lane sums of {@code Σ a·b} over the full vectors into {@code lanes}. */
    private static void dotRow(double[] a, int aFrom, double[] b, int bFrom, int bound, double[] lanes) {
        DoubleVector acc = DoubleVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            acc = acc.add(DoubleVector.fromArray(S, a, aFrom + i).mul(DoubleVector.fromArray(S, b, bFrom + i)));
        }
        acc.intoArray(lanes, 0);
    }

    @Override
    public void drift(double[] theta, int count, NeuronLayout layout, Points points, double[] weight, double[] drift,
                      double[] activations) {
        int units = layout.units();
        int dx = layout.inputDim();
        int bound = S.loopBound(count);
        double[] e = activations == null ? factors(theta, count, bound, layout, points, Scratch.Row.DRIFT_E) : null;
        if (bound > 0 && small(count)) {
            LaneKernels.drift(theta, count, bound, layout, points, weight, drift, activations, e);
        } else if (bound > 0 && e != null) {
            Shape sh = new Shape(count, layout, points);
            double[] gc = sh.pairs ? null : Scratch.row(Scratch.Row.DRIFT_GC, units * count);
            double[] gb = sh.pairs ? null : Scratch.row(Scratch.Row.DRIFT_GB, units * count);
            double[] acc = sh.pairs ? null : Scratch.row(Scratch.Row.DRIFT_ACC, dx * L);
            double[] tc = Scratch.row(Scratch.Row.DRIFT_H, count);
            for (int k = 0; k < units; k++) {
                tanhRow(theta, k * count, tc, 0, bound);
                if (sh.pairs) {
                    pairDrift(e, sh, k, weight, tc, layout.alpha(), drift, bound);
                } else {
                    factorDrift(e, sh, k, weight, gc, gb, drift, acc, bound);
                    finishRow(tc, sh, k, layout.alpha(), gc, gb, drift, bound);
                }
            }
        } else if (bound > 0) {
            LaneKernels.drift(new VectorRows(theta, new Shape(count, layout, points), bound, layout.alpha()), count,
                    layout, points, weight, drift, activations);
        }
        if (bound < count) {
            ScalarKernels.drift(theta, count, bound, count, layout, points, weight, drift, activations,
                    Scratch.row(Scratch.Row.TAIL_W, units * dx), Scratch.row(Scratch.Row.TAIL_B, units),
                    Scratch.row(Scratch.Row.TAIL_C, units), true, e);
        }
    }

    /** The drift rows on SIMD lanes; the pass over points and units is {@link LaneKernels#drift}'s. */
    private static final class VectorRows implements LaneKernels.DriftRows {
        private final double[] theta;
        private final Shape sh;
        private final int bound;
        private final double alpha;

        VectorRows(double[] theta, Shape sh, int bound, double alpha) {
            this.theta = theta;
            this.sh = sh;
            this.bound = bound;
            this.alpha = alpha;
        }

        @Override
        public void activations(int p, int k, double[] z, double[] h) {
            preActivationRow(theta, sh, p, k, z, bound);
            tanhRow(z, 0, h, 0, bound);
        }

        @Override
        public void accumulate(double[] hs, int hRow, int p, int k, double wp, double[] gc, double[] gb, double[] drift) {
            driftRow(hs, hRow, sh, p, k, wp, gc, gb, drift, bound);
        }

        @Override
        public void finish(int k, double[] h, double[] gc, double[] gb, double[] drift) {
            tanhRow(theta, k * sh.count, h, 0, bound);   // tanh c_k
            finishRow(h, sh, k, alpha, gc, gb, drift, bound);
        }
    }

    /**
     * The sums over points of a factored block's drift for unit k, one vector of particles at a time: for each
     * point of non-zero weight, {@code h} from the factors, then {@code gc += W_p h}, {@code gb += W_p (1 − h²)} and
     * {@code W_p (1 − h²)} into the unit's w coordinates of the point's terms, kept in registers and in
     * {@code acc} (d_x vectors, first-level cache) until the vector's points are done. Per particle these are the
     * operations of the lane code ({@link ExpFactors#activation}, then {@code LaneKernels}' accumulation) in the
     * same order (points ascending from zero sums), so the bits are those of the row-by-row pass; that pass reads
     * and writes every row of the block once per point.
     */
    private static void factorDrift(double[] e, Shape sh, int k, double[] weight, double[] gc, double[] gb,
                                    double[] drift, double[] acc, int bound) {
        int count = sh.count;
        int dx = sh.dx;
        int base = ExpFactors.row(k, 0, dx) * count;
        int bRow = base + dx * count;
        int gRow = k * count;
        int wBase = sh.wRow0 + k * dx;
        int np = sh.off.length - 1;
        for (int i = 0; i < bound; i += L) {
            DoubleVector eb = DoubleVector.fromArray(S, e, bRow + i);
            DoubleVector sc = DoubleVector.zero(S);
            DoubleVector sb = DoubleVector.zero(S);
            Arrays.fill(acc, 0, dx * L, 0.0);
            for (int p = 0; p < np; p++) {
                double wp = weight[p];
                if (wp == 0) {
                    continue;
                }
                int q0 = sh.off[p];
                int q1 = sh.off[p + 1];
                DoubleVector x = eb;
                for (int q = q0; q < q1; q++) {
                    x = x.mul(DoubleVector.fromArray(S, e, base + sh.idx[q] * count + i));
                }
                DoubleVector h = DoubleVector.broadcast(S, 1.0).sub(DoubleVector.broadcast(S, 2.0).div(x.add(1.0)));
                sc = sc.add(h.mul(wp));
                DoubleVector g = h.mul(h).neg().add(1.0).mul(wp);
                sb = sb.add(g);
                for (int q = q0; q < q1; q++) {
                    int a = sh.idx[q] * L;
                    DoubleVector.fromArray(S, acc, a).add(g).intoArray(acc, a);
                }
            }
            sc.intoArray(gc, gRow + i);
            sb.intoArray(gb, gRow + i);
            for (int j = 0; j < dx; j++) {
                DoubleVector.fromArray(S, acc, j * L).intoArray(drift, (wBase + j) * count + i);
            }
        }
    }

    /**
     * {@link #factorDrift} followed by {@link #finishRow} for points of at most two terms, two vectors of particles
     * at a time, the same bits. The points of non-zero weight become slots; per slot the sums {@code gc}, {@code gb}
     * stay in registers and {@code g = W_p (1 − h²)} goes to row {@code G} (a first-level-cache row, slot by slot),
     * from which each w coordinate then adds the g of its slots in ascending order: the additions {@link #factorDrift}
     * makes into its accumulator row, without a load–add–store per term that waits on the previous point's (the
     * state term repeats from point to point). The finished drift is written directly (the {@link #finishRow}
     * products). Per activation 1.7–2.5× faster than {@link #factorDrift} in a stand-alone loop.
     *
     * @param tc {@code tanh c_k} of the block's particles from index 0
     */
    private static void pairDrift(double[] e, Shape sh, int k, double[] weight, double[] tc, double alpha,
                                  double[] drift, int bound) {
        int np = sh.off.length - 1;
        int dx = sh.dx;
        int[] active = new int[np];
        int n = 0;
        int[] perCoordinate = new int[dx + 1];
        for (int p = 0; p < np; p++) {
            if (weight[p] != 0) {
                active[n++] = p;
                for (int q = sh.off[p]; q < sh.off[p + 1]; q++) {
                    perCoordinate[sh.idx[q] + 1]++;
                }
            }
        }
        int[] rows = pairRows(sh, k, active, n);
        double[] wv = new double[n];
        // CSC lists: the slots of coordinate j at slotOf[start[j] .. start[j + 1]), ascending, as offsets into G.
        int[] start = new int[dx + 1];
        for (int j = 0; j < dx; j++) {
            start[j + 1] = start[j] + perCoordinate[j + 1];
        }
        int[] fill = Arrays.copyOf(start, dx);
        int[] slotOf = new int[start[dx]];
        for (int s = 0; s < n; s++) {
            int p = active[s];
            wv[s] = weight[p];
            for (int q = sh.off[p]; q < sh.off[p + 1]; q++) {
                slotOf[fill[sh.idx[q]]++] = 2 * L * s;
            }
        }
        double[] g = Scratch.row(Scratch.Row.PAIR_TERMS, Math.max(1, n) * 2 * L);
        double[] sums = Scratch.row(Scratch.Row.PAIR_SUMS, 4 * L);
        int bRow = ExpFactors.row(k, dx, dx) * sh.count;
        int i = 0;
        for (; i + L < bound; i += 2 * L) {
            pairSums(e, bRow, rows, wv, n, i, g, sums);
            pairFinish(tc, sh, k, alpha, g, sums, start, slotOf, drift, i, 2);
        }
        if (i < bound) {
            singleSums(e, bRow, rows, wv, n, i, g, sums);
            pairFinish(tc, sh, k, alpha, g, sums, start, slotOf, drift, i, 1);
        }
    }

    /**
     * The slot loop of {@link #pairDrift} for the vectors at i and i + L: {@code g} of slot s into
     * {@code G[2Ls ..]} and {@code G[2Ls + L ..]}, and {@code sums} = gc, gc', gb, gb' (L each).
     */
    private static void pairSums(double[] e, int bRow, int[] rows, double[] wv, int n, int i, double[] g, double[] sums) {
        DoubleVector eb = DoubleVector.fromArray(S, e, bRow + i);
        DoubleVector eb2 = DoubleVector.fromArray(S, e, bRow + i + L);
        DoubleVector sc = DoubleVector.zero(S);
        DoubleVector sb = DoubleVector.zero(S);
        DoubleVector sc2 = sc;
        DoubleVector sb2 = sc;
        for (int s = 0; s < n; s++) {
            double wp = wv[s];
            int ra = rows[2 * s] + i;
            int rb = rows[2 * s + 1] + i;
            DoubleVector x = eb.mul(DoubleVector.fromArray(S, e, ra)).mul(DoubleVector.fromArray(S, e, rb));
            DoubleVector x2 = eb2.mul(DoubleVector.fromArray(S, e, ra + L)).mul(DoubleVector.fromArray(S, e, rb + L));
            DoubleVector h = DoubleVector.broadcast(S, 1.0).sub(DoubleVector.broadcast(S, 2.0).div(x.add(1.0)));
            DoubleVector h2 = DoubleVector.broadcast(S, 1.0).sub(DoubleVector.broadcast(S, 2.0).div(x2.add(1.0)));
            sc = sc.add(h.mul(wp));
            sc2 = sc2.add(h2.mul(wp));
            DoubleVector gs = h.mul(h).neg().add(1.0).mul(wp);
            DoubleVector gs2 = h2.mul(h2).neg().add(1.0).mul(wp);
            sb = sb.add(gs);
            sb2 = sb2.add(gs2);
            gs.intoArray(g, 2 * L * s);
            gs2.intoArray(g, 2 * L * s + L);
        }
        sc.intoArray(sums, 0);
        sc2.intoArray(sums, L);
        sb.intoArray(sums, 2 * L);
        sb2.intoArray(sums, 3 * L);
    }

    /** {@link #pairSums} for the vector at i alone (an odd number of vectors): its halves of G and sums. */
    private static void singleSums(double[] e, int bRow, int[] rows, double[] wv, int n, int i, double[] g,
                                   double[] sums) {
        DoubleVector eb = DoubleVector.fromArray(S, e, bRow + i);
        DoubleVector sc = DoubleVector.zero(S);
        DoubleVector sb = sc;
        for (int s = 0; s < n; s++) {
            double wp = wv[s];
            DoubleVector x = eb.mul(DoubleVector.fromArray(S, e, rows[2 * s] + i))
                    .mul(DoubleVector.fromArray(S, e, rows[2 * s + 1] + i));
            DoubleVector h = DoubleVector.broadcast(S, 1.0).sub(DoubleVector.broadcast(S, 2.0).div(x.add(1.0)));
            sc = sc.add(h.mul(wp));
            DoubleVector gs = h.mul(h).neg().add(1.0).mul(wp);
            sb = sb.add(gs);
            gs.intoArray(g, 2 * L * s);
        }
        sc.intoArray(sums, 0);
        sb.intoArray(sums, 2 * L);
    }

    /**
     * The drift of unit k for {@code m} (1 or 2) vectors from i, from the sums of {@link #pairSums}: the products of
     * {@link #finishRow}, each w coordinate's sum of its slots' g from zero in ascending slot order.
     */
    private static void pairFinish(double[] tc, Shape sh, int k, double alpha, double[] g, double[] sums, int[] start,
                                   int[] slotOf, double[] drift, int i, int m) {
        int count = sh.count;
        int cRow = k * count;
        int bRow = sh.bRow0 + k * count;
        int wBase = sh.wRow0 + k * sh.dx;
        DoubleVector tck = DoubleVector.fromArray(S, tc, i);
        tck.mul(tck).neg().add(1.0).mul(alpha).mul(DoubleVector.fromArray(S, sums, 0)).intoArray(drift, cRow + i);
        DoubleVector scale = tck.mul(alpha);
        scale.mul(DoubleVector.fromArray(S, sums, 2 * L)).intoArray(drift, bRow + i);
        if (m == 1) {
            for (int j = 0; j < sh.dx; j++) {
                DoubleVector sum = DoubleVector.zero(S);
                for (int q = start[j]; q < start[j + 1]; q++) {
                    sum = sum.add(DoubleVector.fromArray(S, g, slotOf[q]));
                }
                scale.mul(sum).intoArray(drift, (wBase + j) * count + i);
            }
            return;
        }
        int i2 = i + L;
        DoubleVector tck2 = DoubleVector.fromArray(S, tc, i2);
        tck2.mul(tck2).neg().add(1.0).mul(alpha).mul(DoubleVector.fromArray(S, sums, L)).intoArray(drift, cRow + i2);
        DoubleVector scale2 = tck2.mul(alpha);
        scale2.mul(DoubleVector.fromArray(S, sums, 3 * L)).intoArray(drift, bRow + i2);
        for (int j = 0; j < sh.dx; j++) {
            DoubleVector sum = DoubleVector.zero(S);
            DoubleVector sum2 = sum;
            for (int q = start[j]; q < start[j + 1]; q++) {
                int o = slotOf[q];
                sum = sum.add(DoubleVector.fromArray(S, g, o));
                sum2 = sum2.add(DoubleVector.fromArray(S, g, o + L));
            }
            int row = (wBase + j) * count;
            scale.mul(sum).intoArray(drift, row + i);
            scale2.mul(sum2).intoArray(drift, row + i2);
        }
    }

    /** Point p's contribution {@code W_p ∇f} to unit k of every particle of the full vectors, given its {@code h}. */
    private static void driftRow(double[] hs, int hRow, Shape sh, int p, int k, double wp, double[] gc, double[] gb,
                                 double[] drift, int bound) {
        int count = sh.count;
        int gRow = k * count;
        int wBase = sh.wRow0 + k * sh.dx;
        int q0 = sh.off[p];
        int q1 = sh.off[p + 1];
        for (int i = 0; i < bound; i += L) {
            DoubleVector h = DoubleVector.fromArray(S, hs, hRow + i);
            DoubleVector.fromArray(S, gc, gRow + i).add(h.mul(wp)).intoArray(gc, gRow + i);
            DoubleVector g = h.mul(h).neg().add(1.0).mul(wp);
            DoubleVector.fromArray(S, gb, gRow + i).add(g).intoArray(gb, gRow + i);
            for (int q = q0; q < q1; q++) {
                int row = (wBase + sh.idx[q]) * count + i;
                DoubleVector.fromArray(S, drift, row).add(sh.unit ? g : g.mul(sh.val[q])).intoArray(drift, row);
            }
        }
    }

    /**
     * {@code ∂/∂c = α(1 − tanh²c) gc}, {@code ∂/∂b = α tanh c · gb}, w rows scaled by {@code α tanh c}, given
     * {@code tc = tanh c_k}.
     */
    private static void finishRow(double[] tc, Shape sh, int k, double alpha, double[] gc, double[] gb, double[] drift,
                                  int bound) {
        int count = sh.count;
        int cRow = k * count;   // c_k is coordinate k (c comes first in the layout)
        int bRow = sh.bRow0 + k * count;
        int wBase = sh.wRow0 + k * sh.dx;
        for (int i = 0; i < bound; i += L) {
            DoubleVector tck = DoubleVector.fromArray(S, tc, i);
            tck.mul(tck).neg().add(1.0).mul(alpha).mul(DoubleVector.fromArray(S, gc, cRow + i)).intoArray(drift, cRow + i);
            DoubleVector at = tck.mul(alpha);
            at.mul(DoubleVector.fromArray(S, gb, cRow + i)).intoArray(drift, bRow + i);
            for (int j = 0; j < sh.dx; j++) {
                int row = (wBase + j) * count + i;
                at.mul(DoubleVector.fromArray(S, drift, row)).intoArray(drift, row);
            }
        }
    }

    @Override
    public void moments(double[] theta, int count, int dim, double[] sum, double[] sumOuter) {
        int bound = S.loopBound(count);
        if (small(count)) {
            LaneKernels.moments(L, theta, count, bound, dim, sum, sumOuter);
            return;
        }
        double[] lanes = new double[4 * L];
        for (int j = 0; j < dim; j++) {
            int rowJ = j * count;
            DoubleVector acc = DoubleVector.zero(S);
            for (int i = 0; i < bound; i += L) {
                acc = acc.add(DoubleVector.fromArray(S, theta, rowJ + i));
            }
            acc.intoArray(lanes, 0);
            sum[j] = LaneKernels.plusTail(sumLanes(lanes, 0), theta, rowJ, bound, count);
        }
        // Second moments in tiles of 4 × 4 coordinate pairs: 16 accumulator chains share 8 row loads per vector
        // (the rows of a block come from the second-level cache, whose bandwidth bounds this loop; one row against
        // four columns took 5 loads per 4 products). Tiles on the diagonal and at the edge (rows clamped to the
        // last coordinate) compute pairs that are then dropped. Each kept pair's sum runs over the vectors in
        // ascending order with the same FMAs as one pair at a time, so the bits do not depend on the tiling.
        double[] full = new double[dim * dim];
        double[] tile = new double[16 * L];
        for (int jb = 0; jb < dim; jb += 4) {
            for (int lb = jb; lb < dim; lb += 4) {
                momentTile(theta, count, bound, dim, jb, lb, tile);
                for (int r = 0; r < 4 && jb + r < dim; r++) {
                    int j = jb + r;
                    int rowJ = j * count;
                    for (int c = 0; c < 4 && lb + c < dim; c++) {
                        int l = lb + c;
                        if (l < j) {
                            continue;
                        }
                        int rowL = l * count;
                        double v = sumLanes(tile, (4 * r + c) * L);
                        for (int i = bound; i < count; i++) {
                            v += theta[rowJ + i] * theta[rowL + i];
                        }
                        full[j * dim + l] = v;
                    }
                }
            }
        }
        int q = 0;
        for (int j = 0; j < dim; j++) {
            for (int l = j; l < dim; l++) {
                sumOuter[q++] = full[j * dim + l];
            }
        }
    }

    /**
     * The lane sums {@code Σ θ_j θ_l} over the full vectors for rows {@code jb..jb+3} against {@code lb..lb+3}
     * (indices past the last coordinate clamped to it) into {@code tile[(4r + c)·L ..]}.
     */
    private static void momentTile(double[] theta, int count, int bound, int dim, int jb, int lb, double[] tile) {
        int j0 = jb * count;
        int j1 = Math.min(jb + 1, dim - 1) * count;
        int j2 = Math.min(jb + 2, dim - 1) * count;
        int j3 = Math.min(jb + 3, dim - 1) * count;
        int l0 = lb * count;
        int l1 = Math.min(lb + 1, dim - 1) * count;
        int l2 = Math.min(lb + 2, dim - 1) * count;
        int l3 = Math.min(lb + 3, dim - 1) * count;
        DoubleVector a00 = DoubleVector.zero(S);
        DoubleVector a01 = a00;
        DoubleVector a02 = a00;
        DoubleVector a03 = a00;
        DoubleVector a10 = a00;
        DoubleVector a11 = a00;
        DoubleVector a12 = a00;
        DoubleVector a13 = a00;
        DoubleVector a20 = a00;
        DoubleVector a21 = a00;
        DoubleVector a22 = a00;
        DoubleVector a23 = a00;
        DoubleVector a30 = a00;
        DoubleVector a31 = a00;
        DoubleVector a32 = a00;
        DoubleVector a33 = a00;
        for (int i = 0; i < bound; i += L) {
            DoubleVector y0 = DoubleVector.fromArray(S, theta, l0 + i);
            DoubleVector y1 = DoubleVector.fromArray(S, theta, l1 + i);
            DoubleVector y2 = DoubleVector.fromArray(S, theta, l2 + i);
            DoubleVector y3 = DoubleVector.fromArray(S, theta, l3 + i);
            DoubleVector x = DoubleVector.fromArray(S, theta, j0 + i);
            a00 = x.fma(y0, a00);
            a01 = x.fma(y1, a01);
            a02 = x.fma(y2, a02);
            a03 = x.fma(y3, a03);
            x = DoubleVector.fromArray(S, theta, j1 + i);
            a10 = x.fma(y0, a10);
            a11 = x.fma(y1, a11);
            a12 = x.fma(y2, a12);
            a13 = x.fma(y3, a13);
            x = DoubleVector.fromArray(S, theta, j2 + i);
            a20 = x.fma(y0, a20);
            a21 = x.fma(y1, a21);
            a22 = x.fma(y2, a22);
            a23 = x.fma(y3, a23);
            x = DoubleVector.fromArray(S, theta, j3 + i);
            a30 = x.fma(y0, a30);
            a31 = x.fma(y1, a31);
            a32 = x.fma(y2, a32);
            a33 = x.fma(y3, a33);
        }
        a00.intoArray(tile, 0);
        a01.intoArray(tile, L);
        a02.intoArray(tile, 2 * L);
        a03.intoArray(tile, 3 * L);
        a10.intoArray(tile, 4 * L);
        a11.intoArray(tile, 5 * L);
        a12.intoArray(tile, 6 * L);
        a13.intoArray(tile, 7 * L);
        a20.intoArray(tile, 8 * L);
        a21.intoArray(tile, 9 * L);
        a22.intoArray(tile, 10 * L);
        a23.intoArray(tile, 11 * L);
        a30.intoArray(tile, 12 * L);
        a31.intoArray(tile, 13 * L);
        a32.intoArray(tile, 14 * L);
        a33.intoArray(tile, 15 * L);
    }

    @Override
    public void tanh(double[] x, double[] out, int n) {
        int bound = small(n) ? 0 : S.loopBound(n);
        tanhRow(x, 0, out, 0, bound);
        for (int i = bound; i < n; i++) {
            out[i] = PortableTanh.tanh(x[i]);
        }
    }

    /**
     * Whether a block is small enough for {@link LaneKernels}, which computes the same bits in scalar code: below
     * {@link LaneKernels#SMALL_BLOCK_LANES} full vectors the Vector API's start-up cost (every operation a heap
     * object until C2 has compiled the loop) outweighs its speed.
     */
    private boolean small(int count) {
        if (count < smallBelow) {
            return true;
        }
        Primed.ensure(); // every vector path passes here first
        return false;
    }

    /**
     * Initialised, and so {@link #primeOperatorCaches} run, by the first block that takes the vector path: a run
     * whose blocks are all small (T1) does not pay for it (40–80 ms, most of it loading the Vector API's classes).
     * A second thread arriving meanwhile waits for the initialisation to finish before it runs any vector code.
     */
    private static final class Primed {
        static {
            primeOperatorCaches();
        }

        private Primed() {
        }

        /** Does nothing; calling it initialises the class once. */
        static void ensure() {
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

    /**
     * {@code out[to + i] = tanh(x[from + i])} for {@code 0 ≤ i < bound} (a multiple of L): {@link PortableTanh#tanh}
     * operation for operation, lane-wise, so the two give the same bits. The only copy of the vector tanh: see
     * the note on the loop structure for why it is written out inside this loop.
     */
    private static void tanhRow(double[] x, int from, double[] out, int to, int bound) {
        double[] c = PortableTanh.C;
        for (int i = 0; i < bound; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, from + i);
            DoubleVector a = v.abs();
            a = a.blend(PortableTanh.CLAMP, a.compare(VectorOperators.GT, PortableTanh.CLAMP));
            VectorMask<Double> large = a.compare(VectorOperators.GE, 1.0);
            DoubleVector y = a.mul(-2.0).blend(a.mul(2.0), large);
            DoubleVector big = y.fma(PortableTanh.INV_LN2, PortableTanh.SHIFT);
            DoubleVector n = big.sub(PortableTanh.SHIFT).neg();
            // Constants are broadcast from scalars at the point of use: vectors kept in static fields or arrays
            // are heap objects that C2 reloads and unboxes each time.
            DoubleVector r = n.fma(DoubleVector.broadcast(S, PortableTanh.LN2_HI), y);
            r = n.fma(DoubleVector.broadcast(S, PortableTanh.LN2_LO), r);
            DoubleVector p = DoubleVector.broadcast(S, c[13]);
            p = p.fma(r, DoubleVector.broadcast(S, c[12]));
            p = p.fma(r, DoubleVector.broadcast(S, c[11]));
            p = p.fma(r, DoubleVector.broadcast(S, c[10]));
            p = p.fma(r, DoubleVector.broadcast(S, c[9]));
            p = p.fma(r, DoubleVector.broadcast(S, c[8]));
            p = p.fma(r, DoubleVector.broadcast(S, c[7]));
            p = p.fma(r, DoubleVector.broadcast(S, c[6]));
            p = p.fma(r, DoubleVector.broadcast(S, c[5]));
            p = p.fma(r, DoubleVector.broadcast(S, c[4]));
            p = p.fma(r, DoubleVector.broadcast(S, c[3]));
            p = p.fma(r, DoubleVector.broadcast(S, c[2]));
            DoubleVector em = p.fma(r.mul(r), r);
            DoubleVector s = big.reinterpretAsLongs().sub(PortableTanh.SHIFT_BITS).add(1023L)
                    .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector u = s.fma(em, s.sub(1.0));
            DoubleVector t = u.abs().div(u.add(2.0));
            t.reinterpretAsLongs().or(v.reinterpretAsLongs().and(Long.MIN_VALUE)).reinterpretAsDoubles()
                    .intoArray(out, to + i);
        }
    }

    /**
     * {@code out[to + i] = e^{2 x[from + i]}} for {@code 0 ≤ i < bound}: {@link PortableTanh#expTwice} lane-wise,
     * the only copy of the vector exponential. It repeats the reduction and polynomial of {@link #tanhRow} instead
     * of sharing a helper, because a vector handed across a call C2 does not inline is boxed (see the note on the
     * loop structure).
     *
     * @return the largest {@code |x|} of the row (NaN if one is NaN), for the range check of {@link ExpFactors}
     */
    private static double expRow(double[] x, int from, double[] out, int to, int bound) {
        double[] c = PortableTanh.C;
        DoubleVector m = DoubleVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, from + i);
            m = m.lanewise(VectorOperators.MAX, v.abs());
            DoubleVector y = v.mul(2.0);
            DoubleVector big = y.fma(PortableTanh.INV_LN2, PortableTanh.SHIFT);
            DoubleVector n = big.sub(PortableTanh.SHIFT).neg();
            DoubleVector r = n.fma(DoubleVector.broadcast(S, PortableTanh.LN2_HI), y);
            r = n.fma(DoubleVector.broadcast(S, PortableTanh.LN2_LO), r);
            DoubleVector p = DoubleVector.broadcast(S, c[13]);
            p = p.fma(r, DoubleVector.broadcast(S, c[12]));
            p = p.fma(r, DoubleVector.broadcast(S, c[11]));
            p = p.fma(r, DoubleVector.broadcast(S, c[10]));
            p = p.fma(r, DoubleVector.broadcast(S, c[9]));
            p = p.fma(r, DoubleVector.broadcast(S, c[8]));
            p = p.fma(r, DoubleVector.broadcast(S, c[7]));
            p = p.fma(r, DoubleVector.broadcast(S, c[6]));
            p = p.fma(r, DoubleVector.broadcast(S, c[5]));
            p = p.fma(r, DoubleVector.broadcast(S, c[4]));
            p = p.fma(r, DoubleVector.broadcast(S, c[3]));
            p = p.fma(r, DoubleVector.broadcast(S, c[2]));
            DoubleVector em = p.fma(r.mul(r), r);
            DoubleVector s = big.reinterpretAsLongs().sub(PortableTanh.SHIFT_BITS).add(1023L)
                    .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            s.fma(em, s).intoArray(out, to + i);
        }
        return m.reduceLanes(VectorOperators.MAX);
    }

    @Override
    public void gaussianRows(long[] keys, int count, int m, double scale, double[] out, int row0, int row1) {
        int bound = small(count) ? 0 : S.loopBound(count);
        long c1 = (2L * m + 1) * NormalPairs.GAMMA;
        long c2 = (2L * m + 2) * NormalPairs.GAMMA;
        radiusLoop(keys, bound, c1, out, row0);
        // An odd dimension's last pair has no second row: its sines go to a scratch row, so that the loop stores
        // both halves unconditionally.
        double[] out1 = row1 >= 0 ? out : Scratch.row(Scratch.Row.NOISE_SPARE, bound);
        angleLoop(keys, bound, c2, scale, out, row0, out1, row1 >= 0 ? row1 : 0);
        NormalPairs.rows(keys, bound, count, m, scale, out, row0, row1);
    }

    /**
     * The SIMD twin of {@link NormalPairs#rows}, first half: the Box–Muller radius {@code √(−2 ln u₁)} of every
     * particle of the full vectors into {@code out[row0 + i]} (overwritten by {@link #angleLoop}). The same
     * operations in the same order as the scalar code on L particles at a time (bit operations for the
     * conversions), so every lane gets the scalar result's bits. The radius and the angle are two loops because
     * one loop with both bodies made a method large enough for C2 to compile it, at random, with the vector
     * stores left as heap objects (2.5× slower iterations).
     */
    private static void radiusLoop(long[] keys, int bound, long c1, double[] out, int row0) {
        final long m1 = 0xBF58476D1CE4E5B9L;
        final long m2 = 0x94D049BB133111EBL;
        for (int i = 0; i < bound; i += L) {
            LongVector key = LongVector.fromArray(LS, keys, i);
            // x₁ = mix64(key + c1): Streams.mix64, the SplitMix64 finaliser
            LongVector x1 = key.add(c1);
            x1 = x1.lanewise(VectorOperators.XOR, x1.lanewise(VectorOperators.LSHR, 30)).mul(m1);
            x1 = x1.lanewise(VectorOperators.XOR, x1.lanewise(VectorOperators.LSHR, 27)).mul(m2);
            x1 = x1.lanewise(VectorOperators.XOR, x1.lanewise(VectorOperators.LSHR, 31));
            // u₁ = 2 − [1, 2) ∈ (0, 1], then ln u₁ (NormalPairs.logUnit)
            DoubleVector u = DoubleVector.broadcast(S, 2.0).sub(x1.lanewise(VectorOperators.LSHR, 12)
                    .lanewise(VectorOperators.OR, NormalPairs.ONE_BITS).reinterpretAsDoubles());
            LongVector bits = u.reinterpretAsLongs();
            DoubleVector mant = bits.lanewise(VectorOperators.AND, NormalPairs.MANTISSA)
                    .lanewise(VectorOperators.OR, NormalPairs.ONE_BITS).reinterpretAsDoubles();
            DoubleVector ed = bits.lanewise(VectorOperators.LSHR, 52).lanewise(VectorOperators.OR, NormalPairs.TWO52_BITS)
                    .reinterpretAsDoubles().sub(NormalPairs.TWO52);
            VectorMask<Double> big = mant.compare(VectorOperators.GT, NormalPairs.SQRT2);
            mant = mant.blend(mant.mul(0.5), big);
            DoubleVector k = ed.sub(DoubleVector.broadcast(S, 1023.0).blend(1022.0, big));
            DoubleVector f = mant.sub(1.0);
            DoubleVector s = f.div(f.add(2.0));
            DoubleVector z = s.mul(s);
            DoubleVector w = z.mul(z);
            DoubleVector t1 = w.mul(w.mul(w.mul(NormalPairs.LG6).add(NormalPairs.LG4)).add(NormalPairs.LG2));
            DoubleVector t2 = z.mul(w.mul(w.mul(w.mul(NormalPairs.LG7).add(NormalPairs.LG5)).add(NormalPairs.LG3))
                    .add(NormalPairs.LG1));
            DoubleVector hfsq = f.mul(0.5).mul(f);
            DoubleVector log = k.mul(NormalPairs.LN2_HI).sub(hfsq.sub(s.mul(hfsq.add(t2.add(t1)))
                    .add(k.mul(NormalPairs.LN2_LO))).sub(f));
            log.mul(-2.0).lanewise(VectorOperators.SQRT).intoArray(out, row0 + i);
        }
    }

    /**
     * Second half of the SIMD twin of {@link NormalPairs#rows}: the angle from SplitMix64 output 2m+2, and
     * {@code out[row0 + i] = (radius · cos)·scale}, {@code out[row1 + i] = (radius · sin)·scale} with the radius
     * {@link #radiusLoop} left in {@code out[row0 + i]}.
     */
    private static void angleLoop(long[] keys, int bound, long c2, double scale, double[] out, int row0, double[] out1,
                                  int row1) {
        final long m1 = 0xBF58476D1CE4E5B9L;
        final long m2 = 0x94D049BB133111EBL;
        for (int i = 0; i < bound; i += L) {
            LongVector key = LongVector.fromArray(LS, keys, i);
            // x₂ = mix64(key + c2)
            LongVector x2 = key.add(c2);
            x2 = x2.lanewise(VectorOperators.XOR, x2.lanewise(VectorOperators.LSHR, 30)).mul(m1);
            x2 = x2.lanewise(VectorOperators.XOR, x2.lanewise(VectorOperators.LSHR, 27)).mul(m2);
            x2 = x2.lanewise(VectorOperators.XOR, x2.lanewise(VectorOperators.LSHR, 31));
            DoubleVector radius = DoubleVector.fromArray(S, out, row0 + i);
            // angle: quadrant q and θ ∈ [−π/4, π/4)
            LongVector wq = x2.add(NormalPairs.EIGHTH_TURN);
            LongVector q = wq.lanewise(VectorOperators.LSHR, 62);
            DoubleVector theta = wq.lanewise(VectorOperators.LSHL, 2).lanewise(VectorOperators.LSHR, 12)
                    .lanewise(VectorOperators.OR, NormalPairs.ONE_BITS).reinterpretAsDoubles().sub(1.0).sub(0.5)
                    .mul(NormalPairs.HALF_PI);
            DoubleVector tz = theta.mul(theta);
            DoubleVector rs = tz.mul(tz.mul(tz.mul(tz.mul(NormalPairs.S6).add(NormalPairs.S5)).add(NormalPairs.S4))
                    .add(NormalPairs.S3)).add(NormalPairs.S2);
            DoubleVector sn = theta.add(tz.mul(theta).mul(tz.mul(rs).add(NormalPairs.S1)));
            DoubleVector rc = tz.mul(tz.mul(tz.mul(tz.mul(tz.mul(tz.mul(NormalPairs.C6).add(NormalPairs.C5))
                    .add(NormalPairs.C4)).add(NormalPairs.C3)).add(NormalPairs.C2)).add(NormalPairs.C1));
            DoubleVector cs = DoubleVector.broadcast(S, 1.0).sub(tz.mul(0.5).sub(tz.mul(rc)));
            // Quadrant swap as a bitwise select (all ones where q is odd) rather than a mask cast from the long
            // lanes to the double ones: with the cast, C2 at times left the stores below as heap objects.
            LongVector swap = q.lanewise(VectorOperators.AND, 1L).neg();
            LongVector csBits = cs.reinterpretAsLongs();
            LongVector snBits = sn.reinterpretAsLongs();
            LongVector negCos = q.lanewise(VectorOperators.XOR, q.lanewise(VectorOperators.LSHR, 1))
                    .lanewise(VectorOperators.LSHL, 63);
            LongVector negSin = q.lanewise(VectorOperators.LSHR, 1).lanewise(VectorOperators.LSHL, 63);
            DoubleVector cosA = csBits.lanewise(VectorOperators.AND_NOT, swap)
                    .lanewise(VectorOperators.OR, snBits.lanewise(VectorOperators.AND, swap))
                    .lanewise(VectorOperators.XOR, negCos).reinterpretAsDoubles();
            DoubleVector sinA = snBits.lanewise(VectorOperators.AND_NOT, swap)
                    .lanewise(VectorOperators.OR, csBits.lanewise(VectorOperators.AND, swap))
                    .lanewise(VectorOperators.XOR, negSin).reinterpretAsDoubles();
            radius.mul(cosA).mul(scale).intoArray(out, row0 + i);
            radius.mul(sinA).mul(scale).intoArray(out1, row1 + i);
        }
    }

    /**
     * {@inheritDoc} On SIMD lanes for the full vectors (the same operations lane-wise), the rest in scalar code. C2
     * does not vectorise the scalar loop itself: it cannot rule out that {@code norms} and {@code next} are one
     * array, whose indices differ by {@code from}.
     */
    @Override
    public void updateRow(double[] theta, double[] drift, int from, double[] z, int zFrom, double[] next, double[] norms,
                          int count, double shrink, double dt) {
        int bound = small(count) ? 0 : S.loopBound(count);
        for (int i = 0; i < bound; i += L) {
            DoubleVector b = DoubleVector.fromArray(S, drift, from + i);
            DoubleVector.fromArray(S, norms, i).add(b.mul(b)).intoArray(norms, i);
            DoubleVector.fromArray(S, theta, from + i).mul(shrink).add(b.mul(dt))
                    .add(DoubleVector.fromArray(S, z, zFrom + i)).intoArray(next, from + i);
        }
        ScalarKernels.updateRow(theta, drift, from, z, zFrom, next, norms, bound, count, shrink, dt);
    }
}
