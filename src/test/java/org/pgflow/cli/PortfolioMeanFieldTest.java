package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgflow.io.ParticleSnapshots;
import org.pgflow.util.JsonFields;

/**
 * The variance-adjusted mean-field policy gradient on the portfolio (docs/algorithms.md §2.14, §5 T9; point-based
 * Monte Carlo W_η) end to end through the command line: the same bits on the in-JVM engine (1 and 2 threads) and on
 * Spark ({@code local[2]}, 1 and 3 partitions); a resumed run equals the uninterrupted one; no policy.json and
 * no exact columns, but the final particle snapshot; exact mode refused; a large λ learns a smaller variance
 * than λ = 0.
 */
class PortfolioMeanFieldTest {
    @TempDir
    Path tmp;

    static final String PORTFOLIO = """
            algorithm: meanfield
            seed: 4
            iterations: 5
            checkpointEvery: 2
            environment:
              type: portfolio
              horizon: 12
              maturity: 2
            meanfield:
              objective: variance
              evaluation: montecarlo
              particles: 40
              summaryParticles: 25
              blockSize: 16
              dt: 2.0
              sigma: 0.1
              knnEvery: 0
            variance:
              lambda: 2.0
              episodes: 14
              blockSize: 4
              evalEpisodes: 50
            """;

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

    @Test
    void theSameBitsOnEveryEngineAndNoPolicyTable() throws IOException {
        Path cfg = config("portfolio", PORTFOLIO);
        Path one = run(cfg, "local-1", "--set", "threads=1");
        assertFalse(Files.exists(one.resolve("policy.json")), "the policy is not tabular: no policy.json");
        Path snap = one.resolve("particles/iter-000000005");
        assertEquals(40, ParticleSnapshots.read(snap, Integer.MAX_VALUE).length, "final particle snapshot");
        JsonNode fin = JsonFields.MAPPER.readTree(one.resolve("run.json").toFile()).get("final");
        for (String c : List.of("J", "J_se", "Var", "Var_se", "eta", "eta_se", "SD")) {
            assertTrue(fin.path(c).isNumber(), "final." + c + " in " + fin);
        }
        assertFalse(fin.has("exact_J") || fin.has("exact_eta"), "no exact columns: " + fin);
        assertEquals(50, fin.get("episodes").asInt(), "the last cloud is evaluated on variance.evalEpisodes episodes");
        EnginesTest.assertSameRun(one, run(cfg, "local-2", "--set", "threads=2"), "threads 1 vs 2");
        for (int p : new int[] {1, 3}) {
            Path spark = run(cfg, "spark-" + p, "--engine", "spark", "--master", "local[2]", "--set",
                    "spark.partitions=" + p);
            EnginesTest.assertSameRun(one, spark, "in-JVM vs Spark, " + p + " partitions");
            EnginesTest.assertSameCheckpoints(one, spark, "in-JVM vs Spark, " + p + " partitions");
            double[][] a = ParticleSnapshots.read(snap, Integer.MAX_VALUE);
            double[][] b = ParticleSnapshots.read(spark.resolve("particles/iter-000000005"), Integer.MAX_VALUE);
            for (int i = 0; i < a.length; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(a[i], b[i], "snapshot particle " + i);
            }
        }
    }

    /** A finished run resumed from its checkpoint at iteration 2 redoes the rest and ends where it ended. */
    @Test
    void aResumedRunEqualsTheUninterruptedOne() throws IOException {
        Path cfg = config("resume", PORTFOLIO);
        Path full = run(cfg, "full");
        Path copy = tmp.resolve("resumed");
        EnginesTest.copyTree(full, copy);
        Files.writeString(copy.resolve("run.json"), Files.readString(copy.resolve("run.json"))
                .replace("\"status\" : \"completed\"", "\"status\" : \"interrupted\""));
        CliTest.Run r = CliTest.run("run", "--resume", copy.toString(), "--resume-from", "iter-000000002");
        assertEquals(0, r.status(), r.err());
        EnginesTest.assertSameRun(full, copy, "resumed at iteration 2");
    }

    @Test
    void exactModeIsRefusedInOneLine() throws IOException {
        Path cfg = config("exact", PORTFOLIO.replace("  evaluation: montecarlo\n", "")
                .replace("  summaryParticles: 25\n", ""));
        CliTest.Run r = CliTest.run("run", cfg.toString(), "--out", tmp.resolve("exact").toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("'portfolio' has no exact evaluation") && r.err().contains("montecarlo"), r.err());
        assertFalse(Files.exists(tmp.resolve("exact")), "nothing written");
    }

    /**
     * λ = 20 learns a smaller return variance than λ = 0 (same seed, horizon 20, 15 iterations): the final Var of
     * each run is estimated on 4 000 fresh episodes, and the test asks
     * {@code Var(λ=0) − Var(λ=20) > 4·sqrt(SE0² + SE20²)}. The two estimates share the streams of their start-value
     * batch but not the policy, so they are treated as independent; under the null "no smaller variance" the
     * false-failure probability is at most P(Z &gt; 4) ≈ 3e-5 (normal approximation). The seed is fixed (printed
     * on failure with both estimates).
     */
    @Test
    void aLargeLambdaLearnsASmallerVariance() throws IOException {
        String text = PORTFOLIO.replace("iterations: 5", "iterations: 15").replace("horizon: 12", "horizon: 20")
                .replace("maturity: 2", "maturity: 4").replace("evalEpisodes: 50", "evalEpisodes: 4000")
                .replace("episodes: 14", "episodes: 30");
        Path cfg = config("lambda", text);
        JsonNode neutral = JsonFields.MAPPER.readTree(run(cfg, "lambda-0", "--set", "variance.lambda=0")
                .resolve("run.json").toFile()).get("final");
        JsonNode averse = JsonFields.MAPPER.readTree(run(cfg, "lambda-20", "--set", "variance.lambda=20")
                .resolve("run.json").toFile()).get("final");
        double v0 = neutral.get("Var").asDouble();
        double v1 = averse.get("Var").asDouble();
        double se = Math.hypot(neutral.get("Var_se").asDouble(), averse.get("Var_se").asDouble());
        assertTrue(v0 - v1 > 4 * se, "seed 4: Var(lambda=0) = " + v0 + ", Var(lambda=20) = " + v1 + ", SE " + se);
    }
}
