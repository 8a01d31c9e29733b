package org.pgflow.meanfield;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;

/**
 * The per-block operations of one mean-field iteration (docs/architecture.md §4), pure functions of their arguments so that
 * a Spark task, a retry and the single-JVM loop compute the same bits:
 * <ul>
 *   <li>{@link #init}: {@code θ_0 ∼ N(0, λ_U⁻¹ I)} from the stream {@code (seed, INIT, 0, particle id)};
 *       the coupled cloud from {@code N(0, s² λ_U⁻¹ I)} with stream {@code INIT_COUPLED};</li>
 *   <li>{@link #summarize}: partial sums of {@code f} on the points and the diagnostic moments; when the setup's
 *       activation budget covers the block, the activations are left on the block for the next step;</li>
 *   <li>{@link #step}: Euler–Maruyama (docs/algorithms.md §2.6)
 *       {@code θ ← θ + Δt (b̂(θ) − (σ²/2) λ_U θ) + σ √Δt ζ}, {@code ζ} from {@code (seed, PARTICLE_NOISE, k, id)}
 *       through {@link org.pgflow.random.NormalPairs} (coordinates 2m, 2m+1 from the stream's pair m),
 *       the same {@code ζ} driving the coupled cloud (synchronous coupling, docs/algorithms.md §2.10).</li>
 * </ul>
 */
public final class BlockOps {
    private BlockOps() {
    }

    /**
     * Draws block {@code b}'s initial particles.
     *
     * @param setup constants
     * @param b     block id
     * @return the block at iteration 0
     */
    public static ParticleBlock init(MeanFieldSetup setup, int b) {
        int count = setup.blockCount(b);
        long first = setup.firstId(b);
        int dim = setup.layout().dim();
        double sd = 1 / Math.sqrt(setup.lambdaU());
        double[] theta = gaussianBlock(setup.seed(), Purpose.INIT, first, count, dim, sd);
        double[] coupled = setup.coupled()
                ? gaussianBlock(setup.seed(), Purpose.INIT_COUPLED, first, count, dim, sd * setup.coupledInitScale()) : null;
        return new ParticleBlock(b, first, count, dim, theta, coupled, 0, 0);
    }

    private static double[] gaussianBlock(long seed, Purpose purpose, long first, int count, int dim, double sd) {
        double[] theta = new double[dim * count];
        for (int i = 0; i < count; i++) {
            RandomGenerator rng = Streams.of(seed, purpose, 0, first + i);
            for (int j = 0; j < dim; j++) {
                theta[j * count + i] = sd * rng.nextGaussian();
            }
        }
        return theta;
    }

    /**
     * Summarises a block: partial output sums on the setup's points, moments, coupled distance, and the rows of
     * the subsample ids that fall in the block.
     *
     * @param setup     constants
     * @param block     the block
     * @param sampleIds ascending particle ids of the diagnostic subsample, or null for none
     * @return the block's summary
     */
    public static BlockSummary summarize(MeanFieldSetup setup, ParticleBlock block, long[] sampleIds) {
        NeuronLayout layout = setup.layout();
        KernelBackend kernels = NeuronKernels.backend();
        int count = block.count();
        int dim = block.dim();
        double[] theta = block.theta();
        BlockSummary s = new BlockSummary();
        s.blockId = block.blockId();
        s.count = count;
        s.outputSums = new double[setup.points().size()];
        boolean memo = setup.cachesActivations(block.blockId());
        int memoLength = setup.points().size() * layout.units() * count;
        double[][] spare = block.takeSpare();
        double[] activations = memo ? atLeast(spare[0], memoLength) : null;
        double[] coupledActivations = memo && block.coupled() != null ? atLeast(spare[1], memoLength) : null;
        kernels.outputs(theta, count, layout, setup.points(), s.outputSums, activations);
        if (block.coupled() != null) {
            s.coupledOutputSums = new double[setup.points().size()];
            kernels.outputs(block.coupled(), count, layout, setup.points(), s.coupledOutputSums, coupledActivations);
            double dist = 0;
            double[] c = block.coupled();
            for (int q = 0; q < theta.length; q++) {
                double d = theta[q] - c[q];
                dist += d * d;
            }
            s.coupledDistanceSq = dist;
        }
        s.sum = new double[dim];
        s.sumOuter = new double[dim * (dim + 1) / 2];
        kernels.moments(theta, count, dim, s.sum, s.sumOuter);
        if (memo) {
            block.offerActivations(activations, coupledActivations);
        }
        s.driftNormSum = block.driftNormSum();
        s.coupledDriftNormSum = block.coupledDriftNormSum();
        long first = block.firstId();
        if (sampleIds == null) {
            s.sampleIds = new long[0];
            s.sampleRows = new double[0][];
        } else {
            int lo = lowerBound(sampleIds, first);
            int hi = lowerBound(sampleIds, first + count);
            s.sampleIds = Arrays.copyOfRange(sampleIds, lo, hi);
            s.sampleRows = new double[hi - lo][];
            for (int r = lo; r < hi; r++) {
                s.sampleRows[r - lo] = block.particle((int) (sampleIds[r] - first));
            }
        }
        return s;
    }

    /**
     * A reusable buffer of at least {@code length} entries, or a new one: the memo spare handed on by the step and
     * the per-thread drift scratch. Rows are addressed by the block's count, never by the array's length, and
     * the pass that fills a buffer overwrites every entry it later reads.
     */
    private static double[] atLeast(double[] scratch, int length) {
        return scratch != null && scratch.length >= length ? scratch : new double[length];
    }

    private static int lowerBound(long[] sorted, long key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * One Euler–Maruyama step of the block.
     *
     * @param setup        constants
     * @param block        the block at iteration k
     * @param iteration    k (keys the noise)
     * @param weight       weight table {@code W} for the main cloud (length P)
     * @param coupledWeight weight table of the coupled cloud, or null when not coupled
     * @return the block at iteration k + 1 (new arrays), carrying the drift norms of this step
     */
    public static ParticleBlock step(MeanFieldSetup setup, ParticleBlock block, long iteration, double[] weight,
                                     double[] coupledWeight) {
        return step(setup, block, iteration, weight, coupledWeight, false);
    }

    /**
     * One Euler–Maruyama step of the block, optionally overwriting its parameter arrays. Both forms draw the noise
     * into a per-thread buffer and update each coordinate with the same operations in the same order; only the
     * destination differs, so they give the same bits. Only an engine that keeps no other reference to the block
     * may step in place (the in-JVM engine; never a cached Spark partition, which a lost successor is
     * recomputed from).
     *
     * @param setup         constants
     * @param block         the block at iteration k (its arrays are overwritten when {@code inPlace})
     * @param iteration     k (keys the noise)
     * @param weight        weight table {@code W} for the main cloud (length P)
     * @param coupledWeight weight table of the coupled cloud, or null when not coupled
     * @param inPlace       write the new parameters into the block's own arrays
     * @return the block at iteration k + 1, carrying the drift norms of this step
     */
    public static ParticleBlock step(MeanFieldSetup setup, ParticleBlock block, long iteration, double[] weight,
                                     double[] coupledWeight, boolean inPlace) {
        return step(setup, block, iteration, setup.sigma(), weight, coupledWeight, inPlace);
    }

    /**
     * One Euler–Maruyama step with the noise {@code σ_k} of this iteration instead of the setup's σ (annealing,
     * docs/algorithms.md §2.12): {@code θ ← θ + Δt (b̂ − (σ_k²/2) λ_U θ) + σ_k √Δt ζ}. With {@code σ_k = setup.sigma()} it is
     * {@link #step(MeanFieldSetup, ParticleBlock, long, double[], double[], boolean)}, bit for bit.
     *
     * @param setup         constants
     * @param block         the block at iteration k (its arrays are overwritten when {@code inPlace})
     * @param iteration     k (keys the noise)
     * @param sigma         σ_k ≥ 0
     * @param weight        weight table {@code W} for the main cloud (length P)
     * @param coupledWeight weight table of the coupled cloud, or null when not coupled
     * @param inPlace       write the new parameters into the block's own arrays
     * @return the block at iteration k + 1, carrying the drift norms of this step
     */
    public static ParticleBlock step(MeanFieldSetup setup, ParticleBlock block, long iteration, double sigma,
                                     double[] weight, double[] coupledWeight, boolean inPlace) {
        int count = block.count();
        int dim = block.dim();
        KernelBackend kernels = NeuronKernels.backend();
        // The summary pass's activations, if it kept them; taken (cleared) so the memory goes with this step.
        double[][] memo = block.takeActivations();
        // The drift and the noise are per-thread rows (the kernels overwrite every entry; neither leaves this
        // method). Out of place, only the new parameters are new arrays: Spark may recompute a lost block from its
        // cached parent, so the parent's arrays are never written.
        double[] drift = Scratch.row(Scratch.Row.STEP_DRIFT, dim * count);
        kernels.drift(block.theta(), count, setup.layout(), setup.points(), weight, drift, memo[0]);
        double[] coupledDrift = null;
        if (block.coupled() != null) {
            coupledDrift = Scratch.row(Scratch.Row.STEP_COUPLED_DRIFT, dim * count);
            kernels.drift(block.coupled(), count, setup.layout(), setup.points(), coupledWeight, coupledDrift, memo[1]);
        }
        double dt = setup.dt();
        double shrink = 1 - dt * 0.5 * sigma * sigma * setup.lambdaU();
        double noise = sigma * Math.sqrt(dt);
        double[] next = inPlace ? block.theta() : new double[dim * count];
        double[] nextCoupled = coupledDrift == null ? null : inPlace ? block.coupled() : new double[dim * count];
        long[] keys = Scratch.keys(count);
        for (int i = 0; i < count; i++) {
            keys[i] = Streams.seedOf(setup.seed(), Purpose.PARTICLE_NOISE, iteration, block.firstId() + i);
        }
        // Coordinate pair by coordinate pair: first the pair's noise σ√Δt·ζ for all the block's particles into a
        // two-row scratch (counter-based stream of (seed, PARTICLE_NOISE, k, id), NormalPairs; SIMD lanes with the
        // vector kernels), then its two coordinate rows (KernelBackend.updateRow):
        // θ + Δt(b − (σ²/2)λ_U θ) + σ√Δt ζ, written as (shrink·θ + Δt·b) + σ√Δt·ζ, with |b|² accumulated per particle
        // in coordinate order. Per particle the same operations in the same order as a particle loop, and the noise
        // is used while it is still in cache.
        double[] z = Scratch.row(Scratch.Row.STEP_NOISE, 2 * count);
        double[] n2 = Scratch.zeroed(Scratch.Row.STEP_NORMS, count);
        double[] c2 = nextCoupled == null ? null : Scratch.zeroed(Scratch.Row.STEP_COUPLED_NORMS, count);
        double[] theta = block.theta();
        double[] coupled = block.coupled();
        for (int j = 0; j < dim; j += 2) {
            kernels.gaussianRows(keys, count, j / 2, noise, z, 0, j + 1 < dim ? count : -1);
            for (int r = j; r < Math.min(j + 2, dim); r++) {
                int row = r * count;
                int zRow = (r - j) * count;
                if (nextCoupled != null) {
                    kernels.updateRow(coupled, coupledDrift, row, z, zRow, nextCoupled, c2, count, shrink, dt);
                }
                kernels.updateRow(theta, drift, row, z, zRow, next, n2, count, shrink, dt);
            }
        }
        double driftNorms = 0;
        double coupledDriftNorms = 0;
        for (int i = 0; i < count; i++) {
            driftNorms += Math.sqrt(n2[i]);
            coupledDriftNorms += c2 == null ? 0 : Math.sqrt(c2[i]);
        }
        ParticleBlock result = new ParticleBlock(block.blockId(), block.firstId(), count, dim, next, nextCoupled, driftNorms,
                coupledDriftNorms);
        // The memo buffers now belong to nobody else (taken above): the next summary refills them in place.
        result.offerSpare(memo[0], memo[1]);
        return result;
    }

    /**
     * One Euler–Maruyama step with a weight table over points given for this iteration only (Monte Carlo mode:
     * the sampled states × actions), not the setup's fixed points. No coupled cloud.
     *
     * @param setup     constants
     * @param block     the block at iteration k
     * @param iteration k (keys the noise)
     * @param points    this iteration's points
     * @param weight    weight table over {@code points}
     * @return the block at iteration k + 1
     */
    public static ParticleBlock stepAt(MeanFieldSetup setup, ParticleBlock block, long iteration, Points points,
                                       double[] weight) {
        return stepAt(setup, block, iteration, points, weight, false);
    }

    /**
     * {@link #stepAt(MeanFieldSetup, ParticleBlock, long, Points, double[])}, optionally in place (see
     * {@link #step(MeanFieldSetup, ParticleBlock, long, double[], double[], boolean)}).
     *
     * @param setup     constants
     * @param block     the block at iteration k
     * @param iteration k (keys the noise)
     * @param points    this iteration's points
     * @param weight    weight table over {@code points}
     * @param inPlace   write the new parameters into the block's own arrays
     * @return the block at iteration k + 1
     */
    public static ParticleBlock stepAt(MeanFieldSetup setup, ParticleBlock block, long iteration, Points points,
                                       double[] weight, boolean inPlace) {
        return stepAt(setup, block, iteration, setup.sigma(), points, weight, inPlace);
    }

    /**
     * {@link #stepAt(MeanFieldSetup, ParticleBlock, long, Points, double[], boolean)} with this iteration's
     * noise {@code σ_k} (annealing; {@code σ_k = setup.sigma()} gives the same bits).
     *
     * @param setup     constants
     * @param block     the block at iteration k
     * @param iteration k (keys the noise)
     * @param sigma     σ_k ≥ 0
     * @param points    this iteration's points
     * @param weight    weight table over {@code points}
     * @param inPlace   write the new parameters into the block's own arrays
     * @return the block at iteration k + 1
     */
    public static ParticleBlock stepAt(MeanFieldSetup setup, ParticleBlock block, long iteration, double sigma,
                                       Points points, double[] weight, boolean inPlace) {
        // Activations kept by the summary pass belong to the setup's points, not to these: drop them.
        block.takeActivations();
        MeanFieldSetup at = new MeanFieldSetup(setup.layout(), points, setup.numParticles(), setup.blockSize(),
                setup.dt(), setup.sigma(), setup.lambdaU(), setup.seed(), false, setup.coupledInitScale());
        return step(at, block, iteration, sigma, weight, null, inPlace);
    }
}
