package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgflow.TestSupport;
import org.pgflow.config.ConfigTree;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.run.Engine;
import org.pgflow.run.Launcher;
import org.pgflow.train.EpisodeEngine;
import org.pgflow.train.ParticleEngine;
import org.pgflow.train.RolloutEngine;
import org.pgflow.util.JsonFields;

/**
 * Every failure ends in one line on stderr and the right exit status, never a stack trace: unusable
 * {@code --out} directories, {@code solve --out} naming a directory, a bogus {@code --master}, a policy that is
 * improper in floating point, two runs on one {@code --out}, a study on a directory in use; and a run that fails
 * with anything at all — a checked exception thrown through Scala (SparkException), an {@link Error} — is
 * marked failed with the stack trace in its {@code error.log}.
 */
class FailureReportingTest {
    @TempDir
    Path tmp;

    static final String SMALL = """
            algorithm: meanfield
            seed: 3
            iterations: 4
            environment:
              type: finite
              file: %s
            meanfield:
              particles: 40
              blockSize: 16
              knnEvery: 0
            """.formatted(TestSupport.env("t1.mdp.json"));

    private Path config() throws IOException {
        Path f = tmp.resolve("small.yaml");
        Files.writeString(f, SMALL);
        return f;
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void outUnderARegularFile() throws IOException {
        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "x");
        for (Path out : List.of(file.resolve("run"), file.resolve("a/b/run"), file)) {
            CliTest.Run r = CliTest.run("run", config().toString(), "--out", out.toString());
            assertEquals(Main.EXIT_INVALID, r.status(), r.err());
            String line = Trees.oneLine(r);
            assertTrue(line.contains("--out " + out) && line.contains("not a directory"), line);
        }
        assertEquals("x", Files.readString(file));
    }

    @Test
    void outInADirectoryThatCannotBeWritten() throws IOException {
        Path ro = tmp.resolve("read-only");
        Files.createDirectories(ro);
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            List<Path> outs = new ArrayList<>();
            if (!Files.isWritable(ro)) { // as root every directory is writable
                outs.add(ro.resolve("run"));
            }
            Path sys = Path.of("/sys/pgflow-test-run");
            if (Files.isDirectory(Path.of("/sys")) && !Files.exists(sys)) {
                outs.add(sys.resolve("run")); // mkdir in sysfs: "Operation not permitted", even for root
            }
            Assumptions.assumeFalse(outs.isEmpty(), "no unwritable directory available");
            for (Path out : outs) {
                CliTest.Run r = CliTest.run("run", config().toString(), "--out", out.toString());
                assertEquals(Main.EXIT_INVALID, r.status(), r.err());
                String line = Trees.oneLine(r);
                assertTrue(line.contains("--out " + out + " cannot be created: "), line);
                assertFalse(Files.exists(out));
            }
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void solveOutNamingADirectory() throws IOException {
        Path dir = tmp.resolve("a-directory");
        Files.createDirectories(dir);
        CliTest.Run r = CliTest.run("solve", "--mdp", TestSupport.env("t1.mdp.json").toString(), "--tau", "0.5",
                "--out", dir.toString());
        assertEquals(Main.EXIT_INVALID, r.status(), r.err());
        assertTrue(Trees.oneLine(r).contains(dir + ": it is a directory"), r.err());
        assertEquals(List.of(), list(dir));
        assertEquals(List.of("a-directory"), list(tmp), "no temporary file left beside it");
    }

    @Test
    void bogusMasterLeavesNoRunDirectory() throws IOException {
        for (String[] args : new String[][] {{"--master", "bogus"}, {"--master", "local[two]", "--engine", "spark"},
                {"--master", "spark:/missing-slash:7077"}}) {
            Path out = tmp.resolve("never-" + args[1].replaceAll("\\W", ""));
            List<String> a = new ArrayList<>(List.of("run", config().toString(), "--out", out.toString()));
            a.addAll(List.of(args));
            CliTest.Run r = CliTest.run(a.toArray(new String[0]));
            assertEquals(Main.EXIT_INVALID, r.status(), r.err());
            String line = Trees.oneLine(r);
            assertTrue(line.contains("--master") && line.contains(args[1]) && line.contains("Spark master URL"), r.err());
            assertFalse(Files.exists(out), "no run directory for a bogus master");
        }
    }

    @Test
    void aPolicyImproperInFloatingPoint() throws IOException {
        // The terminal state is reachable on paper (probability 1e-17), not in floating point: 1 + 1e-17 = 1.
        Path ssp = tmp.resolve("loop.ssp.json");
        Files.writeString(ssp, "{\"states\": 1, \"actions\": 2, \"transitions\": [[[1, 0], [0, 1]]], "
                + "\"rewards\": [[1, 1]], \"start\": 0}");
        Path policy = tmp.resolve("almost-never-stops.policy.json");
        Files.writeString(policy, "{\"probabilities\": [[1.0, 1e-17]]}");
        CliTest.Run r = CliTest.run("moments", "--ssp", ssp.toString(), "--policy", policy.toString());
        assertEquals(Main.EXIT_INVALID, r.status(), r.err());
        String line = Trees.oneLine(r);
        assertTrue(line.contains("--policy " + policy + " is improper in floating point"), line);
        assertEquals("", r.out());
    }

    @Test
    void twoRunsOnOneOutOneWins() throws Exception {
        Path cfg = config();
        Path out = tmp.resolve("contested");
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<CliTest.Run>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return CliTest.run("run", cfg.toString(), "--out", out.toString(), "--set", "threads=1");
                }));
            }
            List<CliTest.Run> results = new ArrayList<>();
            for (Future<CliTest.Run> f : runs) {
                results.add(f.get());
            }
            results.sort(java.util.Comparator.comparingInt(CliTest.Run::status));
            assertEquals(0, results.get(0).status(), results.get(0).err());
            CliTest.Run loser = results.get(1);
            assertEquals(Main.EXIT_INVALID, loser.status(), loser.err());
            String line = Trees.oneLine(loser);
            assertTrue(line.contains("--out " + out) && (line.contains("already used by another run")
                    || line.contains("not empty")), line);
            assertEquals("", loser.out(), "the loser printed no summary");
        } finally {
            pool.shutdownNow();
        }
        JsonNode m = JsonFields.MAPPER.readTree(out.resolve("run.json").toFile());
        assertEquals("completed", m.get("status").asText());
        assertEquals(1 + 5, Files.readAllLines(out.resolve("metrics.csv")).size(), "one run's rows, once");
    }

    @Test
    void aDirectoryClaimedByAnotherRunIsRefusedUntouched() throws IOException {
        Path out = tmp.resolve("claimed");
        Files.createDirectories(out);
        Files.createFile(out.resolve(RunDirectory.LOCK_FILE));
        CliTest.Run r = CliTest.run("run", config().toString(), "--out", out.toString());
        assertEquals(Main.EXIT_INVALID, r.status(), r.err());
        assertTrue(Trees.oneLine(r).contains("is already used by another run"), r.err());
        assertEquals(List.of(RunDirectory.LOCK_FILE), list(out));
        // An empty directory made beforehand is fine.
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        assertEquals(0, CliTest.run("run", config().toString(), "--out", empty.toString()).status());
    }

    @Test
    void aStudyDirectoryInUseIsRefusedUntouched() throws IOException {
        Files.writeString(tmp.resolve("base.yaml"), SMALL);
        Files.writeString(tmp.resolve("study.yaml"), "base: base.yaml\ngrid:\n  seed: [1, 2]\n");
        Path out = tmp.resolve("study");
        Files.createDirectories(out);
        try (RunDirectory.Lock held = RunDirectory.lock(out, "test")) {
            CliTest.Run r = CliTest.run("study", tmp.resolve("study.yaml").toString(), "--out", out.toString());
            assertEquals(Main.EXIT_INVALID, r.status(), r.err());
            assertTrue(Trees.oneLine(r).contains("study --out " + out + " is in use by another pgflow run"), r.err());
        }
        assertEquals(List.of(RunDirectory.LOCK_FILE), list(out));
    }

    @Test
    void aFailedStudyCellGetsOneLineNamingItsErrorLog() throws IOException {
        Files.writeString(tmp.resolve("base.yaml"), SMALL + "  sigma: 0\n");
        Files.writeString(tmp.resolve("study.yaml"), "base: base.yaml\ngrid:\n  meanfield.dt: [0.05, 1e308]\n");
        Path out = tmp.resolve("study");
        CliTest.Run r = CliTest.run("study", tmp.resolve("study.yaml").toString(), "--out", out.toString());
        assertEquals(Main.EXIT_FAILURE, r.status(), r.err());
        String line = Trees.oneLine(r);
        Path cell = out.resolve("cells/dt=1.0E308"); // the cell id spells the value as a double
        assertTrue(line.startsWith("pgflow: numerical divergence: ") && line.endsWith("(stack trace in "
                + cell.resolve("error.log") + ")"), line);
        assertEquals("failed", JsonFields.MAPPER.readTree(cell.resolve("run.json").toFile()).get("status").asText());
        assertEquals("completed", JsonFields.MAPPER.readTree(out.resolve("cells/dt=0.05/run.json").toFile())
                .get("status").asText());
        assertTrue(Files.readString(out.resolve("study.csv")).contains(",failed"));
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** An engine whose every part throws {@code t} (as Spark's, whose SparkException is checked, can). */
    private static Engine throwing(Throwable t) {
        return new Engine() {
            @Override
            public String name() {
                return "local";
            }

            @Override
            public String master() {
                return "local[1]";
            }

            @Override
            public int parallelism() {
                return 1;
            }

            @Override
            public String sparkVersion() {
                return null;
            }

            @Override
            public ParticleEngine particles(Path scratch, long checkpointEvery) {
                throw sneaky(t);
            }

            @Override
            public RolloutEngine rollouts() {
                throw sneaky(t);
            }

            @Override
            public EpisodeEngine episodes() {
                throw sneaky(t);
            }

            @Override
            public void close() {
            }
        };
    }

    /** Runs a prepared small run on {@code engine}; returns the failure and the run directory. */
    private Launcher.Failed failOn(Throwable t, String label) throws IOException {
        Launcher.Prepared p = Launcher.prepare(ConfigTree.load(config()), config());
        Engine engine = throwing(t);
        RunDirectory run = Launcher.createDirectory(p, tmp.resolve(label), engine);
        PrintWriter quiet = new PrintWriter(new StringWriter());
        return assertThrows(Launcher.Failed.class, () -> Launcher.execute(p, engine, run, quiet,
                new Progress(quiet, false, 1e9, "-"), null, false));
    }

    @Test
    void aCheckedExceptionThroughScalaFailsTheRun() throws IOException {
        Exception spark = new org.apache.spark.SparkException("Job aborted due to stage failure: Task 1 in stage 3.0 "
                + "failed 4 times, most recent failure: lost task\nDriver stacktrace:\n\tat somewhere");
        Launcher.Failed f = failOn(spark, "checked");
        assertSame(spark, f.getCause());
        Path dir = tmp.resolve("checked");
        JsonNode m = JsonFields.MAPPER.readTree(dir.resolve("run.json").toFile());
        assertEquals("failed", m.get("status").asText());
        assertEquals("SparkException", m.get("error").get("type").asText());
        assertTrue(Files.readString(dir.resolve("error.log")).contains("org.apache.spark.SparkException: Job aborted"));
        StringWriter err = new StringWriter();
        assertEquals(Main.EXIT_FAILURE, Main.report(f, null, false, new PrintWriter(err)));
        assertEquals(List.of("pgflow: Spark: Job aborted due to stage failure: Task 1 in stage 3.0 failed 4 times, most "
                + "recent failure: lost task (stack trace in " + dir.resolve("error.log") + ")"), err.toString().lines().toList());
        StringWriter verbose = new StringWriter();
        Main.report(f, null, true, new PrintWriter(verbose));
        assertTrue(verbose.toString().lines().findFirst().orElseThrow().startsWith("pgflow: Spark: Job aborted"));
        assertTrue(verbose.toString().contains("\tat "), "--verbose prints the stack trace");
    }

    @Test
    void anErrorFailsTheRun() throws IOException {
        Launcher.Failed f = failOn(new OutOfMemoryError("Java heap space"), "error");
        Path dir = tmp.resolve("error");
        JsonNode m = JsonFields.MAPPER.readTree(dir.resolve("run.json").toFile());
        assertEquals("failed", m.get("status").asText());
        assertEquals("OutOfMemoryError", m.get("error").get("type").asText());
        StringWriter err = new StringWriter();
        assertEquals(Main.EXIT_FAILURE, Main.report(f, null, false, new PrintWriter(err)));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("pgflow: out of memory (Java heap space): "), err.toString());

        StringWriter bare = new StringWriter();
        assertEquals(Main.EXIT_FAILURE, Main.report(new StackOverflowError(), null, false, new PrintWriter(bare)));
        assertEquals("pgflow: StackOverflowError", bare.toString().strip());
    }
}
