package org.pgflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * A validated experiment configuration (docs/architecture.md §7.1), one record per concern. Every record checks
 * its fields on construction (messages name the key, the value and the accepted range), and this one the rules
 * between sections (which environments an algorithm takes, and the like), so that a {@code RunConfig} cannot be
 * invalid. {@link #from(ConfigTree, Path)} reads every known key with its range, rejects unknown keys and keeps
 * the resolved tree (defaults included) for the run directory.
 *
 * @param name            run name (default: the config file's base name)
 * @param algorithm       what the run learns with
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
public record RunConfig(String name, Algorithm algorithm, long seed, long iterations, long checkpointEvery,
                        EnvironmentSpec environment, MeanFieldSpec meanfield, VarianceSpec variance, TabularSpec tabular,
                        SparkSpec spark, ExecutionSpec execution, ObjectNode resolved) {
    private static final Range ITERATIONS = Range.integer("iterations", 0, 1_000_000_000L);
    private static final Range CHECKPOINT_EVERY = Range.integer("checkpointEvery", 1, 1_000_000_000L);

    /** Validates every field and the rules between sections. */
    public RunConfig {
        Checks.plainName("name", name);
        Objects.requireNonNull(algorithm, "algorithm");
        ITERATIONS.check(iterations);
        CHECKPOINT_EVERY.check(checkpointEvery);
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(meanfield, "meanfield");
        Objects.requireNonNull(variance, "variance");
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(resolved, "resolved");
        if ((tabular != null) != (algorithm == Algorithm.TABULAR)) {
            throw new InvalidInputException("the tabular section applies to algorithm: tabular only");
        }
        switch (algorithm) {
            case MEANFIELD -> Combinations.meanField(environment, meanfield);
            case TABULAR -> Combinations.tabular(environment);
            case VARIANCE -> Combinations.actorCritic(environment, variance);
        }
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
        String name = Checks.plainName("name", t.getString("name", "run"));
        Algorithm algorithm = Choice.read(t, "algorithm", null, Algorithm.class);
        long seed = t.getLong("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        long iterations = ITERATIONS.readLong(t, 1000);
        long checkpointEvery = CHECKPOINT_EVERY.readLong(t, 100);
        EnvironmentSpec env = EnvironmentSpec.read(t, home);
        MeanFieldSpec mf = MeanFieldSpec.read(t, env.episodic());
        VarianceSpec var = VarianceSpec.read(t);
        TabularSpec tabular = algorithm == Algorithm.TABULAR ? TabularSpec.read(t) : null;
        SparkSpec spark = SparkSpec.read(t);
        ExecutionSpec execution = ExecutionSpec.read(t);
        t.rejectUnknown();
        return new RunConfig(name, algorithm, seed, iterations, checkpointEvery, env, mf, var, tabular, spark,
                execution, t.resolved());
    }

    /**
     * A number (read, validated and recorded exactly like any other number key) or a schedule mapping
     * ({@link Schedule#read}).
     */
    static Schedule schedule(ConfigTree t, String path, double def, double lo, double hi) {
        JsonNode n = t.node(path);
        if (n == null || !n.isObject()) {
            return Schedule.constant(t.getDouble(path, def, lo, hi));
        }
        return Schedule.read(t, path, def, lo, hi);
    }

    /** @return {@code s}, checked to be given and to stay in {@code [0, hi]} at all times */
    static Schedule checkSchedule(String key, Schedule s, double hi) {
        Objects.requireNonNull(s, key);
        Range.closed(key, 0.0, hi).check(s.max());
        return s;
    }

    /**
     * Mean-field policy-gradient parameters (docs/algorithms.md §2).
     *
     * @param particles        N
     * @param units            K
     * @param outputScale      α
     * @param tauSchedule      {@code τ_t} of simulated time {@code t = kΔt} (docs/algorithms.md §2.12)
     * @param sigmaSchedule    {@code σ_t}
     * @param dt               Δt
     * @param lambdaU          λ_U
     * @param objective        the discounted value (docs/algorithms.md §2.3) or the variance-adjusted episodic
     *                         objective {@code η = J − λ Var} (docs/algorithms.md §2.14; SSPs)
     * @param evaluation       exact or Monte Carlo
     * @param coupled          simulate a synchronously coupled second cloud
     * @param coupledInitScale its initial standard deviation multiplier
     * @param blockSize        particles per block
     * @param snapshotEvery    Parquet snapshot period (0 = only at the end)
     * @param knn              the kNN KL estimate
     * @param activationCacheMB budget (MiB, whole cloud) for keeping the activations of the summary pass for the
     *                         drift pass; 0 disables it; {@link #AUTO_ACTIVATION_CACHE} (the default: omit the key)
     *                         lets the kernels decide; affects time and memory, never results
     * @param monteCarlo       the rollout settings of Monte Carlo mode, null in exact mode
     */
    public record MeanFieldSpec(long particles, int units, double outputScale, Schedule tauSchedule,
                                Schedule sigmaSchedule, double dt, double lambdaU, Objective objective,
                                Evaluation evaluation, boolean coupled, double coupledInitScale, int blockSize,
                                long snapshotEvery, Knn knn, long activationCacheMB, MonteCarlo monteCarlo) {
        /**
         * {@code meanfield.activationCacheMB = -1} (the default): {@link #AUTO_ACTIVATION_CACHE_MB} MiB when the
         * kernels in use gain from the memo, 0 when they do not.
         */
        public static final long AUTO_ACTIVATION_CACHE = -1;

        /** The budget {@code auto} gives kernels that gain from the memo: 10⁶ particles on a 10×10 MDP, K = 1. */
        public static final long AUTO_ACTIVATION_CACHE_MB = 1024;

        private static final Range PARTICLES = Range.integer("meanfield.particles", 1, 1L << 34);
        private static final Range UNITS = Range.integer("meanfield.units", 1, 64);
        private static final Range OUTPUT_SCALE = Range.positive("meanfield.outputScale", 1e6);
        private static final Range DT = Range.positive("meanfield.dt", Double.MAX_VALUE);
        private static final Range LAMBDA_U = Range.positive("meanfield.lambdaU", 1e6);
        private static final Range COUPLED_INIT_SCALE = Range.positive("meanfield.coupledInitScale", 1e3);
        private static final Range BLOCK_SIZE = Range.integer("meanfield.blockSize", 1, 1 << 22);
        private static final Range SNAPSHOT_EVERY = Range.integer("meanfield.snapshotEvery", 0, 1_000_000_000L);
        private static final Range ACTIVATION_CACHE = Range.integer("meanfield.activationCacheMB", -1, 1L << 30);
        private static final double TAU_MAX = 1e6;
        private static final double SIGMA_MAX = 1e3;

        /** Validates every field, the Langevin stability {@code Δt (σ_max²/2) λ_U < 1} and the kNN order. */
        public MeanFieldSpec {
            PARTICLES.check(particles);
            UNITS.check(units);
            OUTPUT_SCALE.check(outputScale);
            checkSchedule("meanfield.tau", tauSchedule, TAU_MAX);
            checkSchedule("meanfield.sigma", sigmaSchedule, SIGMA_MAX);
            DT.check(dt);
            LAMBDA_U.check(lambdaU);
            double sigmaMax = sigmaSchedule.max();
            if (!(dt * 0.5 * sigmaMax * sigmaMax * lambdaU < 1)) {
                throw new InvalidInputException("meanfield.dt = " + dt + " is too large: the Langevin step needs "
                        + "dt·(sigma²/2)·lambdaU < 1" + (sigmaSchedule.isConstant() ? "" : " for the largest sigma of "
                        + "the schedule (" + sigmaMax + ")") + " but it is " + dt * 0.5 * sigmaMax * sigmaMax * lambdaU);
            }
            Objects.requireNonNull(objective, "meanfield.objective");
            Objects.requireNonNull(evaluation, "meanfield.evaluation");
            COUPLED_INIT_SCALE.check(coupledInitScale);
            BLOCK_SIZE.check(blockSize);
            SNAPSHOT_EVERY.check(snapshotEvery);
            Objects.requireNonNull(knn, "knn");
            ACTIVATION_CACHE.check(activationCacheMB);
            if (knn.every() > 0 && knn.k() >= Math.min(knn.sample(), particles)) {
                throw new InvalidInputException("meanfield.knnK = " + knn.k() + " must be smaller than the kNN "
                        + "subsample " + Math.min(knn.sample(), particles) + " (min of meanfield.knnSample and "
                        + "meanfield.particles); set meanfield.knnEvery: 0 to disable the kNN estimate");
            }
            if ((monteCarlo != null) != (evaluation == Evaluation.MONTECARLO)) {
                throw new InvalidInputException("the Monte Carlo settings (meanfield.summaryParticles, ...) apply "
                        + "to meanfield.evaluation: montecarlo only");
            }
            if (monteCarlo != null && coupled) {
                throw new InvalidInputException("meanfield.coupled: true needs meanfield.evaluation: exact (the "
                        + "coupled cloud would need its own Monte Carlo evaluation)");
            }
        }

        /**
         * Reads the {@code meanfield} section. A number or an annealing schedule is accepted for tau and sigma
         * (docs/algorithms.md §2.12). {@code objective} is read where it can apply (or is given), so resolved
         * configs of discounted runs keep their keys.
         *
         * @param t        the tree
         * @param episodic whether the environment is episodic
         * @return the spec
         */
        static MeanFieldSpec read(ConfigTree t, boolean episodic) {
            long particles = PARTICLES.readLong(t, 400);
            int units = UNITS.readInt(t, 1);
            double alpha = OUTPUT_SCALE.read(t, 4.0);
            Schedule tau = schedule(t, "meanfield.tau", 0.5, 0.0, TAU_MAX);
            Schedule sigma = schedule(t, "meanfield.sigma", 0.3, 0.0, SIGMA_MAX);
            double dt = DT.read(t, 0.05);
            double lambdaU = LAMBDA_U.read(t, 1.0);
            Objective objective = episodic || t.has("meanfield.objective")
                    ? Choice.read(t, "meanfield.objective", Objective.VALUE, Objective.class) : Objective.VALUE;
            Evaluation evaluation = Choice.read(t, "meanfield.evaluation", Evaluation.EXACT, Evaluation.class);
            return new MeanFieldSpec(particles, units, alpha, tau, sigma, dt, lambdaU, objective, evaluation,
                    t.getBoolean("meanfield.coupled", false), COUPLED_INIT_SCALE.read(t, 3.0), BLOCK_SIZE.readInt(t, 4096),
                    SNAPSHOT_EVERY.readLong(t, 0), Knn.read(t), ACTIVATION_CACHE.readLong(t, AUTO_ACTIVATION_CACHE),
                    evaluation == Evaluation.MONTECARLO ? MonteCarlo.read(t) : null);
        }

        /** @return {@code τ_0}, the start of {@link #tauSchedule} */
        public double tau() {
            return tauSchedule.value(0);
        }

        /** @return {@code σ_0}, the start of {@link #sigmaSchedule} */
        public double sigma() {
            return sigmaSchedule.value(0);
        }

        /** @return {@code τ_k = τ(kΔt)} */
        public double tauAt(long k) {
            return tauSchedule.at(k, dt);
        }

        /** @return {@code σ_k = σ(kΔt)} */
        public double sigmaAt(long k) {
            return sigmaSchedule.at(k, dt);
        }

        /** @return {@link Knn#every()} */
        public long knnEvery() {
            return knn.every();
        }

        /** @return {@link Knn#sample()} */
        public int knnSample() {
            return knn.sample();
        }

        /** @return {@link Knn#k()} */
        public int knnK() {
            return knn.k();
        }

        /** @return {@link MonteCarlo#summaryParticles()}, 0 in exact mode */
        public int summaryParticles() {
            return monteCarlo == null ? 0 : monteCarlo.summaryParticles();
        }

        /** @return {@link MonteCarlo#rolloutStates()}, 0 in exact mode */
        public int rolloutStates() {
            return monteCarlo == null ? 0 : monteCarlo.rolloutStates();
        }

        /** @return {@link MonteCarlo#rolloutHorizon()}, 0 in exact mode */
        public int rolloutHorizon() {
            return monteCarlo == null ? 0 : monteCarlo.rolloutHorizon();
        }

        /** @return {@link MonteCarlo#monitorRollouts()}, 0 in exact mode */
        public int monitorRollouts() {
            return monteCarlo == null ? 0 : monteCarlo.monitorRollouts();
        }

        /** @return {@link MonteCarlo#episodeReturns()}, 0 in exact mode */
        public int episodeReturns() {
            return monteCarlo == null ? 0 : monteCarlo.episodeReturns();
        }

        /** @return {@link MonteCarlo#rolloutBlock()}, 0 in exact mode */
        public int rolloutBlock() {
            return monteCarlo == null ? 0 : monteCarlo.rolloutBlock();
        }
    }

    /**
     * The kNN estimate of the KL divergence of the cloud (docs/algorithms.md §2.10).
     *
     * @param every  period in iterations (0 = never)
     * @param sample subsample size
     * @param k      neighbour order
     */
    public record Knn(long every, int sample, int k) {
        private static final Range EVERY = Range.integer("meanfield.knnEvery", 0, 1_000_000_000L);
        private static final Range SAMPLE = Range.integer("meanfield.knnSample", 2, 100_000);
        private static final Range K = Range.integer("meanfield.knnK", 1, 100);

        /** Validates. */
        public Knn {
            EVERY.check(every);
            SAMPLE.check(sample);
            K.check(k);
        }

        static Knn read(ConfigTree t) {
            return new Knn(EVERY.readLong(t, 10), SAMPLE.readInt(t, 1000), K.readInt(t, 5));
        }
    }

    /**
     * The rollouts of Monte Carlo mode (docs/algorithms.md §2.9).
     *
     * @param summaryParticles particles broadcast to rollout tasks (a seeded subsample when N is larger)
     * @param rolloutStates    M_s states sampled from d_ρ^π per iteration
     * @param rolloutHorizon   0 = unbiased geometric-horizon Q̂, else truncation H
     * @param monitorRollouts  V̂(ρ) samples per iteration
     * @param episodeReturns   environment episode returns per iteration (time-limited environments)
     * @param rolloutBlock     rollout ids per block
     */
    public record MonteCarlo(int summaryParticles, int rolloutStates, int rolloutHorizon, int monitorRollouts,
                             int episodeReturns, int rolloutBlock) {
        private static final Range SUMMARY = Range.integer("meanfield.summaryParticles", 1, 10_000_000);
        private static final Range STATES = Range.integer("meanfield.rolloutStates", 1, 100_000_000);
        private static final Range HORIZON = Range.integer("meanfield.rolloutHorizon", 0, 1_000_000);
        private static final Range MONITOR = Range.integer("meanfield.monitorRollouts", 2, 100_000_000);
        private static final Range RETURNS = Range.integer("meanfield.episodeReturns", 0, 1_000_000);
        private static final Range BLOCK = Range.integer("meanfield.rolloutBlock", 1, 1_000_000);

        /** Validates. */
        public MonteCarlo {
            SUMMARY.check(summaryParticles);
            STATES.check(rolloutStates);
            HORIZON.check(rolloutHorizon);
            MONITOR.check(monitorRollouts);
            RETURNS.check(episodeReturns);
            BLOCK.check(rolloutBlock);
        }

        static MonteCarlo read(ConfigTree t) {
            return new MonteCarlo(SUMMARY.readInt(t, 1000), STATES.readInt(t, 200), HORIZON.readInt(t, 0),
                    MONITOR.readInt(t, 200), RETURNS.readInt(t, 10), BLOCK.readInt(t, 16));
        }
    }

    /**
     * Variance-adjusted actor–critic parameters (docs/algorithms.md §4.7–4.8).
     *
     * @param lambda         variance penalty λ
     * @param episodes       episodes per iteration E (the actor batch of variant B)
     * @param critic         the critic; {@link Critic#TD0} and {@link Critic#LSTD} need
     *                       {@code criticStateFeatures: true}
     * @param criticEpisodes critic batch of variant B
     * @param blockSize      episodes per block (fixed, so results do not depend on the partitioning)
     * @param alpha0         critic step α_0 of {@code α_k = α_0 (1 + k/k_0)^{−a}}
     * @param beta0          actor step β_0 of {@code β_k = β_0 (1 + k/k_0)^{−b}}
     * @param k0             k_0
     * @param alphaExponent  a
     * @param betaExponent   b (b &gt; a for the actor–critic: the actor is the slow time-scale)
     * @param thetaBound     half-width of the box θ is projected onto
     * @param ridge          relative ridge of the least-squares critic
     * @param maxSteps       episode length above which the run stops (an improper policy)
     * @param evalEpisodes   episodes of the final Monte Carlo evaluation of the learned policy
     * @param criticStateFeatures add the environment's state features to the critic features ∇ln π
     * @param lstdLambda     trace decay λ ∈ [0, 1] of the lstd critic (default 0: the TD fixed point of §4.9; λ = 1
     *                       reproduces least-squares); ignored by the other critics
     */
    public record VarianceSpec(double lambda, long episodes, Critic critic, long criticEpisodes, int blockSize,
                               double alpha0, double beta0, double k0, double alphaExponent, double betaExponent,
                               double thetaBound, double ridge, int maxSteps, long evalEpisodes,
                               boolean criticStateFeatures, double lstdLambda) {
        private static final Range LAMBDA = Range.closed("variance.lambda", 0.0, 1e6);
        private static final Range EPISODES = Range.integer("variance.episodes", 1, Integer.MAX_VALUE);
        private static final Range CRITIC_EPISODES = Range.integer("variance.criticEpisodes", 1, Integer.MAX_VALUE);
        private static final Range BLOCK_SIZE = Range.integer("variance.blockSize", 1, 1 << 20);
        private static final Range ALPHA0 = Range.positive("variance.alpha0", 1e6);
        private static final Range BETA0 = Range.positive("variance.beta0", 1e6);
        private static final Range K0 = Range.positive("variance.k0", 1e12);
        private static final Range ALPHA_EXPONENT = Range.closed("variance.alphaExponent", 0.0, 1.0);
        private static final Range BETA_EXPONENT = Range.closed("variance.betaExponent", 0.0, 1.0);
        private static final Range THETA_BOUND = Range.positive("variance.thetaBound", 1e12);
        private static final Range RIDGE = Range.closed("variance.ridge", 0.0, 1.0);
        private static final Range MAX_STEPS = Range.integer("variance.maxSteps", 1, Integer.MAX_VALUE);
        private static final Range EVAL_EPISODES = Range.integer("variance.evalEpisodes", 0, Integer.MAX_VALUE);
        private static final Range LSTD_LAMBDA = Range.closed("variance.lstdLambda", 0.0, 1.0);

        /** Validates every field, and that td0 and lstd have the state features they bootstrap from. */
        public VarianceSpec {
            LAMBDA.check(lambda);
            EPISODES.check(episodes);
            Objects.requireNonNull(critic, "variance.critic");
            CRITIC_EPISODES.check(criticEpisodes);
            BLOCK_SIZE.check(blockSize);
            ALPHA0.check(alpha0);
            BETA0.check(beta0);
            K0.check(k0);
            ALPHA_EXPONENT.check(alphaExponent);
            BETA_EXPONENT.check(betaExponent);
            THETA_BOUND.check(thetaBound);
            RIDGE.check(ridge);
            MAX_STEPS.check(maxSteps);
            EVAL_EPISODES.check(evalEpisodes);
            LSTD_LAMBDA.check(lstdLambda);
            if (critic.needsStateFeatures() && !criticStateFeatures) {
                throw new InvalidInputException("variance.critic: " + critic.key() + " needs "
                        + "variance.criticStateFeatures: true (TD and LSTD bootstrap from state values, which the "
                        + "compatible features ∇ln π alone cannot represent; docs/algorithms.md §4.9)");
            }
        }

        /**
         * Reads the {@code variance} section; {@code lstdLambda} is read for every critic (like criticEpisodes and
         * ridge), so that a study grid over variance.critic can fix it.
         */
        static VarianceSpec read(ConfigTree t) {
            double lambda = LAMBDA.read(t, 0.0);
            long episodes = EPISODES.readLong(t, 1000);
            return new VarianceSpec(lambda, episodes, Choice.read(t, "variance.critic", Critic.INCREMENTAL, Critic.class),
                    CRITIC_EPISODES.readLong(t, episodes), BLOCK_SIZE.readInt(t, 64), ALPHA0.read(t, 0.5),
                    BETA0.read(t, 1.0), K0.read(t, 200), ALPHA_EXPONENT.read(t, 0.6), BETA_EXPONENT.read(t, 0.9),
                    THETA_BOUND.read(t, 20), RIDGE.read(t, 1e-8), MAX_STEPS.readInt(t, 100_000),
                    EVAL_EPISODES.readLong(t, 20_000), t.getBoolean("variance.criticStateFeatures", true),
                    LSTD_LAMBDA.read(t, 0.0));
        }
    }

    /**
     * Tabular baselines on a finite MDP with exact evaluation (docs/algorithms.md §2.13, {@code algorithm: tabular}).
     *
     * @param update   softmax policy gradient {@code θ ← θ + ηW} or entropy-regularised natural policy gradient
     * @param stepSize η
     * @param tau      {@code τ_k} over the iteration count k (the schedule's clock is {@code t = k})
     */
    public record TabularSpec(TabularUpdate update, double stepSize, Schedule tau) {
        private static final Range STEP_SIZE = Range.positive("tabular.stepSize", 1e12);
        private static final double TAU_MAX = 1e6;

        /** Validates. */
        public TabularSpec {
            Objects.requireNonNull(update, "tabular.update");
            STEP_SIZE.check(stepSize);
            checkSchedule("tabular.tau", tau, TAU_MAX);
        }

        static TabularSpec read(ConfigTree t) {
            TabularUpdate update = TabularUpdate.of(t.getChoice("tabular.update", "pg", TabularUpdate.SPELLINGS));
            return new TabularSpec(update, STEP_SIZE.read(t, update == TabularUpdate.NPG ? 0.1 : 1.0),
                    schedule(t, "tabular.tau", 0.5, 0.0, TAU_MAX));
        }
    }

    /**
     * Where the run executes.
     *
     * @param engine  {@code engine}: auto (in-JVM on an embedded master, Spark on a cluster), local or spark
     * @param threads {@code threads}: worker threads of the in-JVM engine, {@link SparkSpec#AUTO} for one per
     *                core (or the N of a {@code local[N]} master)
     */
    public record ExecutionSpec(EngineKind engine, int threads) {
        private static final Range THREADS = Range.integer("threads", 1, 4096);

        /** Validates. */
        public ExecutionSpec {
            Objects.requireNonNull(engine, "engine");
            if (threads != SparkSpec.AUTO) {
                THREADS.check(threads);
            }
        }

        static ExecutionSpec read(ConfigTree t) {
            return new ExecutionSpec(Choice.read(t, "engine", EngineKind.AUTO, EngineKind.class),
                    t.getIntOrAuto("threads", 1, 4096));
        }
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

        private static final Range PARTITIONS = Range.integer("spark.partitions", 1, 100_000);

        /** Validates. */
        public SparkSpec {
            checkMaster("spark.master", master);
            if (partitions != AUTO) {
                PARTITIONS.check(partitions);
            }
        }

        static SparkSpec read(ConfigTree t) {
            return new SparkSpec(checkMaster("spark.master", t.getString("spark.master", "local[*]")),
                    t.getIntOrAuto("spark.partitions", 1, 100_000));
        }
    }

    private static final Pattern MASTER = Pattern.compile(
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
        if (url == null || !MASTER.matcher(url).matches()) {
            throw new InvalidInputException(field + " must be a Spark master URL (local, local[N], local[*], "
                    + "local-cluster[N,C,M], yarn or spark://HOST:PORT) but was '" + url + "'");
        }
        return url;
    }
}
