package org.pgflow.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.pgflow.config.RunConfig;
import org.pgflow.io.MetricsCsv;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.Ssp;
import org.pgflow.train.EpisodicMeanFieldTrainer;
import org.pgflow.estimate.BoundedOracleSolution;
import org.pgflow.estimate.ExactSolver;
import org.pgflow.mdp.FiniteMdpSimulator;
import org.pgflow.mdp.SimEnvironment;
import org.pgflow.mdp.env.BoundedOracle;
import org.pgflow.mdp.env.CartPole;
import org.pgflow.mdp.env.LinearQuadratic;
import org.pgflow.mdp.env.MountainCarContinuous;
import org.pgflow.mdp.env.Pendulum;
import org.pgflow.train.Checkpoints;
import org.pgflow.train.MonteCarloMeanFieldTrainer;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.stats.Fits;
import org.pgflow.train.MeanFieldTrainer;
import org.pgflow.train.ParticleEngine;
import org.pgflow.util.InvalidInputException;

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
     * @throws InvalidInputException for unsupported combinations or invalid model files
     */
    public static Problem problem(RunConfig cfg) {
        RunConfig.EnvironmentSpec env = cfg.environment();
        if (cfg.algorithm().equals("tabular")) {
            TabularJob.Problem t = TabularJob.problem(cfg);
            return new Problem(t.mdp(), null, t, null);
        }
        boolean episodicEnv = java.util.List.of("ssp", "risky-chain", "random-ssp", "portfolio").contains(env.type());
        if (cfg.meanfield().objective().equals("variance") && env.type().equals("portfolio")) {
            return new Problem(null, null, null, null, EpisodicMeanFieldTrainer.pointProblem(env.portfolio(),
                    cfg.meanfield().evaluation().equals("montecarlo"), cfg.meanfield().coupled()));
        }
        if (cfg.meanfield().objective().equals("variance")) {
            return new Problem(null, null, null, episodicProblem(cfg));
        }
        if (episodicEnv) {
            throw new InvalidInputException("environment.type '" + env.type() + "' is an episodic problem: use "
                    + "meanfield.objective: variance (the variance-adjusted objective J - lambda Var; lambda = "
                    + "variance.lambda, 0 for the plain expected return)");
        }
        boolean exact = cfg.meanfield().evaluation().equals("exact");
        FiniteMdp mdp = switch (env.type()) {
            case "finite" -> ModelFiles.loadMdp(env.file());
            case "random-finite" -> RandomInstances.garnetMdp(cfg.seed(), env.instance(), env.states(), env.actions(),
                    env.branching(), env.gamma());
            default -> null;
        };
        if (exact) {
            if (mdp == null) {
                throw new InvalidInputException("environment.type '" + env.type() + "' has no exact evaluation: use "
                        + "meanfield.evaluation: montecarlo, or a finite / random-finite environment");
            }
            return new Problem(mdp, null);
        }
        double tau = cfg.meanfield().tau();
        SimEnvironment sim;
        double optimum = Double.NaN;
        switch (env.type()) {
            case "finite", "random-finite" -> {
                sim = FiniteMdpSimulator.of(mdp);
                optimum = ExactSolver.softValueIteration(mdp, tau).valueAtInitial();
            }
            case "bounded-oracle" -> {
                sim = BoundedOracle.of(env.gridSize(), env.gamma());
                if (tau > 0) { // the soft optimum of the grid problem (μ replaced by its quadrature, docs/algorithms.md §2.7b)
                    optimum = BoundedOracleSolution.of(env.gamma(), tau, env.gridSize()).optimalValueAtInitial();
                }
            }
            case "lq" -> {
                RunConfig.LqSpec q = env.lq();
                sim = LinearQuadratic.scalar(q.a(), q.b(), q.q(), q.r(), q.noise(), env.gamma(), q.sigmaMu(),
                        q.initialMean(), q.initialVar(), env.gridSize(), q.stateScale(), q.actionScale());
            }
            case "pendulum" -> sim = Pendulum.of(env.gridSize(), env.gamma());
            case "cartpole" -> sim = CartPole.of(env.gamma());
            case "mountaincar-continuous" -> sim = MountainCarContinuous.of(env.gridSize(), env.gamma());
            default -> throw new InvalidInputException("environment.type '" + env.type()
                    + "' is not available for algorithm meanfield; use finite, random-finite, bounded-oracle, lq, "
                    + "pendulum, cartpole or mountaincar-continuous");
        }
        return new Problem(mdp, new MonteCarloMeanFieldTrainer.Problem(sim, mdp, optimum));
    }

    /** The finite SSP of a variance-adjusted mean-field config. */
    private static Ssp episodicProblem(RunConfig cfg) {
        RunConfig.EnvironmentSpec env = cfg.environment();
        Ssp ssp = switch (env.type()) {
            case "ssp" -> ModelFiles.loadSsp(env.file());
            case "risky-chain" -> RiskyChain.of(env.stages(), env.winProbability(), env.winReward());
            case "random-ssp" -> RandomInstances.garnetSsp(cfg.seed(), env.instance(), env.states(), env.actions(),
                    env.branching(), env.terminalMin());
            default -> throw new InvalidInputException("meanfield.objective: variance needs an episodic environment "
                    + "(ssp, risky-chain, random-ssp, portfolio) but environment.type is '" + env.type() + "'");
        };
        if (cfg.meanfield().coupled()) {
            throw new InvalidInputException("meanfield.coupled: true is not available with meanfield.objective: variance");
        }
        return ssp;
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
                cfg.meanfield().evaluation().equals("montecarlo"), v.episodes(), v.blockSize(), v.maxSteps(),
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
