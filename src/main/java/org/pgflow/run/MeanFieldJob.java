package org.pgflow.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.pgflow.config.Algorithm;
import org.pgflow.config.Evaluation;
import org.pgflow.config.Objective;
import org.pgflow.config.RunConfig;
import org.pgflow.io.MetricsCsv;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.Ssp;
import org.pgflow.train.EpisodicMeanFieldTrainer;
import org.pgflow.train.Checkpoints;
import org.pgflow.train.MonteCarloMeanFieldTrainer;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.stats.Fits;
import org.pgflow.train.MeanFieldTrainer;
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
     * @return the last metrics row
     */
    public static Double[] run(RunConfig cfg, Problem problem, Engine engine, RunDirectory run, Progress progress) {
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
     * @return the last metrics row
     */
    public static Double[] run(RunConfig cfg, Problem problem, Engine engine, RunDirectory run,
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
        return runExact(cfg, problem.mdp(), engine, run, progress, checkpoints).lastRow();
    }

    private static MetricsCsv metrics(RunDirectory run, java.util.List<String> columns, Checkpoints cp) {
        return cp.resume() != null ? run.metricsContinued(columns, cp.start()) : run.metrics(columns);
    }

    private static Double[] runMonteCarlo(RunConfig cfg, MonteCarloMeanFieldTrainer.Problem pb, Engine engine,
                                          RunDirectory run, Progress progress, Checkpoints checkpoints) {
        Path lineage = run.path().resolve(".lineage");
        ObjectNode m = run.manifest();
        m.put("problem", pb.env().name());
        m.put("actions", pb.env().numActions());
        if (Double.isFinite(pb.optimum())) {
            m.put("softOptimalValue", pb.optimum());
        }
        RunConfig.MeanFieldSpec mf = cfg.meanfield();
        MonteCarloMeanFieldTrainer.Settings mc = new MonteCarloMeanFieldTrainer.Settings(mf.summaryParticles(),
                mf.rolloutStates(), mf.rolloutHorizon(), mf.monitorRollouts(),
                pb.env().maxEpisodeSteps() > 0 ? mf.episodeReturns() : 0, mf.rolloutBlock());
        try (MetricsCsv metrics = metrics(run, MonteCarloMeanFieldTrainer.COLUMNS, checkpoints);
             ParticleEngine particles = engine.particles(lineage, cfg.checkpointEvery())) {
            // A finite problem gets its policy.json, as in exact mode.
            Double[] last = MonteCarloMeanFieldTrainer.run(pb, mf, mc, cfg.seed(), cfg.iterations(), particles,
                    engine.rollouts(), metrics::write, progress::tick, run.particles(), checkpoints,
                    pi -> run.writePolicy(TabularPolicy.toJson(pi)));
            ObjectNode fin = m.putObject("final");
            for (int c = 0; c < MonteCarloMeanFieldTrainer.COLUMNS.size(); c++) {
                if (last[c] != null) {
                    fin.put(MonteCarloMeanFieldTrainer.COLUMNS.get(c), last[c]);
                }
            }
            fin.put("secondsPerIteration", cfg.iterations() > 0 ? last[1] / cfg.iterations() : 0.0);
            return last;
        } finally {
            org.pgflow.io.AtomicFiles.deleteTree(lineage);
        }
    }

    /**
     * The variance-adjusted run. Returns, for the caller's summary of a mean-field run (value and gap in the
     * positions of {@link MeanFieldTrainer#COLUMNS}), a row whose {@code value} is the final exact η and whose gap
     * is empty; metrics.csv and run.json hold the real columns ({@link EpisodicMeanFieldTrainer#COLUMNS}).
     */
    private static Double[] runEpisodic(RunConfig cfg, Problem pb, Engine engine, RunDirectory run, Progress progress,
                                        Checkpoints checkpoints) {
        Path lineage = run.path().resolve(".lineage");
        ObjectNode m = run.manifest();
        Ssp ssp = pb.episodic();
        m.put("problem", ssp != null ? ssp.name() : "portfolio");
        if (ssp != null) {
            m.put("states", ssp.numStates());
        }
        m.put("actions", ssp != null ? ssp.numActions() : pb.points().numActions());
        m.put("objective", "variance");
        RunConfig.VarianceSpec v = cfg.variance();
        EpisodicMeanFieldTrainer.Settings settings = new EpisodicMeanFieldTrainer.Settings(v.lambda(),
                cfg.meanfield().evaluation() == Evaluation.MONTECARLO, v.episodes(), v.blockSize(), v.maxSteps(),
                Math.max(2, v.evalEpisodes()));
        try (MetricsCsv metrics = metrics(run, EpisodicMeanFieldTrainer.COLUMNS, checkpoints);
             ParticleEngine particles = engine.particles(lineage, cfg.checkpointEvery())) {
            EpisodicMeanFieldTrainer.Result r = ssp != null ? EpisodicMeanFieldTrainer.run(ssp, cfg.meanfield(), settings,
                    cfg.seed(), cfg.iterations(), particles, engine.episodes(), metrics::write, progress::tick,
                    run.particles(), checkpoints) : EpisodicMeanFieldTrainer.runPoints(pb.points(), pb.points(),
                    cfg.meanfield(), settings, cfg.seed(), cfg.iterations(), particles, engine.episodes(),
                    metrics::write, progress::tick, run.particles(), checkpoints);
            if (r.policy() != null) {
                run.writePolicy(TabularPolicy.toJson(r.policy()));
            }
            ObjectNode fin = m.putObject("final");
            for (int c = 0; c < EpisodicMeanFieldTrainer.COLUMNS.size(); c++) {
                if (r.lastRow()[c] != null) {
                    fin.put(EpisodicMeanFieldTrainer.COLUMNS.get(c), r.lastRow()[c]);
                }
            }
            fin.put("secondsPerIteration", cfg.iterations() > 0 ? r.lastRow()[1] / cfg.iterations() : 0.0);
            Double[] summary = new Double[MeanFieldTrainer.COLUMNS.size()];
            summary[MeanFieldTrainer.COLUMNS.indexOf("value")] = r.lastRow()[EpisodicMeanFieldTrainer.COLUMNS.indexOf(
                    ssp != null ? "exact_eta" : "eta")];
            return summary;
        } finally {
            org.pgflow.io.AtomicFiles.deleteTree(lineage);
        }
    }

    private static MeanFieldTrainer.Result runExact(RunConfig cfg, FiniteMdp mdp, Engine engine, RunDirectory run,
                                                    Progress progress, Checkpoints checkpoints) {
        Path lineage = run.path().resolve(".lineage");
        ObjectNode m = run.manifest();
        m.put("problem", mdp.name());
        m.put("states", mdp.numStates());
        m.put("actions", mdp.numActions());
        try (MetricsCsv metrics = metrics(run, MeanFieldTrainer.COLUMNS, checkpoints);
             ParticleEngine particles = engine.particles(lineage, cfg.checkpointEvery())) {
            MeanFieldTrainer.Result r = MeanFieldTrainer.run(mdp, cfg.meanfield(), cfg.seed(), cfg.iterations(), particles,
                    metrics::write, progress::tick, run.particles(), checkpoints);
            run.writePolicy(TabularPolicy.toJson(r.policy()));
            ObjectNode fin = m.putObject("final");
            for (int c = 0; c < MeanFieldTrainer.COLUMNS.size(); c++) {
                Double v = r.lastRow()[c];
                if (v != null) {
                    fin.put(MeanFieldTrainer.COLUMNS.get(c), v);
                }
            }
            m.put("softOptimalValue", r.optimum().valueAtInitial());
            Double seconds = r.lastRow()[MeanFieldTrainer.COLUMNS.indexOf("time_s")];
            fin.put("secondsPerIteration", cfg.iterations() > 0 ? seconds / cfg.iterations() : 0.0);
            if (cfg.meanfield().coupled()) {
                metrics.flush();
                // From the whole metrics.csv: a resumed run wrote only its own rows in this process.
                java.util.Map<String, double[]> cols;
                try {
                    cols = org.pgflow.io.RunReport.readMetrics(run.path().resolve("metrics.csv"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                double[] w2 = cols.get("w2_coupled");
                double[] t = cols.get("iteration").clone();
                for (int k = 0; k < t.length; k++) {
                    t[k] *= cfg.meanfield().dt();
                }
                Fits.Decay fit = Fits.decay(t, w2);
                if (fit != null && Double.isFinite(fit.rate())) {
                    fin.put("w2_rate", fit.rate());
                    fin.put("w2_rate_window_end", fit.windowEnd());
                    fin.put("w2_floor", fit.floor());
                }
            }
            return r;
        } finally {
            org.pgflow.io.AtomicFiles.deleteTree(lineage);
        }
    }
}
