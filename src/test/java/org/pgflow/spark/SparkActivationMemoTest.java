package org.pgflow.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgflow.TestSupport;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.RunConfig;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.meanfield.ParticleBlock;
import org.pgflow.train.LocalParticleEngine;
import org.pgflow.train.MeanFieldTrainer;
import org.pgflow.train.ParticleEngine;

/**
 * The activation memo forced on (whatever the kernels prefer) on Spark, with cached partitions, lineage
 * checkpoints and several partitionings, against the single-JVM engine without it: the same bits.
 */
class SparkActivationMemoTest {
    private static SparkSession spark;
    private static final FiniteMdp T1 = ModelFiles.loadMdp(TestSupport.env("t1.mdp.json"));

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSessions.create("local[2]", "pgflow-memo-test");
        spark.sparkContext().setCheckpointDir(tmp.resolve("lineage").toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static RunConfig config(long cacheMb) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("algorithm", "meanfield");
        n.put("seed", 9);
        n.put("iterations", 9);
        n.putObject("environment").put("type", "finite").put("file", TestSupport.env("t1.mdp.json").toString());
        // 3 blocks of 64 and one of 8; a budget of 1 MiB holds all of them (6 points × 8 B × 2 clouds per particle).
        n.putObject("meanfield").put("particles", 200).put("blockSize", 64).put("coupled", true).put("knnEvery", 0)
                .put("activationCacheMB", cacheMb);
        return RunConfig.from(ConfigTree.of(n), null);
    }

    record Outcome(List<Double[]> rows, List<ParticleBlock> blocks) {
    }

    static Outcome run(RunConfig cfg, ParticleEngine engine) {
        List<Double[]> rows = new ArrayList<>();
        try (engine) {
            MeanFieldTrainer.run(T1, cfg.meanfield(), cfg.seed(), cfg.iterations(), engine, r -> rows.add(r.cells()), (k, t, o, g) -> { }, null);
            return new Outcome(rows, engine.blocks());
        }
    }

    @Test
    void forcedMemoOnSparkEqualsSingleJvmWithout() {
        Outcome local = run(config(0), new LocalParticleEngine());
        int time = MeanFieldTrainer.COLUMNS.indexOf("time_s");
        for (int partitions : new int[] {1, 3}) {
            Outcome s = run(config(1), new SparkParticleEngine(spark, partitions, 4));
            for (int k = 0; k < local.rows.size(); k++) {
                for (int c = 0; c < local.rows.get(k).length; c++) {
                    if (c != time) {
                        assertEquals(local.rows.get(k)[c], s.rows.get(k)[c], partitions + " partitions, row " + k
                                + " column " + MeanFieldTrainer.COLUMNS.get(c));
                    }
                }
            }
            for (int b = 0; b < local.blocks.size(); b++) {
                assertArrayEquals(local.blocks.get(b).theta(), s.blocks.get(b).theta(), "block " + b);
                assertArrayEquals(local.blocks.get(b).coupled(), s.blocks.get(b).coupled(), "coupled block " + b);
            }
        }
    }
}
