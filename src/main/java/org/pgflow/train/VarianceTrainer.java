package org.pgflow.train;

import java.util.List;
import java.util.function.DoubleConsumer;
import org.pgflow.mdp.Ssp;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.train.MeanFieldTrainer.MetricsSink;
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
    /** metrics.csv columns. */
    public static final List<String> COLUMNS = List.of("iteration", "time_s", "objective", "J", "J_se", "Var", "Var_se",
            "eta", "eta_se", "episodes", "steps", "exact_J", "exact_Var", "exact_eta", "grad_norm", "theta_norm",
            "critic_bias");

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
     * @param lastRow    the last metrics row
     */
    public record Result(ActorCriticState state, ReturnMoments evaluation, Double[] lastRow) {
    }

    /**
     * Runs (or resumes) K iterations, then evaluates the learned policy.
     *
     * @param problem      the problem
     * @param seed         master seed
     * @param iterations   K
     * @param evalEpisodes episodes of the final evaluation (at least 2 are run)
     * @param engine       where the episodes run
     * @param metrics      metrics rows ({@link #COLUMNS}; from the resume point on)
     * @param progress     progress ticks
     * @param checkpoints  checkpoint period, sink and resume point
     * @param returns      receives the return of every evaluation episode, in episode order
     * @return the outcome
     */
    public static Result run(Problem problem, long seed, long iterations, long evalEpisodes, EpisodeEngine engine,
                             MetricsSink metrics, ProgressSink progress, Checkpoints checkpoints, DoubleConsumer returns) {
        ActorCriticModel model = problem.model();
        long start = System.nanoTime();
        ActorCriticState state = checkpoints.resume() != null ? checkpoints.resume().state()
                : ActorCriticState.initial(new double[model.numParameters()], model.criticDimension());
        Double[] row;
        for (long k = checkpoints.start(); k < iterations; k++) {
            double elapsed = checkpoints.elapsedBefore() + (System.nanoTime() - start) / 1e9;
            if (checkpoints.due(k)) { // rows 0..k−1 are written; θ_k is about to be updated
                checkpoints.sink().save(k, elapsed, null, state);
            }
            VarianceLoop.IterationReport rep = VarianceLoop.iterate(model, state, seed, problem.settings(), engine);
            row = new Double[COLUMNS.size()];
            row[0] = (double) k;
            row[1] = elapsed;
            row[2] = rep.eta().value();
            row[3] = rep.j().value();
            row[4] = rep.j().stdErr();
            row[5] = rep.var().value();
            row[6] = rep.var().stdErr();
            row[7] = rep.eta().value();
            row[8] = rep.eta().stdErr();
            row[9] = (double) rep.j().count();
            row[10] = (double) rep.steps();
            exactColumns(problem, state, row);
            // ‖∇̂η − ∇η‖/‖∇η‖ of the actor direction the critic gave (finite SSPs, where ∇η is exact)
            row[16] = problem.ssp() != null ? CriticBias.column(model, rep.critic()) : null;
            metrics.accept(row);
            progress.tick(k, iterations, rep.eta().value(), row[13] != null ? row[13] : rep.eta().value());
            state = rep.next();
        }
        ReturnMoments evaluation = VarianceLoop.evaluate(model, state.theta(), seed, Math.max(2, evalEpisodes), returns);
        row = new Double[COLUMNS.size()];
        row[0] = (double) iterations;
        row[1] = checkpoints.elapsedBefore() + (System.nanoTime() - start) / 1e9;
        row[2] = evaluation.eta(model.lambda()).value();
        row[3] = evaluation.j().value();
        row[4] = evaluation.j().stdErr();
        row[5] = evaluation.var().value();
        row[6] = evaluation.var().stdErr();
        row[7] = evaluation.eta(model.lambda()).value();
        row[8] = evaluation.eta(model.lambda()).stdErr();
        row[9] = (double) evaluation.count();
        exactColumns(problem, state, row);
        metrics.accept(row);
        progress.tick(iterations, iterations, row[2], row[13] != null ? row[13] : row[2]);
        return new Result(state, evaluation, row);
    }

    /** ‖θ‖, and for a finite SSP the exact J, Var and η at the start and ‖∇η‖. */
    private static void exactColumns(Problem problem, ActorCriticState state, Double[] row) {
        double[] th = state.theta();
        double n2 = 0;
        for (double x : th) {
            n2 += x * x;
        }
        row[15] = Math.sqrt(n2);
        if (problem.ssp() == null) {
            return;
        }
        double[][] pi = ((TabularSoftmaxPolicy) problem.model().policy()).table(th);
        SspMoments.Result ex = SspMoments.compute(problem.ssp(), pi, problem.model().lambda());
        int x0 = problem.ssp().start();
        row[11] = ex.j()[x0];
        row[12] = ex.var()[x0];
        row[13] = ex.eta();
        double g = 0;
        for (double[] r : ex.gradEta()) {
            for (double x : r) {
                g += x * x;
            }
        }
        row[14] = Math.sqrt(g);
    }
}
