package org.pgflow.meanfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Factored activations ({@link ExpFactors}) against {@code tanh} of the exact pre-activation, the exponential they
 * are built from against {@code StrictMath.exp}, and the rule that decides which blocks factor.
 */
class ExpFactorsTest {
    private static final double EPS = 0x1p-53;

    /** 10 × 10 one-hot state–action points: d_x = 20, two unit terms per point. */
    private static final Points TEN_BY_TEN = Points.oneHotStateActions(10, 10);

    @Test
    void exponentialIsWithinOneUlpOfStrictMathOverTheWholeRange() {
        long seed = 20261202L;
        SplittableRandom rnd = new SplittableRandom(seed);
        double worst = 0;
        for (int i = 0; i <= 2_000_000; i++) {
            double x = i <= 1_000_000 ? -ExpFactors.RANGE + 2 * ExpFactors.RANGE * i / 1_000_000.0
                    : rnd.nextDouble(-ExpFactors.RANGE, ExpFactors.RANGE) * Math.pow(10, -rnd.nextInt(12));
            double e = PortableTanh.expTwice(x);
            // exp(2x) with 2x exact (a power-of-two scaling): StrictMath.exp is fdlibm's, < 1 ulp
            double ref = StrictMath.exp(2 * x);
            double ulps = Math.abs(e - ref) / Math.ulp(ref);
            worst = Math.max(worst, ulps);
            final double xx = x;
            assertTrue(ulps <= 1.0, () -> "seed " + seed + ": e^(2·" + xx + ") = " + e + " vs StrictMath " + ref);
        }
        assertEquals(1.0, PortableTanh.expTwice(0.0), 0.0, "e^0");
        assertTrue(Double.isNaN(PortableTanh.expTwice(Double.NaN)), "NaN in, NaN out");
        assertTrue(worst > 0, "the sweep compares something");
    }

    /**
     * {@code |h − tanh z| ≤ (2.5 m + 5)ε} for m unit terms (ExpFactors' bound: 10ε for one-hot state–action), against
     * {@code tanh} of the exactly summed pre-activation ({@code StrictMath.tanh} of its double plus the rounding
     * error times {@code 1 − tanh²}; StrictMath within 1 ulp ≤ ε of values below 1 in magnitude). Parameters over
     * the whole accepted range, including large opposing terms whose sum is near 0.
     */
    @Test
    void factoredActivationIsWithinTheStatedAbsoluteBoundOfTanh() {
        long seed = 77_2026L;
        SplittableRandom rnd = new SplittableRandom(seed);
        NeuronLayout layout = new NeuronLayout(1, 20, 1.0);
        int count = 1000;
        double bound = (2.5 * 2 + 5) * EPS + EPS;
        double worst = 0;
        for (int round = 0; round < 40; round++) {
            double scale = round < 10 ? 1 : round < 20 ? 8 : round < 30 ? 30 : ExpFactors.RANGE;
            double[] theta = new double[layout.dim() * count];
            for (int q = 0; q < theta.length; q++) {
                theta[q] = scale * rnd.nextDouble(-1, 1);
            }
            if (round % 2 == 1) {   // opposing terms that nearly cancel: b + w_s ≈ −w_a
                for (int i = 0; i < count; i++) {
                    int s = rnd.nextInt(10);
                    int a = rnd.nextInt(10);
                    double wa = theta[layout.w(0, 10 + a) * count + i];
                    double ws = -wa - theta[layout.b(0) * count + i] + rnd.nextDouble(-1e-3, 1e-3);
                    if (Math.abs(ws) <= ExpFactors.RANGE) {
                        theta[layout.w(0, s) * count + i] = ws;
                    }
                }
            }
            double[] e = new double[(layout.inputDim() + 1) * count];
            assertTrue(ExpFactors.rows(theta, count, 0, count, layout, e), "in range");
            for (int i = 0; i < count; i++) {
                for (int p = 0; p < TEN_BY_TEN.size(); p++) {
                    double h = ExpFactors.activation(e, count, i, 0, 20, TEN_BY_TEN, p);
                    double ref = exactTanh(theta, count, i, layout, p);
                    double err = Math.abs(h - ref);
                    worst = Math.max(worst, err);
                    if (!(err <= bound)) {
                        int ii = i;
                        int pp = p;
                        assertTrue(false, () -> "seed " + seed + ", particle " + ii + ", point " + pp + ": h = " + h
                                + ", tanh = " + ref + ", |Δ| = " + err / EPS + " ε > " + bound / EPS + " ε");
                    }
                }
            }
        }
        assertTrue(worst > 0, "the comparison sees rounding");
    }

    /** {@code tanh(b + w_s + w_a)} of the exact sum, correct to well below ε. */
    private static double exactTanh(double[] theta, int count, int i, NeuronLayout layout, int p) {
        BigDecimal z = new BigDecimal(theta[layout.b(0) * count + i]);
        for (int q = TEN_BY_TEN.start(p); q < TEN_BY_TEN.end(p); q++) {
            z = z.add(new BigDecimal(theta[layout.w(0, TEN_BY_TEN.index(q)) * count + i]));
        }
        double zd = z.doubleValue();
        double rest = z.subtract(new BigDecimal(zd), MathContext.DECIMAL128).doubleValue();
        double t = StrictMath.tanh(zd);
        return t + rest * (1 - t * t);
    }

    @Test
    void factoringAppliesToFewUnitTermsAndEnoughPointsOnly() {
        NeuronLayout ten = new NeuronLayout(1, 20, 4.0);
        assertTrue(ExpFactors.applies(ten, TEN_BY_TEN), "10 x 10 one-hot: 100 points for 21 exponentials");
        assertFalse(ExpFactors.applies(new NeuronLayout(1, 5, 4.0), Points.oneHotStateActions(2, 3)),
                "2 x 3 (T1): 6 points for 6 exponentials");
        assertFalse(ExpFactors.applies(new NeuronLayout(1, 8, 4.0), Points.oneHotStateActions(5, 3)),
                "5 x 3: 15 points for 9 exponentials");
        double[][] dense = new double[40][3];
        for (double[] row : dense) {
            Arrays.fill(row, 0.5);
        }
        assertFalse(ExpFactors.applies(new NeuronLayout(1, 3, 4.0), Points.ofDense(dense)), "non-unit inputs");
        double[][] wide = new double[40][6];
        for (double[] row : wide) {
            Arrays.fill(row, 1.0);
        }
        assertFalse(ExpFactors.applies(new NeuronLayout(1, 6, 4.0), Points.ofDense(wide)),
                "six unit terms per point: a product of seven factors could overflow");
    }

    /**
     * A block factors exactly when every b and w is within ±RANGE: one parameter just outside it (or NaN) sends the
     * whole block through {@code tanh} of the pre-activation, which the kernels' lane code without factors
     * reproduces bit for bit; at the edge itself the block still factors.
     */
    @Test
    void oneParameterOutOfRangeSendsTheBlockThroughTanh() {
        assumeTrue(NeuronKernels.vectorAvailable(), "jdk.incubator.vector not in the boot layer");
        KernelBackend v = NeuronKernels.backend("vector");
        NeuronLayout layout = new NeuronLayout(1, 20, 2.0);
        for (int count : new int[] {203, 1029}) {
            SplittableRandom rnd = new SplittableRandom(count);
            double[] base = new double[layout.dim() * count];
            for (int q = 0; q < base.length; q++) {
                base[q] = 3 * rnd.nextDouble(-1, 1);
            }
            for (double edge : new double[] {ExpFactors.RANGE, Math.nextUp(ExpFactors.RANGE), -Math.nextUp(ExpFactors.RANGE),
                    Double.NaN}) {
                for (int victim : new int[] {0, count - 1}) {
                    double[] theta = base.clone();
                    theta[layout.w(0, 13) * count + victim] = edge;
                    double[] out = new double[TEN_BY_TEN.size()];
                    v.outputs(theta, count, layout, TEN_BY_TEN, out, null);
                    boolean inRange = Math.abs(edge) <= ExpFactors.RANGE;
                    double[] e = new double[(layout.inputDim() + 1) * count];
                    assertEquals(inRange, ExpFactors.rows(theta, count, 0, count, layout, e), "range check of " + edge);
                    double[] factored = lanePath(theta, count, layout, inRange ? e : null);
                    double[] tanh = lanePath(theta, count, layout, null);
                    String what = count + " particles, particle " + victim + " = " + edge;
                    assertArrayEquals(factored, out, what);   // the vector path gives the lane path's bits
                    if (inRange) {
                        assertNotEquals(Arrays.toString(tanh), Arrays.toString(factored), what + ": factors change bits");
                    } else if (Double.isNaN(edge)) {
                        assertTrue(Double.isNaN(out[3]), what + ": NaN reaches the sums of action 3's points");
                    }
                }
            }
        }
    }

    /** The small-block path of the vector kernels (lane code, then the scalar tail), with or without factors. */
    private static double[] lanePath(double[] theta, int count, NeuronLayout layout, double[] e) {
        int lanes = VectorKernels.lanes();
        int bound = count / lanes * lanes;
        double[] out = new double[TEN_BY_TEN.size()];
        LaneKernels.outputs(lanes, theta, count, bound, layout, TEN_BY_TEN, out, null, e);
        ScalarKernels.outputs(theta, count, bound, count, layout, TEN_BY_TEN, out, null, new double[1], true, e);
        return out;
    }

    private static void assertArrayEquals(double[] expected, double[] actual, String what) {
        for (int p = 0; p < expected.length; p++) {
            assertEquals(Double.doubleToRawLongBits(expected[p]), Double.doubleToRawLongBits(actual[p]),
                    what + ": point " + p);
        }
    }
}
