package org.pgflow.meanfield;

/**
 * One implementation of the neuron kernels of {@link NeuronKernels} on a coordinate-major block (coordinate
 * {@code j} of particle {@code i} is {@code theta[j·count + i]}). Two exist: a scalar one (plain Java, the
 * reference) and a vectorised one ({@code jdk.incubator.vector}); {@link NeuronKernels#backend()} picks one
 * per JVM. They agree to the bounds stated in {@code NeuronKernelsAgreementTest}: the per-particle arithmetic is
 * the same operation for operation except for {@code tanh} (≤ 2 ulp from {@code StrictMath.tanh} for the
 * vector one, ≤ 1 ulp typical for {@code Math.tanh}) and the order in which the output partial sums add
 * particles up.
 *
 * <p><b>Activation memo.</b> {@code activations}, when not null, has length {@code P·K·count} and holds
 * {@code h_k(p, θ_i) = tanh z_k} at index {@code (p·K + k)·count + i}. {@link #outputs} fills it;
 * {@link #drift} then reads it instead of evaluating {@code tanh} again. Because both passes compute
 * {@code h} with the same code, the drift is the same bits with and without the memo.
 *
 * <p>Implementations are stateless and thread-safe; the caller owns every array. No allocation per particle.
 */
public interface KernelBackend {
    /** @return {@code "scalar"} or {@code "vector"} (with the lane count, e.g. {@code "vector-8"}) */
    String name();

    /**
     * Whether keeping the activations for the drift pass is faster than evaluating them again with these kernels
     * for these inputs (used when {@code meanfield.activationCacheMB} is {@code auto}). Measured with JMH on a
     * 4096-particle one-hot block: the scalar drift from the memo takes 15% of the recomputing one, and the vector
     * kernels' summary + drift with {@code tanh} 60% of the time without it; end to end on the 10 × 10 benchmark MDP,
     * with factored activations ({@link ExpFactors}) recomputing is as fast at 10⁵ particles and faster at 10⁶
     * (docs/performance.md).
     *
     * @param layout parameter layout
     * @param points input points
     * @return true when the memo pays
     */
    boolean benefitsFromActivationMemo(NeuronLayout layout, Points points);

    /**
     * Adds {@code α Σ_i Σ_k tanh(c_k) h_k(p, θ_i)} into {@code out[p]} for every point, and records the
     * activations when asked.
     *
     * @param theta       block parameters, coordinate-major, length {@code D·count}
     * @param count       particles in the block
     * @param layout      parameter layout
     * @param points      input points (P of them)
     * @param out         partial sums, length P, accumulated into
     * @param activations null, or an array of length {@code P·K·count} to fill with the activations
     */
    void outputs(double[] theta, int count, NeuronLayout layout, Points points, double[] out, double[] activations);

    /**
     * Writes {@code b(θ_i) = Σ_p W_p ∇_θ f(p, θ_i)} for every particle of the block.
     *
     * @param theta       block parameters, coordinate-major
     * @param count       particles in the block
     * @param layout      parameter layout
     * @param points      input points
     * @param weight      the weight table {@code W_p}, length P
     * @param drift       output, coordinate-major like {@code theta}, overwritten
     * @param activations null (evaluate {@code tanh}) or the array {@link #outputs} filled for this very
     *                    {@code theta}, layout and points
     */
    void drift(double[] theta, int count, NeuronLayout layout, Points points, double[] weight, double[] drift,
               double[] activations);

    /**
     * First and second moments of the block: {@code sum[j] = Σ_i θ_ij},
     * {@code sumOuter[q(j,l)] = Σ_i θ_ij θ_il} for {@code j ≤ l}, packed upper triangle row by row.
     *
     * @param theta    block parameters, coordinate-major
     * @param count    particles
     * @param dim      D
     * @param sum      output, length D, overwritten
     * @param sumOuter output, length D(D+1)/2, overwritten
     */
    void moments(double[] theta, int count, int dim, double[] sum, double[] sumOuter);

    /**
     * Element-wise {@code out[i] = tanh(x[i])} for {@code i < n}, with the {@code tanh} the kernels use (for
     * tests and for measuring the machine's floor).
     *
     * @param x   input
     * @param out output (may be {@code x})
     * @param n   number of elements
     */
    void tanh(double[] x, double[] out, int n);

    /**
     * The particle noise of one coordinate pair for a block: {@code out[row0 + i] = scale·ζ_2m(keys[i])} and
     * {@code out[row1 + i] = scale·ζ_2m+1(keys[i])} for {@code i < count}, exactly as
     * {@link org.pgflow.random.NormalPairs#rows} computes them (every backend gives the same bits).
     *
     * @param keys  per-particle stream seeds
     * @param count particles
     * @param m     pair index
     * @param scale factor
     * @param out   destination
     * @param row0  offset of coordinate 2m's row
     * @param row1  offset of coordinate 2m+1's row, or −1 for none (odd dimension)
     */
    void gaussianRows(long[] keys, int count, int m, double scale, double[] out, int row0, int row1);

    /**
     * One coordinate row of the Euler–Maruyama update of a block, for {@code i < count}:
     * {@code b = drift[from + i]}, {@code norms[i] += b·b}, {@code next[from + i] = (shrink·θ[from + i] + dt·b) + z[zFrom + i]},
     * each exactly so (no fused multiply-add), so every backend gives the same bits. {@code next} may be {@code theta}.
     *
     * @param theta  parameters at iteration k, coordinate-major
     * @param drift  the drift, same layout
     * @param from   offset of the row in {@code theta}, {@code drift} and {@code next}
     * @param z      the row's noise {@code σ√Δt ζ}
     * @param zFrom  offset of the row in {@code z}
     * @param next   destination (may be {@code theta})
     * @param norms  per-particle sums of squared drift, accumulated into
     * @param count  particles
     * @param shrink {@code 1 − Δt (σ²/2) λ_U}
     * @param dt     Δt
     */
    void updateRow(double[] theta, double[] drift, int from, double[] z, int zFrom, double[] next, double[] norms, int count,
                   double shrink, double dt);
}
