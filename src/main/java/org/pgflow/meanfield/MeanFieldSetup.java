package org.pgflow.meanfield;

import java.io.Serializable;
import org.pgflow.util.Checks;

/**
 * Everything a particle task needs that does not change between iterations: the layout, the input points, the
 * Langevin constants and the block structure. Small; travels inside task closures (Java serialisation).
 *
 * <p>Blocks are fixed by {@code (numParticles, blockSize)} alone — block {@code b} holds particles
 * {@code [b·blockSize, min(N, (b+1)·blockSize))} — never by the partitioning, so sums combined in block order
 * are the same bits for any number of partitions.
 *
 * @param layout           neuron layout (K, d_x, α)
 * @param points           input points the measure summary and the drift are evaluated on
 * @param numParticles     N ≥ 1
 * @param blockSize        particles per block ≥ 1
 * @param dt               Euler–Maruyama step Δt > 0
 * @param sigma            parameter-entropy noise σ ≥ 0
 * @param lambdaU          precision of the Gaussian potential {@code U}, λ_U > 0 ({@code ∇U(θ) = λ_U θ})
 * @param seed             master seed
 * @param coupled          whether a second, synchronously coupled cloud is simulated
 * @param coupledInitScale standard deviation multiplier of the coupled cloud's initial law,
 *                         {@code N(0, (s²/λ_U) I)}
 * @param activationCacheBytes budget in bytes for keeping the activations of the summary pass until the drift
 *                         pass ({@link #cachesActivations}); 0 disables the memo. It changes time and memory,
 *                         never results.
 */
public record MeanFieldSetup(NeuronLayout layout, Points points, long numParticles, int blockSize, double dt,
                             double sigma, double lambdaU, long seed, boolean coupled, double coupledInitScale,
                             long activationCacheBytes)
        implements Serializable {
    /** Validates the constants. */
    public MeanFieldSetup {
        Checks.inRange("meanfield.particles", numParticles, 1, 1L << 40);
        Checks.inRange("meanfield.blockSize", blockSize, 1, 1 << 24);
        Checks.positive("meanfield.dt", dt);
        Checks.nonNegative("meanfield.sigma", sigma);
        Checks.positive("meanfield.lambdaU", lambdaU);
        Checks.positive("meanfield.coupledInitScale", coupledInitScale);
        Checks.inRange("meanfield.activationCacheMB (bytes)", activationCacheBytes, 0, Long.MAX_VALUE);
        if (points.inputDim() != layout.inputDim()) {
            throw new IllegalArgumentException("points have input dimension " + points.inputDim()
                    + " but the layout expects " + layout.inputDim());
        }
    }

    /**
     * The constants without an activation memo (the signature of the first release).
     */
    public MeanFieldSetup(NeuronLayout layout, Points points, long numParticles, int blockSize, double dt, double sigma,
                          double lambdaU, long seed, boolean coupled, double coupledInitScale) {
        this(layout, points, numParticles, blockSize, dt, sigma, lambdaU, seed, coupled, coupledInitScale, 0);
    }

    /** @return bytes of one particle's activations on all points, both clouds: {@code 8·P·K·(1 + coupled)} */
    public long activationBytesPerParticle() {
        return 8L * points.size() * layout.units() * (coupled ? 2 : 1);
    }

    /**
     * Whether block {@code b} keeps its activations between the summary and the drift pass: the blocks
     * {@code 0..b} together fit the budget. A pure function of the constants, so every engine and every
     * partitioning makes the same choice (which does not affect results anyway).
     *
     * @param b block id
     * @return true when block b's activations are memoised
     */
    public boolean cachesActivations(int b) {
        long end = firstId(b) + blockCount(b);
        long perBlockArray = 8L * points.size() * layout.units() * blockCount(b);
        return perBlockArray < Integer.MAX_VALUE && end * activationBytesPerParticle() <= activationCacheBytes;
    }

    /** @return number of blocks {@code ⌈N / blockSize⌉} */
    public int numBlocks() {
        return (int) ((numParticles + blockSize - 1) / blockSize);
    }

    /** @return first particle id of block {@code b} */
    public long firstId(int b) {
        return (long) b * blockSize;
    }

    /** @return number of particles in block {@code b} */
    public int blockCount(int b) {
        return (int) Math.min(blockSize, numParticles - firstId(b));
    }
}
