package org.pgflow.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pgflow.util.InvalidInputException;

/**
 * A validated experiment configuration (docs/architecture.md §7.1), one record per concern. Built only through
 * {@link #from(ConfigTree, Path)}, which reads every known key with its range, rejects unknown keys and keeps
 * the resolved tree (defaults included) for the run directory.
 *
 * @param name            run name (default: the config file's base name)
 * @param algorithm       {@code meanfield} or {@code variance}
 * @param seed            master seed
 * @param iterations      number of iterations K ≥ 0
 * @param checkpointEvery lineage truncation / checkpoint period in iterations
 * @param environment     the problem
 * @param meanfield       mean-field parameters
 * @param variance        actor–critic parameters
 * @param tabular         tabular-baseline parameters ({@code algorithm: tabular}), else null
 * @param spark           Spark parameters
 * @param execution       engine choice and threads
 * @param resolved        effective values of every key
 */
public record RunConfig(String name, String algorithm, long seed, long iterations, long checkpointEvery,
                        EnvironmentSpec environment, MeanFieldSpec meanfield, VarianceSpec variance, TabularSpec tabular,
                        SparkSpec spark, ExecutionSpec execution, ObjectNode resolved) {

    /** Environment types of docs/architecture.md §7.1. */
    public static final List<String> ENVIRONMENT_TYPES = List.of("finite", "ssp", "chain", "risky-chain", "portfolio",
            "bounded-oracle", "lq", "pendulum", "cartpole", "mountaincar-continuous", "random-finite", "random-ssp");

    /**
     * The problem.
     *
     * @param type      one of {@link #ENVIRONMENT_TYPES}
     * @param file      model file for {@code finite}/{@code ssp} (absolute), else null
     * @param states    S for random instances
     * @param actions   A for random instances
     * @param branching successors per (s,a) for random instances
     * @param gamma     discount for random instances
     * @param instance  instance index for random instances
     * @param terminalMin minimum termination probability per step ({@code random-ssp})
     * @param stages    decision stages L ({@code risky-chain})
     * @param winProbability p ({@code risky-chain})
     * @param winReward R_win ({@code risky-chain})
     * @param portfolio parameters of the portfolio domain ({@code portfolio}), else null
     * @param gridSize  action grid size J of simulated continuous-action environments
     * @param lq        parameters of the scalar LQ problem ({@code lq}), else null
     */
    public record EnvironmentSpec(String type, Path file, int states, int actions, int branching, double gamma, long instance,
                                  double terminalMin, int stages, double winProbability, double winReward,
                                  org.pgflow.mdp.Portfolio.Parameters portfolio, int gridSize, LqSpec lq) {
    }

    /**
     * The scalar entropy-regularised LQ problem of docs/algorithms.md §3.1 (defaults: T4) as a simulator: dynamics
     * {@code s' = a s + b u + ξ}, {@code ξ ∼ N(0, noise)}, reward {@code −(q s² + r u²)}, reference measure
     * {@code N(0, sigmaMu²)} on a Gauss–Hermite action grid, {@code ρ = N(initialMean, initialVar)}, embedding
     * scales for the bounded input.
     */
    public record LqSpec(double a, double b, double q, double r, double noise, double sigmaMu, double initialMean,
                         double initialVar, double stateScale, double actionScale) {
    }

    /**
     * Mean-field policy-gradient parameters (docs/algorithms.md §2).
     *
     * @param particles        N
     * @param units            K
     * @param outputScale      α
     * @param tau              τ
     * @param sigma            σ
     * @param dt               Δt
     * @param lambdaU          λ_U
     * @param evaluation       {@code exact} or {@code montecarlo}
     * @param coupled          simulate a synchronously coupled second cloud
     * @param coupledInitScale its initial standard deviation multiplier
     * @param blockSize        particles per block
     * @param snapshotEvery    Parquet snapshot period (0 = only at the end)
     * @param knnEvery         period of the kNN KL estimate (0 = never)
     * @param knnSample        kNN subsample size
     * @param knnK             kNN neighbour order
     * @param summaryParticles Monte Carlo mode: particles broadcast to rollout tasks (a seeded subsample when N is larger)
     * @param rolloutStates    Monte Carlo mode: M_s states sampled from d_ρ^π per iteration
     * @param rolloutHorizon   Monte Carlo mode: 0 = unbiased geometric-horizon Q̂, else truncation H
     * @param monitorRollouts  Monte Carlo mode: V̂(ρ) samples per iteration
     * @param episodeReturns   Monte Carlo mode: environment episode returns per iteration (time-limited environments)
     * @param rolloutBlock     Monte Carlo mode: rollout ids per block
     * @param activationCacheMB budget (MiB, whole cloud) for keeping the activations of the summary pass for the
     *                         drift pass; 0 disables it; {@link #AUTO_ACTIVATION_CACHE} (the default: omit the key)
     *                         lets the kernels decide; affects time and memory, never results
     * @param tauSchedule      {@code τ_t} of simulated time {@code t = kΔt} (docs/algorithms.md §2.12); {@code tau} is its start
     * @param sigmaSchedule    {@code σ_t}; {@code sigma} is its start
     * @param objective        {@code value} (the discounted entropy-regularised value, docs/algorithms.md §2.3) or {@code variance}
     *                         (the variance-adjusted episodic objective {@code η = J − λ Var}, docs/algorithms.md §2.14; SSPs)
     */
    public record MeanFieldSpec(long particles, int units, double outputScale, double tau, double sigma, double dt,
                                double lambdaU, String evaluation, boolean coupled, double coupledInitScale, int blockSize,
                                long snapshotEvery, long knnEvery, int knnSample, int knnK, int summaryParticles,
                                int rolloutStates, int rolloutHorizon, int monitorRollouts, int episodeReturns,
                                int rolloutBlock, long activationCacheMB, Schedule tauSchedule, Schedule sigmaSchedule,
                                String objective) {
        /** @return {@code τ_k = τ(kΔt)} */
        public double tauAt(long k) {
            return tauSchedule.at(k, dt);
        }

        /** @return {@code σ_k = σ(kΔt)} */
        public double sigmaAt(long k) {
            return sigmaSchedule.at(k, dt);
        }

        /**
         * {@code meanfield.activationCacheMB = -1} (the default): {@link #AUTO_ACTIVATION_CACHE_MB} MiB when the
         * kernels in use gain from the memo, 0 when they do not.
         */
        public static final long AUTO_ACTIVATION_CACHE = -1;

        /** The budget {@code auto} gives kernels that gain from the memo: 10⁶ particles on a 10×10 MDP, K = 1. */
        public static final long AUTO_ACTIVATION_CACHE_MB = 1024;
    }

    /**
     * Variance-adjusted actor–critic parameters (docs/algorithms.md §4.7–4.8).
     *
     * @param lambda         variance penalty λ
     * @param episodes       episodes per iteration E (the actor batch of variant B)
     * @param critic         {@code incremental} (variant A), {@code least-squares} (variant B), {@code exact}
     *                       (the projections of §4.6; finite SSPs, for checks), {@code td0} (TD(0) critic of §4.9 on
     *                       the critic schedule α_k) or {@code lstd} (LSTD(λ) of §4.9 on the critic batch); td0 and
     *                       lstd need {@code criticStateFeatures: true}
     * @param criticEpisodes critic batch of variant B
     * @param blockSize      episodes per block (fixed, so results do not depend on the partitioning)
     * @param alpha0         critic step α_0 of {@code α_k = α_0 (1 + k/k_0)^{−a}}
     * @param beta0          actor step β_0 of {@code β_k = β_0 (1 + k/k_0)^{−b}}
     * @param k0             k_0
     * @param alphaExponent  a
     * @param betaExponent   b (b &gt; a: the actor is the slow time-scale)
     * @param thetaBound     half-width of the box θ is projected onto
     * @param ridge          relative ridge of the least-squares critic
     * @param maxSteps       episode length above which the run stops (an improper policy)
     * @param evalEpisodes   episodes of the final Monte Carlo evaluation of the learned policy
     * @param criticStateFeatures add the environment's state features to the critic features ∇ln π
     * @param lstdLambda     trace decay λ ∈ [0, 1] of the lstd critic (default 0: the TD fixed point of §4.9; λ = 1
     *                       reproduces least-squares); ignored by the other critics
     */
    public record VarianceSpec(double lambda, long episodes, String critic, long criticEpisodes, int blockSize,
                               double alpha0, double beta0, double k0, double alphaExponent, double betaExponent,
                               double thetaBound, double ridge, int maxSteps, long evalEpisodes,
                               boolean criticStateFeatures, double lstdLambda) {
    }

    /**
     * Tabular baselines on a finite MDP with exact evaluation (docs/algorithms.md §2.13, {@code algorithm: tabular}).
     *
     * @param update   {@code pg} (softmax policy gradient {@code θ ← θ + ηW}) or {@code npg} (entropy-regularised
     *                 natural policy gradient)
     * @param stepSize η
     * @param tau      {@code τ_k} over the iteration count k (the schedule's clock is {@code t = k})
     */
    public record TabularSpec(String update, double stepSize, Schedule tau) {
    }

    /**
     * Where the run executes.
     *
     * @param engine  {@code engine}: auto (in-JVM on an embedded master, Spark on a cluster), local or spark
     * @param threads {@code threads}: worker threads of the in-JVM engine, {@link SparkSpec#AUTO} for one per
     *                core (or the N of a {@code local[N]} master)
     */
    public record ExecutionSpec(EngineKind engine, int threads) {
    }

    /**
     * Spark parameters.
     *
     * @param master     Spark master URL (the CLI's {@code --master} wins)
     * @param partitions number of RDD partitions, or {@link #AUTO} for the session's default parallelism (the
     *                   cores of {@code local[*]}, all executor cores on a cluster): one task per core, one wave
     */
    public record SparkSpec(String master, int partitions) {
        /** {@code spark.partitions: auto}. */
        public static final int AUTO = 0;
    }

    /**
     * Reads and validates a configuration.
     *
     * @param t       the tree (with overrides applied)
     * @param home    directory against which relative model paths are also tried (the project root), or null
     * @return the configuration
     * @throws InvalidInputException naming the key and the accepted range on the first problem, or listing unknown keys
     */
    public static RunConfig from(ConfigTree t, Path home) {
        String name = org.pgflow.util.Checks.plainName("name", t.getString("name", "run"));
        String algorithm = t.getChoice("algorithm", null, List.of("meanfield", "variance", "tabular"));
        long seed = t.getLong("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        long iterations = t.getLong("iterations", 1000, 0, 1_000_000_000L);
        long checkpointEvery = t.getLong("checkpointEvery", 100, 1, 1_000_000_000L);

        String type = t.getChoice("environment.type", null, ENVIRONMENT_TYPES);
        Path file = null;
        if (type.equals("finite") || type.equals("ssp")) {
            String f = t.getString("environment.file", null);
            if (f == null) {
                throw new InvalidInputException("environment.file is required for environment.type " + type);
            }
            file = resolveFile(f, home);
            // Record the absolute path, so that run.json's config can be re-read from anywhere (reports).
            t.record("environment.file", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(file.toString()));
        } else {
            t.getString("environment.file", null);
        }
        int states = 0;
        int actions = 0;
        int branching = 0;
        double gamma = 0;
        long instance = 0;
        double terminalMin = 0;
        if (type.equals("random-finite") || type.equals("random-ssp")) { // generator parameters
            states = t.getInt("environment.states", 10, 1, 100_000);
            actions = t.getInt("environment.actions", type.equals("random-ssp") ? 2 : 10, 1, 10_000);
            branching = t.getInt("environment.branching", Math.min(states, 3), 1, states);
            instance = t.getLong("environment.instance", 0, 0, Long.MAX_VALUE);
        }
        if (type.equals("random-finite")) {
            gamma = t.getDouble("environment.gamma", 0.9, 0.0, 1.0);
            org.pgflow.util.Checks.inHalfOpen("environment.gamma", gamma, 0.0, 1.0);
        }
        if (type.equals("random-ssp")) {
            terminalMin = t.getDouble("environment.terminalMin", 0.1, 1e-6, 0.7);
        }
        int stages = 0;
        double winProbability = 0;
        double winReward = 0;
        if (type.equals("risky-chain")) {
            stages = t.getInt("environment.stages", 3, 1, 100_000);
            winProbability = t.getDouble("environment.winProbability", 0.5, 0.0, 1.0);
            winReward = t.getDouble("environment.winReward", 2.4, -1e9, 1e9);
        }
        org.pgflow.mdp.Portfolio.Parameters portfolio = null;
        if (type.equals("portfolio")) {
            org.pgflow.mdp.Portfolio.Parameters d = org.pgflow.mdp.Portfolio.Parameters.balanced();
            portfolio = new org.pgflow.mdp.Portfolio.Parameters(
                    t.getInt("environment.horizon", d.horizon(), 1, 100_000),
                    t.getInt("environment.maturity", d.maturity(), 1, 100_000),
                    t.getPositive("environment.liquidRate", d.liquidRate(), 1e3),
                    t.getPositive("environment.lowRate", d.lowRate(), 1e3),
                    t.getPositive("environment.highRate", d.highRate(), 1e3),
                    t.getDouble("environment.switchProbability", d.switchProbability(), 0, 1),
                    t.getDouble("environment.riskProbability", d.riskProbability(), 0, 1),
                    t.getDouble("environment.investFraction", d.investFraction(), 0, 0.999));
        }
        int gridSize = 0;
        LqSpec lq = null;
        if (List.of("bounded-oracle", "lq", "pendulum", "cartpole", "mountaincar-continuous").contains(type)) {
            double defaultGamma = switch (type) {
                case "pendulum", "cartpole" -> 0.95;
                case "mountaincar-continuous" -> 0.99;
                default -> 0.9;
            };
            gamma = t.getDouble("environment.gamma", defaultGamma, 0.0, 1.0);
            org.pgflow.util.Checks.inHalfOpen("environment.gamma", gamma, 0.0, 1.0);
            if (!type.equals("cartpole")) { // CartPole's actions are Gymnasium's two discrete pushes
                gridSize = t.getInt("environment.gridSize", type.equals("bounded-oracle") ? 15 : 9, 2, 1000);
            }
        }
        if (type.equals("lq")) {
            lq = new LqSpec(t.getDouble("environment.a", 0.9, -1e3, 1e3), t.getDouble("environment.b", 0.5, -1e3, 1e3),
                    t.getDouble("environment.q", 1.0, 0, 1e6), t.getDouble("environment.r", 0.1, 0, 1e6),
                    t.getDouble("environment.noise", 0.01, 0, 1e6), t.getPositive("environment.sigmaMu", 1.0, 1e6),
                    t.getDouble("environment.initialMean", 1.0, -1e6, 1e6),
                    t.getDouble("environment.initialVar", 0.25, 0, 1e6),
                    t.getPositive("environment.stateScale", 3.0, 1e6), t.getPositive("environment.actionScale", 3.0, 1e6));
        }
        EnvironmentSpec env = new EnvironmentSpec(type, file, states, actions, branching, gamma, instance, terminalMin,
                stages, winProbability, winReward, portfolio, gridSize, lq);

        long particles = t.getLong("meanfield.particles", 400, 1, 1L << 34);
        int units = t.getInt("meanfield.units", 1, 1, 64);
        double alpha = t.getPositive("meanfield.outputScale", 4.0, 1e6);
        // A number or an annealing schedule (docs/algorithms.md §2.12); the plain tau/sigma are the schedules' start values.
        Schedule tauSchedule = schedule(t, "meanfield.tau", 0.5, 0.0, 1e6);
        Schedule sigmaSchedule = schedule(t, "meanfield.sigma", 0.3, 0.0, 1e3);
        double tau = tauSchedule.value(0);
        double sigma = sigmaSchedule.value(0);
        double dt = t.getPositive("meanfield.dt", 0.05, Double.MAX_VALUE);
        double lambdaU = t.getPositive("meanfield.lambdaU", 1.0, 1e6);
        double sigmaMax = sigmaSchedule.max();
        if (!(dt * 0.5 * sigmaMax * sigmaMax * lambdaU < 1)) {
            throw new InvalidInputException("meanfield.dt = " + dt + " is too large: the Langevin step needs "
                    + "dt·(sigma²/2)·lambdaU < 1" + (sigmaSchedule.isConstant() ? "" : " for the largest sigma of the "
                    + "schedule (" + sigmaMax + ")") + " but it is " + dt * 0.5 * sigmaMax * sigmaMax * lambdaU);
        }
        // Read where it can apply (or is given), so resolved configs of discounted runs keep their keys.
        boolean episodic = List.of("ssp", "risky-chain", "random-ssp", "portfolio").contains(type);
        String objective = episodic || t.has("meanfield.objective")
                ? t.getChoice("meanfield.objective", "value", List.of("value", "variance")) : "value";
        String evaluation = t.getChoice("meanfield.evaluation", "exact", List.of("exact", "montecarlo"));
        boolean coupled = t.getBoolean("meanfield.coupled", false);
        double coupledInitScale = t.getPositive("meanfield.coupledInitScale", 3.0, 1e3);
        int blockSize = t.getInt("meanfield.blockSize", 4096, 1, 1 << 22);
        long snapshotEvery = t.getLong("meanfield.snapshotEvery", 0, 0, 1_000_000_000L);
        long knnEvery = t.getLong("meanfield.knnEvery", 10, 0, 1_000_000_000L);
        int knnSample = t.getInt("meanfield.knnSample", 1000, 2, 100_000);
        int knnK = t.getInt("meanfield.knnK", 5, 1, 100);
        long activationCacheMB = t.getLong("meanfield.activationCacheMB", MeanFieldSpec.AUTO_ACTIVATION_CACHE, -1,
                1L << 30);
        if (knnK >= Math.min(knnSample, particles)) {
            if (knnEvery > 0) {
                throw new InvalidInputException("meanfield.knnK = " + knnK + " must be smaller than the kNN subsample "
                        + Math.min(knnSample, particles) + " (min of meanfield.knnSample and meanfield.particles); "
                        + "set meanfield.knnEvery: 0 to disable the kNN estimate");
            }
        }
        boolean monteCarlo = evaluation.equals("montecarlo");
        int summaryParticles = monteCarlo ? t.getInt("meanfield.summaryParticles", 1000, 1, 10_000_000) : 0;
        int rolloutStates = monteCarlo ? t.getInt("meanfield.rolloutStates", 200, 1, 100_000_000) : 0;
        int rolloutHorizon = monteCarlo ? t.getInt("meanfield.rolloutHorizon", 0, 0, 1_000_000) : 0;
        int monitorRollouts = monteCarlo ? t.getInt("meanfield.monitorRollouts", 200, 2, 100_000_000) : 0;
        int episodeReturns = monteCarlo ? t.getInt("meanfield.episodeReturns", 10, 0, 1_000_000) : 0;
        int rolloutBlock = monteCarlo ? t.getInt("meanfield.rolloutBlock", 16, 1, 1_000_000) : 0;
        if (monteCarlo && coupled) {
            throw new InvalidInputException("meanfield.coupled: true needs meanfield.evaluation: exact (the coupled "
                    + "cloud would need its own Monte Carlo evaluation)");
        }
        MeanFieldSpec mf = new MeanFieldSpec(particles, units, alpha, tau, sigma, dt, lambdaU, evaluation, coupled,
                coupledInitScale, blockSize, snapshotEvery, knnEvery, knnSample, knnK, summaryParticles, rolloutStates,
                rolloutHorizon, monitorRollouts, episodeReturns, rolloutBlock, activationCacheMB, tauSchedule,
                sigmaSchedule, objective);

        double lambda = t.getDouble("variance.lambda", 0.0, 0.0, 1e6);
        long episodes = t.getLong("variance.episodes", 1000, 1, Integer.MAX_VALUE);
        String critic = t.getChoice("variance.critic", "incremental",
                List.of("incremental", "least-squares", "exact", "td0", "lstd"));
        long criticEpisodes = t.getLong("variance.criticEpisodes", episodes, 1, Integer.MAX_VALUE);
        int episodeBlock = t.getInt("variance.blockSize", 64, 1, 1 << 20);
        double alpha0 = t.getPositive("variance.alpha0", 0.5, 1e6);
        double beta0 = t.getPositive("variance.beta0", 1.0, 1e6);
        double k0 = t.getPositive("variance.k0", 200, 1e12);
        double alphaExponent = t.getDouble("variance.alphaExponent", 0.6, 0.0, 1.0);
        double betaExponent = t.getDouble("variance.betaExponent", 0.9, 0.0, 1.0);
        double thetaBound = t.getPositive("variance.thetaBound", 20, 1e12);
        double ridge = t.getDouble("variance.ridge", 1e-8, 0.0, 1.0);
        int maxSteps = t.getInt("variance.maxSteps", 100_000, 1, Integer.MAX_VALUE);
        long evalEpisodes = t.getLong("variance.evalEpisodes", 20_000, 0, Integer.MAX_VALUE);
        boolean criticStateFeatures = t.getBoolean("variance.criticStateFeatures", true);
        if ((critic.equals("td0") || critic.equals("lstd")) && !criticStateFeatures) {
            throw new InvalidInputException("variance.critic: " + critic + " needs variance.criticStateFeatures: true "
                    + "(TD and LSTD bootstrap from state values, which the compatible features ∇ln π alone cannot "
                    + "represent; docs/algorithms.md §4.9)");
        }
        // Read for every critic (like criticEpisodes and ridge), so that a study grid over variance.critic can fix it.
        double lstdLambda = t.getDouble("variance.lstdLambda", 0.0, 0.0, 1.0);
        VarianceSpec var = new VarianceSpec(lambda, episodes, critic, criticEpisodes, episodeBlock, alpha0, beta0, k0,
                alphaExponent, betaExponent, thetaBound, ridge, maxSteps, evalEpisodes, criticStateFeatures, lstdLambda);

        TabularSpec tabular = null;
        if (algorithm.equals("tabular")) {
            String update = t.getChoice("tabular.update", "pg", List.of("pg", "softmax-pg", "npg"));
            update = update.equals("softmax-pg") ? "pg" : update;
            double stepSize = t.getPositive("tabular.stepSize", update.equals("npg") ? 0.1 : 1.0, 1e12);
            tabular = new TabularSpec(update, stepSize, schedule(t, "tabular.tau", 0.5, 0.0, 1e6));
        }

        String master = checkMaster("spark.master", t.getString("spark.master", "local[*]"));
        int partitions = t.getIntOrAuto("spark.partitions", 1, 100_000);
        SparkSpec spark = new SparkSpec(master, partitions);
        EngineKind engine = EngineKind.of(t.getChoice("engine", "auto", List.of("auto", "local", "spark")));
        int threads = t.getIntOrAuto("threads", 1, 4096);
        t.rejectUnknown();
        return new RunConfig(name, algorithm, seed, iterations, checkpointEvery, env, mf, var, tabular, spark,
                new ExecutionSpec(engine, threads), t.resolved());
    }

    /**
     * A number (read, validated and recorded exactly like any other number key) or a schedule mapping
     * ({@link Schedule#read}).
     */
    private static Schedule schedule(ConfigTree t, String path, double def, double lo, double hi) {
        com.fasterxml.jackson.databind.JsonNode n = t.node(path);
        if (n == null || !n.isObject()) {
            return Schedule.constant(t.getDouble(path, def, lo, hi));
        }
        return Schedule.read(t, path, def, lo, hi);
    }

    private static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
            "local|local\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?]|local-cluster\\[[1-9][0-9]*,[1-9][0-9]*,[1-9][0-9]*]|yarn"
                    + "|[A-Za-z][A-Za-z0-9+.-]*://\\S+");

    /**
     * Checks the form of a Spark master URL, so that a typo fails before a session is started.
     *
     * @param field what the value is, for the message ({@code spark.master}, {@code --master})
     * @param url   {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]},
     *              {@code local-cluster[N,C,M]}, {@code yarn} or {@code SCHEME://...} ({@code spark://host:7077},
     *              {@code k8s://...})
     * @return the URL
     * @throws InvalidInputException naming the field and the value otherwise
     */
    public static String checkMaster(String field, String url) {
        if (!MASTER.matcher(url).matches()) {
            throw new InvalidInputException(field + " must be a Spark master URL (local, local[N], local[*], "
                    + "local-cluster[N,C,M], yarn or spark://HOST:PORT) but was '" + url + "'");
        }
        return url;
    }

    /** A relative model path is tried against the working directory, then against {@code home}. */
    private static Path resolveFile(String f, Path home) {
        Path p = Path.of(f);
        if (p.isAbsolute() || Files.exists(p) || home == null) {
            return p.toAbsolutePath();
        }
        Path h = home.resolve(p);
        return Files.exists(h) ? h.toAbsolutePath() : p.toAbsolutePath();
    }
}
