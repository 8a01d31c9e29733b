package org.pgflow.train;

import java.nio.file.Path;
import java.util.List;
import org.pgflow.config.RunConfig.MeanFieldSpec;
import org.pgflow.estimate.ExactSolver;
import org.pgflow.estimate.PolicyEvaluation;
import org.pgflow.estimate.RolloutBatch;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.SimEnvironment;
import org.pgflow.meanfield.CloudTotals;
import org.pgflow.meanfield.MeanFieldSetup;
import org.pgflow.meanfield.NeuronLayout;
import org.pgflow.meanfield.ParticleSummary;
import org.pgflow.meanfield.Points;
import org.pgflow.policy.MeanFieldPolicy;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.stats.MeanSe;
import org.pgflow.util.Checks;

/**
 * The mean-field policy-gradient loop with Monte Carlo policy evaluation (docs/algorithms.md §2.8–2.9), for environments that
 * can only be simulated. Iteration k:
 * <ol>
 *   <li>{@code engine.summarize}: the measure summary — all particles, or a seeded uniform subsample of
 *       {@code meanfield.summaryParticles} of them drawn afresh each iteration from {@code (seed, SUBSAMPLE, k, 1)}
 *       — plus the cloud's moments;</li>
 *   <li>{@code rollouts.evaluate}: M_s states from {@code d_ρ^π}, all-action Q̂ rollouts, monitoring samples;</li>
 *   <li>driver: the weight table {@code W_{i,a} = π(Â − Ā)/((1−γ)M_s)} over the points {@code x(s_i, a)};</li>
 *   <li>{@code engine.stepAt}: drift {@code Σ W ∇f} and the Euler–Maruyama step, exactly as in exact mode.</li>
 * </ol>
 * When the environment is a finite MDP its exact value and gap under {@code π_ν} (full F, all particles) are
 * reported too, which measures the Monte Carlo method against the truth. Holds no formulas of its own.
 *
 * <p>Annealing (docs/algorithms.md §2.12) as in {@link MeanFieldTrainer}: {@code τ_k} in the rollouts (Q̂, ℓ, Â, W) and in the
 * exact columns, {@code σ_k} in the objective and the step. {@code gap_tau} and {@code gap0} need a finite MDP
 * (or, for {@code gap_tau}, a constant τ with a known optimum: then it is {@code gap}).
 */
public final class MonteCarloMeanFieldTrainer {
    /** The metrics family of this loop. */
    public static final MetricsSchema SCHEMA = MetricsSchema.MEAN_FIELD_MONTE_CARLO;
    /** metrics.csv columns (iteration, time_s, objective first). */
    public static final List<String> COLUMNS = SCHEMA.names();

    private MonteCarloMeanFieldTrainer() {
    }

    /**
     * What is learned and what it is measured against.
     *
     * @param env     the simulator
     * @param mdp     the same problem as a finite MDP (exact value and gap columns), or null
     * @param optimum {@code V*_τ(ρ)} when known (gap column from the Monte Carlo value otherwise), else NaN
     */
    public record Problem(SimEnvironment env, FiniteMdp mdp, double optimum) {
    }

    /**
     * Monte Carlo settings of a run.
     *
     * @param summaryParticles particles broadcast to the rollout tasks (all when N is not larger)
     * @param states           M_s sampled states per iteration
     * @param horizon          0 = geometric Q̂ (unbiased), else truncation H
     * @param monitor          V̂(ρ) samples per iteration
     * @param returns          environment episode returns per iteration (environments with a time limit)
     * @param blockSize        rollout ids per block
     */
    public record Settings(int summaryParticles, int states, int horizon, int monitor, int returns, int blockSize) {
    }

    /**
     * The final state of a run.
     *
     * @param last   the last metrics row
     * @param policy {@code π_K[s][a]} of a finite problem, or null for a simulator without a finite state space
     */
    public record Result(MetricsRow last, double[][] policy) {
    }

    /**
     * Runs K iterations.
     *
     * @param pb          the problem
     * @param spec        mean-field parameters
     * @param mc          Monte Carlo settings
     * @param seed        master seed
     * @param iterations  K
     * @param engine      particle engine (initialised here)
     * @param rollouts    rollout engine
     * @param metrics     metrics rows ({@link #SCHEMA})
     * @param progress    progress ticks
     * @param snapshotDir Parquet snapshots directory, or null
     * @return the last metrics row
     */
    public static MetricsRow run(Problem pb, MeanFieldSpec spec, Settings mc, long seed, long iterations,
                                 ParticleEngine engine, RolloutEngine rollouts, MetricsRow.Sink metrics,
                                 MeanFieldTrainer.ProgressSink progress, Path snapshotDir) {
        return train(pb, spec, mc, seed, iterations, engine, rollouts, metrics, progress, snapshotDir,
                Checkpoints.NONE).last();
    }

    /**
     * Runs (or resumes) K iterations with checkpoints ({@link Checkpoints}).
     *
     * @param pb          the problem
     * @param spec        mean-field parameters
     * @param mc          Monte Carlo settings
     * @param seed        master seed
     * @param iterations  K
     * @param engine      particle engine (initialised or restored here)
     * @param rollouts    rollout engine
     * @param metrics     metrics rows ({@link #SCHEMA})
     * @param progress    progress ticks
     * @param snapshotDir Parquet snapshots directory, or null
     * @param checkpoints checkpoint period, sink and resume point
     * @return the final state
     */
    public static Result train(Problem pb, MeanFieldSpec spec, Settings mc, long seed, long iterations,
                               ParticleEngine engine, RolloutEngine rollouts, MetricsRow.Sink metrics,
                               MeanFieldTrainer.ProgressSink progress, Path snapshotDir, Checkpoints checkpoints) {
        double[][] lastPolicy = null;
        SimEnvironment env = pb.env();
        NeuronLayout layout = new NeuronLayout(spec.units(), env.inputDim(), spec.outputScale());
        Points exactPoints = pb.mdp() != null ? Points.allStateActions(pb.mdp()) : Points.empty(env.inputDim());
        MeanFieldSetup setup = new MeanFieldSetup(layout, exactPoints, spec.particles(), spec.blockSize(), spec.dt(),
                spec.sigma(), spec.lambdaU(), seed, false, spec.coupledInitScale());
        long start = System.nanoTime();
        if (checkpoints.resume() != null) {
            engine.restore(setup, checkpoints.resume().particles(), checkpoints.resume().particleFiles());
        } else {
            engine.init(setup);
        }
        double n = spec.particles();
        boolean annealedTau = !spec.tauSchedule().isConstant();
        boolean annealedSigma = !spec.sigmaSchedule().isConstant();
        MeanFieldTrainer.Optima optima = pb.mdp() != null ? new MeanFieldTrainer.Optima(pb.mdp()) : null;
        long rolloutIds = Math.max(mc.states(), Math.max(mc.monitor(), mc.returns()));
        MetricsRow pending = null;
        MetricsRow row = null;
        for (long k = checkpoints.start(); k <= iterations; k++) {
            long[] ids = summaryIds(seed, k, spec.particles(), mc.summaryParticles());
            CloudTotals t = engine.summarize(k, ids);
            // row k−1 is complete but for its drift norm: kept even if the step diverged
            CloudRows.completePending(pending, t, n, k, metrics);
            Checks.requireFinite(t.sum(), "particle sums", k);
            double elapsed = checkpoints.elapsedBefore() + (System.nanoTime() - start) / 1e9;
            if (checkpoints.due(k)) {
                checkpoints.sink().save(k, elapsed, engine, null);
            }
            double tau = spec.tauAt(k);
            double sigma = spec.sigmaAt(k);
            ParticleSummary summary = ParticleSummary.ofRows(layout, t.sampleRows());
            RolloutBatch batch = rollouts.evaluate(new RolloutEngine.Request(env, summary, tau, mc.horizon(), seed,
                    k, rolloutIds, mc.states(), mc.monitor(), mc.returns(), mc.blockSize()));
            Checks.requireFinite(batch.weights, "Monte Carlo weight rows", k);
            MeanSe value = batch.valueEstimate();
            row = SCHEMA.newRow();
            row.set(Metric.ITERATION, (double) k);
            row.set(Metric.TIME_S, elapsed);
            row.set(Metric.VALUE_MC, value.mean());
            row.setFinite(Metric.VALUE_SE, value.se());
            MeanSe ret = batch.returnEstimate();
            row.setFinite(Metric.ENV_RETURN, ret.mean());
            row.setFinite(Metric.ENV_RETURN_SE, ret.se());
            boolean knnNow = spec.knnEvery() > 0 && (k % spec.knnEvery() == 0 || k == iterations)
                    && t.sampleRows().length > spec.knnK();
            double objective = CloudRows.cloudColumns(row, t, spec, value.mean(), 0.5 * sigma * sigma, knnNow);
            Double gap = null;
            if (pb.mdp() != null) {
                double[] f = t.outputSums().clone();
                for (int p = 0; p < f.length; p++) {
                    f[p] /= n;
                }
                double[][] pi = MeanFieldPolicy.probabilities(f, pb.mdp().numStates(), pb.mdp().mu());
                lastPolicy = pi;
                PolicyEvaluation ev = ExactSolver.evaluate(pb.mdp(), pi, tau);
                double opt = annealedTau ? optima.at(tau).valueAtInitial() : pb.optimum();
                gap = opt - ev.valueAtInitial();
                row.set(Metric.VALUE, ev.valueAtInitial());
                row.set(Metric.GAP0, optima.gap0(pi, ev));
            } else if (Double.isFinite(pb.optimum()) && !annealedTau) {
                gap = pb.optimum() - value.mean();
            }
            row.set(Metric.GAP, gap);
            row.set(Metric.ROLLOUT_STEPS, (double) batch.steps);
            row.set(Metric.SUMMARY_PARTICLES, (double) summary.count());
            row.set(Metric.TAU, tau);
            row.set(Metric.SIGMA, sigma);
            row.set(Metric.GAP_TAU, gap);
            progress.tick(k, iterations, objective, gap != null ? gap : value.mean());
            if (k == iterations) {
                metrics.accept(row);
                break;
            }
            pending = row;
            CloudRows.snapshot(engine, spec, snapshotDir, k, false);
            int rows = batch.stateRows();
            double scale = 1 / ((1 - env.gamma()) * mc.states());
            double[] w = new double[batch.weights.length];
            for (int q = 0; q < w.length; q++) {
                w[q] = batch.weights[q] * scale;
            }
            if (annealedSigma) {
                engine.stepAt(k, sigma, Points.ofStates(env, batch.states, rows), w);
            } else {
                engine.stepAt(k, Points.ofStates(env, batch.states, rows), w);
            }
        }
        CloudRows.snapshot(engine, spec, snapshotDir, iterations, true);
        return new Result(row, lastPolicy);
    }

    /**
     * The ids of the measure summary of iteration k: all of {@code 0..N−1} when {@code N ≤ m}, else a uniform
     * subsample of m ids (Floyd's algorithm on the stream {@code (seed, SUBSAMPLE, k, 1)}), ascending.
     *
     * @param seed master seed
     * @param k    iteration
     * @param n    N
     * @param m    summary size
     * @return ascending ids
     */
    public static long[] summaryIds(long seed, long k, long n, int m) {
        if (n <= m) {
            long[] all = new long[(int) n];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        return Streams.subset(Streams.of(seed, Purpose.SUBSAMPLE, k, 1), n, m);
    }
}
