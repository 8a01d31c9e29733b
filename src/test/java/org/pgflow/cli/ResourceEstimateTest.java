package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgflow.TestSupport;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.EngineKind;
import org.pgflow.run.Launcher;
import org.pgflow.run.ResourceEstimate;

/**
 * Runs that cannot fit are refused up front, within a second, before anything is allocated or written, with one
 * line naming the key and the estimate: 10⁹ particles in the test JVM's heap, a random MDP of 10⁶ (and 10⁵)
 * states, a Monte Carlo run of 10⁸ rollout states, particles beyond the executors' memory on a cluster, a study
 * grid of 10⁸ cells; every shipped config fits.
 */
class ResourceEstimateTest {
    @TempDir
    Path tmp;

    static final String T1 = """
            algorithm: meanfield
            seed: 3
            iterations: 4
            environment:
              type: finite
              file: %s
            meanfield:
              particles: 40
              coupled: true
            """.formatted(TestSupport.env("t1.mdp.json"));

    /**
     * The first command in a JVM loads picocli, Jackson and the config classes (about a second on a busy
     * 2-core machine): that start-up is paid here, so that the timings below are the refusals' own.
     */
    @org.junit.jupiter.api.BeforeAll
    static void warmUp(@TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("warm.yaml");
        Files.writeString(cfg, T1);
        CliTest.run("run", cfg.toString(), "--set", "meanfield.particles=1000000000", "--out", dir.resolve("x").toString());
        Path pendulum = dir.resolve("pendulum.yaml");
        Files.writeString(pendulum, "algorithm: meanfield\nenvironment:\n  type: pendulum\nmeanfield:\n"
                + "  evaluation: montecarlo\n  rolloutStates: 100000000\n");
        CliTest.run("run", pendulum.toString(), "--out", dir.resolve("y").toString());
        Files.writeString(dir.resolve("base.yaml"), T1);
        Files.writeString(dir.resolve("study.yaml"), "base: base.yaml\ngrid:\n  seed: [1, 2]\n  iterations: [0, 1]\n"
                + "  meanfield.particles: [1000000000]\n");
        CliTest.run("study", dir.resolve("study.yaml").toString(), "--out", dir.resolve("z").toString());
    }

    private Path config(String name, String text) throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, text);
        return f;
    }

    /** Runs, asserting exit 2 within a second, one line on stderr, nothing written; returns the line. */
    private String refused(String... args) {
        Path out = tmp.resolve("never");
        List<String> a = new ArrayList<>(List.of(args));
        if (a.get(0).equals("run") || a.get(0).equals("study")) {
            a.addAll(List.of("--out", out.toString()));
        }
        long t0 = System.nanoTime();
        CliTest.Run r = CliTest.run(a.toArray(new String[0]));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(Main.EXIT_INVALID, r.status(), r.err());
        assertTrue(seconds < 1.0, "refused after " + seconds + " s");
        assertFalse(Files.exists(out), "nothing written");
        return Trees.oneLine(r);
    }

    @Test
    void aBillionParticlesDoNotFitTheTestHeap() throws IOException {
        String line = refused("run", config("t1", T1).toString(), "--set", "meanfield.particles=1000000000");
        // D = 1·(5+2) = 7 per cloud, two clouds: 14 doubles = 112 bytes per particle, 104 GiB in all.
        assertTrue(line.startsWith("pgflow: meanfield.particles = 1000000000 needs about 104 GiB (14 doubles per "
                + "particle: D = K·(d_x+2) = 1·(5+2), two clouds; one generation, stepped in place on the in-JVM engine)"),
                line);
        assertTrue(line.endsWith("but the heap is " + ResourceEstimate.bytes(Runtime.getRuntime().maxMemory())
                + " (85% of it usable): lower meanfield.particles or raise -Xmx (PGFLOW_JAVA_OPTS)"), line);
        // On the Spark engine three generations live at once.
        String spark = refused("run", config("t1", T1).toString(), "--set", "meanfield.particles=100000000",
                "--engine", "spark", "--master", "local[2]");
        assertTrue(spark.contains("meanfield.particles = 100000000 needs about 31 GiB") && spark.contains(
                "up to three live generations on the Spark engine"), spark);
    }

    @Test
    void aMillionStateRandomMdpIsRefused() throws IOException {
        String body = """
                algorithm: meanfield
                environment:
                  type: random-finite
                  states: %d
                  actions: 4
                """;
        String million = refused("run", config("garnet", body.formatted(1_000_000)).toString());
        assertTrue(million.contains("environment.states"), million);
        // Within the accepted range the tables themselves are estimated, before the instance is generated.
        String line = refused("run", config("garnet", body.formatted(20_000)).toString());
        assertTrue(line.startsWith("pgflow: environment.states = 20000 needs about "), line);
        assertTrue(line.contains("S = 20000, A = 4: transitions S·A·S doubles"), line);
        assertTrue(line.endsWith("lower environment.states or raise -Xmx (PGFLOW_JAVA_OPTS)"), line);
        String huge = refused("run", config("garnet", body.formatted(100_000)).toString());
        assertTrue(huge.contains("environment.states = 100000 with environment.actions = 4 makes a transition table "
                + "of 40000000000 entries"), huge);
    }

    @Test
    void aHundredMillionRolloutStatesAreRefused() throws IOException {
        String line = refused("run", config("pendulum", """
                algorithm: meanfield
                environment:
                  type: pendulum
                meanfield:
                  evaluation: montecarlo
                  rolloutStates: 100000000
                """).toString());
        assertTrue(line.startsWith("pgflow: meanfield.rolloutStates = 100000000 needs about "), line);
    }

    @Test
    void particlesBeyondTheExecutorsAreRefusedBeforeSparkStarts() throws IOException {
        System.setProperty("spark.executor.memory", "512m");
        System.setProperty("spark.executor.instances", "2");
        try {
            String line = refused("run", config("t1", T1).toString(), "--set", "meanfield.particles=20000000",
                    "--master", "spark://127.0.0.1:9", "--engine", "spark");
            assertTrue(line.contains("meanfield.particles = 20000000 needs about 6.3 GiB"), line);
            assertTrue(line.contains("but the executors have 2 × 512 MiB (spark.executor.instances × "
                    + "spark.executor.memory): lower meanfield.particles or raise spark.executor.memory"), line);
        } finally {
            System.clearProperty("spark.executor.memory");
            System.clearProperty("spark.executor.instances");
        }
    }

    @Test
    void aHundredMillionCellGridIsRefusedBeforeExpansion() throws IOException {
        Files.writeString(tmp.resolve("base.yaml"), T1);
        // 100⁴ cells: four keys of 100 values each (a YAML list of 10⁴ numbers alone takes SnakeYAML half a second).
        String values = IntStream.range(0, 100).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
        Files.writeString(tmp.resolve("huge.yaml"), "base: base.yaml\ngrid:\n  seed: " + values + "\n  iterations: "
                + values + "\n  meanfield.tau: " + values + "\n  meanfield.sigma: " + values + "\n");
        String line = refused("study", tmp.resolve("huge.yaml").toString());
        assertEquals("pgflow: the study grid has 100000000 cells (grid.seed: 100 × grid.iterations: 100 × "
                + "grid.meanfield.tau: 100 × grid.meanfield.sigma: 100) but a study runs at most 100000 (each cell is a "
                + "run directory): split the grid into several studies", line);
        java.util.Map<String, Integer> small = new java.util.LinkedHashMap<>();
        small.put("seed", 3);
        small.put("variance.lambda", 5);
        assertEquals(15, ResourceEstimate.checkStudy(small, ResourceEstimate.Budget.heap()));
        String heapLine = org.junit.jupiter.api.Assertions.assertThrows(org.pgflow.util.InvalidInputException.class,
                () -> ResourceEstimate.checkStudy(small, new ResourceEstimate.Budget(10 << 10, "the heap is 10 KiB",
                        "raise -Xmx (PGFLOW_JAVA_OPTS)"))).getMessage();
        assertTrue(heapLine.startsWith("the study grid has 15 cells (grid.seed: 3 × grid.variance.lambda: 5), which need "
                + "about 960 KiB to hold"), heapLine);
    }

    @Test
    void aStudyCellThatCannotFitIsRefusedBeforeAnyCellRuns() throws IOException {
        Files.writeString(tmp.resolve("base.yaml"), T1);
        Files.writeString(tmp.resolve("study.yaml"), "base: base.yaml\ngrid:\n  meanfield.particles: [40, 1000000000]\n");
        Path out = tmp.resolve("study");
        CliTest.Run r = CliTest.run("study", tmp.resolve("study.yaml").toString(), "--out", out.toString());
        assertEquals(Main.EXIT_INVALID, r.status(), r.err());
        assertTrue(Trees.oneLine(r).startsWith("pgflow: cell particles=1000000000: meanfield.particles = 1000000000 needs"),
                r.err());
        assertFalse(Files.exists(out.resolve("cells/particles=40/run.json")), "no cell ran");
    }

    @Test
    void everyShippedConfigFitsTheTestHeap() throws IOException {
        long heap = Runtime.getRuntime().maxMemory();
        List<String> report = new ArrayList<>();
        try (Stream<Path> files = Files.list(TestSupport.ROOT.resolve("conf"))) {
            for (Path y : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                Launcher.Prepared p = Launcher.prepare(ConfigTree.load(y), y);
                for (EngineKind kind : List.of(EngineKind.LOCAL, EngineKind.SPARK)) {
                    long total = ResourceEstimate.of(p, kind, "local[2]").total();
                    report.add(y.getFileName() + " " + kind + " " + ResourceEstimate.bytes(total));
                    assertTrue(total < heap, y + " on " + kind + ": " + ResourceEstimate.bytes(total));
                }
            }
        }
        System.out.println("[estimate] " + String.join("; ", report));
    }

    @Test
    void sparkSizes() {
        assertEquals(512L << 20, sparkBytes("512m"));
        assertEquals(512L << 20, sparkBytes("512"));
        assertEquals(4L << 30, sparkBytes("4g"));
        assertEquals(4L << 30, sparkBytes("4GB"));
        assertEquals(-1, sparkBytes("lots"));
        assertEquals("3.0 GiB", ResourceEstimate.bytes(3L << 30));
        assertEquals("176 GiB", ResourceEstimate.bytes(176L << 30));
        assertEquals("512 bytes", ResourceEstimate.bytes(512));
    }

    private static long sparkBytes(String s) {
        return ResourceEstimate.sparkBytes(s);
    }
}
