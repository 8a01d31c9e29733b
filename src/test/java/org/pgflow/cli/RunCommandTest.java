package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgflow.TestSupport;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.RunConfig;
import org.pgflow.train.MeanFieldTrainer;
import org.pgflow.util.JsonFields;

/** {@code pgflow run} end to end in-process (embedded local Spark), and config validation. */
class RunCommandTest {
    @TempDir
    Path tmp;

    private static final String T1 = TestSupport.env("t1.mdp.json").toString();

    private Path config(String body) throws Exception {
        Path f = tmp.resolve("cfg.yaml");
        Files.writeString(f, body);
        return f;
    }

    private static final String GOOD = """
            algorithm: meanfield
            seed: 3
            iterations: 6
            environment:
              type: finite
              file: %s
            meanfield:
              particles: 50
              blockSize: 16
              coupled: true
              knnEvery: 3
              knnSample: 40
              snapshotEvery: 5
            spark:
              partitions: 2
            """;

    @Test
    void sparkEngineIsRecorded() throws Exception {
        Path out = tmp.resolve("spark-run");
        CliTest.Run r = CliTest.run("run", config(GOOD.formatted(T1)).toString(), "--out", out.toString(),
                "--master", "local[2]", "--engine", "spark", "--set", "iterations=2");
        assertEquals(0, r.status(), r.err());
        JsonNode manifest = JsonFields.MAPPER.readTree(out.resolve("run.json").toFile());
        assertEquals("spark", manifest.get("engine").asText());
        assertEquals(2, manifest.get("partitions").intValue());
        assertTrue(manifest.has("sparkVersion"));
        assertFalse(manifest.has("threads"));
        assertEquals(Main.EXIT_INVALID, CliTest.run("run", config(GOOD.formatted(T1)).toString(), "--out",
                tmp.resolve("bad-engine").toString(), "--engine", "cluster").status());
        assertFalse(Files.exists(tmp.resolve("bad-engine")), "nothing written for a bad --engine");
    }

    @Test
    void runWritesTheRunDirectory() throws Exception {
        Path out = tmp.resolve("run");
        CliTest.Run r = CliTest.run("run", config(GOOD.formatted(T1)).toString(), "--out", out.toString(),
                "--master", "local[2]", "--set", "meanfield.sigma=0.4");
        assertEquals(0, r.status(), r.err());
        JsonNode manifest = JsonFields.MAPPER.readTree(out.resolve("run.json").toFile());
        assertEquals("completed", manifest.get("status").asText());
        assertEquals(0.4, manifest.get("config").get("meanfield").get("sigma").doubleValue());
        assertEquals("local[2]", manifest.get("master").asText());
        assertEquals("local", manifest.get("engine").asText(), "engine: auto on an embedded master");
        assertEquals(2, manifest.get("threads").intValue(), "threads: auto takes the N of local[N]");
        assertTrue(manifest.has("gitCommit") && manifest.has("javaVersion"));
        assertFalse(manifest.has("sparkVersion") || manifest.has("partitions"), "no Spark on the in-JVM engine");
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(String.join(",", MeanFieldTrainer.COLUMNS), lines.get(0));
        assertEquals(1 + 7, lines.size(), "header + rows for iterations 0..6");
        assertTrue(lines.get(1).startsWith("0,"));
        JsonNode policy = JsonFields.MAPPER.readTree(out.resolve("policy.json").toFile());
        assertEquals(2, policy.get("probabilities").size());
        assertTrue(Files.isDirectory(out.resolve("particles/iter-000000000")), "snapshot at 0");
        assertTrue(Files.isDirectory(out.resolve("particles/iter-000000005")), "snapshot at 5");
        assertTrue(Files.isDirectory(out.resolve("particles/iter-000000006")), "final snapshot");
        assertFalse(Files.exists(out.resolve(".lineage")), "lineage checkpoints are cleaned up");
        assertTrue(r.out().contains("run directory"), r.out());
        // Progress lines go to stderr, with no Spark INFO chatter.
        assertTrue(r.err().contains("iter 0/6") && r.err().contains("iter 6/6"), r.err());
        assertFalse(r.err().contains(" INFO "), r.err());
        // The report is written at the end of every run.
        for (String png : List.of("objective", "value", "gap", "w2-coupled", "policy", "particles")) {
            assertPng(out.resolve("plots/" + png + ".png"));
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("policy.png") && html.contains("completed"));

        // A failed run's directory (status failed, metrics cut short): `report` shows what exists.
        Path failed = tmp.resolve("failed");
        Files.createDirectories(failed);
        List<String> some = Files.readAllLines(out.resolve("metrics.csv")).subList(0, 4);
        Files.write(failed.resolve("metrics.csv"), some);
        Files.writeString(failed.resolve("run.json"), Files.readString(out.resolve("run.json"))
                .replace("\"completed\"", "\"failed\""));
        CliTest.Run rep = CliTest.run("report", failed.toString());
        assertEquals(0, rep.status(), rep.err());
        assertPng(failed.resolve("plots/gap.png"));
        assertTrue(Files.readString(failed.resolve("report.html")).contains("failed"));
        assertEquals(Main.EXIT_INVALID, CliTest.run("report", tmp.resolve("nothing").toString()).status());

        CliTest.Run again = CliTest.run("run", config(GOOD.formatted(T1)).toString(), "--out", out.toString());
        assertEquals(Main.EXIT_INVALID, again.status(), "an existing run directory is never overwritten");
        assertTrue(again.err().contains("not empty"), again.err());
    }

    @Test
    void varianceRunWritesTheRunDirectory() throws Exception {
        Path out = tmp.resolve("var");
        String body = """
                algorithm: variance
                seed: 2
                iterations: 40
                environment:
                  type: risky-chain
                variance:
                  lambda: 0.5
                  episodes: 40
                  blockSize: 16
                  evalEpisodes: 500
                spark:
                  partitions: 2
                """;
        CliTest.Run r = CliTest.run("run", config(body).toString(), "--out", out.toString(), "--master", "local[2]");
        assertEquals(0, r.status(), r.err());
        JsonNode manifest = JsonFields.MAPPER.readTree(out.resolve("run.json").toFile());
        assertEquals("completed", manifest.get("status").asText());
        assertEquals(500, manifest.get("final").get("episodes").intValue());
        assertTrue(manifest.get("final").has("SD") && manifest.get("final").has("exact_eta"));
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(String.join(",", org.pgflow.run.VarianceJob.COLUMNS), lines.get(0));
        assertEquals(1 + 41, lines.size(), "header + iterations 0..40");
        JsonNode policy = JsonFields.MAPPER.readTree(out.resolve("policy.json").toFile());
        assertEquals(9, policy.get("probabilities").size());
        assertTrue(r.out().contains("final J"), r.out());
        for (String png : List.of("J", "Var", "eta", "returns")) {
            assertPng(out.resolve("plots/" + png + ".png"));
        }
        assertEquals(501, Files.readAllLines(out.resolve("returns.csv")).size());
    }

    @Test
    void varianceConfigErrors() throws Exception {
        String body = """
                algorithm: variance
                environment:
                  type: portfolio
                  riskProbability: 1.5
                """;
        CliTest.Run r = CliTest.run("run", config(body).toString(), "--out", tmp.resolve("n").toString());
        assertEquals(Main.EXIT_INVALID, r.status());
        assertTrue(r.err().contains("environment.riskProbability must be in [0.0, 1.0] but was 1.5"), r.err());
        String exact = """
                algorithm: variance
                environment:
                  type: portfolio
                variance:
                  critic: exact
                """;
        CliTest.Run r2 = CliTest.run("run", config(exact).toString(), "--out", tmp.resolve("n").toString());
        assertEquals(Main.EXIT_INVALID, r2.status());
        assertTrue(r2.err().contains("variance.critic: 'exact' needs a finite SSP"), r2.err());
        String mf = """
                algorithm: meanfield
                environment:
                  type: risky-chain
                """;
        CliTest.Run r3 = CliTest.run("run", config(mf).toString(), "--out", tmp.resolve("n").toString());
        assertEquals(Main.EXIT_INVALID, r3.status());
        assertTrue(r3.err().contains("environment.type 'risky-chain' is an episodic problem: use meanfield.objective: "
                + "variance"), r3.err());
    }

    static void assertPng(Path f) throws Exception {
        assertTrue(Files.isRegularFile(f), f + " exists");
        byte[] b = Files.readAllBytes(f);
        assertTrue(b.length > 1000, f + " is not empty");
        assertEquals((byte) 0x89, b[0], f.toString());
        assertEquals("PNG", new String(b, 1, 3, java.nio.charset.StandardCharsets.US_ASCII), f.toString());
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("meanfield:\n  particles: 50\n", "meanfield:\n  particles: 0\n", "meanfield.particles must be in [1,"),
                Arguments.of("meanfield:\n  particles: 50\n", "meanfield:\n  particles: 50\n  sigma: -0.1\n", "meanfield.sigma must be in [0.0,"),
                Arguments.of("meanfield:\n  particles: 50\n", "meanfield:\n  particles: 50\n  dt: 0\n", "meanfield.dt must be in (0,"),
                Arguments.of("meanfield:\n  particles: 50\n", "meanfield:\n  particles: 50\n  sigma: 10\n  dt: 1\n", "meanfield.dt = 1.0 is too large"),
                Arguments.of("meanfield:\n  particles: 50\n", "meanfield:\n  particles: 50\n  tau: NaN\n", "meanfield.tau must be finite but was NaN"),
                Arguments.of("meanfield:\n  particles: 50\n", "meanfield:\n  particles: 50\n  sigmaa: 0.3\n", "unknown config key 'meanfield.sigmaa'"),
                Arguments.of("seed: 3\n", "seed: 3\nbogus: 1\n", "unknown config key 'bogus'"),
                Arguments.of("type: finite\n", "type: random-finite\n  gamma: 1.0\n", "environment.gamma must be in [0.0, 1.0) but was 1.0"),
                Arguments.of("type: finite\n", "type: finite\n  states: 4\n", "unknown config key 'environment.states'"),
                Arguments.of("algorithm: meanfield\n", "algorithm: meanfeld\n", "algorithm must be one of [meanfield, variance, tabular]"),
                Arguments.of("type: finite\n", "type: pendulm\n", "environment.type must be one of"),
                Arguments.of("partitions: 2\n", "partitions: 0\n", "spark.partitions must be in [1, 100000] but was 0"),
                Arguments.of("partitions: 2\n", "partitions: many\n",
                        "spark.partitions must be 'auto' or an integer in [1, 100000] but was \"many\""));
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void invalidConfigsExitTwoNamingTheKey(String from, String to, String expected) throws Exception {
        Path out = tmp.resolve("never");
        String body = GOOD.formatted(T1);
        assertTrue(body.contains(from), from);
        CliTest.Run r = CliTest.run("run", config(body.replace(from, to)).toString(), "--out", out.toString());
        assertEquals(Main.EXIT_INVALID, r.status(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out), "nothing is written for invalid input");
    }

    @Test
    void invalidSetOverride() throws Exception {
        CliTest.Run r = CliTest.run("run", config(GOOD.formatted(T1)).toString(), "--set", "meanfield.particles=-5",
                "--out", tmp.resolve("x").toString());
        assertEquals(Main.EXIT_INVALID, r.status());
        assertTrue(r.err().contains("meanfield.particles must be in [1,"), r.err());
        CliTest.Run r2 = CliTest.run("run", config(GOOD.formatted(T1)).toString(), "--set", "novalue");
        assertEquals(Main.EXIT_INVALID, r2.status());
        assertTrue(r2.err().contains("--set expects key.path=value"), r2.err());
    }

    /** Every shipped config loads and validates (STYLE §2.8.7), so example configs cannot rot. */
    @Test
    void everyShippedConfigIsValid() throws Exception {
        try (Stream<Path> files = Files.list(TestSupport.ROOT.resolve("conf"))) {
            List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertFalse(yamls.isEmpty());
            for (Path y : yamls) {
                RunConfig cfg = RunConfig.from(ConfigTree.load(y), TestSupport.ROOT);
                assertTrue(cfg.iterations() >= 0, y.toString());
            }
        }
    }
}
