package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgflow.TestSupport;
import org.pgflow.estimate.ExactSolver;
import org.pgflow.estimate.SoftOptimum;
import org.pgflow.io.RunReport;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.util.JsonFields;

/**
 * The tabular baselines of docs/algorithms.md §2.13 ({@code algorithm: tabular}) through {@link Main#execute}: the run
 * directory of a mean-field run (run.json, metrics.csv, policy.json, checkpoints, report), NPG with
 * {@code η = (1−γ)/τ} (soft policy iteration) at the soft optimum to 1e-10 within 100 iterations, softmax PG with
 * a linearly decaying gap, an annealed τ, a resume from a checkpoint with the same bits, and bad step sizes.
 */
class TabularRunTest {
    @TempDir
    Path tmp;

    static String config(String update, double stepSize, String tau, int iterations) {
        return """
                algorithm: tabular
                iterations: %d
                checkpointEvery: 10
                environment:
                  type: finite
                  file: %s
                tabular:
                  update: %s
                  stepSize: %s
                  tau: %s
                """.formatted(iterations, TestSupport.env("t1.mdp.json"), update, stepSize, tau);
    }

    private Path run(String name, String text, String... extra) throws IOException {
        Path cfg = tmp.resolve(name + ".yaml");
        Files.writeString(cfg, text);
        Path out = tmp.resolve(name);
        String[] args = new String[4 + extra.length];
        args[0] = "run";
        args[1] = cfg.toString();
        args[2] = "--out";
        args[3] = out.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        CliTest.Run r = CliTest.run(args);
        assertEquals(0, r.status(), name + ": " + r.err());
        return out;
    }

    @Test
    void softmaxPgWritesTheRunDirectoryAndItsGapDecaysLinearly() throws IOException {
        Path out = run("pg", config("pg", 1.0, "0.5", 300));
        JsonNode m = JsonFields.MAPPER.readTree(out.resolve("run.json").toFile());
        assertEquals("completed", m.get("status").asText());
        assertEquals("tabular", m.get("algorithm").asText());
        assertEquals(6.2005478146, m.get("softOptimalValue").asDouble(), 1e-8);
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals("iteration,time_s,objective,value,gap,max_tv,gap_tau,gap0,tau", lines.get(0));
        assertEquals(302, lines.size());
        Map<String, double[]> c = RunReport.readMetrics(out.resolve("metrics.csv"));
        // Row 0 is the uniform policy: V(ρ) = 4.4505494505 (docs/algorithms.md §5 T1).
        assertEquals(4.4505494505, c.get("value")[0], 1e-8);
        double[] gap = c.get("gap");
        for (int k = 1; k < gap.length; k++) {
            assertTrue(gap[k] <= gap[k - 1] + 1e-12, "exact softmax PG is monotone: gap at " + k);
            assertEquals(gap[k], c.get("gap_tau")[k], 0.0);
        }
        // Linear convergence (Mei et al. Thm. 6): ln gap falls along a line until round-off (gap > 1e-10).
        int end = 0;
        while (end + 1 < gap.length && gap[end + 1] > 1e-10) {
            end++;
        }
        int mid = end / 2;
        double slope = (Math.log(gap[end]) - Math.log(gap[mid])) / (end - mid);
        double early = (Math.log(gap[mid]) - Math.log(gap[mid / 2])) / (mid - mid / 2);
        System.out.printf("T1 softmax PG (eta 1, tau 0.5): gap %.3e at 10, %.3e at %d; log-gap slope %.4f per iteration "
                + "over [%d, %d], %.4f over [%d, %d]%n", gap[10], gap[end], end, slope, mid, end, early, mid / 2, mid);
        assertTrue(end > 20 && slope < -0.05, "slope " + slope + " up to " + end);
        assertEquals(slope, early, 0.3 * Math.abs(slope), "a straight line in log scale");
        assertTrue(Math.abs(gap[300]) < 1e-10, "gap " + gap[300]);
        double[][] pi = TabularPolicy.load(out.resolve("policy.json"), 2, 3);
        SoftOptimum star = ExactSolver.softValueIteration(ModelFiles.loadMdp(TestSupport.env("t1.mdp.json")), 0.5);
        TestSupport.assertMatrix(star.policy(), pi, 1e-2, "final policy near π*");
        assertTrue(Files.isRegularFile(out.resolve("checkpoint/latest.json")), "checkpoints");
        assertTrue(Files.isRegularFile(out.resolve("plots/gap.png")), "gap plot");
        assertTrue(Files.isRegularFile(out.resolve("report.html")), "report");
        assertEquals(c.get("gap")[300], m.get("final").get("gap").asDouble(), 0.0);
    }

    @Test
    void softPolicyIterationReachesTheSoftOptimumTo1e10InUnder100Iterations() throws IOException {
        double eta = (1 - 0.9) / 0.5;
        Path out = run("npg", config("npg", eta, "0.5", 100));
        double[] gap = RunReport.readMetrics(out.resolve("metrics.csv")).get("gap");
        int first = -1;
        for (int k = 0; k < gap.length; k++) {
            if (Math.abs(gap[k]) < 1e-10) {
                first = k;
                break;
            }
        }
        System.out.println("T1 NPG eta = (1-gamma)/tau: |gap| < 1e-10 from iteration " + first);
        assertTrue(first >= 0 && first < 100, "first iteration with |gap| < 1e-10: " + first);
        assertTrue(Math.abs(gap[100]) < 1e-10);
    }

    @Test
    void anAnnealedTauFollowsItsScheduleOverIterations() throws IOException {
        Path out = run("npg-annealed", config("npg", 0.2, "{schedule: exponential, start: 0.5, floor: 0.01, timeScale: 20}",
                60));
        Map<String, double[]> c = RunReport.readMetrics(out.resolve("metrics.csv"));
        for (int k = 0; k <= 60; k++) {
            assertEquals(0.01 + 0.49 * Math.exp(-k / 20.0), c.get("tau")[k], 1e-15);
        }
        assertTrue(c.get("gap0")[60] < c.get("gap0")[0] / 5, "gap0 falls as tau does");
    }

    @Test
    void aResumedRunEndsWithTheSameBits() throws IOException {
        Path full = run("full", config("pg", 1.0, "0.5", 35));
        Path copy = tmp.resolve("resumed");
        EnginesTest.copyTree(full, copy);
        Files.writeString(copy.resolve("run.json"), Files.readString(copy.resolve("run.json"))
                .replace("\"status\" : \"completed\"", "\"status\" : \"interrupted\""));
        CliTest.Run r = CliTest.run("run", "--resume", copy.toString(), "--resume-from", "iter-000000020");
        assertEquals(0, r.status(), r.err());
        EnginesTest.assertSameRun(full, copy, "tabular resumed at 20");
        assertTrue(Files.isRegularFile(copy.resolve("checkpoint/iter-000000030/actor-critic.json")));
    }

    @Test
    void badStepSizesAndEnvironmentsAreInputErrors() throws IOException {
        Path cfg = tmp.resolve("bad.yaml");
        Files.writeString(cfg, config("npg", 0.5, "0.5", 5));
        CliTest.Run r = CliTest.run("run", cfg.toString(), "--out", tmp.resolve("bad").toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("tabular.stepSize"), r.err());
        Files.writeString(cfg, "algorithm: tabular\nenvironment:\n  type: risky-chain\n");
        r = CliTest.run("run", cfg.toString(), "--out", tmp.resolve("bad2").toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("algorithm tabular"), r.err());
    }
}
