package org.pgflow.mdp.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgflow.TestSupport;
import org.pgflow.cli.Main;
import org.pgflow.io.RunReport;

/**
 * Each shipped control config (docs/control.md) parses and runs two iterations: everything as written except
 * the iteration count, the thread count and the sample sizes per iteration (4 rollout states, 2 monitoring
 * rollouts, 2 episode returns), so that the test stays short. Checked: exit status 0, metrics rows 0..2, a finite
 * episode return in the range of the environment's per-episode rewards, and the environment named in run.json.
 */
class ControlConfigsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cartpole-montecarlo", "pendulum-montecarlo", "mountaincar-montecarlo"})
    void shippedConfigRunsTwoIterations(String name) throws Exception {
        Path config = TestSupport.ROOT.resolve("conf").resolve(name + ".yaml");
        assertTrue(Files.isRegularFile(config), config.toString());
        Path out = tmp.resolve(name);
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = Main.execute(new PrintWriter(o, true), new PrintWriter(e, true), "run", config.toString(),
                "--out", out.toString(), "--set", "iterations=2", "--set", "threads=1", "--set", "meanfield.rolloutStates=4",
                "--set", "meanfield.monitorRollouts=2", "--set", "meanfield.episodeReturns=2");
        assertEquals(0, status, e.toString());
        Map<String, double[]> m = RunReport.readMetrics(out.resolve("metrics.csv"));
        assertEquals(3, m.get("iteration").length, "rows 0..2");
        assertEquals(2.0, m.get("iteration")[2]);
        double[] ret = m.get("env_return");
        // per-episode bounds: CartPole [1, 500], Pendulum [−16.27·200, 0], MountainCar [−0.1·999, 100]
        double lo = name.startsWith("cartpole") ? 1 : name.startsWith("pendulum") ? -16.3 * 200 : -0.1 * 999;
        double hi = name.startsWith("cartpole") ? 500 : name.startsWith("pendulum") ? 0 : 100;
        for (double r : ret) {
            assertTrue(Double.isFinite(r) && r >= lo && r <= hi, name + ": env_return " + r);
        }
        String manifest = Files.readString(out.resolve("run.json"));
        String env = name.startsWith("cartpole") ? "cartpole" : name.startsWith("pendulum") ? "pendulum"
                : "mountaincar-continuous";
        assertTrue(manifest.contains("\"" + env + "\""), "run.json names " + env);
    }
}
