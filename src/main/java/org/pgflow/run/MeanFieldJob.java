package org.pgflow.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.pgflow.config.Algorithm;
import org.pgflow.config.Evaluation;
import org.pgflow.config.Objective;
import org.pgflow.config.RunConfig;
import org.pgflow.io.AtomicFiles;
import org.pgflow.io.MetricsCsv;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.io.RunManifest;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.Ssp;
import org.pgflow.train.EpisodicMeanFieldTrainer;
import org.pgflow.train.Checkpoints;
import org.pgflow.train.MonteCarloMeanFieldTrainer;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.stats.Fits;
import org.pgflow.train.MeanFieldTrainer;
import org.pgflow.train.Metric;
import org.pgflow.train.MetricsRow;
import org.pgflow.train.MetricsSchema;
import org.pgflow.train.ParticleEngine;

/**
 * Driver of a mean-field run ({@code algorithm: meanfield}): resolves the problem, writes the run directory
 * and runs {@link MeanFieldTrainer} (exact mode) or {@link MonteCarloMeanFieldTrainer} on the particle and
 * rollout engines of an {@link Engine}.
 */
public final class MeanFieldJob {
    private MeanFieldJob() {
    }

    /**
     * What a mean-field (or tabular-baseline) config learns on.
     *
     * @param mdp      the finite MDP (exact mode; also Monte Carlo mode on finite problems; tabular runs), or null
     * @param mc       the simulator problem of Monte Carlo mode, or null in exact mode
     * @param tabular  the problem of {@code algorithm: tabular}, else null
     * @param episodic the finite SSP of a variance-adjusted run ({@code meanfield.objective: variance}), else null
     * @param points   the portfolio of a variance-adjusted run (states are points), else null
     */
    public record Problem(FiniteMdp mdp, MonteCarloMeanFieldTrainer.Problem mc, TabularJob.Problem tabular,
                          Ssp episodic, org.pgflow.mdp.Portfolio points) {
        /** A problem without points. */
        public Problem(FiniteMdp mdp, MonteCarloMeanFieldTrainer.Problem mc, TabularJob.Problem tabular, Ssp episodic) {
            this(mdp, mc, tabular, episodic, null);
        }

        /**
         * A discounted mean-field problem.
         *
         * @param mdp the finite MDP, or null
         * @param mc  the simulator problem of Monte Carlo mode, or null
         */
        public Problem(FiniteMdp mdp, MonteCarloMeanFieldTrainer.Problem mc) {
            this(mdp, mc, null, null);
        }

        /**
         * @return the neuron input dimension {@code d_x}: the finite MDP's embedding, one-hot states ⊕ actions on
         *         an SSP, the portfolio's inputs, or the simulator's
         */
        public long inputDim() {
            if (mdp != null) {
                return mdp.inputDimension();
            }
            if (episodic != null) {
                return (long) episodic.numStates() + episodic.numActions();
            }
            return points != null ? points.inputDim() : mc.env().inputDim();
        }
    }

    /**
     * Resolves the problem of a config; called before anything is written so that bad input exits 2 with
     * nothing on disk.
     *
     * @param cfg the configuration
     * @return the problem
     * @throws org.pgflow.util.InvalidInputException for invalid model files (the config has checked the
     *                                               combination of algorithm, environment and evaluation)
     */
    public static Problem problem(RunConfig cfg) {
        if (cfg.algorithm() == Algorithm.TABULAR) {
            TabularJob.Problem t = TabularJob.problem(cfg);
            return new Problem(t.mdp(), null, t, null);
        }
        if (cfg.meanfield().objective() == Objective.VARIANCE) {
            if (cfg.environment() instanceof org.pgflow.config.EnvironmentSpec.Portfolio p) {
                return new Problem(null, null, null, null, org.pgflow.mdp.Portfolio.of(p.parameters()));
            }
            return new Problem(null, null, null, Problems.ssp(cfg));
        }
        FiniteMdp mdp = Problems.mdp(cfg);
        if (cfg.meanfield().evaluation() == Evaluation.EXACT) {
            return new Problem(mdp, null);
        }
        return new Problem(mdp, Problems.simulator(cfg, mdp));
    }

    /**
     * Runs the job.
     *
     * @param cfg      validated configuration
     * @param problem  the problem ({@link #problem})
     * @param engine   where the work runs
     * @param run      the (fresh) run directory
     * @param progress progress printer
     * @return the last metrics row (of the family of the loop that ran)
     */
    public static MetricsRow run(RunConfig cfg, Problem problem, Engine engine, RunDirectory run, Progress progress) {
        return run(cfg, problem, engine, run, progress, Checkpoints.NONE);
    }

    /**
     * Runs (or resumes) the job with checkpoints.
     *
     * @param cfg         validated configuration
     * @param problem     the problem ({@link #problem})
     * @param engine      where the work runs
     * @param run         the run directory (fresh, or reopened for a resume)
     * @param progress    progress printer
     * @param checkpoints checkpoint period, sink and resume point
     * @return the last metrics row (of the family of the loop that ran)
     */
    public static MetricsRow run(RunConfig cfg, Problem problem, Engine engine, RunDirectory run,
                                 Progress progress, Checkpoints checkpoints) {
        if (problem.tabular() != null) {
            return TabularJob.run(cfg, problem.tabular(), run, progress, checkpoints);
        }
        if (problem.episodic() != null || problem.points() != null) {
            return runEpisodic(cfg, problem, engine, run, progress, checkpoints);
        }
        if (problem.mc() != null) {
            return runMonteCarlo(cfg, problem.mc(), engine, run, progress, checkpoints);
        }
        return runExact(cfg, problem.mdp(), engine, run, progress, checkpoints);
    }

    /** Opens metrics.csv of {@code schema}: fresh, or continued at the resume point. */
    static MetricsCsv metrics(RunDirectory run, MetricsSchema schema, Checkpoints cp) {
        return cp.resume() != null ? run.metricsContinued(schema, cp.start()) : run.metrics(schema);
    }

    private static MetricsRow runMonteCarlo(RunConfig cfg, MonteCarloMeanFieldTrainer.Problem pb, Engine engine,
                                            RunDirectory run, Progress progress, Checkpoints checkpoints) {
        Path lineage = run.path().resolve(".lineage");
        run.setProblem(new RunManifest.Problem(pb.env().name(), null, pb.env().numActions(), null, null, null, null,
                Double.isFinite(pb.optimum()) ? pb.optimum() : null));
        RunConfig.MeanFieldSpec mf = cfg.meanfield();
        MonteCarloMeanFieldTrainer.Settings mc = new MonteCarloMeanFieldTrainer.Settings(mf.summaryParticles(),
                mf.rolloutStates(), mf.rolloutHorizon(), mf.monitorRollouts(),
                pb.env().maxEpisodeSteps() > 0 ? mf.episodeReturns() : 0, mf.rolloutBlock());
        try (MetricsCsv metrics = metrics(run, MonteCarloMeanFieldTrainer.SCHEMA, checkpoints);
             ParticleEngine particles = engine.particles(lineage, cfg.checkpointEvery())) {
            MonteCarloMeanFieldTrainer.Result r = MonteCarloMeanFieldTrainer.train(pb, mf, mc, cfg.seed(),
                    cfg.iterations(), particles, engine.rollouts(), metrics::write, progress::tick, run.particles(),
                    checkpoints);
            if (r.policy() != null) { // a finite problem gets its policy.json, as in exact mode
                run.writePolicy(TabularPolicy.toJson(r.policy()));
            }
            run.setFinal(RunManifest.Final.of(r.last(), cfg.iterations()));
            return r.last();
        } finally {
            AtomicFiles.deleteTree(lineage);
        }
    }

    /** The variance-adjusted run on a finite SSP or on points (the portfolio). */
    private static MetricsRow runEpisodic(RunConfig cfg, Problem pb, Engine engine, RunDirectory run,
                                          Progress progress, Checkpoints checkpoints) {
        Path lineage = run.path().resolve(".lineage");
        Ssp ssp = pb.episodic();
        run.setProblem(new RunManifest.Problem(ssp != null ? ssp.name() : "portfolio",
                ssp != null ? ssp.numStates() : null, ssp != null ? ssp.numActions() : pb.points().numActions(),
                "variance", null, null, null, null));
        RunConfig.VarianceSpec v = cfg.variance();
        EpisodicMeanFieldTrainer.Settings settings = new EpisodicMeanFieldTrainer.Settings(v.lambda(),
                cfg.meanfield().evaluation() == Evaluation.MONTECARLO, v.episodes(), v.blockSize(), v.maxSteps(),
                Math.max(2, v.evalEpisodes()));
        try (MetricsCsv metrics = metrics(run, EpisodicMeanFieldTrainer.SCHEMA, checkpoints);
             ParticleEngine particles = engine.particles(lineage, cfg.checkpointEvery())) {
            EpisodicMeanFieldTrainer.Result r = ssp != null ? EpisodicMeanFieldTrainer.run(ssp, cfg.meanfield(), settings,
                    cfg.seed(), cfg.iterations(), particles, engine.episodes(), metrics::write, progress::tick,
                    run.particles(), checkpoints) : EpisodicMeanFieldTrainer.runPoints(pb.points(), pb.points(),
                    cfg.meanfield(), settings, cfg.seed(), cfg.iterations(), particles, engine.episodes(),
                    metrics::write, progress::tick, run.particles(), checkpoints);
            if (r.policy() != null) {
                run.writePolicy(TabularPolicy.toJson(r.policy()));
            }
            run.setFinal(RunManifest.Final.of(r.last(), cfg.iterations()));
            return r.last();
        } finally {
            AtomicFiles.deleteTree(lineage);
        }
    }

    private static MetricsRow runExact(RunConfig cfg, FiniteMdp mdp, Engine engine, RunDirectory run,
                                       Progress progress, Checkpoints checkpoints) {
        Path lineage = run.path().resolve(".lineage");
        run.setProblem(new RunManifest.Problem(mdp.name(), mdp.numStates(), mdp.numActions(), null, null, null, null,
                null));
        try (MetricsCsv metrics = metrics(run, MeanFieldTrainer.SCHEMA, checkpoints);
             ParticleEngine particles = engine.particles(lineage, cfg.checkpointEvery())) {
            MeanFieldTrainer.Result r = MeanFieldTrainer.run(mdp, cfg.meanfield(), cfg.seed(), cfg.iterations(),
                    particles, metrics::write, progress::tick, run.particles(), checkpoints);
            run.writePolicy(TabularPolicy.toJson(r.policy()));
            run.setProblem(new RunManifest.Problem(null, null, null, null, null, null, null,
                    r.optimum().valueAtInitial()));
            RunManifest.Final fin = RunManifest.Final.of(r.last(), cfg.iterations());
            if (cfg.meanfield().coupled()) {
                metrics.flush();
                Fits.Decay fit = couplingFit(run.path().resolve("metrics.csv"), cfg.meanfield().dt());
                if (fit != null && Double.isFinite(fit.rate())) {
                    fin = fin.with("w2_rate", fit.rate()).with("w2_rate_window_end", fit.windowEnd())
                            .with("w2_floor", fit.floor());
                }
            }
            run.setFinal(fin);
            return r.last();
        } finally {
            AtomicFiles.deleteTree(lineage);
        }
    }

    /**
     * The decay fit of {@code w2_coupled} against {@code t = k Δt} over the whole metrics.csv (a resumed run wrote
     * only its own rows in this process).
     */
    private static Fits.Decay couplingFit(Path csv, double dt) {
        List<MetricsRow> rows;
        try {
            rows = MetricsCsv.read(csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double[] t = new double[rows.size()];
        double[] w2 = new double[rows.size()];
        for (int k = 0; k < t.length; k++) {
            t[k] = rows.get(k).get(Metric.ITERATION) * dt;
            Double w = rows.get(k).get(Metric.W2_COUPLED);
            w2[k] = w != null ? w : Double.NaN;
        }
        return Fits.decay(t, w2);
    }
}
