package org.pgflow.train;

import java.nio.file.Path;
import java.util.List;
import org.pgflow.config.RunConfig.MeanFieldSpec;
import org.pgflow.estimate.PointWeightBatch;
import org.pgflow.estimate.VarianceWeightBatch;
import org.pgflow.estimate.WeightTables;
import org.pgflow.mdp.EpisodicEnvironment;
import org.pgflow.mdp.InputEmbedding;
import org.pgflow.mdp.Portfolio;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.meanfield.CloudTotals;
import org.pgflow.meanfield.MeanFieldSetup;
import org.pgflow.meanfield.NeuronLayout;
import org.pgflow.meanfield.ParticleSummary;
import org.pgflow.meanfield.Points;
import org.pgflow.policy.MeanFieldPolicy;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;
import org.pgflow.variance.MonteCarloEstimate;
import org.pgflow.variance.ReturnMoments;
import org.pgflow.variance.SspMoments;

/**
 * Mean-field policy gradient for the variance-adjusted episodic objective {@code η = J(x0) − λ Var(B)} on a finite
 * SSP (docs/algorithms.md §2.14): the mean-field softmax policy {@code π_ν(u|x) ∝ μ_u e^{F_ν(x,u)}} with the one-hot embedding
 * {@code x(x,u) = one-hot(x) ++ one-hot(u)} and uniform μ, the drift {@code b_η = Σ W_η ∇f} and the same
 * Euler–Maruyama step, engines and blocks as the discounted loop ({@link MeanFieldTrainer}). Iteration k:
 * <ol>
 *   <li>{@code engine.summarize}: {@code F} on all (x, u), cloud moments;</li>
 *   <li>{@code W_η}: exact mode from the SSP solves ({@link WeightTables#varianceAdjusted}); Monte Carlo mode
 *       from E episodes with continuation rollouts ({@link EpisodeEngine#weightBatch}) and {@code Ĵ(x0)} from an
 *       independent batch of E episodes ({@link EpisodeEngine#startValues}: sample splitting, so {@code Ŵ_η} is
 *       unbiased);</li>
 *   <li>{@code engine.step} with {@code W_η} (and σ_k under annealing).</li>
 * </ol>
 * Columns: {@code objective = η − (σ_k²/2) KL̂_gauss}; {@code J, Var, eta, SD} with standard errors from the weight
 * batch's own episodes (Monte Carlo mode; {@code SD_se = Var_se/(2 SD)}) or exact (exact mode, no SE);
 * {@code exact_J, exact_Var, exact_eta} of {@code π_k} always. Simulators whose states are points run
 * {@link #runPoints} (same columns, no {@code exact_*}). No reward entropy enters η, so τ is not used. Holds no formulas of its own.
 */
public final class EpisodicMeanFieldTrainer {
    /** The metrics family of this loop. */
    public static final MetricsSchema SCHEMA = MetricsSchema.MEAN_FIELD_VARIANCE;
    /** metrics.csv columns, in order. */
    public static final List<String> COLUMNS = SCHEMA.names();

    private EpisodicMeanFieldTrainer() {
    }

    /**
     * Episode settings.
     *
     * @param lambda     λ ≥ 0
     * @param monteCarlo Monte Carlo weight table (else exact)
     * @param episodes   E episodes per iteration (and E for the start-value batch)
     * @param blockSize  episodes per block
     * @param maxSteps   longest allowed episode
     * @param evalEpisodes start-value episodes of the last cloud of a point-based run ({@link #runPoints}; finite
     *                   SSPs use {@code episodes})
     */
    public record Settings(double lambda, boolean monteCarlo, long episodes, int blockSize, int maxSteps,
                           long evalEpisodes) {
        /** Validates the counts. */
        public Settings {
            if (episodes < 2 || blockSize < 1 || maxSteps < 1 || evalEpisodes < 2) {
                throw new IllegalArgumentException("episodes and evalEpisodes must be >= 2, blockSize and maxSteps >= 1 "
                        + "but were " + episodes + ", " + evalEpisodes + ", " + blockSize + ", " + maxSteps);
            }
        }

        /** Settings whose last cloud is evaluated on {@code episodes} episodes. */
        public Settings(double lambda, boolean monteCarlo, long episodes, int blockSize, int maxSteps) {
            this(lambda, monteCarlo, episodes, blockSize, maxSteps, episodes);
        }
    }

    /**
     * The final state.
     *
     * @param policy {@code π_K[x][u]} (null for a point-based run: the policy is not tabular)
     * @param last   the last metrics row
     */
    public record Result(double[][] policy, MetricsRow last) {
    }

    /** The state index of an SSP's state vector (a named class, for task closures). */
    static final class SspIndex implements VarianceWeightBatch.StateIndex {
        private static final long serialVersionUID = 1L;

        @Override
        public int of(double[] state) {
            return SspEnvironment.index(state);
        }
    }

    /**
     * The particle-system constants: one-hot points over the SSP's non-terminal states and actions.
     *
     * @param ssp  the problem
     * @param spec mean-field parameters
     * @param seed master seed
     * @return the setup
     */
    public static MeanFieldSetup setup(Ssp ssp, MeanFieldSpec spec, long seed) {
        int n = ssp.numStates();
        int m = ssp.numActions();
        NeuronLayout layout = new NeuronLayout(spec.units(), n + m, spec.outputScale());
        Points points = Points.oneHotStateActions(n, m);
        return new MeanFieldSetup(layout, points, spec.particles(), spec.blockSize(), spec.dt(), spec.sigma(),
                spec.lambdaU(), seed, false, spec.coupledInitScale(),
                MeanFieldTrainer.activationCacheBytes(spec, layout, points));
    }

    /**
     * Runs (or resumes) K iterations.
     *
     * @param ssp         the problem
     * @param spec        mean-field parameters
     * @param settings    λ and the episodes
     * @param seed        master seed
     * @param iterations  K
     * @param engine      particle engine (initialised or restored here)
     * @param episodes    episode engine (Monte Carlo mode)
     * @param metrics     metrics rows ({@link #SCHEMA})
     * @param progress    progress ticks (metric: exact η)
     * @param snapshotDir Parquet snapshots directory, or null
     * @param checkpoints checkpoint period, sink and resume point
     * @return the final state
     */
    public static Result run(Ssp ssp, MeanFieldSpec spec, Settings settings, long seed, long iterations,
                             ParticleEngine engine, EpisodeEngine episodes, MetricsRow.Sink metrics,
                             MeanFieldTrainer.ProgressSink progress, Path snapshotDir, Checkpoints checkpoints) {
        MeanFieldSetup setup = setup(ssp, spec, seed);
        int n = ssp.numStates();
        int m = ssp.numActions();
        double[] mu = new double[m];
        java.util.Arrays.fill(mu, 1.0 / m);
        SspEnvironment env = SspEnvironment.of(ssp);
        SspIndex index = new SspIndex();
        double lambda = settings.lambda();
        boolean annealedSigma = !spec.sigmaSchedule().isConstant();
        long[] sampleIds = spec.knnEvery() > 0 ? MeanFieldTrainer.subsample(seed, spec.particles(), spec.knnSample()) : null;
        long start = begin(engine, setup, checkpoints);
        double count = spec.particles();
        MetricsRow pending = null;
        MetricsRow row = null;
        double[][] pi = null;
        for (long k = checkpoints.start(); k <= iterations; k++) {
            boolean knnNow = sampleIds != null && (k % spec.knnEvery() == 0 || k == iterations);
            CloudTotals t = engine.summarize(k, knnNow ? sampleIds : null);
            double elapsed = open(k, t, pending, count, metrics, engine, checkpoints, start);
            double[] f = t.outputSums().clone();
            for (int p = 0; p < f.length; p++) {
                f[p] /= count;
            }
            pi = MeanFieldPolicy.probabilities(f, n, mu);
            SspMoments.Result exact = SspMoments.compute(ssp, pi, lambda);
            Checks.requireFinite(exact.eta(), "exact eta", k);
            double sigma = spec.sigmaAt(k);
            row = SCHEMA.newRow();
            double[] w = null;
            double eta;
            int x0 = ssp.start();
            if (settings.monteCarlo()) {
                if (k != iterations) {
                    VarianceWeightBatch batch = episodes.weightBatch(env, index, pi, seed, k, settings.episodes(),
                            settings.blockSize(), settings.maxSteps());
                    ReturnMoments start0 = episodes.startValues(env, index, pi, seed, k, settings.episodes(),
                            settings.blockSize(), settings.maxSteps());
                    w = batch.weights(lambda, start0.j().value());
                    fillEstimates(row, batch, lambda);
                } else { // the last cloud takes no step: its returns only
                    fillEstimates(row, episodes.startValues(env, index, pi, seed, k, settings.episodes(),
                            settings.blockSize(), settings.maxSteps()), lambda);
                }
                eta = row.get(Metric.ETA);
            } else {
                w = WeightTables.varianceAdjusted(ssp, pi, exact);
                row.set(Metric.J, exact.j()[x0]);
                row.set(Metric.VAR, exact.var()[x0]);
                row.set(Metric.ETA, exact.eta());
                row.set(Metric.SD, Math.sqrt(exact.var()[x0]));
                eta = exact.eta();
            }
            row.set(Metric.EXACT_J, exact.j()[x0]);
            row.set(Metric.EXACT_VAR, exact.var()[x0]);
            row.set(Metric.EXACT_ETA, exact.eta());
            double objective = close(row, k, elapsed, t, spec, eta, sigma, knnNow);
            progress.tick(k, iterations, objective, exact.eta());
            if (k == iterations) {
                metrics.accept(row);
                break;
            }
            Checks.requireFinite(w, "variance-adjusted weight table W", k);
            pending = row;
            CloudRows.snapshot(engine, spec, snapshotDir, k, false);
            if (annealedSigma) {
                engine.step(k, sigma, w, null);
            } else {
                engine.step(k, w, null);
            }
        }
        CloudRows.snapshot(engine, spec, snapshotDir, iterations, true);
        return new Result(pi, row);
    }

    /**
     * Runs (or resumes) K iterations on an episodic simulator whose states are points (continuous states, e.g.
     * the portfolio of docs/algorithms.md §5 T9): the mean-field softmax policy on the inputs {@code x(x, u)} of
     * {@code embedding} (uniform μ), evaluated in the episode tasks from the measure summary of
     * {@code meanfield.summaryParticles} particles ({@link MonteCarloMeanFieldTrainer#summaryIds}, as in the Monte
     * Carlo mode of discounted runs); {@code W_η} at the visited points ({@link EpisodeEngine#pointWeightBatch},
     * Ĵ(x0) from {@link EpisodeEngine#pointStartValues}: sample splitting) and the step
     * {@link ParticleEngine#stepAt} over those points. The last cloud takes no step: its J, Var, η, SD come from
     * {@code evalEpisodes} start-value episodes. No {@code exact_*} columns (not a finite SSP); no policy table.
     *
     * @param env         the simulator
     * @param embedding   its network input {@code x(state, u)}
     * @param spec        mean-field parameters
     * @param settings    λ and the episodes
     * @param seed        master seed
     * @param iterations  K
     * @param engine      particle engine (initialised or restored here)
     * @param episodes    episode engine
     * @param metrics     metrics rows ({@link #SCHEMA})
     * @param progress    progress ticks (metric: η̂)
     * @param snapshotDir Parquet snapshots directory, or null
     * @param checkpoints checkpoint period, sink and resume point
     * @return the final state ({@code policy} null)
     */
    public static Result runPoints(EpisodicEnvironment env, InputEmbedding embedding, MeanFieldSpec spec,
                                   Settings settings, long seed, long iterations, ParticleEngine engine,
                                   EpisodeEngine episodes, MetricsRow.Sink metrics,
                                   MeanFieldTrainer.ProgressSink progress, Path snapshotDir, Checkpoints checkpoints) {
        NeuronLayout layout = new NeuronLayout(spec.units(), embedding.inputDim(), spec.outputScale());
        MeanFieldSetup setup = new MeanFieldSetup(layout, Points.empty(embedding.inputDim()), spec.particles(),
                spec.blockSize(), spec.dt(), spec.sigma(), spec.lambdaU(), seed, false, spec.coupledInitScale());
        double lambda = settings.lambda();
        boolean annealedSigma = !spec.sigmaSchedule().isConstant();
        long start = begin(engine, setup, checkpoints);
        double count = spec.particles();
        MetricsRow pending = null;
        MetricsRow row = null;
        for (long k = checkpoints.start(); k <= iterations; k++) {
            CloudTotals t = engine.summarize(k, MonteCarloMeanFieldTrainer.summaryIds(seed, k, spec.particles(),
                    spec.summaryParticles()));
            double elapsed = open(k, t, pending, count, metrics, engine, checkpoints, start);
            ParticleSummary summary = ParticleSummary.ofRows(layout, t.sampleRows());
            boolean last = k == iterations;
            row = SCHEMA.newRow();
            PointWeightBatch batch = null;
            ReturnMoments start0 = episodes.pointStartValues(env, embedding, summary, seed, k,
                    last ? settings.evalEpisodes() : settings.episodes(), settings.blockSize(), settings.maxSteps());
            if (last) { // the last cloud takes no step: its returns only
                fillEstimates(row, start0, lambda);
            } else {
                batch = episodes.pointWeightBatch(env, embedding, summary, seed, k, settings.episodes(),
                        settings.blockSize(), settings.maxSteps());
                fillEstimates(row, batch.returns(), lambda);
                row.set(Metric.EPISODES, (double) batch.count());
                row.set(Metric.STEPS, (double) (batch.steps() + batch.continuationSteps()));
            }
            double eta = row.get(Metric.ETA);
            boolean knnNow = spec.knnEvery() > 0 && (k % spec.knnEvery() == 0 || last)
                    && t.sampleRows().length > spec.knnK();
            double objective = close(row, k, elapsed, t, spec, eta, spec.sigmaAt(k), knnNow);
            progress.tick(k, iterations, objective, eta);
            if (last) {
                metrics.accept(row);
                break;
            }
            double[] w = batch.weights(lambda, start0.j().value());
            Checks.requireFinite(w, "variance-adjusted point weights W", k);
            pending = row;
            CloudRows.snapshot(engine, spec, snapshotDir, k, false);
            Points points = batch.points();
            if (annealedSigma) {
                engine.stepAt(k, spec.sigmaAt(k), points, w);
            } else {
                engine.stepAt(k, points, w);
            }
        }
        CloudRows.snapshot(engine, spec, snapshotDir, iterations, true);
        return new Result(null, row);
    }

    /** Initialises or restores the cloud; returns the start time. */
    private static long begin(ParticleEngine engine, MeanFieldSetup setup, Checkpoints checkpoints) {
        long start = System.nanoTime();
        if (checkpoints.resume() != null) {
            engine.restore(setup, checkpoints.resume().particles(), checkpoints.resume().particleFiles());
        } else {
            engine.init(setup);
        }
        return start;
    }

    /**
     * Completes and writes row k−1 with the drift norm of the step it took (kept even if the step diverged),
     * checks the cloud, saves a due checkpoint; returns the elapsed time.
     */
    private static double open(long k, CloudTotals t, MetricsRow pending, double count, MetricsRow.Sink metrics,
                               ParticleEngine engine, Checkpoints checkpoints, long start) {
        double elapsed = checkpoints.elapsedBefore() + (System.nanoTime() - start) / 1e9;
        CloudRows.completePending(pending, t, count, k, metrics);
        CloudRows.requireFinite(t, k);
        if (checkpoints.due(k)) {
            checkpoints.sink().save(k, elapsed, engine, null);
        }
        return elapsed;
    }

    /** Sets iteration, time, σ_k and the cloud's columns (objective, KL estimates, moments); returns the objective. */
    private static double close(MetricsRow row, long k, double elapsed, CloudTotals t, MeanFieldSpec spec, double eta,
                                double sigma, boolean knnNow) {
        row.set(Metric.ITERATION, (double) k);
        row.set(Metric.TIME_S, elapsed);
        row.set(Metric.SIGMA, sigma);
        return CloudRows.cloudColumns(row, t, spec, eta, 0.5 * sigma * sigma, knnNow);
    }

    /** J, Var, η and SD with their standard errors, episodes and steps of a finite SSP's weight batch. */
    private static void fillEstimates(MetricsRow row, VarianceWeightBatch batch, double lambda) {
        fillEstimates(row, batch.returns(), lambda);
        row.set(Metric.EPISODES, (double) batch.count());
        row.set(Metric.STEPS, (double) (batch.steps() + batch.continuationSteps()));
    }

    /** J, Var, η and SD with their standard errors (empty when not finite) and the episode count of {@code r}. */
    private static void fillEstimates(MetricsRow row, ReturnMoments r, double lambda) {
        MonteCarloEstimate j = r.j();
        MonteCarloEstimate var = r.var();
        MonteCarloEstimate eta = r.eta(lambda);
        row.set(Metric.J, j.value());
        row.setFinite(Metric.J_SE, j.stdErr());
        row.set(Metric.VAR, var.value());
        row.setFinite(Metric.VAR_SE, var.stdErr());
        row.set(Metric.ETA, eta.value());
        row.setFinite(Metric.ETA_SE, eta.stdErr());
        double sd = r.standardDeviation();
        row.set(Metric.SD, sd);
        row.setFinite(Metric.SD_SE, var.stdErr() / (2 * sd));
        row.set(Metric.EPISODES, (double) r.count());
    }
}
