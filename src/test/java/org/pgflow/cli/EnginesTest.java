package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgflow.TestSupport;
import org.pgflow.io.ParticleSnapshots;
import org.pgflow.spark.SparkSessions;
import org.pgflow.util.JsonFields;

/**
 * The in-JVM engine against the Spark engine, end to end through the command line: the same config gives the
 * same metrics (every column but the wall time), policy, final particles and checkpoint files, for any thread
 * count and partition count, in the three loops (exact mean-field with the coupled cloud and kNN diagnostics,
 * Monte Carlo mean-field, the actor–critic); a checkpoint of either engine resumes on the other with the same
 * bits; a run on the in-JVM engine starts no Spark; its Parquet snapshots read back in Spark as Spark's own.
 */
class EnginesTest {
    @TempDir
    Path tmp;

    static final String EXACT = """
            algorithm: meanfield
            seed: 5
            iterations: 12
            checkpointEvery: 5
            environment:
              type: finite
              file: %s
            meanfield:
              particles: 230
              blockSize: 32
              coupled: true
              knnEvery: 4
              knnSample: 60
              sigma: 0.5
              snapshotEvery: 6
            """.formatted(TestSupport.env("t1.mdp.json"));

    static final String MONTE_CARLO = """
            algorithm: meanfield
            seed: 3
            iterations: 8
            checkpointEvery: 3
            environment:
              type: random-finite
              states: 4
              actions: 2
            meanfield:
              particles: 90
              blockSize: 20
              evaluation: montecarlo
              summaryParticles: 50
              rolloutStates: 30
              monitorRollouts: 20
              rolloutBlock: 7
              knnEvery: 0
            """;

    static final String VARIANCE = """
            algorithm: variance
            seed: 2
            iterations: 9
            checkpointEvery: 4
            environment:
              type: risky-chain
            variance:
              lambda: 0.5
              episodes: 70
              blockSize: 16
              critic: least-squares
              criticEpisodes: 50
              evalEpisodes: 200
            """;

    /**
     * Exact mean-field on a 6 × 5 random MDP: P = 30 one-hot points for d_x + 1 = 12 exponentials, so the vector
     * kernels factor the activations; a block of 600 particles takes the vector path, one of 500 the lane code, and
     * the coupled cloud starts wide (N(0, 9I)).
     */
    static final String FACTORED = """
            algorithm: meanfield
            seed: 4
            iterations: 10
            checkpointEvery: 4
            environment:
              type: random-finite
              states: 6
              actions: 5
            meanfield:
              particles: 1100
              blockSize: 600
              coupled: true
              knnEvery: 5
              knnSample: 60
            """;

    /** EXACT with τ and σ annealed (σ_k travels with the step's weight table). */
    static final String ANNEALED = EXACT.replace("  sigma: 0.5\n",
            "  sigma: {schedule: exponential, start: 0.8, floor: 0.2, timeScale: 0.2}\n"
                    + "  tau: {schedule: steps, start: 0.5, steps: [[0.3, 0.2]]}\n");

    /** MONTE_CARLO with σ annealed and τ on a power law. */
    static final String ANNEALED_MONTE_CARLO = MONTE_CARLO.replace("  knnEvery: 0\n",
            "  knnEvery: 0\n  sigma: {schedule: log, start: 0.9, floor: 0.1, timeScale: 0.05}\n"
                    + "  tau: {schedule: power, start: 1.0, timeScale: 0.1, exponent: 1}\n");

    static final String TABULAR = """
            algorithm: tabular
            iterations: 25
            checkpointEvery: 10
            environment:
              type: random-finite
              states: 5
              actions: 3
            tabular:
              update: npg
              stepSize: 0.1
              tau: {schedule: exponential, start: 0.5, floor: 0.05, timeScale: 10}
            """;

    static final String VARIANCE_MEAN_FIELD = """
            algorithm: meanfield
            seed: 6
            iterations: 10
            checkpointEvery: 4
            environment:
              type: risky-chain
            meanfield:
              objective: variance
              particles: 70
              blockSize: 16
              dt: 0.5
              knnEvery: 5
              knnSample: 40
              sigma: {schedule: exponential, start: 0.3, floor: 0.1, timeScale: 1}
            variance:
              lambda: 0.5
            """;

    static final String VARIANCE_MEAN_FIELD_MC = VARIANCE_MEAN_FIELD.replace("  objective: variance\n",
            "  objective: variance\n  evaluation: montecarlo\n").replace("  lambda: 0.5\n",
            "  lambda: 0.5\n  episodes: 45\n  blockSize: 8\n");

    private Path config(String name, String text) throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, text);
        return f;
    }

    private Path run(Path config, String label, String... extra) {
        Path out = tmp.resolve(label);
        List<String> args = new ArrayList<>(List.of("run", config.toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        CliTest.Run r = CliTest.run(args.toArray(new String[0]));
        assertEquals(0, r.status(), label + ": " + r.err());
        return out;
    }

    /** metrics.csv without the time_s column. */
    static List<String> metrics(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        int time = List.of(lines.get(0).split(",", -1)).indexOf("time_s");
        for (String line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(time);
            out.add(String.join(",", cells));
        }
        return out;
    }

    static void assertSameRun(Path expected, Path actual, String what) throws IOException {
        assertEquals(metrics(expected), metrics(actual), what + ": metrics.csv (all columns but time_s)");
        for (String f : List.of("policy.json", "returns.csv")) {
            if (Files.exists(expected.resolve(f))) {
                assertEquals(Files.readString(expected.resolve(f)), Files.readString(actual.resolve(f)), what + ": " + f);
            }
        }
        JsonNode a = JsonFields.MAPPER.readTree(expected.resolve("run.json").toFile()).get("final");
        JsonNode b = JsonFields.MAPPER.readTree(actual.resolve("run.json").toFile()).get("final");
        for (var it = a.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("time_s") && !k.equals("secondsPerIteration")) {
                assertEquals(a.get(k), b.get(k), what + ": final." + k);
            }
        }
    }

    /** The block files of every checkpoint, byte for byte. */
    static void assertSameCheckpoints(Path expected, Path actual, String what) throws IOException {
        List<Path> a = checkpointFiles(expected);
        assertFalse(a.isEmpty(), what + ": checkpoints written");
        assertEquals(a.stream().map(p -> expected.relativize(p).toString()).toList(),
                checkpointFiles(actual).stream().map(p -> actual.relativize(p).toString()).toList(), what + ": files");
        for (Path p : a) {
            if (p.getFileName().toString().endsWith(".bin") || p.getFileName().toString().equals("actor-critic.json")) {
                assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(actual.resolve(expected.relativize(p))),
                        what + ": " + expected.relativize(p));
            }
        }
    }

    private static List<Path> checkpointFiles(Path run) throws IOException {
        try (Stream<Path> s = Files.walk(run.resolve("checkpoint"))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void exactMeanFieldIsTheSameOnEveryEngine() throws IOException {
        Path cfg = config("exact", EXACT);
        Path one = run(cfg, "local-1", "--set", "threads=1");
        assertSameRun(one, run(cfg, "local-3", "--set", "threads=3"), "threads 1 vs 3");
        for (int p : new int[] {1, 3}) {
            Path spark = run(cfg, "spark-" + p, "--engine", "spark", "--master", "local[2]", "--set", "spark.partitions=" + p);
            assertSameRun(one, spark, "in-JVM vs Spark, " + p + " partitions");
            assertSameCheckpoints(one, spark, "in-JVM vs Spark, " + p + " partitions");
        }
        Path spark = tmp.resolve("spark-3");
        // The final snapshots hold the same particles, whichever engine wrote them.
        double[][] a = ParticleSnapshots.read(one.resolve("particles/iter-000000012"), Integer.MAX_VALUE);
        double[][] b = ParticleSnapshots.read(spark.resolve("particles/iter-000000012"), Integer.MAX_VALUE);
        assertEquals(230, a.length);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "snapshot particle " + i);
        }
        // The Parquet schema of the in-JVM engine's files is the one Spark writes.
        assertEquals(parquetSchema(spark.resolve("particles/iter-000000012")),
                parquetSchema(one.resolve("particles/iter-000000012")), "Parquet schema");
    }

    @Test
    void monteCarloMeanFieldIsTheSameOnEveryEngine() throws IOException {
        Path cfg = config("mc", MONTE_CARLO);
        Path one = run(cfg, "local-1", "--set", "threads=1");
        assertTrue(Files.isRegularFile(one.resolve("policy.json")), "a Monte Carlo run on a finite MDP writes policy.json");
        assertEquals(4, JsonFields.MAPPER.readTree(one.resolve("policy.json").toFile()).get("probabilities").size());
        assertSameRun(one, run(cfg, "local-2", "--set", "threads=2"), "threads 1 vs 2");
        for (int p : new int[] {1, 3}) {
            Path spark = run(cfg, "spark-" + p, "--engine", "spark", "--master", "local[2]", "--set", "spark.partitions=" + p);
            assertSameRun(one, spark, "in-JVM vs Spark, " + p + " partitions");
            assertSameCheckpoints(one, spark, "in-JVM vs Spark, " + p + " partitions");
        }
    }

    @Test
    void actorCriticIsTheSameOnEveryEngine() throws IOException {
        Path cfg = config("variance", VARIANCE);
        Path one = run(cfg, "local-1", "--set", "threads=1");
        assertSameRun(one, run(cfg, "local-3", "--set", "threads=3"), "threads 1 vs 3");
        for (int p : new int[] {1, 3}) {
            Path spark = run(cfg, "spark-" + p, "--engine", "spark", "--master", "local[2]", "--set", "spark.partitions=" + p);
            assertSameRun(one, spark, "in-JVM vs Spark, " + p + " partitions");
            assertSameCheckpoints(one, spark, "in-JVM vs Spark, " + p + " partitions");
        }
    }

    /** threads 1 vs 3, and Spark with 1 and 3 partitions: metrics, policy, final, checkpoints. */
    private void sameOnEveryEngine(String name, String text) throws IOException {
        Path cfg = config(name, text);
        Path one = run(cfg, name + "-local-1", "--set", "threads=1");
        assertSameRun(one, run(cfg, name + "-local-3", "--set", "threads=3"), name + ": threads 1 vs 3");
        for (int p : new int[] {1, 3}) {
            Path spark = run(cfg, name + "-spark-" + p, "--engine", "spark", "--master", "local[2]", "--set",
                    "spark.partitions=" + p);
            assertSameRun(one, spark, name + ": in-JVM vs Spark, " + p + " partitions");
            assertSameCheckpoints(one, spark, name + ": in-JVM vs Spark, " + p + " partitions");
        }
    }

    @Test
    void annealedExactMeanFieldIsTheSameOnEveryEngine() throws IOException {
        sameOnEveryEngine("annealed", ANNEALED);
    }

    @Test
    void annealedMonteCarloMeanFieldIsTheSameOnEveryEngine() throws IOException {
        sameOnEveryEngine("annealed-mc", ANNEALED_MONTE_CARLO);
    }

    @Test
    void factoredActivationsAreTheSameOnEveryEngineAndAcrossAResume() throws IOException {
        sameOnEveryEngine("factored", FACTORED);
        resumeAcross(FACTORED, "iter-000000004", "spark", "local");
    }

    @Test
    void tabularBaselinesAreTheSameOnEveryEngine() throws IOException {
        sameOnEveryEngine("tabular", TABULAR);
    }

    @Test
    void varianceAdjustedMeanFieldIsTheSameOnEveryEngine() throws IOException {
        sameOnEveryEngine("variance-mf", VARIANCE_MEAN_FIELD);
        sameOnEveryEngine("variance-mf-mc", VARIANCE_MEAN_FIELD_MC);
    }

    /** A finished run resumed from an earlier checkpoint redoes the rest: it must end where it ended. */
    private void resumeAcross(String text, String from, String fromEngine, String toEngine) throws IOException {
        Path cfg = config("resume", text);
        String label = text.substring(text.indexOf("seed:"), text.indexOf('\n', text.indexOf("seed:"))).replaceAll("\\W", "")
                + "-" + fromEngine + "-" + toEngine;
        Path full = run(cfg, "full-" + label, "--engine", fromEngine, "--master", "local[2]");
        Path copy = tmp.resolve("resumed-" + label);
        copyTree(full, copy);
        // As if the run had been killed after its last iteration: a completed run is never resumed.
        Files.writeString(copy.resolve("run.json"), Files.readString(copy.resolve("run.json"))
                .replace("\"status\" : \"completed\"", "\"status\" : \"interrupted\""));
        CliTest.Run r = CliTest.run("run", "--resume", copy.toString(), "--resume-from", from, "--engine", toEngine);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("on the " + toEngine + " engine"), r.err());
        assertSameRun(full, copy, fromEngine + " checkpoint resumed on " + toEngine);
        JsonNode m = JsonFields.MAPPER.readTree(copy.resolve("run.json").toFile());
        assertEquals(toEngine, m.get("engine").asText());
    }

    @Test
    void aCheckpointResumesOnTheOtherEngineWithTheSameBits() throws IOException {
        resumeAcross(EXACT, "iter-000000005", "local", "spark");
        resumeAcross(EXACT, "iter-000000005", "spark", "local");
        resumeAcross(VARIANCE, "iter-000000004", "spark", "local");
        resumeAcross(MONTE_CARLO, "iter-000000003", "local", "spark");
        resumeAcross(VARIANCE_MEAN_FIELD_MC, "iter-000000004", "spark", "local");
        resumeAcross(ANNEALED_MONTE_CARLO, "iter-000000003", "spark", "local");
    }

    @Test
    void theInJvmEngineStartsNoSparkAndItsSnapshotsAreSparksOwn() throws IOException {
        Path cwd = Path.of("").toAbsolutePath();
        boolean warehouseBefore = Files.exists(cwd.resolve("spark-warehouse"));
        Path cfg = config("exact", EXACT);
        Path out = run(cfg, "no-spark");
        assertTrue(SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty(),
                "a run on the in-JVM engine created a SparkSession");
        assertTrue(org.apache.spark.SparkContext$.MODULE$.getActive().isEmpty(), "a SparkContext is active");
        assertEquals(warehouseBefore, Files.exists(cwd.resolve("spark-warehouse")), "spark-warehouse created");
        assertFalse(Files.exists(out.resolve("spark-warehouse")));
        assertEquals("local", JsonFields.MAPPER.readTree(out.resolve("run.json").toFile()).get("engine").asText());

        // Spark reads the in-JVM engine's snapshot with the schema it writes itself.
        Path snap = out.resolve("particles/iter-000000012");
        double[][] rows = ParticleSnapshots.read(snap, Integer.MAX_VALUE);
        SparkSession spark = SparkSessions.create("local[1]", "pgflow-test");
        try {
            Dataset<Row> df = spark.read().parquet(snap.toString());
            assertEquals("struct<id:bigint,theta:array<double>>", df.schema().simpleString());
            List<Row> got = df.orderBy("id").collectAsList();
            assertEquals(rows.length, got.size());
            for (int i = 0; i < rows.length; i++) {
                assertEquals(i, got.get(i).getLong(0));
                List<Double> theta = got.get(i).getList(1);
                assertArrayEquals(rows[i], theta.stream().mapToDouble(Double::doubleValue).toArray(), "particle " + i);
            }
        } finally {
            spark.stop();
        }
    }

    static String parquetSchema(Path snapshot) throws IOException {
        try (Stream<Path> s = Files.list(snapshot)) {
            Path part = s.filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
            try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop.ParquetFileReader.open(
                    new org.apache.parquet.io.LocalInputFile(part))) {
                return r.getFooter().getFileMetaData().getSchema().toString();
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted().toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
