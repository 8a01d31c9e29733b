package org.pgflow.estimate;

import java.io.Serializable;
import org.pgflow.mdp.EpisodicEnvironment;
import org.pgflow.policy.ActionDistribution;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.NumericalDivergenceException;
import org.pgflow.variance.MonteCarloEstimate;
import org.pgflow.variance.ReturnMoments;

/**
 * Monte Carlo estimate of the variance-adjusted weight table {@code W_η(x,v) = ∂η/∂F(x,v)} (docs/algorithms.md §2.14) from
 * episodes and continuation rollouts on an episodic simulator with finitely many indexed states, as a pure
 * function of a block of episode ids ({@link #simulate}) returning a combinable accumulator ({@link #combine}:
 * Spark's {@code aggregate} contract, mutates and returns {@code this}).
 *
 * <p><b>Estimator.</b> Episode {@code e} runs from x0 under π (stream {@code (seed, VARIANCE_WEIGHT, k, e)}). At
 * every step {@code j} with state {@code x_j} and past reward {@code R_{<j}} (excludes {@code r_j}), for every
 * action v one continuation rollout from {@code (x_j, v)} returns {@code B^{(v)}} ({@code r(x_j, v)} included);
 * the |U| continuations of one step share one stream (common random numbers). With
 * {@code B̄ = Σ_u π(u|x_j) B^{(u)}}, {@code S̄ = Σ_u π(u|x_j) (B^{(u)})²}, each episode contributes, at the point
 * {@code p = x_j·m + v},
 * <pre>
 *   c_e(p) = Σ_j π(v|x_j) (B^{(v)} − B̄)
 *   g_e(p) = Σ_j π(v|x_j) R_{&lt;j} (B^{(v)} − B̄)
 *   h_e(p) = Σ_j π(v|x_j) ((B^{(v)})² − S̄)
 *   ŵ_e(p) = (1 + 2λJ(x0)) c_e(p) − 2λ g_e(p) − λ h_e(p)          (docs/algorithms.md §2.14, before the 1/E)
 *   Ŵ_η(p) = (1/E) Σ_e ŵ_e(p)
 * </pre>
 * Given J(x0), {@code E ŵ_e = W_η} exactly: {@code E[B^{(v)} | x_j] = J(x_j,v)}, {@code E[(B^{(v)})² | x_j] = M(x_j,v)},
 * {@code E Σ_j 1{x_j = x} = q(x)}, {@code E Σ_j R_{<j} 1{x_j = x} = G(x)}. The three components are kept apart, so
 * one batch serves any λ and any J(x0): {@link #weights(double, double)}. J(x0) should come from an independent
 * batch ({@link #startValueBlock}, sample splitting; then the estimate stays unbiased because it is linear in
 * Ĵ(x0)); {@link #startValue()} from the same episodes is also available, at the price of an O(1/E) product bias.
 * With λ = 0 the table is {@code ∂J(x0)/∂F}.
 *
 * <p><b>Standard errors.</b> Episodes are i.i.d., so per point {@code SE² = Var_e(ŵ_e)/E} from the per-episode
 * sums and cross-products of (c, g, h) (raw power sums, adequate while the per-episode values are O(1)), plus
 * {@code (2λ Σ_e c_e/E)² SE(Ĵ0)²} for an independent Ĵ(x0) ({@link #standardErrors}).
 *
 * <p>The simulation (episodes, continuations, streams) is shared with {@link PointWeightBatch}, the same estimator
 * keyed by visited points for simulators whose states are not indexed. Blocks combined in ascending block id give
 * the same bits for any partitioning. Final class with a no-arg constructor (Kryo). Not thread-safe.
 */
public final class VarianceWeightBatch implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Maps a non-terminal state vector to its index {@code 0..n−1} (e.g. {@code SspEnvironment::index}). */
    @FunctionalInterface
    public interface StateIndex extends Serializable {
        /**
         * @param state a non-terminal state
         * @return its index in {@code 0..n−1}
         */
        int of(double[] state);
    }

    private int numStates;
    private int numActions;
    private long count;
    private long steps;
    private long continuationSteps;
    private double[] sumC;
    private double[] sumG;
    private double[] sumH;
    private double[] sumCC;
    private double[] sumCG;
    private double[] sumCH;
    private double[] sumGG;
    private double[] sumGH;
    private double[] sumHH;
    private ReturnMoments returns;

    /** For Kryo. */
    public VarianceWeightBatch() {
    }

    private VarianceWeightBatch(int numStates, int numActions) {
        this.numStates = numStates;
        this.numActions = numActions;
        int p = numStates * numActions;
        sumC = new double[p];
        sumG = new double[p];
        sumH = new double[p];
        sumCC = new double[p];
        sumCG = new double[p];
        sumCH = new double[p];
        sumGG = new double[p];
        sumGH = new double[p];
        sumHH = new double[p];
        returns = ReturnMoments.create();
    }

    /**
     * @param numStates  non-terminal states n
     * @param numActions actions m
     * @return the zero element over n·m points
     */
    public static VarianceWeightBatch create(int numStates, int numActions) {
        if (numStates < 1 || numActions < 1) {
            throw new InvalidInputException("states and actions must be >= 1 but were " + numStates + ", " + numActions);
        }
        return new VarianceWeightBatch(numStates, numActions);
    }

    /**
     * Simulates episodes {@code first .. first+count−1} of iteration k with their continuations. A pure function
     * of its arguments: the same ids give the same bits on any engine.
     *
     * @param env       the simulator (undiscounted return, docs/algorithms.md §4.1)
     * @param index     state index of the non-terminal states, {@code 0..policy.length−1}
     * @param policy    {@code π[x][u]} (rows are probability vectors), e.g. the softmax of F
     * @param seed      master seed
     * @param iteration iteration k
     * @param first     first episode id
     * @param count     number of episodes ≥ 0
     * @param maxSteps  longest allowed episode or continuation (an improper policy otherwise never stops)
     * @return the sums of this block
     * @throws NumericalDivergenceException if an episode or a continuation exceeds {@code maxSteps} steps
     */
    public static VarianceWeightBatch simulate(EpisodicEnvironment env, StateIndex index, double[][] policy, long seed,
                                               long iteration, long first, int count, int maxSteps) {
        int n = policy.length;
        int m = env.numActions();
        for (int x = 0; x < n; x++) {
            if (policy[x].length != m) {
                throw new InvalidInputException("policy[" + x + "] has " + policy[x].length + " entries but the "
                        + "environment has " + m + " actions");
            }
        }
        VarianceWeightBatch out = new VarianceWeightBatch(n, m);
        out.continuationSteps = EpisodeContinuations.simulate(env, new IndexedPolicy(index, policy), seed, iteration,
                first, count, maxSteps, out.new Sums(index));
        return out;
    }

    /** A table {@code π[x][u]} read through the state index. */
    private record IndexedPolicy(StateIndex index, double[][] policy) implements ActionDistribution {
        @Override
        public int numActions() {
            return policy[0].length;
        }

        @Override
        public void probabilities(double[] s, double[] piOut) {
            double[] row = policy[index.of(s)];
            System.arraycopy(row, 0, piOut, 0, row.length);
        }

        @Override
        public void logRatio(double[] s, double[] ellOut) {
            throw new UnsupportedOperationException("the weight batch draws actions only");
        }
    }

    /** Per-episode (c, g, h) at the touched points, added to the sums at the end of each episode. */
    private final class Sums implements EpisodeContinuations.Visitor {
        private final double[] c = new double[sumC.length];
        private final double[] g = new double[sumC.length];
        private final double[] h = new double[sumC.length];
        private final boolean[] touched = new boolean[sumC.length];
        private final int[] touchedList = new int[sumC.length];
        private final StateIndex index;
        private int nTouched;
        private int x;

        Sums(StateIndex index) {
            this.index = index;
        }

        @Override
        public void step(double[] state) {
            x = index.of(state);
        }

        @Override
        public void action(int v, double cv, double gv, double hv) {
            int q = x * numActions + v;
            c[q] += cv;
            g[q] += gv;
            h[q] += hv;
            if (!touched[q]) {
                touched[q] = true;
                touchedList[nTouched++] = q;
            }
        }

        @Override
        public void episode(double ret, long length) {
            count++;
            steps += length;
            returns.add(ret);
            for (int i = 0; i < nTouched; i++) {
                int q = touchedList[i];
                addEpisode(q, c[q], g[q], h[q]);
                c[q] = 0;
                g[q] = 0;
                h[q] = 0;
                touched[q] = false;
            }
            nTouched = 0;
        }
    }

    private void addEpisode(int q, double c, double g, double h) {
        sumC[q] += c;
        sumG[q] += g;
        sumH[q] += h;
        sumCC[q] += c * c;
        sumCG[q] += c * g;
        sumCH[q] += c * h;
        sumGG[q] += g * g;
        sumGH[q] += g * h;
        sumHH[q] += h * h;
    }

    /**
     * Episodes {@code first .. first+count−1} from x0 under π, returns only (stream
     * {@code (seed, VARIANCE_WEIGHT_START, k, e)}, independent of {@link #simulate}): the sample-splitting batch
     * for Ĵ(x0).
     *
     * @return the moments of the returns (combine with {@link ReturnMoments#combine})
     * @throws NumericalDivergenceException if an episode exceeds {@code maxSteps}
     */
    public static ReturnMoments startValueBlock(EpisodicEnvironment env, StateIndex index, double[][] policy, long seed,
                                                long iteration, long first, int count, int maxSteps) {
        return EpisodeContinuations.startValues(env, new IndexedPolicy(index, policy), seed, iteration, first, count,
                maxSteps);
    }

    /**
     * Adds another block (unchanged) to this one.
     *
     * @param o sums over the same points
     * @return this
     * @throws InvalidInputException if the shapes differ
     */
    public VarianceWeightBatch combine(VarianceWeightBatch o) {
        if (o.numStates != numStates || o.numActions != numActions) {
            throw new InvalidInputException("cannot combine weight sums over " + o.numStates + "×" + o.numActions
                    + " points into " + numStates + "×" + numActions);
        }
        count += o.count;
        steps += o.steps;
        continuationSteps += o.continuationSteps;
        add(sumC, o.sumC);
        add(sumG, o.sumG);
        add(sumH, o.sumH);
        add(sumCC, o.sumCC);
        add(sumCG, o.sumCG);
        add(sumCH, o.sumCH);
        add(sumGG, o.sumGG);
        add(sumGH, o.sumGH);
        add(sumHH, o.sumHH);
        returns.combine(o.returns);
        return this;
    }

    private static void add(double[] acc, double[] v) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += v[i];
        }
    }

    /**
     * @param lambda variance penalty λ ≥ 0
     * @param j0     J(x0), exact or an (independent) estimate
     * @return {@code Ŵ_η}, length n·m, point {@code x·m + v}
     * @throws IllegalStateException with no episodes
     */
    public double[] weights(double lambda, double j0) {
        requireEpisodes(1);
        double a = 1 + 2 * lambda * j0;
        double[] w = new double[sumC.length];
        for (int q = 0; q < w.length; q++) {
            w[q] = (a * sumC[q] - 2 * lambda * sumG[q] - lambda * sumH[q]) / count;
        }
        return w;
    }

    /**
     * Standard errors of {@link #weights(double, double)}.
     *
     * @param lambda   λ
     * @param j0       the J(x0) used
     * @param j0StdErr its standard error when it is an independent estimate, 0 when exact
     * @return per point {@code sqrt(Var_e(ŵ_e)/E + (2λ Σc/E)² SE(Ĵ0)²)}
     * @throws IllegalStateException with fewer than two episodes
     */
    public double[] standardErrors(double lambda, double j0, double j0StdErr) {
        requireEpisodes(2);
        double a = 1 + 2 * lambda * j0;
        double bg = -2 * lambda;
        double bh = -lambda;
        double e = count;
        double[] se = new double[sumC.length];
        for (int q = 0; q < se.length; q++) {
            double vcc = cov(sumCC[q], sumC[q], sumC[q]);
            double vgg = cov(sumGG[q], sumG[q], sumG[q]);
            double vhh = cov(sumHH[q], sumH[q], sumH[q]);
            double vcg = cov(sumCG[q], sumC[q], sumG[q]);
            double vch = cov(sumCH[q], sumC[q], sumH[q]);
            double vgh = cov(sumGH[q], sumG[q], sumH[q]);
            double var = a * a * vcc + bg * bg * vgg + bh * bh * vhh + 2 * a * bg * vcg + 2 * a * bh * vch
                    + 2 * bg * bh * vgh;
            double dj = 2 * lambda * sumC[q] / e * j0StdErr;
            se[q] = Math.sqrt(Math.max(0, var) / e + dj * dj);
        }
        return se;
    }

    /** Sample covariance {@code (Σxy − ΣxΣy/E)/(E−1)}. */
    private double cov(double sxy, double sx, double sy) {
        return (sxy - sx * sy / count) / (count - 1);
    }

    private void requireEpisodes(int min) {
        if (count < min) {
            throw new IllegalStateException("the weight estimate needs at least " + min + " episodes but has " + count);
        }
    }

    /** @return Ĵ(x0) with its standard error from this batch's own episodes (O(1/E) bias inside {@link #weights}) */
    public MonteCarloEstimate startValue() {
        return returns.j();
    }

    /** @return a copy of the moments of this batch's episode returns (J, Var, η estimates) */
    public ReturnMoments returns() {
        return returns.copy();
    }

    /** @return number of episodes E */
    public long count() {
        return count;
    }

    /** @return steps of the episodes from x0 */
    public long steps() {
        return steps;
    }

    /** @return steps of all continuation rollouts */
    public long continuationSteps() {
        return continuationSteps;
    }

    /** @return non-terminal states n */
    public int numStates() {
        return numStates;
    }

    /** @return actions m */
    public int numActions() {
        return numActions;
    }
}
