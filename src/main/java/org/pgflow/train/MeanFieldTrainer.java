package org.pgflow.train;

import java.nio.file.Path;
import java.util.List;
import org.pgflow.config.RunConfig.MeanFieldSpec;
import org.pgflow.estimate.ExactSolver;
import org.pgflow.estimate.PolicyEvaluation;
import org.pgflow.estimate.SoftOptimum;
import org.pgflow.estimate.WeightTables;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.meanfield.CloudTotals;
import org.pgflow.meanfield.MeanFieldSetup;
import org.pgflow.meanfield.NeuronKernels;
import org.pgflow.meanfield.NeuronLayout;
import org.pgflow.meanfield.Points;
import org.pgflow.policy.MeanFieldPolicy;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.util.Checks;

/**
 * The mean-field policy-gradient loop with exact policy evaluation on a finite MDP (docs/algorithms.md §2.6, §2.9 exact
 * mode, docs/architecture.md §4). Iteration k:
 * <ol>
 *   <li>{@code engine.summarize}: {@code F(s,a) = (1/N) Σ f(s,a,θ_n)} on all points, cloud moments;</li>
 *   <li>driver: {@code π_k = softmax(F; μ)}, exact {@code Q, V, d}, weight table {@code W} (and the same for the
 *       coupled cloud); one metrics row;</li>
 *   <li>{@code engine.step}: drift {@code Σ W ∇f} and the Euler–Maruyama update.</li>
 * </ol>
 * Rows are written for k = 0..K (row k describes the cloud after k steps); a row's {@code drift_norm} is the
 * mean |b̂| of the step taken from that cloud, so it is filled in when the next summary arrives (empty on the
 * last row). Holds no formulas of its own.
 *
 * <p>Annealing (docs/algorithms.md §2.12): iteration k uses {@code τ_k = τ(kΔt)} in the evaluation and the weight table, and
 * {@code σ_k = σ(kΔt)} in the objective and the step. {@code value}, {@code gap}, {@code max_tv} and the
 * objective refer to {@code τ_k} (so {@code gap_tau}, the explicit name, equals {@code gap});
 * {@code gap0 = V*_0(ρ) − V_0^{π_k}(ρ)} compares the plain discounted value with the ordinary optimum. Soft
 * optima are computed once per distinct τ value ({@link Optima}).
 */
public final class MeanFieldTrainer {
    /** The metrics family of this loop. */
    public static final MetricsSchema SCHEMA = MetricsSchema.MEAN_FIELD_EXACT;
    /** metrics.csv columns, in order (docs/architecture.md §7.3: iteration, time_s, objective first). */
    public static final List<String> COLUMNS = SCHEMA.names();

    /** Receives a progress tick per iteration. */
    public interface ProgressSink {
        /**
         * @param iteration k
         * @param total     K
         * @param objective current objective estimate
         * @param gap       current value gap
         */
        void tick(long iteration, long total, double objective, double gap);
    }

    /**
     * Final state of a run.
     *
     * @param policy    the final policy {@code π_K[s][a]}
     * @param optimum   the soft optimum the gaps refer to
     * @param last      the last metrics row
     */
    public record Result(double[][] policy, SoftOptimum optimum, MetricsRow last) {
    }

    private MeanFieldTrainer() {
    }

    /**
     * The particle-system constants of a run on a finite MDP.
     *
     * @param mdp  the model (its features define x)
     * @param spec mean-field parameters
     * @param seed master seed
     * @return the setup
     */
    public static MeanFieldSetup setup(FiniteMdp mdp, MeanFieldSpec spec, long seed) {
        NeuronLayout layout = new NeuronLayout(spec.units(), mdp.inputDimension(), spec.outputScale());
        Points points = Points.allStateActions(mdp);
        return new MeanFieldSetup(layout, points, spec.particles(), spec.blockSize(), spec.dt(), spec.sigma(),
                spec.lambdaU(), seed, spec.coupled(), spec.coupledInitScale(), activationCacheBytes(spec, layout, points));
    }

    /**
     * The activation memo budget in bytes: {@code meanfield.activationCacheMB}, or for {@code -1} (auto)
     * {@link MeanFieldSpec#AUTO_ACTIVATION_CACHE_MB} MiB if this JVM's kernels gain from the memo for these inputs,
     * else 0. The choice changes time and memory only, never results.
     */
    public static long activationCacheBytes(MeanFieldSpec spec, NeuronLayout layout, Points points) {
        long mb = spec.activationCacheMB();
        if (mb == MeanFieldSpec.AUTO_ACTIVATION_CACHE) {
            mb = NeuronKernels.backend().benefitsFromActivationMemo(layout, points)
                    ? MeanFieldSpec.AUTO_ACTIVATION_CACHE_MB : 0;
        }
        return mb << 20;
    }

    /**
     * Runs K iterations.
     *
     * @param mdp           the model
     * @param spec          mean-field parameters (evaluation must be {@code exact})
     * @param seed          master seed
     * @param iterations    K
     * @param engine        where the particles live (initialised here)
     * @param metrics       metrics rows
     * @param progress      progress ticks
     * @param snapshotDir   directory for Parquet snapshots ({@code particles/}), or null for none
     * @return the final state
     * @throws org.pgflow.util.NumericalDivergenceException when a summary, value or weight is not finite
     */
    public static Result run(FiniteMdp mdp, MeanFieldSpec spec, long seed, long iterations, ParticleEngine engine,
                             MetricsRow.Sink metrics, ProgressSink progress, Path snapshotDir) {
        return run(mdp, spec, seed, iterations, engine, metrics, progress, snapshotDir, Checkpoints.NONE);
    }

    /**
     * Runs (or resumes) K iterations with checkpoints.
     *
     * @param mdp           the model
     * @param spec          mean-field parameters (evaluation must be {@code exact})
     * @param seed          master seed
     * @param iterations    K
     * @param engine        where the particles live (initialised or restored here)
     * @param metrics       metrics rows (from the resume point on)
     * @param progress      progress ticks
     * @param snapshotDir   directory for Parquet snapshots, or null for none
     * @param checkpoints   checkpoint period, sink and resume point
     * @return the final state
     */
    public static Result run(FiniteMdp mdp, MeanFieldSpec spec, long seed, long iterations, ParticleEngine engine,
                             MetricsRow.Sink metrics, ProgressSink progress, Path snapshotDir, Checkpoints checkpoints) {
        MeanFieldSetup setup = setup(mdp, spec, seed);
        Optima optima = new Optima(mdp);
        SoftOptimum optimum = optima.at(spec.tau());
        boolean annealedSigma = !spec.sigmaSchedule().isConstant();
        long[] sampleIds = spec.knnEvery() > 0 ? subsample(seed, spec.particles(), spec.knnSample()) : null;
        long start = System.nanoTime();
        if (checkpoints.resume() != null) {
            engine.restore(setup, checkpoints.resume().particles(), checkpoints.resume().particleFiles());
        } else {
            engine.init(setup);
        }
        MetricsRow pending = null;
        double[][] policy = null;
        MetricsRow row = null;
        double n = spec.particles();
        for (long k = checkpoints.start(); k <= iterations; k++) {
            boolean knnNow = sampleIds != null && (k % spec.knnEvery() == 0 || k == iterations);
            CloudTotals t = engine.summarize(k, knnNow ? sampleIds : null);
            // row k−1 is complete but for its drift norm: kept even if the step diverged
            CloudRows.completePending(pending, t, n, k, metrics);
            CloudRows.requireFinite(t, k);
            double elapsed = checkpoints.elapsedBefore() + (System.nanoTime() - start) / 1e9;
            if (checkpoints.due(k)) { // rows 0..k−1 are written; the cloud of iteration k is about to move
                checkpoints.sink().save(k, elapsed, engine, null);
            }
            double tau = spec.tauAt(k);
            double sigma = spec.sigmaAt(k);
            optimum = optima.at(tau);
            Evaluated main = evaluate(mdp, t.outputSums(), n, tau, optimum, k, "");
            policy = main.policy;
            row = SCHEMA.newRow();
            double value = main.ev.valueAtInitial();
            double gap = optimum.valueAtInitial() - value;
            row.set(Metric.ITERATION, (double) k);
            row.set(Metric.TIME_S, elapsed);
            double objective = CloudRows.cloudColumns(row, t, spec, value, 0.5 * sigma * sigma, knnNow);
            row.set(Metric.VALUE, value);
            row.set(Metric.GAP, gap);
            row.set(Metric.MAX_TV, ExactSolver.maxTotalVariation(main.policy, optimum.policy()));
            double[] coupledWeight = null;
            if (t.coupledOutputSums() != null) {
                Checks.requireFinite(t.coupledOutputSums(), "coupled F partial sums", k);
                Evaluated coupled = evaluate(mdp, t.coupledOutputSums(), n, tau, optimum, k, "coupled ");
                coupledWeight = coupled.weight;
                row.set(Metric.W2_COUPLED, Math.sqrt(t.coupledDistanceSq() / n));
                row.set(Metric.VALUE_COUPLED, coupled.ev.valueAtInitial());
                row.set(Metric.GAP_COUPLED, optimum.valueAtInitial() - coupled.ev.valueAtInitial());
            }
            row.set(Metric.TAU, tau);
            row.set(Metric.SIGMA, sigma);
            row.set(Metric.GAP_TAU, gap);
            row.set(Metric.GAP0, optima.gap0(main.policy, main.ev));
            progress.tick(k, iterations, objective, gap);
            if (k == iterations) {
                metrics.accept(row);
                break;
            }
            pending = row;
            CloudRows.snapshot(engine, spec, snapshotDir, k, false);
            if (annealedSigma) {
                engine.step(k, sigma, main.weight, coupledWeight);
            } else {
                engine.step(k, main.weight, coupledWeight);
            }
        }
        CloudRows.snapshot(engine, spec, snapshotDir, iterations, true);
        return new Result(policy, optimum, row);
    }

    /**
     * Soft optima {@code V*_τ} by τ value (an annealed τ needs a new one whenever it changes; the last few are
     * kept), and the ordinary optimum {@code V*_0} for {@code gap0}.
     */
    public static final class Optima {
        private static final int KEEP = 8;
        private final FiniteMdp mdp;
        private final java.util.LinkedHashMap<Double, SoftOptimum> cache = new java.util.LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<Double, SoftOptimum> eldest) {
                return size() > KEEP;
            }
        };
        private SoftOptimum plain;

        /** @param mdp the model */
        public Optima(FiniteMdp mdp) {
            this.mdp = mdp;
        }

        /** @return the soft optimum at τ (computed once per τ value) */
        public SoftOptimum at(double tau) {
            return cache.computeIfAbsent(tau, x -> ExactSolver.softValueIteration(mdp, x));
        }

        /** @return the ordinary optimum (τ = 0) */
        public SoftOptimum plain() {
            if (plain == null) {
                plain = at(0.0);
            }
            return plain;
        }

        /**
         * @param policy π
         * @param ev     its evaluation at some τ (reused when τ = 0)
         * @return {@code V*_0(ρ) − V_0^π(ρ)}
         */
        public double gap0(double[][] policy, PolicyEvaluation ev) {
            PolicyEvaluation v0 = ev.tau() == 0 ? ev : ExactSolver.evaluate(mdp, policy, 0);
            return plain().valueAtInitial() - v0.valueAtInitial();
        }
    }

    private record Evaluated(double[][] policy, PolicyEvaluation ev, double[] weight) {
    }

    private static Evaluated evaluate(FiniteMdp mdp, double[] outputSums, double n, double tau, SoftOptimum optimum,
                                      long k, String label) {
        double[] f = new double[outputSums.length];
        for (int p = 0; p < f.length; p++) {
            f[p] = outputSums[p] / n;
        }
        double[][] pi = MeanFieldPolicy.probabilities(f, mdp.numStates(), mdp.mu());
        PolicyEvaluation ev = ExactSolver.evaluate(mdp, pi, tau);
        Checks.requireFinite(ev.v(), label + "value V", k);
        double[] w = WeightTables.exact(mdp, pi, ev);
        Checks.requireFinite(w, label + "weight table W", k);
        return new Evaluated(pi, ev, w);
    }

    /**
     * A seeded uniform subsample of particle ids (Floyd's algorithm), ascending.
     *
     * @param seed master seed (stream {@code (seed, SUBSAMPLE, 0, 0)})
     * @param n    population size N
     * @param m    requested size; {@code min(m, N)} ids are returned
     * @return ascending ids
     */
    public static long[] subsample(long seed, long n, int m) {
        return Streams.subset(Streams.of(seed, Purpose.SUBSAMPLE, 0, 0), n, (int) Math.min(m, n));
    }
}
