package org.pgflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint/resume, process level on an embedded master: a driver killed with {@code kill -9} and resumed with
 * {@code run --resume} ends with the same metrics and final state as an uninterrupted run (mean-field and
 * variance); SIGTERM leaves {@code status: interrupted} and a resumable checkpoint; a diverging run keeps its last
 * good checkpoint.
 */
@Tag("slow")
class ResumeIT {
    // The runs are several seconds long (T1 at ≈ 0.3 ms and t7 at ≈ 0.25 ms per iteration) so that a signal sent
    // after the first checkpoint lands while the loop is still running.
    static final Pgflow.Spec MEANFIELD = new Pgflow.Spec("resume-meanfield-baseline", "conf/t1-meanfield.yaml",
            List.of("iterations=6000", "checkpointEvery=1000", "meanfield.snapshotEvery=0", "meanfield.knnEvery=500"),
            "local[2]", null);
    static final Pgflow.Spec VARIANCE = new Pgflow.Spec("resume-variance-baseline", "conf/t7-variance.yaml",
            List.of("iterations=12000", "checkpointEvery=1000"), "local[2]", null);

    /** Waits until the run's latest checkpoint is at least {@code k}. */
    static long waitForCheckpoint(Pgflow.Running run, long k) throws Exception {
        Path latest = run.dir.resolve("checkpoint/latest.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(latest)) {
                long it = Outputs.json(latest).path("iteration").asLong();
                if (it >= k) {
                    return it;
                }
            }
            if (!run.process.isAlive()) {
                throw new AssertionError(run.spec.label() + " ended before checkpoint " + k);
            }
            Thread.sleep(100);
        }
        throw new AssertionError(run.spec.label() + ": no checkpoint " + k + " within 180 s");
    }

    /** The JVM the launcher started (the driver). */
    static ProcessHandle driver(Pgflow.Running run) {
        return run.process.toHandle().descendants().filter(h -> h.info().command().orElse("").endsWith("java"))
                .findFirst().orElseThrow(() -> new AssertionError("no driver JVM under " + run.process.pid()));
    }

    static Pgflow.Result resume(Path dir, String label) throws IOException, InterruptedException {
        Path out = Pgflow.RUNS.resolve(label + ".stdout");
        Path err = Pgflow.RUNS.resolve(label + ".stderr");
        List<String> cmd = new ArrayList<>(List.of(Pgflow.ROOT.resolve("submit/pgflow").toString(), "run", "--resume",
                dir.toString(), "--master", "local[2]"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Pgflow.ROOT.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().remove("PGFLOW_JAVA_OPTS");
        long t0 = System.nanoTime();
        Process p = pb.start();
        assertTrue(p.waitFor(Pgflow.RUN_TIMEOUT_S, TimeUnit.SECONDS), label + " timed out");
        return new Pgflow.Result(new Pgflow.Spec(label, "--resume", List.of(), "local[2]", null), dir, p.exitValue(),
                Files.readString(out), Files.readString(err), (System.nanoTime() - t0) / 1e9, false);
    }

    private static void killedAndResumed(Pgflow.Spec spec, String label, long atLeast) throws Exception {
        Pgflow.Result baseline = Pgflow.cached(spec).assertOk();
        Pgflow.Running running = Pgflow.start(spec.withLabel(label));
        long k = waitForCheckpoint(running, atLeast);
        ProcessHandle driver = driver(running);
        new ProcessBuilder("kill", "-9", Long.toString(driver.pid())).start().waitFor();
        running.process.waitFor(30, TimeUnit.SECONDS);
        JsonNode before = Outputs.json(running.dir.resolve("run.json"));
        assertEquals("running", before.path("status").asText(), "a kill -9 leaves the run marked running");
        int rowsBefore = Metrics.countRows(running.dir.resolve("metrics.csv"));
        System.out.println("[it] " + label + ": driver killed after checkpoint " + k + " with " + rowsBefore + " rows written");
        Pgflow.Result resumed = resume(running.dir, label + "-resume").assertOk();
        assertTrue(resumed.stderr().contains("resuming"), resumed.stderr());
        JsonNode after = Outputs.json(running.dir.resolve("run.json"));
        assertEquals("completed", after.path("status").asText());
        assertTrue(after.path("resumes").size() == 1, "run.json records the resume: " + after.path("resumes"));
        Metrics.assertSameExceptTime(Metrics.read(baseline.dir().resolve("metrics.csv")),
                Metrics.read(running.dir.resolve("metrics.csv")), label + " vs uninterrupted");
        Outputs.assertSameFinal(baseline.dir(), running.dir, label + " vs uninterrupted");
    }

    @Test
    void meanFieldDriverKilledThenResumedEqualsUninterrupted() throws Exception {
        killedAndResumed(MEANFIELD, "resume-meanfield-killed", 1000);
        Outputs.assertSameParticles(Outputs.finalSnapshot(Pgflow.cached(MEANFIELD).dir()),
                Outputs.finalSnapshot(Pgflow.RUNS.resolve("resume-meanfield-killed")), "final particles after resume");
    }

    @Test
    void varianceDriverKilledThenResumedEqualsUninterrupted() throws Exception {
        killedAndResumed(VARIANCE, "resume-variance-killed", 1000);
    }

    @Test
    void sigtermLeavesAnInterruptedResumableRun() throws Exception {
        Pgflow.Result baseline = Pgflow.cached(MEANFIELD).assertOk();
        Pgflow.Running running = Pgflow.start(MEANFIELD.withLabel("resume-meanfield-sigterm"));
        waitForCheckpoint(running, 1000);
        new ProcessBuilder("kill", "-TERM", Long.toString(driver(running).pid())).start().waitFor();
        assertTrue(running.process.waitFor(60, TimeUnit.SECONDS), "the run stops on SIGTERM");
        assertNotEquals(0, running.process.exitValue());
        assertEquals("interrupted", Outputs.json(running.dir.resolve("run.json")).path("status").asText());
        assertTrue(Files.isRegularFile(running.dir.resolve("checkpoint/latest.json")));
        resume(running.dir, "resume-meanfield-sigterm-resume").assertOk();
        Metrics.assertSameExceptTime(Metrics.read(baseline.dir().resolve("metrics.csv")),
                Metrics.read(running.dir.resolve("metrics.csv")), "interrupted then resumed vs uninterrupted");
    }

    /**
     * A critic step size of 10⁶ makes the actor–critic overflow after a few dozen iterations: the run fails with
     * the iteration and quantity, and its last checkpoint (every 5 iterations) is complete and earlier than the
     * divergence; resuming from it fails again at the same iteration (the computation is deterministic).
     */
    @Test
    void divergenceKeepsTheLastGoodCheckpoint() throws Exception {
        Pgflow.Result r = Pgflow.run(new Pgflow.Spec("resume-variance-diverging", "conf/t7-variance.yaml",
                List.of("iterations=300", "variance.alpha0=1e6", "checkpointEvery=5"), "local[2]", null));
        assertEquals(1, r.exit(), r.describe() + "\n" + Pgflow.tail(r.stderr(), 2000));
        JsonNode error = Outputs.json(r.dir().resolve("run.json")).path("error");
        long failedAt = error.path("iteration").asLong();
        long checkpoint = Outputs.json(r.dir().resolve("checkpoint/latest.json")).path("iteration").asLong();
        assertTrue(checkpoint > 0 && checkpoint <= failedAt, "checkpoint " + checkpoint + " vs divergence at " + failedAt);
        Path cp = r.dir().resolve(String.format("checkpoint/iter-%09d", checkpoint));
        assertTrue(Files.isRegularFile(cp.resolve("manifest.json")) && Files.isRegularFile(cp.resolve("actor-critic.json")),
                "the last checkpoint is complete: " + cp);
        Pgflow.Result again = resume(r.dir(), "resume-variance-diverging-resume");
        assertEquals(1, again.exit());
        assertEquals(failedAt, Outputs.json(r.dir().resolve("run.json")).path("error").path("iteration").asLong(),
                "the resumed run diverges at the same iteration");
    }
}
