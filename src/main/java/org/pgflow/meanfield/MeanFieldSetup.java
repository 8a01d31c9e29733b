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
 */
public record MeanFieldSetup(NeuronLayout layout, Points points, long numParticles, int blockSize, double dt,
                             double sigma, double lambdaU, long seed, boolean coupled, double coupledInitScale)
        implements Serializable {
    /** Validates the constants. */
    public MeanFieldSetup {
        Checks.inRange("meanfield.particles", numParticles, 1, 1L << 40);
        Checks.inRange("meanfield.blockSize", blockSize, 1, 1 << 24);
        Checks.positive("meanfield.dt", dt);
        Checks.nonNegative("meanfield.sigma", sigma);
        Checks.positive("meanfield.lambdaU", lambdaU);
        Checks.positive("meanfield.coupledInitScale", coupledInitScale);
        if (points.inputDim() != layout.inputDim()) {
            throw new IllegalArgumentException("points have input dimension " + points.inputDim()
                    + " but the layout expects " + layout.inputDim());
        }
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
