package org.pgflow.meanfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vector kernels against the scalar reference on random blocks (JGraphT-style differential test), the
 * {@code tanh} both use, the activation memo, NaN propagation and the automatic fallback.
 *
 * <p>Tolerances, with {@code ε = 2^-53} (unit round-off):
 * <ul>
 *   <li>{@code tanh}: ≤ {@value #TANH_ULPS} ulp from {@code StrictMath.tanh}, the bound measured for
 *       {@link PortableTanh} (see its javadoc); {@code Math.tanh} is within 1 ulp of {@code StrictMath.tanh}
 *       here (same fdlibm code), so one activation differs between the backends by at most 4 ulp ≤ 8ε|h|
 *       for |h| < 1 and 4 ulp(1) = 8ε at ±1.</li>
 *   <li>factored activations ({@link ExpFactors}, the vector kernels on one-hot inputs with enough points): within
 *       10ε of {@code tanh} in absolute terms (m = 2 terms), so within 11ε of {@code Math.tanh}, but not relative
 *       to |h|.</li>
 *   <li>output sums {@code Σ_i f_i} in two orders with perturbed terms:
 *       {@code |Δ| ≤ (2n + 10)·ε·Σ_i |f_i| + 11ε·α·Σ_i |tanh c_i|} (each order is within {@code (n−1)ε Σ|f_i|} of the
 *       exact sum of its terms; the terms differ by ≤ 8ε|f_i| plus one rounding with {@code tanh}, by
 *       ≤ 11ε·α|tanh c_i| with factored activations).</li>
 *   <li>drift: the per-particle arithmetic is the same operation for operation, only {@code h} and
 *       {@code tanh c} differ (≤ 11ε and ≤ 8ε absolute), and {@code 1 − h²} turns the first into ≤ 2·11ε + ε
 *       absolute; P accumulation steps add ≤ 2Pε relative to {@code Σ_p |W_p|}. So, with room to spare,
 *       {@code |Δ b_j| ≤ (40 + 2P)·ε·α·Σ_p |W_p| · max(1, max|x|)}.</li>
 * </ul>
 */
class NeuronKernelsAgreementTest {
    private static final double EPS = 0x1p-53;
    static final int TANH_ULPS = 3;

    private static KernelBackend vector() {
        assumeTrue(NeuronKernels.vectorAvailable(), "jdk.incubator.vector not in the boot layer");
        return NeuronKernels.backend("vector");
    }

    private static final KernelBackend SCALAR = NeuronKernels.backend("scalar");

    @Test
    void tanhIsWithinThreeUlpOfStrictMathEverywhereAndPortableTwinIsBitIdentical() {
        KernelBackend v = vector();
        SplittableRandom rnd = new SplittableRandom(20240601);
        List<Double> xs = new ArrayList<>(List.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
                1e-300, 1e-20, 0x1p-28, 0.5, 0.549, 0.55, 0.999999, 1.0, 1.0000001, 2.0, 19.0, 19.06, 20.0, 20.5, 22.0,
                1e3, -1e3, 1e300, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY));
        for (int i = 0; i < 200_000; i++) {
            double mag = Math.pow(10, rnd.nextDouble(-12, 3.01));   // |x| from 1e-12 to ~1e3
            xs.add(rnd.nextBoolean() ? mag : -mag);
        }
        for (double x = -25; x <= 25; x += 1.0 / 1024) {
            xs.add(x);
        }
        double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = new double[x.length];
        v.tanh(x, y, x.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double ref = StrictMath.tanh(x[i]);
            double ulps = Math.abs(y[i] - ref) / Math.ulp(ref);
            worst = Math.max(worst, ulps);
            int at = i;
            assertTrue(ulps <= TANH_ULPS, () -> "tanh(" + x[at] + ") = " + y[at] + " vs StrictMath " + ref);
            assertEquals(Double.doubleToRawLongBits(PortableTanh.tanh(x[i])), Double.doubleToRawLongBits(y[i]),
                    () -> "portable vs vector tanh at " + x[at]);
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(y[1]), "tanh(-0) = -0");
        double[] nan = {Double.NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9, Double.NaN};
        v.tanh(nan, nan, nan.length);
        assertTrue(Double.isNaN(nan[0]) && Double.isNaN(nan[10]) && !Double.isNaN(nan[1]), "NaN in, NaN out");
    }

    /** A random block: K units, d_x inputs, count particles, parameters scaled so |z| reaches {@code scale}. */
    record Case(String name, int units, int inputDim, boolean oneHot, int count, double scale) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("one-hot 10x10, K=1, 1000 particles", 1, 20, true, 1000, 3),
                new Case("one-hot 10x10, K=1, 37 particles (tail)", 1, 20, true, 37, 3),
                new Case("one-hot 4x3, K=3, 203 particles", 3, 7, true, 203, 2),
                new Case("dense x in [-1,1]^5, K=2, 101 particles", 2, 5, false, 101, 2),
                new Case("extreme |z| up to 1e3, one-hot", 1, 20, true, 333, 500),
                new Case("extreme |z| up to 1e3, dense K=2", 2, 4, false, 77, 250),
                new Case("fewer particles than lanes", 1, 20, true, 3, 3)).map(Arguments::of);
    }

    static Points points(Case c, SplittableRandom rnd) {
        List<double[]> rows = new ArrayList<>();
        if (c.oneHot) {
            int states = c.inputDim / 2;
            int actions = c.inputDim - states;
            for (int s = 0; s < states; s++) {
                for (int a = 0; a < actions; a++) {
                    double[] x = new double[c.inputDim];
                    x[s] = 1;
                    x[states + a] = 1;
                    rows.add(x);
                }
            }
        } else {
            for (int p = 0; p < 23; p++) {
                double[] x = new double[c.inputDim];
                for (int j = 0; j < x.length; j++) {
                    x[j] = rnd.nextInt(5) == 0 ? 0 : rnd.nextDouble(-1, 1);
                }
                rows.add(x);
            }
        }
        return Points.ofDense(rows.toArray(new double[0][]));
    }

    static double[] block(NeuronLayout layout, int count, double scale, SplittableRandom rnd) {
        double[] theta = new double[layout.dim() * count];
        for (int q = 0; q < theta.length; q++) {
            theta[q] = scale * rnd.nextDouble(-1, 1);
        }
        return theta;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputsAndDriftAgreeWithScalarReference(Case c) {
        KernelBackend v = vector();
        SplittableRandom rnd = new SplittableRandom(c.name.hashCode());
        NeuronLayout layout = new NeuronLayout(c.units, c.inputDim, 2.5);
        Points pts = points(c, rnd);
        assertEquals(c.oneHot, pts.unitValues(), "one-hot detection");
        double[] theta = block(layout, c.count, c.scale, rnd);
        int np = pts.size();
        double[] outV = new double[np];
        double[] outS = new double[np];
        v.outputs(theta, c.count, layout, pts, outV, null);
        SCALAR.outputs(theta, c.count, layout, pts, outS, null);
        for (int p = 0; p < np; p++) {
            double absSum = 0;
            double tcSum = 0;
            for (int i = 0; i < c.count; i++) {
                absSum += Math.abs(NeuronKernels.output(row(theta, layout, c.count, i), layout, pts.dense(p)));
                for (int k = 0; k < c.units; k++) {
                    tcSum += Math.abs(Math.tanh(theta[layout.c(k) * c.count + i]));
                }
            }
            double tol = (2.0 * c.count + 10) * EPS * absSum + 11 * EPS * layout.alpha() * tcSum;
            assertEquals(outS[p], outV[p], tol, c + ": output sum at point " + p);
        }
        double[] w = new double[np];
        double wAbs = 0;
        for (int p = 0; p < np; p++) {
            w[p] = p % 7 == 3 ? 0 : rnd.nextDouble(-1, 1);   // some exact zeros: skipped points
            wAbs += Math.abs(w[p]);
        }
        double xMax = 1;
        for (int p = 0; p < np; p++) {
            for (double x : pts.dense(p)) {
                xMax = Math.max(xMax, Math.abs(x));
            }
        }
        double[] dV = new double[theta.length];
        double[] dS = new double[theta.length];
        v.drift(theta, c.count, layout, pts, w, dV, null);
        SCALAR.drift(theta, c.count, layout, pts, w, dS, null);
        double tol = (40.0 + 2 * np) * EPS * layout.alpha() * wAbs * xMax;
        for (int q = 0; q < theta.length; q++) {
            assertEquals(dS[q], dV[q], tol, c + ": drift coordinate " + q / c.count + " of particle " + q % c.count);
        }
        double[] sumV = new double[layout.dim()];
        double[] sumS = new double[layout.dim()];
        double[] outerV = new double[layout.dim() * (layout.dim() + 1) / 2];
        double[] outerS = new double[outerV.length];
        v.moments(theta, c.count, layout.dim(), sumV, outerV);
        SCALAR.moments(theta, c.count, layout.dim(), sumS, outerS);
        // Two summation orders of n terms (products rounded once or fused): ≤ (2n + 2)ε Σ|terms|.
        double bound = (2.0 * c.count + 2) * EPS * c.count * c.scale * c.scale;
        for (int q = 0; q < outerV.length; q++) {
            assertEquals(outerS[q], outerV[q], bound, c + ": second moment " + q);
        }
        for (int j = 0; j < sumV.length; j++) {
            assertEquals(sumS[j], sumV[j], (2.0 * c.count + 2) * EPS * c.count * c.scale, c + ": first moment " + j);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void activationMemoGivesTheSameBitsAsRecomputing(Case c) {
        List<KernelBackend> backends = new ArrayList<>(List.of(SCALAR));
        if (NeuronKernels.vectorAvailable()) {
            backends.add(NeuronKernels.backend("vector"));
        }
        SplittableRandom rnd = new SplittableRandom(~c.name.hashCode());
        NeuronLayout layout = new NeuronLayout(c.units, c.inputDim, 1.5);
        Points pts = points(c, rnd);
        double[] theta = block(layout, c.count, c.scale, rnd);
        double[] w = new double[pts.size()];
        for (int p = 0; p < w.length; p++) {
            w[p] = rnd.nextDouble(-1, 1);
        }
        for (KernelBackend b : backends) {
            double[] act = new double[pts.size() * c.units * c.count];
            double[] withMemo = new double[pts.size()];
            double[] without = new double[pts.size()];
            b.outputs(theta, c.count, layout, pts, withMemo, act);
            b.outputs(theta, c.count, layout, pts, without, null);
            assertArrayBits(without, withMemo, b.name() + " " + c + ": outputs with and without recording");
            double[] d1 = new double[theta.length];
            double[] d2 = new double[theta.length];
            b.drift(theta, c.count, layout, pts, w, d1, act);
            b.drift(theta, c.count, layout, pts, w, d2, null);
            assertArrayBits(d2, d1, b.name() + " " + c + ": drift from the memo vs recomputed");
        }
    }

    /**
     * Small blocks run through {@link LaneKernels}, the vector kernels' arithmetic in scalar code: every output
     * (partial sums, activation memo, drift from the memo and recomputed, moments, tanh, noise, update row) must be
     * the bits of the vector path itself (the update row also the scalar backend's), for lane-aligned and ragged counts, one-hot and dense inputs, K = 1..3, large |z|.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void smallBlocksInScalarCodeGiveTheVectorBits(Case c) {
        assumeTrue(NeuronKernels.vectorAvailable(), "jdk.incubator.vector not in the boot layer");
        KernelBackend lanes = new VectorKernels(true);
        KernelBackend vec = new VectorKernels(false);
        for (int count : new int[] {c.count, Math.max(1, c.count / 8), 511, 8, 9}) {
            SplittableRandom rnd = new SplittableRandom(~c.name.hashCode() + count);
            NeuronLayout layout = new NeuronLayout(c.units, c.inputDim, 1.5);
            Points pts = points(c, rnd);
            double[] theta = block(layout, count, c.scale, rnd);
            double[] w = new double[pts.size()];
            for (int p = 0; p < w.length; p++) {
                w[p] = rnd.nextDouble(-1, 1);
            }
            String what = c + ", " + count + " particles: ";
            double[][] out = new double[2][pts.size()];
            double[][] act = new double[2][pts.size() * c.units * count];
            double[][] d = new double[2][theta.length];
            double[][] dMemo = new double[2][theta.length];
            int dim = layout.dim();
            double[][] sum = new double[2][dim];
            double[][] outer = new double[2][dim * (dim + 1) / 2];
            double[][] noise = new double[2][2 * count];
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = rnd.nextLong();
            }
            KernelBackend[] both = {vec, lanes};
            for (int b = 0; b < 2; b++) {
                both[b].outputs(theta, count, layout, pts, out[b], act[b]);
                both[b].drift(theta, count, layout, pts, w, d[b], null);
                both[b].drift(theta, count, layout, pts, w, dMemo[b], act[b]);
                both[b].moments(theta, count, dim, sum[b], outer[b]);
                both[b].gaussianRows(keys, count, 1, 0.7, noise[b], 0, count);
            }
            assertArrayBits(out[0], out[1], what + "partial sums");
            assertArrayBits(act[0], act[1], what + "activation memo");
            assertArrayBits(d[0], d[1], what + "drift");
            assertArrayBits(dMemo[0], dMemo[1], what + "drift from the memo");
            assertArrayBits(sum[0], sum[1], what + "first moments");
            assertArrayBits(outer[0], outer[1], what + "second moments");
            assertArrayBits(noise[0], noise[1], what + "noise");
            double[][] next = new double[3][count];
            double[][] norms = new double[3][count];
            KernelBackend[] three = {vec, lanes, SCALAR};
            for (int b = 0; b < 3; b++) {
                java.util.Arrays.fill(norms[b], 0.5);
                three[b].updateRow(theta, d[0], 0, noise[0], 0, next[b], norms[b], count, 0.99, 0.05);
            }
            for (int b = 1; b < 3; b++) {
                assertArrayBits(next[b], next[0], what + "update row, " + three[b].name());
                assertArrayBits(norms[b], norms[0], what + "drift norms, " + three[b].name());
            }
            double[] t0 = new double[count];
            double[] t1 = new double[count];
            vec.tanh(theta, t0, count);
            lanes.tanh(theta, t1, count);
            assertArrayBits(t0, t1, what + "tanh");
        }
    }

    /**
     * The factored passes of the vector path against the lane code, bit for bit, where the smallBlocks cases do not
     * reach: points of one and two terms (the paired passes, a missing term multiplied by the row of ones), of three
     * (the general passes), K = 1 and 2, odd and even vector counts and a tail, and weights with zeros (skipped
     * points).
     */
    @Test
    void factoredPassesGiveTheLaneBitsForOneToThreeTermsAndSeveralUnits() {
        assumeTrue(NeuronKernels.vectorAvailable(), "jdk.incubator.vector not in the boot layer");
        KernelBackend lanes = new VectorKernels(true);
        KernelBackend vec = new VectorKernels(false);
        int states = 10;
        int actions = 10;
        for (int terms = 1; terms <= 3; terms++) {
            int dx = states + actions + (terms == 3 ? 1 : 0);
            double[][] rows = new double[states * actions][dx];
            for (int s = 0; s < states; s++) {
                for (int a = 0; a < actions; a++) {
                    double[] x = rows[s * actions + a];
                    x[s] = 1;
                    if (terms != 1 || a != 0) {   // terms = 1: the points of action 0 have the state term only
                        x[states + a] = 1;
                    }
                    if (terms == 3) {
                        x[dx - 1] = 1;
                    }
                }
            }
            Points pts = Points.ofDense(rows);
            for (int units = 1; units <= 2; units++) {
                NeuronLayout layout = new NeuronLayout(units, dx, 1.5);
                assertTrue(ExpFactors.applies(layout, pts), "factored inputs");
                for (int count : new int[] {505, 496, 9}) {
                    long seed = 1000L * terms + 10L * units + count;
                    SplittableRandom rnd = new SplittableRandom(seed);
                    double[] theta = block(layout, count, 2, rnd);
                    double[] w = new double[pts.size()];
                    for (int p = 0; p < w.length; p++) {
                        w[p] = p % 7 == 3 ? 0 : rnd.nextDouble(-1, 1);
                    }
                    String what = terms + " terms, K = " + units + ", " + count + " particles (seed " + seed + "): ";
                    double[][] out = new double[2][pts.size()];
                    double[][] d = new double[2][theta.length];
                    KernelBackend[] both = {vec, lanes};
                    for (int b = 0; b < 2; b++) {
                        both[b].outputs(theta, count, layout, pts, out[b], null);
                        both[b].drift(theta, count, layout, pts, w, d[b], null);
                    }
                    assertArrayBits(out[1], out[0], what + "partial sums");
                    assertArrayBits(d[1], d[0], what + "drift");
                }
            }
        }
    }

    @Test
    void nanParameterSurfacesInSumsAndDriftOfBothBackends() {
        List<KernelBackend> backends = new ArrayList<>(List.of(SCALAR));
        if (NeuronKernels.vectorAvailable()) {
            backends.add(NeuronKernels.backend("vector"));
        }
        Case c = new Case("nan", 1, 20, true, 45, 2);
        SplittableRandom rnd = new SplittableRandom(7);
        NeuronLayout layout = new NeuronLayout(1, 20, 1);
        Points pts = points(c, rnd);
        for (int victim : new int[] {0, 9, 44}) {   // a lane of the first vector, a middle lane, the scalar tail
            double[] theta = block(layout, c.count, c.scale, rnd);
            theta[layout.w(0, 3) * c.count + victim] = Double.NaN;   // w for state 3
            for (KernelBackend b : backends) {
                double[] out = new double[pts.size()];
                b.outputs(theta, c.count, layout, pts, out, null);
                for (int p = 0; p < pts.size(); p++) {
                    boolean touches = p / 10 == 3;
                    assertEquals(touches, Double.isNaN(out[p]), b.name() + ": particle " + victim + " point " + p);
                }
                double[] w = new double[pts.size()];
                java.util.Arrays.fill(w, 0.1);
                double[] d = new double[theta.length];
                b.drift(theta, c.count, layout, pts, w, d, null);
                assertTrue(Double.isNaN(d[layout.b(0) * c.count + victim]), b.name() + ": drift of the NaN particle");
                assertFalse(Double.isNaN(d[layout.b(0) * c.count + (victim + 1) % c.count]), b.name() + ": others stay finite");
            }
        }
    }

    /** The particle noise must be the same bits whichever backend draws it (lanes, tail, odd dimension). */
    @Test
    void gaussianRowsAreBitIdenticalAcrossBackendsAndEqualTheScalarReference() {
        KernelBackend v = vector();
        SplittableRandom rnd = new SplittableRandom(31);
        for (int count : new int[] {4096 + 5, 64, 13, 3, 1}) {
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = rnd.nextLong();
            }
            keys[0] = 0;                  // key 0 and extreme keys too
            keys[count - 1] = -1;
            for (int m : new int[] {0, 1, 10, 1 << 20}) {
                for (boolean odd : new boolean[] {false, true}) {
                    int row1 = odd ? -1 : count + 2;
                    double[] a = new double[2 * count + 4];
                    double[] b = new double[2 * count + 4];
                    double[] c = new double[2 * count + 4];
                    SCALAR.gaussianRows(keys, count, m, 0.3, a, 1, row1);
                    v.gaussianRows(keys, count, m, 0.3, b, 1, row1);
                    org.pgflow.random.NormalPairs.rows(keys, 0, count, m, 0.3, c, 1, row1);
                    String what = "count " + count + " m " + m + (odd ? " (one row)" : "");
                    assertArrayBits(c, a, "scalar " + what);
                    assertArrayBits(c, b, v.name() + " " + what);
                    for (int i = 0; i < count; i++) {
                        double[] pair = org.pgflow.random.NormalPairs.pair(keys[i], m);
                        assertEquals(0.3 * pair[0], c[1 + i], 0.0, what + " particle " + i);
                    }
                }
            }
        }
    }

    @Test
    void selectionByNameAndMessages() {
        assertEquals("scalar", NeuronKernels.backend("Scalar").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NeuronKernels.backend("simd"));
        assertTrue(e.getMessage().contains(NeuronKernels.PROPERTY) && e.getMessage().contains("simd"), e.getMessage());
        if (NeuronKernels.vectorAvailable()) {
            // The test JVM runs with --add-modules=jdk.incubator.vector (pom argLine) on x86-64 with AVX2+.
            assertTrue(NeuronKernels.backend().name().startsWith(System.getProperty(NeuronKernels.PROPERTY, "auto")
                    .equals("scalar") ? "scalar" : "vector"), NeuronKernels.backend().name());
        }
    }

    /** Without the module, the class loads, auto picks scalar, and forcing vector fails with a clear message. */
    @Test
    void fallsBackToScalarWithoutTheIncubatorModule() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Process p = new ProcessBuilder(java, "-cp", cp, FallbackProbe.class.getName()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("backend=scalar"), out);
        assertTrue(out.contains("vectorAvailable=false"), out);
        assertTrue(out.contains("forced vector: java.lang.IllegalStateException: pgflow.kernels=vector but"), out);
        assertTrue(out.contains("sum ok"), out);
    }

    private static double[] row(double[] soa, NeuronLayout layout, int count, int i) {
        double[] r = new double[layout.dim()];
        for (int j = 0; j < r.length; j++) {
            r[j] = soa[j * count + i];
        }
        return r;
    }

    private static void assertArrayBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                    what + " at " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }
}
