package org.pgflow.estimate;

import java.io.Serializable;
import java.util.Arrays;
import org.pgflow.mdp.EpisodicEnvironment;
import org.pgflow.mdp.InputEmbedding;
import org.pgflow.meanfield.ParticleSummary;
import org.pgflow.meanfield.Points;
import org.pgflow.policy.ActionDistribution;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.NumericalDivergenceException;
import org.pgflow.variance.ReturnMoments;

/**
 * Monte Carlo estimate of the variance-adjusted weight table {@code W_η} (docs/algorithms.md §2.14) on an episodic
 * simulator whose states are points (continuous states, e.g. the portfolio of §5 T9): the estimator of
 * {@link VarianceWeightBatch} — the same episodes, continuation rollouts, common random numbers and streams —
 * keyed by the visited points {@code p = x(x_j, v)} (an {@link InputEmbedding}) instead of a state index. A pure
 * function of a block of episode ids ({@link #simulate}) returning a combinable accumulator ({@link #combine}:
 * Spark's {@code aggregate} contract, mutates and returns {@code this}; blocks combined in ascending block id give
 * the same bits for any partitioning).
 *
 * <p><b>Estimator.</b> Every step j of episode e and every action v with {@code π(v|x_j) > 0} adds one point
 * with the terms {@code c = π(v|x_j)(B^{(v)} − B̄)}, {@code g = R_{<j} c}, {@code h = π(v|x_j)((B^{(v)})² − S̄)}
 * (notation of {@link VarianceWeightBatch}); a point whose c and h are both 0 (e.g. an action without effect, its
 * continuations equal under common random numbers) carries no weight and is not kept. The weight of a point is
 * <pre>
 *   ŵ(p) = ((1 + 2λJ(x0)) c(p) − 2λ g(p) − λ h(p)) / E
 * </pre>
 * and the drift is {@code b̂_η(θ) = Σ_p ŵ(p) ∇_θ f(p, θ)}, an unbiased estimate of {@code Σ_{x,v} W_η(x,v) ∇f(x,v,θ)}
 * given J(x0), because {@code Σ_{points of e at (x, v)} c} is the indexed {@code c_e(x, v)} (likewise g, h): on a
 * finite SSP with the one-hot embedding, summing ŵ over the points of one (x, v) gives the indexed table.
 * J(x0) should come from the independent batch {@link #startValueBlock} (sample splitting).
 *
 * <p><b>Standard errors.</b> A single point is visited once, so the standard error is that of a linear
 * functional {@code L = Σ_p ŵ(p) a(p)} (e.g. one coordinate of the drift of one particle, {@code a = ∂f/∂θ_i}):
 * from the i.i.d. per-episode sums {@code (Σ_{p∈e} c a, Σ g a, Σ h a)}, plus {@code (2λ Σ_p c a / E)² SE(Ĵ0)²}
 * ({@link #standardError}).
 *
 * <p>Final class with a no-arg constructor (Kryo). Not thread-safe.
 */
public final class PointWeightBatch implements Serializable {
    private static final long serialVersionUID = 1L;

    private int inputDim;
    private long count;
    private long steps;
    private long continuationSteps;
    private int size;
    private double[] inputs;
    private double[] c;
    private double[] g;
    private double[] h;
    private int episodes;
    private int[] episodeEnds;
    private ReturnMoments returns;

    /** For Kryo. */
    public PointWeightBatch() {
    }

    private PointWeightBatch(int inputDim, int capacity) {
        this.inputDim = inputDim;
        int cap = Math.max(capacity, 1);
        inputs = new double[cap * inputDim];
        c = new double[cap];
        g = new double[cap];
        h = new double[cap];
        episodeEnds = new int[4];
        returns = ReturnMoments.create();
    }

    /**
     * @param inputDim {@code d_x} ≥ 1
     * @return the zero element (no episodes, no points)
     */
    public static PointWeightBatch create(int inputDim) {
        if (inputDim < 1) {
            throw new InvalidInputException("the input dimension must be >= 1 but was " + inputDim);
        }
        return new PointWeightBatch(inputDim, 16);
    }

    /**
     * Simulates episodes {@code first .. first+count−1} of iteration k with their continuations under the
     * mean-field softmax policy of the summary ({@link EmbeddedSoftmaxPolicy}, uniform μ). A pure function of its
     * arguments: the same ids give the same bits on any engine.
     *
     * @param env       the simulator (undiscounted return)
     * @param embedding the network input {@code x(state, u)}
     * @param summary   the particles
     * @param seed      master seed
     * @param iteration iteration k
     * @param first     first episode id
     * @param count     number of episodes ≥ 0
     * @param maxSteps  longest allowed episode or continuation
     * @return the points and terms of this block
     * @throws NumericalDivergenceException if an episode or a continuation exceeds {@code maxSteps} steps
     */
    public static PointWeightBatch simulate(EpisodicEnvironment env, InputEmbedding embedding, ParticleSummary summary,
                                            long seed, long iteration, long first, int count, int maxSteps) {
        return simulate(env, embedding, policy(env, embedding, summary), seed, iteration, first, count, maxSteps);
    }

    /**
     * {@link #simulate(EpisodicEnvironment, InputEmbedding, ParticleSummary, long, long, long, int, int)} under any
     * policy (only its {@link ActionDistribution#probabilities} is used).
     *
     * @return the points and terms of this block
     */
    public static PointWeightBatch simulate(EpisodicEnvironment env, InputEmbedding embedding, ActionDistribution policy,
                                            long seed, long iteration, long first, int count, int maxSteps) {
        if (policy.numActions() != env.numActions()) {
            throw new InvalidInputException("the policy has " + policy.numActions() + " actions but the environment "
                    + env.numActions());
        }
        PointWeightBatch out = new PointWeightBatch(embedding.inputDim(), 64);
        out.continuationSteps = EpisodeContinuations.simulate(env, policy, seed, iteration, first, count, maxSteps,
                out.new Collector(embedding));
        return out;
    }

    /**
     * Episodes {@code first .. first+count−1} from x0 under the summary's policy, returns only (stream
     * {@code (seed, VARIANCE_WEIGHT_START, k, e)}): the sample-splitting batch for Ĵ(x0).
     *
     * @return the moments of the returns (combine with {@link ReturnMoments#combine})
     * @throws NumericalDivergenceException if an episode exceeds {@code maxSteps}
     */
    public static ReturnMoments startValueBlock(EpisodicEnvironment env, InputEmbedding embedding,
                                                ParticleSummary summary, long seed, long iteration, long first,
                                                int count, int maxSteps) {
        return EpisodeContinuations.startValues(env, policy(env, embedding, summary), seed, iteration, first, count,
                maxSteps);
    }

    private static ActionDistribution policy(EpisodicEnvironment env, InputEmbedding embedding,
                                             ParticleSummary summary) {
        double[] mu = new double[env.numActions()];
        Arrays.fill(mu, 1.0 / mu.length);
        return new EmbeddedSoftmaxPolicy(embedding, summary, mu);
    }

    /** Appends the kept points of one block. */
    private final class Collector implements EpisodeContinuations.Visitor {
        private final InputEmbedding embedding;
        private final double[] row;
        private double[] state;

        Collector(InputEmbedding embedding) {
            this.embedding = embedding;
            this.row = new double[embedding.inputDim()];
        }

        @Override
        public void step(double[] s) {
            state = s;
        }

        @Override
        public void action(int v, double cv, double gv, double hv) {
            if (cv == 0 && hv == 0) {
                return;
            }
            embedding.embed(state, v, row);
            reserve(size + 1);
            System.arraycopy(row, 0, inputs, size * inputDim, inputDim);
            c[size] = cv;
            g[size] = gv;
            h[size] = hv;
            size++;
        }

        @Override
        public void episode(double ret, long length) {
            count++;
            steps += length;
            returns.add(ret);
            if (episodes == episodeEnds.length) {
                episodeEnds = Arrays.copyOf(episodeEnds, 2 * episodes);
            }
            episodeEnds[episodes++] = size;
        }
    }

    private void reserve(int points) {
        if (points > c.length) {
            int cap = Math.max(points, 2 * c.length);
            inputs = Arrays.copyOf(inputs, cap * inputDim);
            c = Arrays.copyOf(c, cap);
            g = Arrays.copyOf(g, cap);
            h = Arrays.copyOf(h, cap);
        }
    }

    /**
     * Appends another block (unchanged) to this one: its episodes and points follow this block's.
     *
     * @param o a block over the same input dimension
     * @return this
     * @throws InvalidInputException if the input dimensions differ
     */
    public PointWeightBatch combine(PointWeightBatch o) {
        if (o.inputDim != inputDim) {
            throw new InvalidInputException("cannot combine points of dimension " + o.inputDim + " into " + inputDim);
        }
        reserve(size + o.size);
        System.arraycopy(o.inputs, 0, inputs, size * inputDim, o.size * inputDim);
        System.arraycopy(o.c, 0, c, size, o.size);
        System.arraycopy(o.g, 0, g, size, o.size);
        System.arraycopy(o.h, 0, h, size, o.size);
        if (episodes + o.episodes > episodeEnds.length) {
            episodeEnds = Arrays.copyOf(episodeEnds, Math.max(episodes + o.episodes, 2 * episodeEnds.length));
        }
        for (int e = 0; e < o.episodes; e++) {
            episodeEnds[episodes + e] = size + o.episodeEnds[e];
        }
        episodes += o.episodes;
        size += o.size;
        count += o.count;
        steps += o.steps;
        continuationSteps += o.continuationSteps;
        returns.combine(o.returns);
        return this;
    }

    /** @return the kept points, in episode order (empty when there are none) */
    public Points points() {
        if (size == 0) {
            return Points.empty(inputDim);
        }
        double[][] rows = new double[size][];
        for (int p = 0; p < size; p++) {
            rows[p] = Arrays.copyOfRange(inputs, p * inputDim, (p + 1) * inputDim);
        }
        return Points.ofDense(rows);
    }

    /**
     * @param lambda variance penalty λ ≥ 0
     * @param j0     J(x0), exact or an (independent) estimate
     * @return {@code ŵ(p)} per kept point, in the order of {@link #points()}
     * @throws IllegalStateException with no episodes
     */
    public double[] weights(double lambda, double j0) {
        requireEpisodes(1);
        double a = 1 + 2 * lambda * j0;
        double[] w = new double[size];
        for (int p = 0; p < size; p++) {
            w[p] = (a * c[p] - 2 * lambda * g[p] - lambda * h[p]) / count;
        }
        return w;
    }

    /**
     * The standard error of the linear functional {@code Σ_p ŵ(p) a(p)} of {@link #weights(double, double)}.
     *
     * @param lambda   λ
     * @param j0       the J(x0) used
     * @param j0StdErr its standard error when it is an independent estimate, 0 when exact
     * @param a        the coefficients {@code a(p)}, one per kept point
     * @return {@code sqrt(Var_e(L_e)/E + (2λ Σ_p c a/E)² SE(Ĵ0)²)} with {@code L_e} the functional of episode e
     * @throws IllegalStateException with fewer than two episodes
     */
    public double standardError(double lambda, double j0, double j0StdErr, double[] a) {
        requireEpisodes(2);
        if (a.length != size) {
            throw new IllegalArgumentException("need " + size + " coefficients but got " + a.length);
        }
        double scale = 1 + 2 * lambda * j0;
        double sum = 0;
        double sumSq = 0;
        double sumC = 0;
        int p = 0;
        for (int e = 0; e < episodes; e++) {
            double le = 0;
            for (; p < episodeEnds[e]; p++) {
                le += (scale * c[p] - 2 * lambda * g[p] - lambda * h[p]) * a[p];
                sumC += c[p] * a[p];
            }
            sum += le;
            sumSq += le * le;
        }
        double var = Math.max(0, (sumSq - sum * sum / count) / (count - 1));
        double dj = 2 * lambda * sumC / count * j0StdErr;
        return Math.sqrt(var / count + dj * dj);
    }

    private void requireEpisodes(int min) {
        if (count < min) {
            throw new IllegalStateException("the point weights need " + min + " or more episodes; there are " + count);
        }
    }

    /** @return the number of kept points (rows of {@link #points()}) */
    public int size() {
        return size;
    }

    /** @return {@code d_x} of the points */
    public int inputDim() {
        return inputDim;
    }

    /** @return E, the episodes simulated */
    public long count() {
        return count;
    }

    /** @return the moments of the returns of the simulated episodes (a copy: J, Var, η estimates) */
    public ReturnMoments returns() {
        return returns.copy();
    }

    /** @return the decisions taken in the episodes from x0 */
    public long steps() {
        return steps;
    }

    /** @return the decisions taken in all continuation rollouts */
    public long continuationSteps() {
        return continuationSteps;
    }
}
