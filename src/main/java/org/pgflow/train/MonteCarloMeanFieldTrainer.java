package org.pgflow.train;

import java.nio.file.Path;
import java.util.List;
import org.pgflow.config.RunConfig.MeanFieldSpec;
import org.pgflow.estimate.ExactSolver;
import org.pgflow.estimate.PolicyEvaluation;
import org.pgflow.estimate.RolloutBatch;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.SimEnvironment;
import org.pgflow.meanfield.CloudDiagnostics;
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
    /** metrics.csv columns (iteration, time_s, objective first). */
    public static final List<String> COLUMNS = List.of("iteration", "time_s", "objective", "value_mc", "value_se",
            "env_return", "env_return_se", "kl_gauss", "kl_knn", "objective_knn", "drift_norm", "theta_mean_norm",
            "theta_sq_mean", "value", "gap", "rollout_steps", "summary_particles", "tau", "sigma", "gap_tau", "gap0");
    private static final int DRIFT = COLUMNS.indexOf("drift_norm");

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
     * Runs K iterations.
     *
     * @param pb          the problem
     * @param spec        mean-field parameters
     * @param mc          Monte Carlo settings
     * @param seed        master seed
     * @param iterations  K
     * @param engine      particle engine (initialised here)
     * @param rollouts    rollout engine
     * @param metrics     metrics rows ({@link #COLUMNS})
     * @param progress    progress ticks
     * @param snapshotDir Parquet snapshots directory, or null
     * @return the last metrics row
     */
    public static Double[] run(Problem pb, MeanFieldSpec spec, Settings mc, long seed, long iterations,
                               ParticleEngine engine, RolloutEngine rollouts, MeanFieldTrainer.MetricsSink metrics,
                               MeanFieldTrainer.ProgressSink progress, Path snapshotDir) {
        return run(pb, spec, mc, seed, iterations, engine, rollouts, metrics, progress, snapshotDir, Checkpoints.NONE);
    }

    /**
     * Runs (or resumes) K iterations with checkpoints ({@link Checkpoints}).
     *
     * @return the last metrics row
     */
    public static Double[] run(Problem pb, MeanFieldSpec spec, Settings mc, long seed, long iterations,
                               ParticleEngine engine, RolloutEngine rollouts, MeanFieldTrainer.MetricsSink metrics,
                               MeanFieldTrainer.ProgressSink progress, Path snapshotDir, Checkpoints checkpoints) {
        return run(pb, spec, mc, seed, iterations, engine, rollouts, metrics, progress, snapshotDir, checkpoints, null);
    }

    /**
     * Runs (or resumes) K iterations with checkpoints, handing the final policy {@code π_K[s][a]} of a finite
     * problem to {@code finalPolicy} (not called for simulators without a finite state space).
     *
     * @return the last metrics row
     */
    public static Double[] run(Problem pb, MeanFieldSpec spec, Settings mc, long seed, long iterations,
                               ParticleEngine engine, RolloutEngine rollouts, MeanFieldTrainer.MetricsSink metrics,
                               MeanFieldTrainer.ProgressSink progress, Path snapshotDir, Checkpoints checkpoints,
                               java.util.function.Consumer<double[][]> finalPolicy) {
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
        Double[] pending = null;
        Double[] row = null;
        for (long k = checkpoints.start(); k <= iterations; k++) {
            long[] ids = summaryIds(seed, k, spec.particles(), mc.summaryParticles());
            CloudTotals t = engine.summarize(k, ids);
            if (pending != null) { // row k−1 is complete but for its drift norm: keep it even if the step diverged
                double drift = t.driftNormSum() / n;
                pending[DRIFT] = Double.isFinite(drift) ? drift : null;
                metrics.accept(pending);
                Checks.requireFinite(drift, "mean drift norm", k - 1);
            }
            Checks.requireFinite(t.sum(), "particle sums", k);
            double elapsed = checkpoints.elapsedBefore() + (System.nanoTime() - start) / 1e9;
            if (checkpoints.due(k)) {
                checkpoints.sink().save(k, elapsed, engine, null);
            }
            double tau = spec.tauAt(k);
            double sigma = spec.sigmaAt(k);
            double halfSigma2 = 0.5 * sigma * sigma;
            ParticleSummary summary = ParticleSummary.ofRows(layout, t.sampleRows());
            RolloutBatch batch = rollouts.evaluate(new RolloutEngine.Request(env, summary, tau, mc.horizon(), seed,
                    k, rolloutIds, mc.states(), mc.monitor(), mc.returns(), mc.blockSize()));
            Checks.requireFinite(batch.weights, "Monte Carlo weight rows", k);
            MeanSe value = batch.valueEstimate();
            double klGauss = CloudDiagnostics.gaussianKl(t, spec.lambdaU());
            row = new Double[COLUMNS.size()];
            row[0] = (double) k;
            row[1] = elapsed;
            row[2] = value.mean() - halfSigma2 * klGauss;
            row[3] = value.mean();
            row[4] = finiteOrNull(value.se());
            MeanSe ret = batch.returnEstimate();
            row[5] = finiteOrNull(ret.mean());
            row[6] = finiteOrNull(ret.se());
            row[7] = klGauss;
            boolean knnNow = spec.knnEvery() > 0 && (k % spec.knnEvery() == 0 || k == iterations)
                    && t.sampleRows().length > spec.knnK();
            if (knnNow) {
                double klKnn = -CloudDiagnostics.knnEntropy(t.sampleRows(), spec.knnK())
                        + CloudDiagnostics.expectedPotential(t, spec.lambdaU());
                row[8] = klKnn;
                row[9] = value.mean() - halfSigma2 * klKnn;
            }
            row[11] = org.pgflow.math.Dense.norm(CloudDiagnostics.mean(t));
            row[12] = CloudDiagnostics.meanSquaredNorm(t);
            if (pb.mdp() != null) {
                double[] f = t.outputSums().clone();
                for (int p = 0; p < f.length; p++) {
                    f[p] /= n;
                }
                double[][] pi = MeanFieldPolicy.probabilities(f, pb.mdp().numStates(), pb.mdp().mu());
                lastPolicy = pi;
                PolicyEvaluation ev = ExactSolver.evaluate(pb.mdp(), pi, tau);
                double opt = annealedTau ? optima.at(tau).valueAtInitial() : pb.optimum();
                row[13] = ev.valueAtInitial();
                row[14] = opt - ev.valueAtInitial();
                row[20] = optima.gap0(pi, ev);
            } else if (Double.isFinite(pb.optimum()) && !annealedTau) {
                row[14] = pb.optimum() - value.mean();
            }
            row[15] = (double) batch.steps;
            row[16] = (double) summary.count();
            row[17] = tau;
            row[18] = sigma;
            row[19] = row[14];
            progress.tick(k, iterations, row[2], row[14] != null ? row[14] : value.mean());
            if (k == iterations) {
                metrics.accept(row);
                break;
            }
            pending = row;
            if (snapshotDir != null && spec.snapshotEvery() > 0 && k % spec.snapshotEvery() == 0) {
                engine.snapshot(k, snapshotDir.resolve(String.format("iter-%09d", k)));
            }
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
        if (snapshotDir != null) {
            engine.snapshot(iterations, snapshotDir.resolve(String.format("iter-%09d", iterations)));
        }
        if (finalPolicy != null && lastPolicy != null) {
            finalPolicy.accept(lastPolicy);
        }
        return row;
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
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
