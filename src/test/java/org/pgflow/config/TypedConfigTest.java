package org.pgflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgflow.TestSupport;
import org.pgflow.config.RunConfig.ExecutionSpec;
import org.pgflow.config.RunConfig.Knn;
import org.pgflow.config.RunConfig.MeanFieldSpec;
import org.pgflow.config.RunConfig.MonteCarlo;
import org.pgflow.config.RunConfig.SparkSpec;
import org.pgflow.config.RunConfig.TabularSpec;
import org.pgflow.config.RunConfig.VarianceSpec;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.JsonFields;
import org.pgflow.util.StrictYaml;

/**
 * The typed config records: option enums and their spellings, one environment record per type, and compact
 * constructors that reject what the readers reject, in the readers' words.
 */
class TypedConfigTest {
    private static final Path T1 = TestSupport.env("t1.mdp.json");
    private static final Path T6 = TestSupport.env("t6.ssp.json");

    private static ConfigTree tree(String yaml) {
        return ConfigTree.of((ObjectNode) StrictYaml.readValue(yaml, "test config"));
    }

    /** A valid exact-mode mean-field spec with the given Δt. */
    private static MeanFieldSpec meanField(double dt) {
        return meanField(400, dt);
    }

    private static MeanFieldSpec meanField(long particles, double dt) {
        return new MeanFieldSpec(particles, 1, 4.0, Schedule.constant(0.5), Schedule.constant(0.3), dt, 1.0,
                Objective.VALUE, Evaluation.EXACT, false, 3.0, 4096, 0, new Knn(10, 1000, 5),
                MeanFieldSpec.AUTO_ACTIVATION_CACHE, null);
    }

    private static VarianceSpec variance(Critic critic, boolean stateFeatures, double ridge) {
        return new VarianceSpec(0.0, 1000, critic, 1000, 64, 0.5, 1.0, 200, 0.6, 0.9, 20, ridge, 100_000, 20_000,
                stateFeatures, 0.0);
    }

    private static String message(Executable e) {
        return assertThrows(InvalidInputException.class, e).getMessage();
    }

    @Test
    void aNaNTimeStepIsRejectedNamingTheKey() {
        String m = message(() -> meanField(Double.NaN));
        assertEquals("meanfield.dt must be in (0, 1.7976931348623157E308] but was NaN", m);
        assertEquals(0.05, meanField(0.05).dt(), "a valid spec is built");
    }

    @Test
    void constructorsSpeakLikeTheReaders() {
        String read = message(() -> RunConfig.MeanFieldSpec.read(tree("meanfield: {dt: -1}"), false));
        assertEquals(read, message(() -> meanField(-1)));
        read = message(() -> EnvironmentSpec.read(tree("environment: {type: random-finite, states: 4, branching: 5}"),
                null));
        assertEquals(read, message(() -> new EnvironmentSpec.RandomFinite(4, 10, 5, 0.9, 0)));
        read = message(() -> EnvironmentSpec.read(tree("environment: {type: pendulum, gamma: 1.0}"), null));
        assertEquals(read, message(() -> new EnvironmentSpec.GridTask(EnvironmentSpec.GridTask.Task.PENDULUM, 9, 1.0)));
    }

    static Stream<Arguments> enums() {
        return Stream.of(Arguments.of(Algorithm.class, List.of("meanfield", "variance", "tabular")),
                Arguments.of(Evaluation.class, List.of("exact", "montecarlo")),
                Arguments.of(Objective.class, List.of("value", "variance")),
                Arguments.of(Critic.class, List.of("incremental", "least-squares", "exact", "td0", "lstd")),
                Arguments.of(TabularUpdate.class, List.of("pg", "npg")),
                Arguments.of(EngineKind.class, List.of("auto", "local", "spark")),
                Arguments.of(EnvironmentSpec.GridTask.Task.class,
                        List.of("bounded-oracle", "pendulum", "mountaincar-continuous")));
    }

    @ParameterizedTest
    @MethodSource("enums")
    <E extends Enum<E> & Choice> void everyOptionRoundTripsItsSpelling(Class<E> type, List<String> spellings) {
        assertEquals(spellings, Choice.keys(type));
        for (E e : type.getEnumConstants()) {
            assertSame(e, Choice.of(type, e.key()), e + " read back from '" + e.key() + "'");
        }
        assertThrows(IllegalArgumentException.class, () -> Choice.of(type, "no-such-" + type.getSimpleName()));
    }

    @Test
    void softmaxPgIsAnotherNameOfPg() {
        assertSame(TabularUpdate.PG, TabularUpdate.of("softmax-pg"));
        assertSame(TabularUpdate.NPG, TabularUpdate.of("npg"));
        RunConfig cfg = RunConfig.from(tree("algorithm: tabular\nenvironment: {type: finite, file: '" + T1 + "'}\n"
                + "tabular: {update: softmax-pg}\n"), null);
        assertSame(TabularUpdate.PG, cfg.tabular().update());
        assertEquals("softmax-pg", cfg.resolved().at("/tabular/update").asText(), "resolved keeps the spelling read");
        assertEquals(1.0, cfg.tabular().stepSize(), "the step size default of pg");
    }

    @Test
    void resolvedConfigsSpellTheOptions() {
        RunConfig cfg = RunConfig.from(tree("algorithm: variance\nenvironment: {type: risky-chain}\n"
                + "variance: {critic: least-squares}\nengine: local\n"), null);
        assertSame(Algorithm.VARIANCE, cfg.algorithm());
        assertSame(Critic.LEAST_SQUARES, cfg.variance().critic());
        assertSame(EngineKind.LOCAL, cfg.execution().engine());
        ObjectNode r = cfg.resolved();
        assertEquals("variance", r.get("algorithm").asText());
        assertEquals("least-squares", r.at("/variance/critic").asText());
        assertEquals("exact", r.at("/meanfield/evaluation").asText());
        assertEquals("value", r.at("/meanfield/objective").asText(), "read for an episodic environment");
        assertEquals("local", r.get("engine").asText());
    }

    static Stream<Arguments> environments() {
        return Stream.of(
                Arguments.of("{type: finite, file: '" + T1 + "'}", EnvironmentSpec.FiniteFile.class, false),
                Arguments.of("{type: ssp, file: '" + T6 + "'}", EnvironmentSpec.SspFile.class, true),
                Arguments.of("{type: chain}", EnvironmentSpec.Chain.class, false),
                Arguments.of("{type: risky-chain}", EnvironmentSpec.RiskyChain.class, true),
                Arguments.of("{type: portfolio}", EnvironmentSpec.Portfolio.class, true),
                Arguments.of("{type: bounded-oracle}", EnvironmentSpec.GridTask.class, false),
                Arguments.of("{type: lq}", EnvironmentSpec.Lq.class, false),
                Arguments.of("{type: pendulum}", EnvironmentSpec.GridTask.class, false),
                Arguments.of("{type: cartpole}", EnvironmentSpec.CartPole.class, false),
                Arguments.of("{type: mountaincar-continuous}", EnvironmentSpec.GridTask.class, false),
                Arguments.of("{type: random-finite}", EnvironmentSpec.RandomFinite.class, false),
                Arguments.of("{type: random-ssp}", EnvironmentSpec.RandomSsp.class, true));
    }

    @ParameterizedTest
    @MethodSource("environments")
    void eachEnvironmentTypeReadsItsOwnRecord(String section, Class<? extends EnvironmentSpec> type, boolean episodic) {
        ConfigTree t = tree("environment: " + section + "\n");
        EnvironmentSpec env = EnvironmentSpec.read(t, null);
        assertInstanceOf(type, env);
        assertEquals(t.resolved().at("/environment/type").asText(), env.type(), "the record spells its type");
        assertEquals(episodic, env.episodic());
        assertTrue(EnvironmentSpec.TYPES.contains(env.type()));
        t.rejectUnknown(); // every key of the minimal section was read
    }

    @Test
    void environmentRecordsCarryTheirDefaults() {
        EnvironmentSpec.GridTask oracle = (EnvironmentSpec.GridTask) EnvironmentSpec.read(
                tree("environment: {type: bounded-oracle}"), null);
        assertEquals(15, oracle.gridSize());
        assertEquals(0.9, oracle.gamma());
        EnvironmentSpec.GridTask car = (EnvironmentSpec.GridTask) EnvironmentSpec.read(
                tree("environment: {type: mountaincar-continuous}"), null);
        assertEquals(9, car.gridSize());
        assertEquals(0.99, car.gamma());
        assertEquals(0.95, ((EnvironmentSpec.CartPole) EnvironmentSpec.read(tree("environment: {type: cartpole}"), null))
                .gamma());
        EnvironmentSpec.RandomSsp ssp = (EnvironmentSpec.RandomSsp) EnvironmentSpec.read(
                tree("environment: {type: random-ssp, states: 2}"), null);
        assertEquals(List.of(2, 2, 2, 0.1), List.of(ssp.states(), ssp.actions(), ssp.branching(), ssp.terminalMin()));
        EnvironmentSpec.FiniteFile f = (EnvironmentSpec.FiniteFile) EnvironmentSpec.read(
                tree("environment: {type: finite, file: conf/envs/t1.mdp.json}"), TestSupport.ROOT);
        assertEquals(T1, f.file(), "a relative model path is resolved and kept absolute");
    }

    private static final org.pgflow.mdp.Portfolio.Parameters BALANCED = org.pgflow.mdp.Portfolio.Parameters.balanced();

    static Stream<Arguments> outOfRange() {
        EnvironmentSpec.GridTask.Task pendulum = EnvironmentSpec.GridTask.Task.PENDULUM;
        return Stream.of(
                Arguments.of((Executable) () -> new EnvironmentSpec.RiskyChain(0, 0.5, 2.4),
                        "environment.stages must be in [1, 100000] but was 0"),
                Arguments.of((Executable) () -> new EnvironmentSpec.RiskyChain(3, 1.5, 2.4),
                        "environment.winProbability must be in [0.0, 1.0] but was 1.5"),
                Arguments.of((Executable) () -> new EnvironmentSpec.GridTask(pendulum, 1, 0.9),
                        "environment.gridSize must be in [2, 1000] but was 1"),
                Arguments.of((Executable) () -> new EnvironmentSpec.GridTask(pendulum, 9, 1.0),
                        "environment.gamma must be in [0.0, 1.0) but was 1.0"),
                Arguments.of((Executable) () -> new EnvironmentSpec.CartPole(Double.NaN),
                        "environment.gamma must be in [0.0, 1.0] but was NaN"),
                Arguments.of((Executable) () -> new EnvironmentSpec.RandomFinite(0, 10, 1, 0.9, 0),
                        "environment.states must be in [1, 100000] but was 0"),
                Arguments.of((Executable) () -> new EnvironmentSpec.RandomFinite(10, 10, 11, 0.9, 0),
                        "environment.branching must be in [1, 10] but was 11"),
                Arguments.of((Executable) () -> new EnvironmentSpec.RandomSsp(10, 2, 3, 0.8, 0),
                        "environment.terminalMin must be in [1.0E-6, 0.7] but was 0.8"),
                Arguments.of((Executable) () -> new EnvironmentSpec.RandomSsp(10, 2, 3, 0.1, -1),
                        "environment.instance must be in [0, 9223372036854775807] but was -1"),
                Arguments.of((Executable) () -> new EnvironmentSpec.Lq(0.9, 9, 0.9, 0.5, 1, 0.1, 0.01, 0.0, 1, 0.25, 3, 3),
                        "environment.sigmaMu must be in (0, 1000000.0] but was 0.0"),
                Arguments.of((Executable) () -> new EnvironmentSpec.Portfolio(new org.pgflow.mdp.Portfolio.Parameters(
                                BALANCED.horizon(), BALANCED.maturity(), BALANCED.liquidRate(), BALANCED.lowRate(),
                                BALANCED.highRate(), BALANCED.switchProbability(), BALANCED.riskProbability(), 0.9995)),
                        "environment.investFraction must be in [0.0, 0.999] but was 0.9995"),
                Arguments.of((Executable) () -> new EnvironmentSpec.FiniteFile(Path.of("relative.json")),
                        "environment.file must be an absolute path"),
                Arguments.of((Executable) () -> new Knn(10, 1, 5), "meanfield.knnSample must be in [2, 100000] but was 1"),
                Arguments.of((Executable) () -> new MonteCarlo(1000, 200, 0, 1, 10, 16),
                        "meanfield.monitorRollouts must be in [2, 100000000] but was 1"),
                Arguments.of((Executable) () -> meanField(0, 0.05),
                        "meanfield.particles must be in [1, 17179869184] but was 0"),
                Arguments.of((Executable) () -> meanField(30),
                        "meanfield.dt = 30.0 is too large: the Langevin step needs dt·(sigma²/2)·lambdaU < 1"),
                Arguments.of((Executable) () -> new MeanFieldSpec(400, 1, 4.0, Schedule.constant(0.5),
                                Schedule.constant(0.3), 0.05, 1.0, Objective.VALUE, Evaluation.EXACT, false, 3.0, 4096, 0,
                                new Knn(10, 1000, 5), -1, new MonteCarlo(1000, 200, 0, 200, 10, 16)),
                        "the Monte Carlo settings (meanfield.summaryParticles, ...) apply to meanfield.evaluation: montecarlo"),
                Arguments.of((Executable) () -> new MeanFieldSpec(400, 1, 4.0, Schedule.constant(0.5),
                                Schedule.constant(0.3), 0.05, 1.0, Objective.VALUE, Evaluation.MONTECARLO, true, 3.0, 4096,
                                0, new Knn(10, 1000, 5), -1, new MonteCarlo(1000, 200, 0, 200, 10, 16)),
                        "meanfield.coupled: true needs meanfield.evaluation: exact"),
                Arguments.of((Executable) () -> new MeanFieldSpec(4, 1, 4.0, Schedule.constant(0.5),
                                Schedule.constant(0.3), 0.05, 1.0, Objective.VALUE, Evaluation.EXACT, false, 3.0, 4096, 0,
                                new Knn(10, 1000, 5), -1, null),
                        "meanfield.knnK = 5 must be smaller than the kNN subsample 4"),
                Arguments.of((Executable) () -> new MeanFieldSpec(400, 1, 4.0, Schedule.constant(2e6),
                                Schedule.constant(0.3), 0.05, 1.0, Objective.VALUE, Evaluation.EXACT, false, 3.0, 4096, 0,
                                new Knn(10, 1000, 5), -1, null),
                        "meanfield.tau must be in [0.0, 1000000.0] but was 2000000.0"),
                Arguments.of((Executable) () -> variance(Critic.INCREMENTAL, true, 2.0),
                        "variance.ridge must be in [0.0, 1.0] but was 2.0"),
                Arguments.of((Executable) () -> variance(Critic.TD0, false, 1e-8),
                        "variance.critic: td0 needs variance.criticStateFeatures: true"),
                Arguments.of((Executable) () -> new TabularSpec(TabularUpdate.NPG, 0.0, Schedule.constant(0.5)),
                        "tabular.stepSize must be in (0, 1.0E12] but was 0.0"),
                Arguments.of((Executable) () -> new SparkSpec("local[*]", -1),
                        "spark.partitions must be in [1, 100000] but was -1"),
                Arguments.of((Executable) () -> new SparkSpec("bogus", 2), "spark.master must be a Spark master URL"),
                Arguments.of((Executable) () -> new ExecutionSpec(EngineKind.LOCAL, 5000),
                        "threads must be in [1, 4096] but was 5000"));
    }

    @ParameterizedTest
    @MethodSource("outOfRange")
    void compactConstructorsRejectOutOfRangeFields(Executable build, String expected) {
        String m = message(build);
        assertTrue(m.startsWith(expected), "expected '" + expected + "…' but got: " + m);
    }

    static Stream<Arguments> combinations() {
        String finite = "{type: finite, file: '" + T1 + "'}";
        return Stream.of(
                Arguments.of("algorithm: meanfield\nenvironment: {type: risky-chain}\nmeanfield: {objective: value}",
                        "environment.type 'risky-chain' is an episodic problem: use meanfield.objective: variance"),
                Arguments.of("algorithm: meanfield\nenvironment: {type: portfolio}\nmeanfield: {objective: variance}",
                        "environment.type 'portfolio' has no exact evaluation (continuous states, not a finite SSP): use "
                                + "meanfield.evaluation: montecarlo"),
                Arguments.of("algorithm: meanfield\nenvironment: " + finite + "\nmeanfield: {objective: variance}",
                        "meanfield.objective: variance needs an episodic environment (ssp, risky-chain, random-ssp, "
                                + "portfolio) but "
                                + "environment.type is 'finite'"),
                Arguments.of("algorithm: meanfield\nenvironment: {type: risky-chain}\n"
                                + "meanfield: {objective: variance, coupled: true}",
                        "meanfield.coupled: true is not available with meanfield.objective: variance"),
                Arguments.of("algorithm: meanfield\nenvironment: {type: lq}",
                        "environment.type 'lq' has no exact evaluation: use meanfield.evaluation: montecarlo"),
                Arguments.of("algorithm: meanfield\nenvironment: {type: chain}\nmeanfield: {evaluation: montecarlo}",
                        "environment.type 'chain' is not available for algorithm meanfield"),
                Arguments.of("algorithm: tabular\nenvironment: {type: risky-chain}",
                        "environment.type 'risky-chain' is not available for algorithm tabular (exact evaluation)"),
                Arguments.of("algorithm: variance\nenvironment: " + finite,
                        "environment.type 'finite' is not available for algorithm variance"),
                Arguments.of("algorithm: variance\nenvironment: {type: portfolio}\nvariance: {critic: exact}",
                        "variance.critic: 'exact' needs a finite SSP environment, not portfolio"),
                Arguments.of("algorithm: variance\nenvironment: {type: risky-chain}\nvariance: {alphaExponent: 0.95}",
                        "variance.betaExponent (0.9) must exceed variance.alphaExponent (0.95)"));
    }

    @ParameterizedTest
    @MethodSource("combinations")
    void rulesBetweenSectionsAreChecked(String yaml, String expected) {
        String m = message(() -> RunConfig.from(tree(yaml), null));
        assertTrue(m.startsWith(expected), "expected '" + expected + "…' but got: " + m);
    }

    @Test
    void theTabularSectionBelongsToTabularRuns() {
        RunConfig cfg = RunConfig.from(tree("algorithm: variance\nenvironment: {type: risky-chain}"), null);
        assertNull(cfg.tabular());
        String m = message(() -> new RunConfig(cfg.name(), Algorithm.TABULAR, cfg.seed(), cfg.iterations(),
                cfg.checkpointEvery(), cfg.environment(), cfg.meanfield(), cfg.variance(), null, cfg.spark(),
                cfg.execution(), JsonFields.MAPPER.createObjectNode()));
        assertTrue(m.contains("tabular"), m);
        assertEquals("iterations must be in [0, 1000000000] but was -1", message(() -> new RunConfig(cfg.name(),
                cfg.algorithm(), cfg.seed(), -1, cfg.checkpointEvery(), cfg.environment(), cfg.meanfield(),
                cfg.variance(), null, cfg.spark(), cfg.execution(), cfg.resolved())));
    }
}
