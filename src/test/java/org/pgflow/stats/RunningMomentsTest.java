package org.pgflow.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RunningMoments}: combined partial results against one pass over all samples, both against an exact
 * two-pass reference in {@link BigDecimal}; the large-offset case where {@code Σx² − n·mean²} loses every digit;
 * empty and one-sample accumulators; bit-identity of block-order combination.
 */
class RunningMomentsTest {
    /**
     * Relative agreement of variances, and of means relative to {@code |mean| + sd} (a mean near zero has no
     * relative accuracy of its own): a few hundred ulps after thousands of updates.
     */
    private static final double TOL = 1e-12;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 10);
    }

    /** Samples {@code offset + scale·N(0,1)} of a seeded size. */
    private static double[] samples(SplittableRandom rng, int n, double offset, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = offset + scale * rng.nextGaussian();
        }
        return x;
    }

    private static RunningMoments of(double[] x, int from, int to) {
        RunningMoments m = RunningMoments.create();
        for (int i = from; i < to; i++) {
            m.accept(x[i]);
        }
        return m;
    }

    /** @return {@code {mean, sample variance}} computed exactly (two passes in 34-digit decimal) */
    private static double[] exact(double[] x) {
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : x) {
            sum = sum.add(new BigDecimal(v), mc);
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(x.length), mc);
        BigDecimal ss = BigDecimal.ZERO;
        for (double v : x) {
            BigDecimal d = new BigDecimal(v).subtract(mean);
            ss = ss.add(d.multiply(d, mc), mc);
        }
        return new double[] {mean.doubleValue(), ss.divide(BigDecimal.valueOf(x.length - 1L), mc).doubleValue()};
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, TOL * Math.abs(expected), what);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void combinedPartsEqualOnePassAndTheExactValues(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] offsets = {{0, 1}, {-3.5, 1e-3}, {1e9, 1e-2}, {1e9, 1}};
        for (double[] os : offsets) {
            int n = 2 + rng.nextInt(4_000);
            double[] x = samples(rng, n, os[0], os[1]);
            int cut1 = rng.nextInt(n + 1);
            int cut2 = cut1 + rng.nextInt(n - cut1 + 1);
            String ctx = "seed=" + seed + " n=" + n + " offset=" + os[0] + " scale=" + os[1] + " cuts=" + cut1 + "," + cut2;
            RunningMoments all = of(x, 0, n);
            RunningMoments parts = of(x, 0, cut1).combine(of(x, cut1, cut2)).combine(of(x, cut2, n));
            double[] ref = exact(x);
            assertEquals(n, parts.count(), ctx);
            double meanScale = Math.abs(ref[0]) + Math.sqrt(ref[1]);
            assertEquals(all.mean(), parts.mean(), TOL * meanScale, ctx + " mean combine vs accept");
            assertRelative(all.variance(), parts.variance(), ctx + " variance combine vs accept");
            assertEquals(ref[0], all.mean(), TOL * meanScale, ctx + " mean vs exact");
            assertEquals(ref[0], parts.mean(), TOL * meanScale, ctx + " combined mean vs exact");
            assertRelative(ref[1], all.variance(), ctx + " variance vs exact");
            assertRelative(ref[1], parts.variance(), ctx + " combined variance vs exact");
            assertRelative(Math.sqrt(ref[1] / n), parts.standardError(), ctx + " standard error vs exact");
        }
    }

    /** With mean 1e9 and spread 1e-2, {@code x²} carries ~1e2 of rounding against a variance of 1e-4. */
    @Test
    void largeOffsetDefeatsTheNaiveFormulaButNotWelford() {
        long seed = 17;
        double[] x = samples(new SplittableRandom(seed), 5_000, 1e9, 1e-2);
        double sum = 0;
        double sumSq = 0;
        for (double v : x) {
            sum += v;
            sumSq += v * v;
        }
        double naiveMean = sum / x.length;
        double naive = (sumSq - x.length * naiveMean * naiveMean) / (x.length - 1);
        double ref = exact(x)[1];
        assertTrue(!(Math.abs(naive - ref) < 1e-3 * ref), "seed=" + seed + ": naive variance " + naive + " vs " + ref
                + " should be off: this fixture must show the cancellation");
        RunningMoments m = of(x, 0, 1234).combine(of(x, 1234, x.length));
        assertEquals(ref, m.variance(), TOL * ref, "seed=" + seed + " Welford variance");
        assertEquals(ref, of(x, 0, x.length).variance(), TOL * ref, "seed=" + seed + " one-pass variance");
    }

    @Test
    void emptyAndOneSample() {
        RunningMoments empty = RunningMoments.create();
        assertEquals(0, empty.count());
        assertTrue(Double.isNaN(empty.mean()) && Double.isNaN(empty.variance()) && Double.isNaN(empty.standardError()));
        MeanSe none = empty.meanSe();
        assertEquals(0, none.n());
        assertTrue(Double.isNaN(none.mean()) && Double.isNaN(none.se()));

        RunningMoments one = RunningMoments.create().accept(2.5);
        assertEquals(1, one.count());
        assertEquals(2.5, one.mean(), 0.0);
        assertTrue(Double.isNaN(one.variance()) && Double.isNaN(one.standardError()));
        assertEquals(new MeanSe(2.5, Double.NaN, 1), one.meanSe());

        // combining with empty accumulators on either side changes nothing
        RunningMoments two = RunningMoments.create().combine(one).combine(RunningMoments.create()).accept(4.5);
        assertEquals(2, two.count());
        assertEquals(3.5, two.mean(), 0.0);
        assertEquals(2.0, two.variance(), 0.0);
        assertEquals(1.0, two.standardError(), 0.0);
        assertEquals(2.5, one.mean(), 0.0, "combine leaves its argument unchanged");
        RunningMoments copy = two.copy().accept(100);
        assertEquals(2, two.count(), "copy is independent");
        assertEquals(3, copy.count());
    }

    /** Same blocks combined in the same order give the same bits, whichever worker produced each block. */
    @Test
    void blockOrderCombinationIsBitReproducible() {
        long seed = 5;
        double[] x = samples(new SplittableRandom(seed), 3_000, 10, 3);
        int block = 256;
        RunningMoments left = RunningMoments.create();
        RunningMoments right = RunningMoments.create();
        RunningMoments[] blocks = new RunningMoments[(x.length + block - 1) / block];
        for (int b = 0; b < blocks.length; b++) {
            blocks[b] = of(x, b * block, Math.min(x.length, (b + 1) * block));
        }
        for (RunningMoments b : blocks) {
            left.combine(b.copy());
        }
        // the same blocks built again, on another thread, combined in the same order
        RunningMoments[] again = java.util.stream.IntStream.range(0, blocks.length).parallel()
                .mapToObj(b -> of(x, b * block, Math.min(x.length, (b + 1) * block))).toArray(RunningMoments[]::new);
        for (RunningMoments b : again) {
            right.combine(b);
        }
        assertEquals(Double.doubleToLongBits(left.mean()), Double.doubleToLongBits(right.mean()), "seed=" + seed);
        assertEquals(Double.doubleToLongBits(left.variance()), Double.doubleToLongBits(right.variance()), "seed=" + seed);
    }

    @Test
    void meanSeValidatesItself() {
        assertThrows(IllegalArgumentException.class, () -> new MeanSe(0, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new MeanSe(0, -1, 5));
        assertThrows(IllegalArgumentException.class, () -> new MeanSe(0, Double.NaN, 2));
        assertEquals(0.5, new MeanSe(1, 0.5, 3).se(), 0.0);
    }
}
