package org.pgflow.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.pgflow.config.RunConfig;
import org.pgflow.io.MetricsCsv;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.Portfolio;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.policy.LinearSoftmaxPolicy;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.train.VarianceLoop;
import org.pgflow.train.VarianceLoop.CriticMode;
import org.pgflow.util.InvalidInputException;
import org.pgflow.variance.ActorCriticModel;
import org.pgflow.variance.ActorCriticState;
import org.pgflow.variance.ReturnMoments;
import org.pgflow.variance.SspMoments;
import org.pgflow.variance.StepSchedule;

/**
 * Driver of a variance-adjusted actor–critic run ({@code algorithm: variance}, docs/algorithms.md §4.7–4.8): builds the model
 * from the config, runs {@link VarianceLoop#iterate} with the episodes on an {@link Engine}'s episode engine, and writes
 * the run directory. Per iteration k the metrics row holds the Monte Carlo J, Var and η (with standard errors)
 * of the actor batch under {@code θ_k}, and — for finite SSPs with a tabular policy — the exact J, Var, η and
 * ‖∇η‖ (gradient with respect to the full table of logits) of {@code π_{θ_k}}. The last row (k = K) is the
 * learned policy, evaluated on {@code variance.evalEpisodes} fresh episodes, whose returns go to
 * {@code returns.csv}.
 */
public final class VarianceJob {
    /** metrics.csv columns. */
    public static final List<String> COLUMNS = List.of("iteration", "time_s", "objective", "J", "J_se", "Var", "Var_se",
            "eta", "eta_se", "episodes", "steps", "exact_J", "exact_Var", "exact_eta", "grad_norm", "theta_norm",
            "critic_bias");

    private VarianceJob() {
    }

    /**
     * The learning problem of a config.
     *
     * @param model    environment, policy, critic features and λ
     * @param ssp      the finite SSP when there is one (exact columns, policy.json), else null
     * @param settings loop settings
     */
    public record Problem(ActorCriticModel model, Ssp ssp, VarianceLoop.Settings settings) {
    }

    /**
     * Builds the problem; called before anything is written.
     *
     * @param cfg configuration
     * @return the problem
     * @throws InvalidInputException for unsupported environments or invalid files
     */
    public static Problem problem(RunConfig cfg) {
        RunConfig.EnvironmentSpec env = cfg.environment();
        RunConfig.VarianceSpec v = cfg.variance();
        Ssp ssp = switch (env.type()) {
            case "ssp" -> ModelFiles.loadSsp(env.file());
            case "risky-chain" -> RiskyChain.of(env.stages(), env.winProbability(), env.winReward());
            case "random-ssp" -> RandomInstances.garnetSsp(cfg.seed(), env.instance(), env.states(), env.actions(),
                    env.branching(), env.terminalMin());
            case "portfolio" -> null;
            default -> throw new InvalidInputException("environment.type '" + env.type() + "' is not available for "
                    + "algorithm variance; use ssp, risky-chain, random-ssp or portfolio");
        };
        ActorCriticModel model;
        if (ssp != null) {
            if (ssp.gamma() != 1.0) {
                throw new InvalidInputException((env.file() != null ? env.file() + ": field 'gamma'" : "environment.gamma")
                        + " must be 1 for the actor-critic (an undiscounted SSP) but was " + ssp.gamma());
            }
            SspEnvironment e = SspEnvironment.of(ssp);
            model = ActorCriticModel.of(e, TabularSoftmaxPolicy.of(ssp.numStates(), ssp.numActions()),
                    v.criticStateFeatures() ? e : null, v.lambda(), v.maxSteps());
        } else {
            Portfolio p = Portfolio.of(env.portfolio());
            model = ActorCriticModel.of(p, LinearSoftmaxPolicy.logistic(p), v.criticStateFeatures() ? p : null,
                    v.lambda(), v.maxSteps());
        }
        CriticMode mode = switch (v.critic()) {
            case "incremental" -> CriticMode.INCREMENTAL;
            case "least-squares" -> CriticMode.LEAST_SQUARES;
            case "td0" -> CriticMode.TD0;
            case "lstd" -> CriticMode.LSTD;
            default -> CriticMode.EXACT;
        };
        if (mode == CriticMode.EXACT && ssp == null) {
            throw new InvalidInputException("variance.critic: 'exact' needs a finite SSP environment, not " + env.type());
        }
        if (!(v.betaExponent() > v.alphaExponent())) {
            throw new InvalidInputException("variance.betaExponent (" + v.betaExponent() + ") must exceed "
                    + "variance.alphaExponent (" + v.alphaExponent() + "): the actor must be the slow time-scale");
        }
        VarianceLoop.Settings settings = new VarianceLoop.Settings(mode, (int) v.episodes(), (int) v.criticEpisodes(),
                v.blockSize(), StepSchedule.of(v.alpha0(), v.beta0(), v.k0(), v.alphaExponent(), v.betaExponent()),
                v.thetaBound(), v.ridge(), v.lstdLambda());
        return new Problem(settings.configure(model), ssp, settings);
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
     * Runs (or resumes) the job on an engine with checkpoints.
     *
     * @param cfg         configuration
     * @param problem     the problem
     * @param engine      where the episodes run
     * @param run         the run directory
     * @param progress    progress printer
     * @param checkpoints checkpoint period, sink and resume point
     * @return the outcome
     */
    public static Result run(RunConfig cfg, Problem problem, Engine engine, RunDirectory run, Progress progress,
                             org.pgflow.train.Checkpoints checkpoints) {
        return run(cfg, problem, engine.episodes(), run, progress, checkpoints);
    }

    /**
     * Runs the job with an arbitrary episode engine (the single-JVM one in tests).
     *
     * @param cfg      configuration
     * @param problem  the problem
     * @param engine   where episodes run
     * @param run      the run directory
     * @param progress progress printer
     * @return the outcome
     */
    public static Result run(RunConfig cfg, Problem problem, org.pgflow.train.EpisodeEngine engine, RunDirectory run,
                             Progress progress, org.pgflow.train.Checkpoints checkpoints) {
        ActorCriticModel model = problem.model();
        ObjectNode m = run.manifest();
        m.put("problem", problem.ssp() != null ? problem.ssp().name() : "portfolio");
        m.put("policyParameters", model.numParameters());
        m.put("criticDimension", model.criticDimension());
        long start = System.nanoTime();
        ActorCriticState state = checkpoints.resume() != null ? checkpoints.resume().state()
                : ActorCriticState.initial(new double[model.numParameters()], model.criticDimension());
        Double[] row = null;
        ReturnMoments evaluation;
        try (MetricsCsv metrics = checkpoints.resume() != null
                ? run.metricsContinued(COLUMNS, checkpoints.start()) : run.metrics(COLUMNS)) {
            for (long k = checkpoints.start(); k < cfg.iterations(); k++) {
                double elapsed = checkpoints.elapsedBefore() + (System.nanoTime() - start) / 1e9;
                if (checkpoints.due(k)) { // rows 0..k−1 are written; θ_k is about to be updated
                    checkpoints.sink().save(k, elapsed, null, state);
                }
                VarianceLoop.IterationReport rep = VarianceLoop.iterate(model, state, cfg.seed(), problem.settings(), engine);
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
                row[16] = problem.ssp() != null ? org.pgflow.variance.CriticBias.column(model, rep.critic()) : null;
                metrics.write(row);
                progress.tick(k, cfg.iterations(), rep.eta().value(), row[13] != null ? row[13] : rep.eta().value());
                state = rep.next();
            }
            StringBuilder returns = new StringBuilder("return\n");
            evaluation = VarianceLoop.evaluate(model, state.theta(), cfg.seed(), Math.max(2, cfg.variance().evalEpisodes()),
                    b -> returns.append(b).append('\n'));
            org.pgflow.io.AtomicFiles.writeString(run.path().resolve("returns.csv"), returns.toString());
            row = new Double[COLUMNS.size()];
            row[0] = (double) cfg.iterations();
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
            metrics.write(row);
            progress.tick(cfg.iterations(), cfg.iterations(), row[2], row[13] != null ? row[13] : row[2]);
        }
        ObjectNode fin = m.putObject("final");
        for (int c = 0; c < COLUMNS.size(); c++) {
            if (row[c] != null) {
                fin.put(COLUMNS.get(c), row[c]);
            }
        }
        fin.put("SD", evaluation.standardDeviation());
        fin.put("secondsPerIteration", cfg.iterations() > 0 ? row[1] / cfg.iterations() : 0.0);
        ArrayNode theta = fin.putArray("theta");
        for (double x : state.theta()) {
            theta.add(x);
        }
        if (problem.ssp() != null) {
            run.writePolicy(TabularPolicy.toJson(((TabularSoftmaxPolicy) model.policy()).table(state.theta())));
        }
        return new Result(state, evaluation, row);
    }

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
