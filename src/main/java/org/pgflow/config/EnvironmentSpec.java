package org.pgflow.config;

import static org.pgflow.config.EnvironmentKeys.ACTIONS;
import static org.pgflow.config.EnvironmentKeys.GRID_SIZE;
import static org.pgflow.config.EnvironmentKeys.INSTANCE;
import static org.pgflow.config.EnvironmentKeys.STATES;
import static org.pgflow.config.EnvironmentKeys.branchingRange;
import static org.pgflow.config.EnvironmentKeys.discount;
import static org.pgflow.config.EnvironmentKeys.modelFile;
import static org.pgflow.config.EnvironmentKeys.readDiscount;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * The problem of a run ({@code environment:}, docs/architecture.md §7.1): one record per environment type, each with
 * only its own keys, validated on construction (messages name the key, e.g. {@code environment.gamma}). Consumers
 * tell the types apart with {@code instanceof}.
 */
public sealed interface EnvironmentSpec permits EnvironmentSpec.FiniteFile, EnvironmentSpec.SspFile,
        EnvironmentSpec.Chain, EnvironmentSpec.RiskyChain, EnvironmentSpec.Portfolio, EnvironmentSpec.GridTask,
        EnvironmentSpec.Lq, EnvironmentSpec.CartPole, EnvironmentSpec.RandomFinite, EnvironmentSpec.RandomSsp {

    /** The values of {@code environment.type}, in the order messages list them. */
    List<String> TYPES = List.of("finite", "ssp", "chain", "risky-chain", "portfolio", "bounded-oracle", "lq",
            "pendulum", "cartpole", "mountaincar-continuous", "random-finite", "random-ssp");

    /** @return the {@code environment.type} spelling */
    String type();

    /** @return whether it is an episodic problem (ssp, risky-chain, random-ssp, portfolio), else a discounted one */
    default boolean episodic() {
        return false;
    }

    /**
     * Reads the {@code environment} section: the type, then the keys of that type (the model file is recorded as
     * an absolute path, so that run.json's config can be re-read from anywhere).
     *
     * @param t    the tree
     * @param home directory against which a relative model path is also tried, or null
     * @return the spec
     */
    static EnvironmentSpec read(ConfigTree t, Path home) {
        String type = t.getChoice("environment.type", null, TYPES);
        Path file = null;
        if (type.equals("finite") || type.equals("ssp")) {
            String f = t.getString("environment.file", null);
            if (f == null) {
                throw new InvalidInputException("environment.file is required for environment.type " + type);
            }
            file = resolveFile(f, home);
            t.record("environment.file", JsonNodeFactory.instance.textNode(file.toString()));
        } else {
            t.getString("environment.file", null);
        }
        return switch (type) {
            case "finite" -> new FiniteFile(file);
            case "ssp" -> new SspFile(file);
            case "chain" -> new Chain();
            case "risky-chain" -> RiskyChain.read(t);
            case "portfolio" -> Portfolio.read(t);
            case "lq" -> Lq.read(t);
            case "cartpole" -> new CartPole(readDiscount(t, 0.95));
            case "random-finite" -> RandomFinite.read(t);
            case "random-ssp" -> RandomSsp.read(t);
            default -> GridTask.read(t, Choice.of(GridTask.Task.class, type));
        };
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

    /**
     * {@code finite}: a finite MDP from a model file.
     *
     * @param file the model file (absolute)
     */
    record FiniteFile(Path file) implements EnvironmentSpec {
        /** Validates. */
        public FiniteFile {
            modelFile(file);
        }

        @Override
        public String type() {
            return "finite";
        }
    }

    /**
     * {@code ssp}: a finite stochastic shortest-path problem from a model file.
     *
     * @param file the model file (absolute)
     */
    record SspFile(Path file) implements EnvironmentSpec {
        /** Validates. */
        public SspFile {
            modelFile(file);
        }

        @Override
        public String type() {
            return "ssp";
        }

        @Override
        public boolean episodic() {
            return true;
        }
    }

    /** {@code chain}: a type without keys that no algorithm takes yet. */
    record Chain() implements EnvironmentSpec {
        @Override
        public String type() {
            return "chain";
        }
    }

    /**
     * {@code risky-chain}: the risky chain of docs/algorithms.md §5 T7.
     *
     * @param stages         decision stages L
     * @param winProbability p
     * @param winReward      R_win
     */
    record RiskyChain(int stages, double winProbability, double winReward) implements EnvironmentSpec {
        private static final Range STAGES = Range.integer("environment.stages", 1, 100_000);
        private static final Range WIN_PROBABILITY = Range.closed("environment.winProbability", 0.0, 1.0);
        private static final Range WIN_REWARD = Range.closed("environment.winReward", -1e9, 1e9);

        /** Validates. */
        public RiskyChain {
            STAGES.check(stages);
            WIN_PROBABILITY.check(winProbability);
            WIN_REWARD.check(winReward);
        }

        static RiskyChain read(ConfigTree t) {
            return new RiskyChain(STAGES.readInt(t, 3), WIN_PROBABILITY.read(t, 0.5), WIN_REWARD.read(t, 2.4));
        }

        @Override
        public String type() {
            return "risky-chain";
        }

        @Override
        public boolean episodic() {
            return true;
        }
    }

    /**
     * {@code portfolio}: the portfolio domain of docs/algorithms.md §5 T9.
     *
     * @param parameters its parameters (default: {@link org.pgflow.mdp.Portfolio.Parameters#balanced()})
     */
    record Portfolio(org.pgflow.mdp.Portfolio.Parameters parameters) implements EnvironmentSpec {
        private static final Range HORIZON = Range.integer("environment.horizon", 1, 100_000);
        private static final Range MATURITY = Range.integer("environment.maturity", 1, 100_000);
        private static final Range LIQUID_RATE = Range.positive("environment.liquidRate", 1e3);
        private static final Range LOW_RATE = Range.positive("environment.lowRate", 1e3);
        private static final Range HIGH_RATE = Range.positive("environment.highRate", 1e3);
        private static final Range SWITCH = Range.closed("environment.switchProbability", 0, 1);
        private static final Range RISK = Range.closed("environment.riskProbability", 0, 1);
        private static final Range INVEST = Range.closed("environment.investFraction", 0, 0.999);

        /** Validates every parameter against the range of its key. */
        public Portfolio {
            Objects.requireNonNull(parameters, "parameters");
            HORIZON.check(parameters.horizon());
            MATURITY.check(parameters.maturity());
            LIQUID_RATE.check(parameters.liquidRate());
            LOW_RATE.check(parameters.lowRate());
            HIGH_RATE.check(parameters.highRate());
            SWITCH.check(parameters.switchProbability());
            RISK.check(parameters.riskProbability());
            INVEST.check(parameters.investFraction());
        }

        static Portfolio read(ConfigTree t) {
            org.pgflow.mdp.Portfolio.Parameters d = org.pgflow.mdp.Portfolio.Parameters.balanced();
            return new Portfolio(new org.pgflow.mdp.Portfolio.Parameters(HORIZON.readInt(t, d.horizon()),
                    MATURITY.readInt(t, d.maturity()), LIQUID_RATE.read(t, d.liquidRate()), LOW_RATE.read(t, d.lowRate()),
                    HIGH_RATE.read(t, d.highRate()), SWITCH.read(t, d.switchProbability()),
                    RISK.read(t, d.riskProbability()), INVEST.read(t, d.investFraction())));
        }

        @Override
        public String type() {
            return "portfolio";
        }

        @Override
        public boolean episodic() {
            return true;
        }
    }

    /**
     * A discounted simulator on an action grid with no keys but the grid and the discount: {@code bounded-oracle}
     * (docs/algorithms.md §5 T3), {@code pendulum}, {@code mountaincar-continuous}.
     *
     * @param task     which one
     * @param gridSize action grid size J
     * @param gamma    discount in {@code [0, 1)}
     */
    record GridTask(Task task, int gridSize, double gamma) implements EnvironmentSpec {
        /** The environments of this shape, with their defaults. */
        public enum Task implements Choice {
            /** The bounded oracle of T3 (defaults: J = 15, γ = 0.9). */
            BOUNDED_ORACLE(15, 0.9),
            /** Gymnasium's Pendulum (defaults: J = 9, γ = 0.95). */
            PENDULUM(9, 0.95),
            /** Gymnasium's MountainCarContinuous (defaults: J = 9, γ = 0.99). */
            MOUNTAINCAR_CONTINUOUS(9, 0.99);

            private final int defaultGridSize;
            private final double defaultGamma;

            Task(int defaultGridSize, double defaultGamma) {
                this.defaultGridSize = defaultGridSize;
                this.defaultGamma = defaultGamma;
            }
        }

        /** Validates. */
        public GridTask {
            Objects.requireNonNull(task, "task");
            GRID_SIZE.check(gridSize);
            discount(gamma);
        }

        static GridTask read(ConfigTree t, Task task) {
            double gamma = readDiscount(t, task.defaultGamma);
            return new GridTask(task, GRID_SIZE.readInt(t, task.defaultGridSize), gamma);
        }

        @Override
        public String type() {
            return task.key();
        }
    }

    /**
     * {@code cartpole}: Gymnasium's CartPole (its actions are the two discrete pushes, so there is no grid).
     *
     * @param gamma discount in {@code [0, 1)} (default 0.95)
     */
    record CartPole(double gamma) implements EnvironmentSpec {
        /** Validates. */
        public CartPole {
            discount(gamma);
        }

        @Override
        public String type() {
            return "cartpole";
        }
    }

    /**
     * {@code lq}: the scalar entropy-regularised LQ problem of docs/algorithms.md §3.1 (defaults: T4) as a
     * simulator: dynamics {@code s' = a s + b u + ξ}, {@code ξ ∼ N(0, noise)}, reward {@code −(q s² + r u²)},
     * reference measure {@code N(0, sigmaMu²)} on a Gauss–Hermite action grid, {@code ρ = N(initialMean, initialVar)},
     * embedding scales for the bounded input.
     *
     * @param gamma       discount in {@code [0, 1)}
     * @param gridSize    action grid size J
     * @param a           state coefficient
     * @param b           control coefficient
     * @param q           state cost
     * @param r           control cost
     * @param noise       noise variance
     * @param sigmaMu     reference measure standard deviation
     * @param initialMean mean of ρ
     * @param initialVar  variance of ρ
     * @param stateScale  state embedding scale
     * @param actionScale action embedding scale
     */
    record Lq(double gamma, int gridSize, double a, double b, double q, double r, double noise, double sigmaMu,
              double initialMean, double initialVar, double stateScale, double actionScale) implements EnvironmentSpec {
        private static final Range A = Range.closed("environment.a", -1e3, 1e3);
        private static final Range B = Range.closed("environment.b", -1e3, 1e3);
        private static final Range Q = Range.closed("environment.q", 0, 1e6);
        private static final Range R = Range.closed("environment.r", 0, 1e6);
        private static final Range NOISE = Range.closed("environment.noise", 0, 1e6);
        private static final Range SIGMA_MU = Range.positive("environment.sigmaMu", 1e6);
        private static final Range INITIAL_MEAN = Range.closed("environment.initialMean", -1e6, 1e6);
        private static final Range INITIAL_VAR = Range.closed("environment.initialVar", 0, 1e6);
        private static final Range STATE_SCALE = Range.positive("environment.stateScale", 1e6);
        private static final Range ACTION_SCALE = Range.positive("environment.actionScale", 1e6);

        /** Validates. */
        public Lq {
            discount(gamma);
            GRID_SIZE.check(gridSize);
            A.check(a);
            B.check(b);
            Q.check(q);
            R.check(r);
            NOISE.check(noise);
            SIGMA_MU.check(sigmaMu);
            INITIAL_MEAN.check(initialMean);
            INITIAL_VAR.check(initialVar);
            STATE_SCALE.check(stateScale);
            ACTION_SCALE.check(actionScale);
        }

        static Lq read(ConfigTree t) {
            return new Lq(readDiscount(t, 0.9), GRID_SIZE.readInt(t, 9), A.read(t, 0.9), B.read(t, 0.5), Q.read(t, 1.0),
                    R.read(t, 0.1), NOISE.read(t, 0.01), SIGMA_MU.read(t, 1.0), INITIAL_MEAN.read(t, 1.0),
                    INITIAL_VAR.read(t, 0.25), STATE_SCALE.read(t, 3.0), ACTION_SCALE.read(t, 3.0));
        }

        @Override
        public String type() {
            return "lq";
        }
    }

    /**
     * {@code random-finite}: a Garnet MDP (docs/algorithms.md §5).
     *
     * @param states    S
     * @param actions   A
     * @param branching successors per (s, a), in {@code [1, S]}
     * @param gamma     discount in {@code [0, 1)}
     * @param instance  instance index
     */
    record RandomFinite(int states, int actions, int branching, double gamma, long instance) implements EnvironmentSpec {
        /** Validates. */
        public RandomFinite {
            STATES.check(states);
            ACTIONS.check(actions);
            branchingRange(states).check(branching);
            INSTANCE.check(instance);
            discount(gamma);
        }

        static RandomFinite read(ConfigTree t) {
            int s = STATES.readInt(t, 10);
            int a = ACTIONS.readInt(t, 10);
            int b = branchingRange(s).readInt(t, Math.min(s, 3));
            long instance = INSTANCE.readLong(t, 0);
            return new RandomFinite(s, a, b, readDiscount(t, 0.9), instance);
        }

        @Override
        public String type() {
            return "random-finite";
        }
    }

    /**
     * {@code random-ssp}: a Garnet SSP (docs/algorithms.md §5).
     *
     * @param states      S (non-terminal states)
     * @param actions     A
     * @param branching   successors per (s, a), in {@code [1, S]}
     * @param terminalMin minimum termination probability per step, in {@code [1e-6, 0.7]}
     * @param instance    instance index
     */
    record RandomSsp(int states, int actions, int branching, double terminalMin, long instance)
            implements EnvironmentSpec {
        private static final Range TERMINAL_MIN = Range.closed("environment.terminalMin", 1e-6, 0.7);

        /** Validates. */
        public RandomSsp {
            STATES.check(states);
            ACTIONS.check(actions);
            branchingRange(states).check(branching);
            INSTANCE.check(instance);
            TERMINAL_MIN.check(terminalMin);
        }

        static RandomSsp read(ConfigTree t) {
            int s = STATES.readInt(t, 10);
            int a = ACTIONS.readInt(t, 2);
            int b = branchingRange(s).readInt(t, Math.min(s, 3));
            long instance = INSTANCE.readLong(t, 0);
            return new RandomSsp(s, a, b, TERMINAL_MIN.read(t, 0.1), instance);
        }

        @Override
        public String type() {
            return "random-ssp";
        }

        @Override
        public boolean episodic() {
            return true;
        }
    }
}

/** The keys the environment records share, and their checks. */
final class EnvironmentKeys {
    /** {@code environment.gamma}: a discount in {@code [0, 1)}. */
    static final Range GAMMA = Range.closed("environment.gamma", 0.0, 1.0);
    /** {@code environment.gridSize}: the action grid size J of a simulated continuous-action environment. */
    static final Range GRID_SIZE = Range.integer("environment.gridSize", 2, 1000);
    /** {@code environment.states} of the random instances. */
    static final Range STATES = Range.integer("environment.states", 1, 100_000);
    /** {@code environment.actions} of the random instances. */
    static final Range ACTIONS = Range.integer("environment.actions", 1, 10_000);
    /** {@code environment.instance} of the random instances. */
    static final Range INSTANCE = Range.integer("environment.instance", 0, Long.MAX_VALUE);

    private EnvironmentKeys() {
    }

    /** @return {@code gamma}, checked to be a discount in {@code [0, 1)} */
    static double discount(double gamma) {
        return Checks.inHalfOpen(GAMMA.key(), GAMMA.check(gamma), 0.0, 1.0);
    }

    /** Reads {@code environment.gamma}, a discount in {@code [0, 1)}. */
    static double readDiscount(ConfigTree t, double def) {
        return discount(GAMMA.read(t, def));
    }

    /** @return the range of {@code environment.branching}: successors per (s, a), at most S */
    static Range branchingRange(int states) {
        return Range.integer("environment.branching", 1, states);
    }

    /** @return {@code file}, checked to be given and absolute */
    static Path modelFile(Path file) {
        if (file == null || !file.isAbsolute()) {
            throw new InvalidInputException("environment.file must be an absolute path but was " + file);
        }
        return file;
    }
}
