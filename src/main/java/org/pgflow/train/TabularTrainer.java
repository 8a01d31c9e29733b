package org.pgflow.train;

import java.util.List;
import org.pgflow.config.Schedule;
import org.pgflow.estimate.TabularBaselines;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.util.Checks;
import org.pgflow.variance.ActorCriticState;

/**
 * The tabular baselines of docs/algorithms.md §2.13 as a run: a logit table {@code θ[s][a]} on a finite MDP, exact evaluation,
 * softmax policy gradient {@code θ ← θ + ηW} or entropy-regularised natural policy gradient, with {@code τ_k} from a
 * schedule over the iteration count. Runs on the driver (no particle, rollout or episode engine), so it gives the
 * same bits on every engine setting. Row k describes {@code θ_k} (k = 0..K; {@code θ_0 = 0}, {@code π_0 = μ}):
 * {@code objective = value = V_{τ_k}^{π_k}(ρ)}, {@code gap = gap_tau = V*_{τ_k}(ρ) − V_{τ_k}^{π_k}(ρ)},
 * {@code max_tv} against {@code π*_{τ_k}}, {@code gap0 = V*_0(ρ) − V_0^{π_k}(ρ)}. Checkpoints hold the logit table
 * (flattened row-major, {@code s·A + a}) in the θ of an {@link ActorCriticState} with an empty critic. Holds no
 * formulas of its own ({@link TabularBaselines}).
 */
public final class TabularTrainer {
    /** metrics.csv columns (iteration, time_s, objective first; value, gap, max_tv where the mean-field runs have them). */
    public static final List<String> COLUMNS = MetricsSchema.TABULAR.names();
    /** The metrics family of this loop. */
    public static final MetricsSchema SCHEMA = MetricsSchema.TABULAR;

    private TabularTrainer() {
    }

    /**
     * The final state of a run.
     *
     * @param logits  {@code θ_K}
     * @param policy  {@code π_K}
     * @param optimum {@code V*_{τ_K}(ρ)}
     * @param last    the last metrics row
     */
    public record Result(double[][] logits, double[][] policy, double optimum, MetricsRow last) {
    }

    /**
     * Runs (or resumes) K iterations.
     *
     * @param mdp         the model
     * @param method      softmax PG or NPG
     * @param stepSize    η (validated against the schedule's largest τ beforehand)
     * @param tau         {@code τ_k = tau.at(k, 1)}
     * @param iterations  K
     * @param metrics     metrics rows ({@link MetricsSchema#TABULAR})
     * @param progress    progress ticks
     * @param checkpoints checkpoint period, sink and resume point (the resume state's θ is the logit table)
     * @return the final state
     * @throws org.pgflow.util.NumericalDivergenceException when a value or a logit is not finite
     */
    public static Result run(FiniteMdp mdp, TabularBaselines.Method method, double stepSize, Schedule tau,
                             long iterations, MetricsRow.Sink metrics, MeanFieldTrainer.ProgressSink progress,
                             Checkpoints checkpoints) {
        int ns = mdp.numStates();
        int na = mdp.numActions();
        double[][] logits = checkpoints.resume() != null ? unflatten(checkpoints.resume().state().theta(), ns, na)
                : TabularBaselines.zeroLogits(mdp);
        MeanFieldTrainer.Optima optima = new MeanFieldTrainer.Optima(mdp);
        long start = System.nanoTime();
        MetricsRow row = null;
        TabularBaselines.Evaluated e = null;
        double optimum = Double.NaN;
        for (long k = checkpoints.start(); k <= iterations; k++) {
            double elapsed = checkpoints.elapsedBefore() + (System.nanoTime() - start) / 1e9;
            if (checkpoints.due(k)) { // rows 0..k−1 are written; θ_k is about to be updated
                double[] z = new double[0];
                checkpoints.sink().save(k, elapsed, null, ActorCriticState.of(k, flatten(logits), 0.0, z, z, z));
            }
            double tauK = tau.at(k, 1);
            e = TabularBaselines.evaluate(mdp, logits, tauK);
            Checks.requireFinite(e.soft().v(), "value V", k);
            var soft = optima.at(tauK);
            TabularBaselines.Metrics mt = TabularBaselines.metrics(e, soft, optima.plain());
            optimum = soft.valueAtInitial();
            row = MetricsSchema.TABULAR.newRow()
                    .set(Metric.ITERATION, (double) k)
                    .set(Metric.TIME_S, elapsed)
                    .set(Metric.OBJECTIVE, mt.value())
                    .set(Metric.VALUE, mt.value())
                    .set(Metric.GAP, mt.gap())
                    .set(Metric.MAX_TV, mt.maxTv())
                    .set(Metric.GAP_TAU, mt.gap())
                    .set(Metric.GAP0, mt.gap0())
                    .set(Metric.TAU, tauK);
            metrics.accept(row);
            progress.tick(k, iterations, mt.value(), mt.gap());
            if (k == iterations) {
                break;
            }
            logits = TabularBaselines.step(method, mdp, e, stepSize);
            for (double[] r : logits) {
                Checks.requireFinite(r, "logits", k);
            }
        }
        return new Result(logits, e.policy(), optimum, row);
    }

    /** @return the table row-major, {@code s·A + a} */
    public static double[] flatten(double[][] t) {
        int na = t[0].length;
        double[] f = new double[t.length * na];
        for (int s = 0; s < t.length; s++) {
            System.arraycopy(t[s], 0, f, s * na, na);
        }
        return f;
    }

    private static double[][] unflatten(double[] f, int ns, int na) {
        if (f.length != ns * na) {
            throw new org.pgflow.util.InvalidInputException("checkpoint: the logit table has " + f.length
                    + " entries but the problem has " + ns + "×" + na);
        }
        double[][] t = new double[ns][na];
        for (int s = 0; s < ns; s++) {
            System.arraycopy(f, s * na, t[s], 0, na);
        }
        return t;
    }
}
