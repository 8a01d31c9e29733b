package org.pgflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgflow.mdp.Portfolio;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.policy.LinearSoftmaxPolicy;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.spark.SparkEpisodeEngine;
import org.pgflow.spark.SparkSessions;
import org.pgflow.train.VarianceLoop.CriticMode;
import org.pgflow.train.VarianceLoop.Settings;
import org.pgflow.variance.ActorCriticModel;
import org.pgflow.variance.ActorCriticState;
import org.pgflow.variance.StepSchedule;

/**
 * The TD(0) and LSTD(λ) critics on the unchanged Spark episode engine: the TD(0) increments travel in
 * {@code EpisodeSums} and the LSTD sums in {@code NormalEquations} (Kryo, registration required), per-block
 * results are combined in block order, so every iteration equals the single-JVM loop bit for bit for 1 and 3
 * partitions.
 */
class TdLstdSparkEngineTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.create("local[2]", "pgflow-td-lstd-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<ActorCriticState> trace(ActorCriticModel m, Settings s, EpisodeEngine engine, int iterations) {
        List<ActorCriticState> out = new ArrayList<>();
        ActorCriticState st = ActorCriticState.initial(new double[m.numParameters()], m.criticDimension());
        for (int k = 0; k < iterations; k++) {
            st = VarianceLoop.iterate(m, st, 9, s, engine).next();
            out.add(st);
        }
        return out;
    }

    @Test
    void riskyChainTd0AndLstdAreBitIdenticalOnSpark() {
        SspEnvironment env = SspEnvironment.of(RiskyChain.t7());
        ActorCriticModel m = ActorCriticModel.of(env, TabularSoftmaxPolicy.of(9, 2), env, 0.5, 10_000);
        for (Settings s : new Settings[] {
            new Settings(CriticMode.TD0, 200, 200, 16, StepSchedule.of(1.0, 0.3, 200), 20, 1e-8),
            new Settings(CriticMode.LSTD, 100, 150, 16, StepSchedule.of(0.5, 1.0, 200), 20, 1e-8, 0.6)}) {
            List<ActorCriticState> local = trace(m, s, EpisodeEngine.LOCAL, 5);
            for (int partitions : new int[] {1, 3}) {
                assertEquals(local, trace(m, s, new SparkEpisodeEngine(spark, partitions), 5),
                        s.critic() + ", " + partitions + " partitions vs single JVM (bitwise), seed 9");
            }
        }
    }

    @Test
    void portfolioTd0AndLstdAreBitIdenticalOnSpark() {
        Portfolio env = Portfolio.balanced();
        ActorCriticModel m = ActorCriticModel.of(env, LinearSoftmaxPolicy.logistic(env), env, 2.0, 1000);
        for (Settings s : new Settings[] {
            new Settings(CriticMode.TD0, 100, 100, 32, StepSchedule.of(0.01, 5, 100), 50, 1e-8),
            new Settings(CriticMode.LSTD, 100, 120, 32, StepSchedule.of(0.01, 5, 100), 50, 1e-8, 0.0)}) {
            List<ActorCriticState> local = trace(m, s, EpisodeEngine.LOCAL, 3);
            assertEquals(local, trace(m, s, new SparkEpisodeEngine(spark, 3), 3), s.critic() + ", 3 partitions, seed 9");
            assertTrue(local.get(2).theta()[0] != 0, s.critic() + ": the actor moved");
        }
    }
}
