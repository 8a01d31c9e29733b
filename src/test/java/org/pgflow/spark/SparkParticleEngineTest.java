package org.pgflow.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.Row;
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
import org.pgflow.meanfield.BlockOps;
import org.pgflow.meanfield.BlockSummaries;
import org.pgflow.meanfield.MeanFieldSetup;
import org.pgflow.meanfield.ParticleBlock;
import org.pgflow.meanfield.WeightTable;
import org.pgflow.train.LocalParticleEngine;
import org.pgflow.train.MeanFieldTrainer;
import org.pgflow.train.ParticleEngine;
import scala.reflect.ClassTag$;

/**
 * The Spark engine against the single-JVM engine (same kernels, same block order ⇒ the same bits), across
 * partition counts, reruns and lineage checkpoints; serialisation of everything that crosses the wire.
 */
class SparkParticleEngineTest {
    private static SparkSession spark;
    private static final FiniteMdp T1 = ModelFiles.loadMdp(TestSupport.env("t1.mdp.json"));

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSessions.create("local[2]", "pgflow-test");
        spark.sparkContext().setCheckpointDir(tmp.resolve("lineage").toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static RunConfig config(int partitions, long seed) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("algorithm", "meanfield");
        n.put("seed", seed);
        n.put("iterations", 12);
        n.putObject("environment").put("type", "finite").put("file", TestSupport.env("t1.mdp.json").toString());
        n.putObject("meanfield").put("particles", 230).put("blockSize", 32).put("coupled", true).put("knnEvery", 4)
                .put("knnSample", 60).put("sigma", 0.5);
        n.putObject("spark").put("partitions", partitions);
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

    static void assertSameBits(Outcome a, Outcome b, String what) {
        assertEquals(a.rows.size(), b.rows.size(), what);
        int time = MeanFieldTrainer.COLUMNS.indexOf("time_s");
        for (int k = 0; k < a.rows.size(); k++) {
            for (int c = 0; c < a.rows.get(k).length; c++) {
                if (c != time) {
                    assertEquals(a.rows.get(k)[c], b.rows.get(k)[c], what + ": row " + k + " column " + MeanFieldTrainer.COLUMNS.get(c));
                }
            }
        }
        assertEquals(a.blocks.size(), b.blocks.size(), what);
        for (int i = 0; i < a.blocks.size(); i++) {
            assertArrayEquals(a.blocks.get(i).theta(), b.blocks.get(i).theta(), what + ": block " + i);
            assertArrayEquals(a.blocks.get(i).coupled(), b.blocks.get(i).coupled(), what + ": coupled block " + i);
        }
    }

    @Test
    void sparkEqualsLocalAndIsPartitionInvariant() {
        // Sums are combined per block in block order on both engines, so the agreement is exact, which is
        // stronger than a 1e-12 relative tolerance.
        Outcome local = run(config(1, 11), new LocalParticleEngine());
        for (int partitions : new int[] {1, 2, 7}) {
            Outcome s = run(config(partitions, 11), new SparkParticleEngine(spark, partitions, 5));
            assertSameBits(local, s, partitions + " partitions vs single JVM");
        }
        int kl = MeanFieldTrainer.COLUMNS.indexOf("kl_knn");
        assertTrue(local.rows.get(4)[kl] != null && local.rows.get(5)[kl] == null, "kNN estimate every 4 iterations");
        assertTrue(local.rows.get(0)[MeanFieldTrainer.COLUMNS.indexOf("w2_coupled")] > 1, "coupled clouds start apart");
    }

    @Test
    void sameSeedReproducesAndOtherSeedDiffers() {
        Outcome a = run(config(3, 5), new SparkParticleEngine(spark, 3, 2));
        Outcome b = run(config(3, 5), new SparkParticleEngine(spark, 3, 1000));
        assertSameBits(a, b, "rerun with and without lineage checkpoints");
        Outcome c = run(config(3, 6), new SparkParticleEngine(spark, 3, 1000));
        assertTrue(a.blocks.get(0).theta()[0] != c.blocks.get(0).theta()[0], "a different seed gives different particles");
    }

    @Test
    void snapshotRoundTrip() {
        RunConfig cfg = config(2, 3);
        MeanFieldSetup setup = MeanFieldTrainer.setup(T1, cfg.meanfield(), cfg.seed());
        try (SparkParticleEngine engine = new SparkParticleEngine(spark, 2, 10)) {
            engine.init(setup);
            Path dir = tmp.resolve("snap");
            engine.snapshot(0, dir);
            List<Row> rows = spark.read().parquet(dir.toString()).orderBy("id").collectAsList();
            assertEquals(230, rows.size());
            ParticleBlock first = BlockOps.init(setup, 1);
            Row r = rows.get(32 + 5);
            assertEquals(32 + 5, r.getLong(0));
            List<Double> theta = r.getList(1);
            for (int j = 0; j < setup.layout().dim(); j++) {
                assertEquals(first.particle(5)[j], theta.get(j), 0.0);
            }
            assertTrue(Files.isDirectory(dir));
        }
    }

    @Test
    void autoPartitionsIsOneTaskPerCoreAndRecordedAsAuto() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("algorithm", "meanfield");
        n.putObject("environment").put("type", "finite").put("file", TestSupport.env("t1.mdp.json").toString());
        ConfigTree absent = ConfigTree.of(n.deepCopy());
        assertEquals(RunConfig.SparkSpec.AUTO, RunConfig.from(absent, null).spark().partitions(), "absent = auto");
        assertEquals("auto", absent.resolved().get("spark").get("partitions").asText());
        n.putObject("spark").put("partitions", "auto");
        assertEquals(RunConfig.SparkSpec.AUTO, RunConfig.from(ConfigTree.of(n), null).spark().partitions());
        assertEquals(spark.sparkContext().defaultParallelism(), SparkSessions.partitions(spark, RunConfig.SparkSpec.AUTO));
        assertEquals(3, SparkSessions.partitions(spark, 3));
    }

    @Test
    void everythingOnTheWireSerialises() throws Exception {
        RunConfig cfg = config(2, 3);
        MeanFieldSetup setup = MeanFieldTrainer.setup(T1, cfg.meanfield(), cfg.seed());
        ParticleBlock block = BlockOps.init(setup, 0);
        // Kryo with registration required, exactly as the session is configured.
        SerializerInstance kryo = new KryoSerializer(spark.sparkContext().getConf()).newInstance();
        ParticleBlock back = roundTrip(kryo, block);
        assertArrayEquals(block.theta(), back.theta());
        assertArrayEquals(block.coupled(), back.coupled());
        BlockSummaries sums = new BlockSummaries().add(BlockOps.summarize(setup, block, new long[] {1, 2}));
        assertArrayEquals(sums.total().outputSums(), roundTrip(kryo, sums).total().outputSums());
        WeightTable w = new WeightTable(3, new double[] {1, 2}, null, null);
        assertArrayEquals(w.weight, roundTrip(kryo, w).weight);
        // Task functions are Java-serialised: they must be small (setup + a handle), never the driver.
        for (Object f : new Object[] {new SparkParticleEngine.InitBlock(setup),
                new Jobs.FoldPartition<>(new BlockSummaries(), new SparkParticleEngine.SummarizeInto(setup, new long[] {1})),
                new Jobs.MapRow<>(new SparkParticleEngine.StepBlock(setup, spark.sparkContext().broadcast(w,
                        ClassTag$.MODULE$.apply(WeightTable.class)))),
                new SparkParticleEngine.ToRows()}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(f);
            }
            assertTrue(bytes.size() < 20_000, f.getClass().getSimpleName() + " serialises to " + bytes.size() + " bytes");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(SerializerInstance ser, T value) {
        ByteBuffer buf = ser.serialize(value, ClassTag$.MODULE$.apply(value.getClass()));
        return (T) ser.deserialize(buf, ClassTag$.MODULE$.apply(value.getClass()));
    }
}
