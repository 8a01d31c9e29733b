package org.pgflow.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgflow.TestSupport;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.RunConfig;
import org.pgflow.meanfield.ParticleBlock;
import org.pgflow.train.LocalParticleEngine;
import org.pgflow.train.MonteCarloMeanFieldTrainer;
import org.pgflow.train.ParticleEngine;
import org.pgflow.train.RolloutEngine;

/**
 * Monte Carlo mode on Spark: distributed rollouts and the particle RDD give the same bits as the single-JVM
 * engines, for 1 and 3 partitions (rollout blocks and particle blocks are combined in id order).
 */
class SparkMonteCarloTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.create("local[2]", "pgflow-mc-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static List<Object> run(ParticleEngine engine, RolloutEngine rollouts, boolean continuous) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("algorithm", "meanfield");
        n.put("seed", 4);
        n.put("iterations", 4);
        if (continuous) {
            n.putObject("environment").put("type", "pendulum").put("gridSize", 5);
        } else {
            n.putObject("environment").put("type", "finite").put("file", TestSupport.env("t1.mdp.json").toString());
        }
        n.putObject("meanfield").put("particles", 90).put("blockSize", 20).put("evaluation", "montecarlo")
                .put("summaryParticles", 50).put("rolloutStates", 40).put("monitorRollouts", 30).put("episodeReturns", 3)
                .put("rolloutBlock", 7).put("knnEvery", 2).put("knnSample", 40).put("dt", 0.05);
        RunConfig cfg = RunConfig.from(ConfigTree.of(n), null);
        org.pgflow.run.MeanFieldJob.Problem pb = org.pgflow.run.MeanFieldJob.problem(cfg);
        RunConfig.MeanFieldSpec mf = cfg.meanfield();
        List<Double[]> rows = new ArrayList<>();
        try (engine) {
            MonteCarloMeanFieldTrainer.run(pb.mc(), mf, new MonteCarloMeanFieldTrainer.Settings(mf.summaryParticles(),
                    mf.rolloutStates(), 0, mf.monitorRollouts(), mf.episodeReturns(), mf.rolloutBlock()), cfg.seed(),
                    cfg.iterations(), engine, rollouts, r -> rows.add(r.cells()), (k, t, o, g) -> { }, null);
            List<Object> out = new ArrayList<>(rows);
            for (ParticleBlock b : engine.blocks()) {
                out.add(b.theta());
            }
            return out;
        }
    }

    static void assertSame(List<Object> a, List<Object> b, String what) {
        assertEquals(a.size(), b.size(), what);
        int time = MonteCarloMeanFieldTrainer.COLUMNS.indexOf("time_s");
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) instanceof Double[] ra) {
                Double[] rb = (Double[]) b.get(i);
                for (int c = 0; c < ra.length; c++) {
                    if (c != time) {
                        assertEquals(ra[c], rb[c], what + ": row " + i + " " + MonteCarloMeanFieldTrainer.COLUMNS.get(c));
                    }
                }
            } else {
                assertArrayEquals((double[]) a.get(i), (double[]) b.get(i), what + ": block " + i);
            }
        }
    }

    @Test
    void finiteProblemIsPartitionInvariant() {
        List<Object> local = run(new LocalParticleEngine(), RolloutEngine.LOCAL, false);
        for (int p : new int[] {1, 3}) {
            assertSame(local, run(new SparkParticleEngine(spark, p, 2), new SparkRolloutEngine(spark, p), false),
                    p + " partitions vs single JVM (T1)");
        }
    }

    @Test
    void pendulumIsPartitionInvariant() {
        List<Object> local = run(new LocalParticleEngine(), RolloutEngine.LOCAL, true);
        assertSame(local, run(new SparkParticleEngine(spark, 3, 2), new SparkRolloutEngine(spark, 3), true),
                "3 partitions vs single JVM (Pendulum)");
    }
}
