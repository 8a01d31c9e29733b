package org.pgflow.spark;

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
import org.pgflow.train.EpisodeEngine;
import org.pgflow.train.VarianceLoop;
import org.pgflow.train.VarianceLoop.CriticMode;
import org.pgflow.train.VarianceLoop.Settings;
import org.pgflow.variance.ActorCriticModel;
import org.pgflow.variance.ActorCriticState;
import org.pgflow.variance.StepSchedule;

/**
 * The actor–critic's episodes on Spark against the single-JVM loop: per-block sums combined in block order
 * make every iteration bit-identical, for 1 and 3 partitions, variants A and B, tabular and linear policies.
 */
class SparkEpisodeEngineTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.create("local[2]", "pgflow-variance-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static List<ActorCriticState> trace(ActorCriticModel m, Settings s, EpisodeEngine engine, int iterations) {
        List<ActorCriticState> out = new ArrayList<>();
        ActorCriticState st = ActorCriticState.initial(new double[m.numParameters()], m.criticDimension());
        for (int k = 0; k < iterations; k++) {
            st = VarianceLoop.iterate(m, st, 9, s, engine).next();
            out.add(st);
        }
        return out;
    }

    @Test
    void riskyChainIncrementalIsBitIdentical() {
        SspEnvironment env = SspEnvironment.of(RiskyChain.t7());
        ActorCriticModel m = ActorCriticModel.of(env, TabularSoftmaxPolicy.of(9, 2), env, 0.5, 10_000);
        Settings s = new Settings(CriticMode.INCREMENTAL, 300, 300, 16, StepSchedule.of(0.5, 1.0, 200), 20, 1e-8);
        List<ActorCriticState> local = trace(m, s, EpisodeEngine.LOCAL, 8);
        for (int partitions : new int[] {1, 3}) {
            List<ActorCriticState> sp = trace(m, s, new SparkEpisodeEngine(spark, partitions), 8);
            assertEquals(local, sp, partitions + " partitions vs single JVM (ActorCriticState.equals is bitwise)");
        }
    }

    @Test
    void portfolioLeastSquaresIsBitIdentical() {
        Portfolio env = Portfolio.balanced();
        ActorCriticModel m = ActorCriticModel.of(env, LinearSoftmaxPolicy.logistic(env), env, 2.0, 1000);
        Settings s = new Settings(CriticMode.LEAST_SQUARES, 150, 120, 32, StepSchedule.of(0.01, 5, 100), 50, 1e-8);
        List<ActorCriticState> local = trace(m, s, EpisodeEngine.LOCAL, 3);
        List<ActorCriticState> sp = trace(m, s, new SparkEpisodeEngine(spark, 3), 3);
        assertEquals(local, sp, "3 partitions vs single JVM");
        assertTrue(local.get(2).theta()[0] != 0, "the actor moved");
    }
}
