package org.pgflow.train;

import java.util.List;
import java.util.function.DoubleConsumer;
import org.pgflow.variance.MonteCarloEstimate;
import org.pgflow.mdp.Ssp;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.train.MeanFieldTrainer.ProgressSink;
import org.pgflow.variance.ActorCriticModel;
import org.pgflow.variance.ActorCriticState;
import org.pgflow.variance.CriticBias;
import org.pgflow.variance.ReturnMoments;
import org.pgflow.variance.SspMoments;

/**
 * The variance-adjusted actor–critic loop of a run (docs/algorithms.md §4.7–4.8): iteration k runs
 * {@link VarianceLoop#iterate} on an episode engine and writes one metrics row holding the Monte Carlo J, Var and η
 * (with standard errors) of the actor batch under {@code θ_k}, ‖θ_k‖, and — for finite SSPs with a tabular policy —
 * the exact J, Var, η and ‖∇η‖ (gradient with respect to the full table of logits) of {@code π_{θ_k}} and the
 * relative bias of the critic's actor direction. The last row (k = K) is the learned policy, evaluated on fresh
 * episodes. Checkpoints are saved before the update of iteration k. Holds no formulas of its own.
 */
public final class VarianceTrainer {
    /** The metrics family of this loop. */
    public static final MetricsSchema SCHEMA = MetricsSchema.ACTOR_CRITIC;
    /** metrics.csv columns, in order. */
    public static final List<String> COLUMNS = SCHEMA.names();

    private VarianceTrainer() {
    }

    /**
     * The learning problem of a run.
     *
     * @param model    environment, policy, critic features and λ
     * @param ssp      the finite SSP when there is one (exact columns, policy.json), else null
     * @param settings loop settings
     */
    public record Problem(ActorCriticModel model, Ssp ssp, VarianceLoop.Settings settings) {
    }

    /**
     * The outcome of a run.
     *
     * @param state      the final actor–critic state θ_K
     * @param evaluation Monte Carlo moments of the return of π_{θ_K} (fresh episodes)
     * @param last       the last metrics row (the evaluation of θ_K)
     */
    public record Result(ActorCriticState state, ReturnMoments evaluation, MetricsRow last) {
    }

    /**
     * Runs (or resumes) K iterations, then evaluates the learned policy.
     *
     * @param problem      the problem
     * @param seed         master seed
     * @param iterations   K
     * @param evalEpisodes episodes of the final evaluation (at least 2 are run)
     * @param engine       where the episodes run
     * @param metrics      metrics rows ({@link #SCHEMA}; from the resume point on)
     * @param progress     progress ticks
     * @param checkpoints  checkpoint period, sink and resume point
     * @param returns      receives the return of every evaluation episode, in episode order
     * @return the outcome
     */
    public static Result run(Problem problem, long seed, long iterations, long evalEpisodes, EpisodeEngine engine,
                             MetricsRow.Sink metrics, ProgressSink progress, Checkpoints checkpoints, DoubleConsumer returns) {
        ActorCriticModel model = problem.model();
        long start = System.nanoTime();
        ActorCriticState state = checkpoints.resume() != null ? checkpoints.resume().state()
                : ActorCriticState.initial(new double[model.numParameters()], model.criticDimension());
        MetricsRow row;
        for (long k = checkpoints.start(); k < iterations; k++) {
            double elapsed = checkpoints.elapsedBefore() + (System.nanoTime() - start) / 1e9;
            if (checkpoints.due(k)) { // rows 0..k−1 are written; θ_k is about to be updated
                checkpoints.sink().save(k, elapsed, null, state);
            }
            VarianceLoop.IterationReport rep = VarianceLoop.iterate(model, state, seed, problem.settings(), engine);
            row = estimates(k, elapsed, rep.j(), rep.var(), rep.eta())
                    .set(Metric.STEPS, (double) rep.steps());
            exactColumns(problem, state, row);
            // ‖∇̂η − ∇η‖/‖∇η‖ of the actor direction the critic gave (finite SSPs, where ∇η is exact)
            row.set(Metric.CRITIC_BIAS, problem.ssp() != null ? CriticBias.column(model, rep.critic()) : null);
            metrics.accept(row);
            progress.tick(k, iterations, rep.eta().value(), progressMetric(row));
            state = rep.next();
        }
        ReturnMoments evaluation = VarianceLoop.evaluate(model, state.theta(), seed, Math.max(2, evalEpisodes), returns);
        row = estimates(iterations, checkpoints.elapsedBefore() + (System.nanoTime() - start) / 1e9, evaluation.j(),
                evaluation.var(), evaluation.eta(model.lambda()));
        exactColumns(problem, state, row);
        metrics.accept(row);
        progress.tick(iterations, iterations, row.get(Metric.OBJECTIVE), progressMetric(row));
        return new Result(state, evaluation, row);
    }

    /**
     * A row with iteration, time and the Monte Carlo J, Var and η (objective = η) with their standard errors, as
     * computed (a NaN error is written), and the episode count.
     */
    private static MetricsRow estimates(long k, double elapsed, MonteCarloEstimate j, MonteCarloEstimate var,
                                        MonteCarloEstimate eta) {
        return SCHEMA.newRow()
                .set(Metric.ITERATION, (double) k)
                .set(Metric.TIME_S, elapsed)
                .set(Metric.OBJECTIVE, eta.value())
                .set(Metric.J, j.value())
                .set(Metric.J_SE, j.stdErr())
                .set(Metric.VAR, var.value())
                .set(Metric.VAR_SE, var.stdErr())
                .set(Metric.ETA, eta.value())
                .set(Metric.ETA_SE, eta.stdErr())
                .set(Metric.EPISODES, (double) j.count());
    }

    /** The progress metric: the exact η when known, else the estimate. */
    private static double progressMetric(MetricsRow row) {
        Double exact = row.get(Metric.EXACT_ETA);
        return exact != null ? exact : row.get(Metric.ETA);
    }

    /** ‖θ‖, and for a finite SSP the exact J, Var and η at the start and ‖∇η‖. */
    private static void exactColumns(Problem problem, ActorCriticState state, MetricsRow row) {
        double[] th = state.theta();
        double n2 = 0;
        for (double x : th) {
            n2 += x * x;
        }
        row.set(Metric.THETA_NORM, Math.sqrt(n2));
        if (problem.ssp() == null) {
            return;
        }
        double[][] pi = ((TabularSoftmaxPolicy) problem.model().policy()).table(th);
        SspMoments.Result ex = SspMoments.compute(problem.ssp(), pi, problem.model().lambda());
        int x0 = problem.ssp().start();
        row.set(Metric.EXACT_J, ex.j()[x0]);
        row.set(Metric.EXACT_VAR, ex.var()[x0]);
        row.set(Metric.EXACT_ETA, ex.eta());
        double g = 0;
        for (double[] r : ex.gradEta()) {
            for (double x : r) {
                g += x * x;
            }
        }
        row.set(Metric.GRAD_NORM, Math.sqrt(g));
    }
}
