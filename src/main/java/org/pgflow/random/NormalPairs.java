package org.pgflow.random;

/**
 * Counter-based standard Gaussians for the particle noise: coordinate pair {@code m} of the stream with
 * 64-bit seed {@code key} ({@link Streams#seedOf}, so still addressed by (seed, purpose, iteration, id)) is
 * <pre>
 *   x₁ = SplitMix64 output 2m+1 of key = mix64(key + (2m+1)·γ),   x₂ = output 2m+2,   γ = 0x9E3779B97F4A7C15
 *   u₁ = 2 − (1 + ⌊x₁ / 2¹²⌋·2⁻⁵²) ∈ (0, 1]          (52 bits, never 0)
 *   t  = x₂ / 2⁶⁴ ∈ [0, 1)
 *   (ζ_2m, ζ_2m+1) = √(−2 ln u₁) · (cos 2πt, sin 2πt)      (Box–Muller)
 * </pre>
 * Each value depends only on (key, m), so a block can fill coordinate rows for all its particles at once, and the
 * vector kernels do exactly that with SIMD lanes ({@code VectorKernels.gaussianRows}). To make the scalar and vector
 * versions give the same bits, {@code ln}, {@code sin} and {@code cos} are not {@code Math}'s (whose intrinsics may
 * differ between interpreter, C2 and SIMD) but fdlibm's algorithms (Sun Microsystems 1993, freely redistributable:
 * {@code e_log.c}, {@code k_sin.c}, {@code k_cos.c}) written with +, −, ×, ÷, √ and bit operations only, in one
 * fixed order:
 * <ul>
 *   <li>{@code ln u} for u ∈ [2⁻⁵², 1]: u = 2^k·m, m ∈ [√2/2, √2), f = m − 1, s = f/(2+f), fdlibm's degree-14
 *       polynomial; ≤ 1 ulp in fdlibm, ≤ 2 ulp here against {@code StrictMath.log} (tested).</li>
 *   <li>{@code 2πt}: the quadrant q from the top bits of {@code x₂ + 2⁶¹} and θ = (π/2)(f − ½) ∈ [−π/4, π/4] with f
 *       the next 52 bits (exact up to the one rounding of the product), then fdlibm's kernel polynomials for
 *       sin θ and cos θ (the short form {@code 1 − (z/2 − z·r)} for cos) and the quadrant's swap and signs.</li>
 * </ul>
 * The tails are truncated at √(2·52 ln 2) ≈ 8.49σ (probability below 10⁻¹⁶ per draw).
 *
 * <p>Why not {@code nextGaussian} of one {@code L64X128MixRandom} per particle (the first releases did that): creating
 * the generator through {@code RandomGeneratorFactory} cost ≈ 45 ns (a reflective constructor call with an access
 * check every time) and each Gaussian ≈ 3.3 ns, a third of the Euler–Maruyama step.
 */
public final class NormalPairs {
    /** SplitMix64's increment (the golden gamma). */
    public static final long GAMMA = 0x9E3779B97F4A7C15L;
    /** Added to x₂ to centre each quadrant: one eighth of a turn. */
    public static final long EIGHTH_TURN = 0x2000000000000000L;
    public static final long ONE_BITS = 0x3FF0000000000000L;
    public static final long MANTISSA = 0x000FFFFFFFFFFFFFL;
    /** Bits of 2⁵² as a double: OR-ing a small non-negative integer into them and subtracting 2⁵² converts it exactly. */
    public static final long TWO52_BITS = 0x4330000000000000L;
    public static final double TWO52 = 4503599627370496.0;
    public static final double SQRT2 = 1.4142135623730951;
    private static final long SQRT2_BITS = Double.doubleToRawLongBits(SQRT2);
    /** The bits of 1023.0; those of 1022.0 are 2⁴³ fewer. */
    private static final long BITS_1023 = 0x408FF80000000000L;
    public static final double HALF_PI = 1.5707963267948966;

    // fdlibm e_log.c
    public static final double LN2_HI = 6.93147180369123816490e-01;
    public static final double LN2_LO = 1.90821492927058770002e-10;
    public static final double LG1 = 6.666666666666735130e-01;
    public static final double LG2 = 3.999999999940941908e-01;
    public static final double LG3 = 2.857142874366239149e-01;
    public static final double LG4 = 2.222219843214978396e-01;
    public static final double LG5 = 1.818357216161805012e-01;
    public static final double LG6 = 1.531383769920937332e-01;
    public static final double LG7 = 1.479819860511658591e-01;
    // fdlibm k_sin.c
    public static final double S1 = -1.66666666666666324348e-01;
    public static final double S2 = 8.33333333332248946124e-03;
    public static final double S3 = -1.98412698298579493134e-04;
    public static final double S4 = 2.75573137070700676789e-06;
    public static final double S5 = -2.50507602534068634195e-08;
    public static final double S6 = 1.58969099521155010221e-10;
    // fdlibm k_cos.c
    public static final double C1 = 4.16666666666666019037e-02;
    public static final double C2 = -1.38888888888741095749e-03;
    public static final double C3 = 2.48015872894767294178e-05;
    public static final double C4 = -2.75573143513906633035e-07;
    public static final double C5 = 2.08757232129817482790e-09;
    public static final double C6 = -1.13596475577881948265e-11;

    private NormalPairs() {
    }

    /**
     * Fills coordinate rows {@code 2m} and {@code 2m+1} of particles {@code from..to−1}:
     * {@code out[row0 + i] = scale·ζ_2m(key_i)}, {@code out[row1 + i] = scale·ζ_2m+1(key_i)} (row1 &lt; 0: only the
     * first of the pair is written, for an odd dimension).
     *
     * @param keys  per-particle stream seeds
     * @param from  first particle
     * @param to    end (exclusive)
     * @param m     pair index
     * @param scale factor (σ√Δt)
     * @param out   destination
     * @param row0  offset of coordinate 2m's row in {@code out}
     * @param row1  offset of coordinate 2m+1's row, or −1
     */
    public static void rows(long[] keys, int from, int to, int m, double scale, double[] out, int row0, int row1) {
        long c1 = (2L * m + 1) * GAMMA;
        long c2 = (2L * m + 2) * GAMMA;
        for (int i = from; i < to; i++) {
            long x1 = Streams.mix64(keys[i] + c1);
            long x2 = Streams.mix64(keys[i] + c2);
            double r = Math.sqrt(-2.0 * logUnit(2.0 - Double.longBitsToDouble(ONE_BITS | (x1 >>> 12))));
            long w = x2 + EIGHTH_TURN;
            long q = w >>> 62;
            double theta = (Double.longBitsToDouble(ONE_BITS | ((w << 2) >>> 12)) - 1.0 - 0.5) * HALF_PI;
            double z = theta * theta;
            double sn = sinKernel(theta, z);
            double cs = cosKernel(z);
            // quadrant q: (cos, sin) of qπ/2 + θ = (cs, sn), (−sn, cs), (−cs, −sn), (sn, −cs), as bit operations (the
            // swap a select, the signs flipped: exactly what a negation does) rather than branches, whose outcome is
            // random and which C2 cannot turn into conditional moves of doubles
            long swap = -(q & 1);
            long csBits = Double.doubleToRawLongBits(cs);
            long snBits = Double.doubleToRawLongBits(sn);
            double cosA = Double.longBitsToDouble(((csBits & ~swap) | (snBits & swap)) ^ (((q ^ (q >>> 1)) & 1) << 63));
            double sinA = Double.longBitsToDouble(((snBits & ~swap) | (csBits & swap)) ^ ((q >>> 1) << 63));
            out[row0 + i] = scale * (r * cosA);
            if (row1 >= 0) {
                out[row1 + i] = scale * (r * sinA);
            }
        }
    }

    /**
     * One standard Gaussian pair (for tests and single draws).
     *
     * @param key stream seed
     * @param m   pair index
     * @return {ζ_2m, ζ_2m+1}
     */
    public static double[] pair(long key, int m) {
        double[] out = new double[2];
        rows(new long[] {key}, 0, 1, m, 1.0, out, 0, 1);
        return out;
    }

    /**
     * {@code ln u} for a normal {@code u ∈ (0, 1]} (fdlibm's algorithm, this fixed operation order).
     *
     * @param u argument
     * @return the natural logarithm
     */
    public static double logUnit(double u) {
        long bits = Double.doubleToRawLongBits(u);
        long e = bits >>> 52;
        long mBits = (bits & MANTISSA) | ONE_BITS;
        double ed = Double.longBitsToDouble(TWO52_BITS | e) - TWO52;
        // m > √2 ? (m/2, ed − 1022) : (m, ed − 1023), without a branch (its outcome is random): for doubles in [1, 2)
        // the bit patterns order like the values, and m·1 and m·(1/2) are exact.
        long big = (SQRT2_BITS - mBits) >>> 63;
        double m = Double.longBitsToDouble(mBits) * Double.longBitsToDouble(ONE_BITS - (big << 52));
        double k = ed - Double.longBitsToDouble(BITS_1023 - (big << 43));
        double f = m - 1.0;
        double s = f / (2.0 + f);
        double z = s * s;
        double w = z * z;
        double t1 = w * (LG2 + w * (LG4 + w * LG6));
        double t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
        double r = t2 + t1;
        double hfsq = 0.5 * f * f;
        return k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f);
    }

    /** fdlibm's {@code __kernel_sin(x, 0, 0)} for |x| ≤ π/4, given z = x². */
    static double sinKernel(double x, double z) {
        double v = z * x;
        double r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
        return x + v * (S1 + z * r);
    }

    /** fdlibm's {@code __kernel_cos(x, 0)} for |x| ≤ π/4 in the short form, given z = x². */
    static double cosKernel(double z) {
        double r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
        return 1.0 - (0.5 * z - z * r);
    }
}
