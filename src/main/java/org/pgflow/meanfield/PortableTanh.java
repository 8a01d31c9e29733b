package org.pgflow.meanfield;

/**
 * {@code tanh} built only from operations whose IEEE 754 result is fully specified (add, multiply, fused
 * multiply-add, divide, compare, bit operations), so that it gives the same bits in the interpreter, in C1 and in
 * C2, and in its SIMD twin {@code VectorKernels.tanh} lane for lane. A library {@code tanh} does not have this
 * property: the Vector API's {@code lanewise(TANH)} is Intel SVML when C2 compiles the loop but
 * {@code Math.tanh} per lane before that, which made reruns differ in the last bit.
 *
 * <p>Algorithm (after fdlibm's {@code s_tanh.c}): {@code a = min(|x|, 20)} (beyond 20 the result rounds to 1);
 * {@code y = −2a} for {@code a < 1}, else {@code 2a}; {@code u = expm1(y)} by Cody–Waite reduction
 * {@code y = n ln2 + r}, {@code |r| ≤ ln2/2}, a degree-13 Taylor polynomial for {@code expm1 r}
 * (truncation {@code < 2^-56} relative) and {@code expm1 y = 2^n expm1 r + (2^n − 1)} in one FMA; then
 * {@code tanh a = |u| / (u + 2)} (both branches) and the sign of {@code x} is copied in.
 * Measured: at most 3 ulp from {@code StrictMath.tanh} on a 2.3·10⁶-point logarithmic sweep of
 * {@code [1e-12, 30]} and on random inputs; exact for 0, ±0, subnormals, ±∞ (→ ±1), {@code |x| ≥ 20} (→ ±1);
 * NaN in gives NaN out.
 *
 * <p>Stateless and thread-safe.
 */
final class PortableTanh {
    static final double INV_LN2 = 1.4426950408889634;
    /** fdlibm's split of ln 2: the high part has trailing zero bits, so {@code n·LN2_HI} is exact for |n| < 2^11. */
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    /** Adding 1.5·2^52 rounds to an integer (to nearest even) and leaves it in the low mantissa bits. */
    static final double SHIFT = 0x1.8p52;
    static final long SHIFT_BITS = Double.doubleToRawLongBits(SHIFT);
    static final double CLAMP = 20.0;
    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);
    private static final long TWO_BITS = Double.doubleToRawLongBits(2.0);
    /** {@code C[j] = 1/j!}, j = 0..13 (entries 0 and 1 unused). */
    static final double[] C = new double[14];

    static {
        double f = 1;
        for (int j = 1; j < C.length; j++) {
            f *= j;
            C[j] = 1.0 / f;
        }
    }

    private PortableTanh() {
    }

    /**
     * @param x argument (any double)
     * @return {@code tanh x} within 3 ulp; NaN for NaN
     */
    static double tanh(double x) {
        double a = Math.abs(x);
        if (a > CLAMP) {
            a = CLAMP;
        }
        // a ≥ 1 ? 2a : −2a as a sign select (for a ≥ 0 the bit patterns order like the values; a NaN stays the same
        // NaN): the outcome is random near |x| = 1, and a branch there is mispredicted half the time.
        long below = (Double.doubleToRawLongBits(a) - ONE_BITS) >>> 63;
        double y = a * Double.longBitsToDouble(TWO_BITS | (below << 63));
        double big = Math.fma(y, INV_LN2, SHIFT);
        double em = expm1Reduced(big, y);
        double s = twoToThe(big);
        double u = Math.fma(s, em, s - 1.0);
        double t = Math.abs(u) / (u + 2.0);
        return Double.longBitsToDouble(Double.doubleToRawLongBits(t) | (Double.doubleToRawLongBits(x) & Long.MIN_VALUE));
    }

    /**
     * {@code e^{2x}} for {@code |x| ≤ 354} (callers keep |x| far smaller: {@link ExpFactors#RANGE}), by the
     * reduction and polynomial of {@link #tanh}: {@code e^y = 2^n e^r = 2^n + 2^n expm1 r} in one FMA. The SIMD twin
     * is {@code VectorKernels.expRow}, operation for operation.
     *
     * @param x argument
     * @return {@code e^{2x}}, within 1 ulp
     */
    static double expTwice(double x) {
        double y = x * 2.0;
        double big = Math.fma(y, INV_LN2, SHIFT);
        double em = expm1Reduced(big, y);
        double s = twoToThe(big);
        return Math.fma(s, em, s);
    }

    /**
     * {@code expm1 r} for the reduced argument {@code r = y − n ln 2} (Cody–Waite, two steps), where
     * {@code big = fma(y, 1/ln 2, SHIFT)} holds {@code n} in its low mantissa bits: the degree-13 polynomial.
     */
    private static double expm1Reduced(double big, double y) {
        double n = big - SHIFT;
        double r = Math.fma(-n, LN2_HI, y);
        r = Math.fma(-n, LN2_LO, r);
        double p = C[13];
        for (int j = 12; j >= 2; j--) {
            p = Math.fma(p, r, C[j]);
        }
        return Math.fma(p, r * r, r);
    }

    /** {@code 2^n} for the {@code n} held in the low mantissa bits of {@code big} (normal range only). */
    private static double twoToThe(double big) {
        return Double.longBitsToDouble(((Double.doubleToRawLongBits(big) - SHIFT_BITS) + 1023L) << 52);
    }
}
