package org.pgflow.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pgflow.util.InvalidInputException;

/**
 * A validated experiment configuration (DESIGN §5), one record per concern. Built only through
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
 * @param spark           engine parameters
 * @param resolved        effective values of every key
 */
public record RunConfig(String name, String algorithm, long seed, long iterations, long checkpointEvery,
                        EnvironmentSpec environment, MeanFieldSpec meanfield, VarianceSpec variance, SparkSpec spark,
                        ObjectNode resolved) {

    /** Environment types of DESIGN §5. */
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
     */
    public record EnvironmentSpec(String type, Path file, int states, int actions, int branching, double gamma, long instance) {
    }

    /**
     * Mean-field policy-gradient parameters (SPEC §2).
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
     * @param activationCacheMB budget (MiB, whole cloud) for keeping the activations of the summary pass for the
     *                         drift pass; 0 disables it; {@link #AUTO_ACTIVATION_CACHE} (the default, {@code auto}
     *                         in YAML is not accepted: omit the key) lets the kernels decide; affects time and
     *                         memory, never results
     */
    public record MeanFieldSpec(long particles, int units, double outputScale, double tau, double sigma, double dt,
                                double lambdaU, String evaluation, boolean coupled, double coupledInitScale, int blockSize,
                                long snapshotEvery, long knnEvery, int knnSample, int knnK, long activationCacheMB) {
        /** The first release's components, with the default activation cache budget. */
        public MeanFieldSpec(long particles, int units, double outputScale, double tau, double sigma, double dt,
                             double lambdaU, String evaluation, boolean coupled, double coupledInitScale, int blockSize,
                             long snapshotEvery, long knnEvery, int knnSample, int knnK) {
            this(particles, units, outputScale, tau, sigma, dt, lambdaU, evaluation, coupled, coupledInitScale, blockSize,
                    snapshotEvery, knnEvery, knnSample, knnK, AUTO_ACTIVATION_CACHE);
        }

        /**
         * {@code meanfield.activationCacheMB = -1} (the default): {@link #AUTO_ACTIVATION_CACHE_MB} MiB when the
         * kernels in use gain from the memo (scalar), 0 when they do not (vector).
         */
        public static final long AUTO_ACTIVATION_CACHE = -1;

        /** The budget {@code auto} gives kernels that gain from the memo: 10⁶ particles on a 10×10 MDP, K = 1. */
        public static final long AUTO_ACTIVATION_CACHE_MB = 1024;
    }

    /**
     * Variance-adjusted actor–critic parameters (SPEC §4).
     *
     * @param lambda   variance penalty λ
     * @param episodes episodes per iteration
     * @param critic   {@code incremental} or {@code least-squares}
     */
    public record VarianceSpec(double lambda, long episodes, String critic) {
    }

    /**
     * Engine parameters.
     *
     * @param master     Spark master URL (the CLI's {@code --master} wins)
     * @param partitions number of RDD partitions
     */
    public record SparkSpec(String master, int partitions) {
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
        String name = t.getString("name", "run");
        String algorithm = t.getChoice("algorithm", null, List.of("meanfield", "variance"));
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
        } else {
            t.getString("environment.file", null);
        }
        int states = 0;
        int actions = 0;
        int branching = 0;
        double gamma = 0;
        long instance = 0;
        if (type.startsWith("random-")) { // generator parameters exist only for random instances
            states = t.getInt("environment.states", 10, 1, 100_000);
            actions = t.getInt("environment.actions", 10, 1, 10_000);
            branching = t.getInt("environment.branching", Math.min(states, 3), 1, states);
            gamma = t.getDouble("environment.gamma", 0.9, 0.0, 1.0);
            org.pgflow.util.Checks.inHalfOpen("environment.gamma", gamma, 0.0, 1.0);
            instance = t.getLong("environment.instance", 0, 0, Long.MAX_VALUE);
        }
        EnvironmentSpec env = new EnvironmentSpec(type, file, states, actions, branching, gamma, instance);

        long particles = t.getLong("meanfield.particles", 400, 1, 1L << 34);
        int units = t.getInt("meanfield.units", 1, 1, 64);
        double alpha = t.getPositive("meanfield.outputScale", 4.0, 1e6);
        double tau = t.getDouble("meanfield.tau", 0.5, 0.0, 1e6);
        double sigma = t.getDouble("meanfield.sigma", 0.3, 0.0, 1e3);
        double dt = t.getPositive("meanfield.dt", 0.05, 1e3);
        double lambdaU = t.getPositive("meanfield.lambdaU", 1.0, 1e6);
        if (!(dt * 0.5 * sigma * sigma * lambdaU < 1)) {
            throw new InvalidInputException("meanfield.dt = " + dt + " is too large: the Langevin step needs "
                    + "dt·(sigma²/2)·lambdaU < 1 (SPEC §2.6) but it is " + dt * 0.5 * sigma * sigma * lambdaU);
        }
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
        MeanFieldSpec mf = new MeanFieldSpec(particles, units, alpha, tau, sigma, dt, lambdaU, evaluation, coupled,
                coupledInitScale, blockSize, snapshotEvery, knnEvery, knnSample, knnK, activationCacheMB);

        double lambda = t.getDouble("variance.lambda", 0.0, 0.0, 1e6);
        long episodes = t.getLong("variance.episodes", 1000, 1, 1L << 40);
        String critic = t.getChoice("variance.critic", "incremental", List.of("incremental", "least-squares"));
        VarianceSpec var = new VarianceSpec(lambda, episodes, critic);

        String master = t.getString("spark.master", "local[*]");
        int partitions = t.getInt("spark.partitions", 4, 1, 100_000);
        SparkSpec spark = new SparkSpec(master, partitions);
        t.rejectUnknown();
        return new RunConfig(name, algorithm, seed, iterations, checkpointEvery, env, mf, var, spark, t.resolved());
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
