package org.pgflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgflow.train.Metric;
import org.pgflow.train.MetricsRow;
import org.pgflow.train.MetricsSchema;
import org.pgflow.util.JsonFields;
import org.pgflow.util.NumericalDivergenceException;

/**
 * run.json through {@link RunManifest}: a manifest written and read back is the same; the run.json files under
 * {@code src/test/resources/org/pgflow/io/} were written by {@code pgflow run} before the manifest had a type
 * (a completed exact mean-field run with a coupled cloud, an actor–critic run with θ in its final block, and a
 * Monte Carlo run that was interrupted and resumed) and read into the same keys and values.
 */
class RunManifestTest {
    @TempDir
    Path tmp;

    private static ObjectNode config() {
        ObjectNode c = JsonFields.MAPPER.createObjectNode();
        c.put("name", "t");
        c.putObject("meanfield").put("particles", 40).put("tau", 0.5);
        return c;
    }

    private static RunManifest everything() {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("iteration", 30.0);
        v.put("gap", 1.0 / 3);
        v.put("secondsPerIteration", 0.001);
        return new RunManifest("t", "variance", 7L,
                new RunManifest.Execution("spark", "spark://h:7077", null, null, "4.1.0"), "/c/t.yaml", config(),
                new RunManifest.Provenance("dev", "17.0.9", "Linux 6.1", "amd64", "unknown", "scalar"),
                RunManifest.Status.FAILED, Instant.parse("2026-01-02T03:04:05.123456Z"),
                new RunManifest.Problem("risky-chain", 3, 2, null, null, 6, 4, 1.25),
                new RunManifest.Final(v, new double[] {0.5, -2}), Instant.parse("2026-01-02T03:05:00Z"),
                new RunManifest.Failure("NumericalDivergenceException", "drift is NaN", 12L, "drift", "error.log"),
                List.of(new RunManifest.Resume(Instant.parse("2026-01-02T03:04:30Z"), 10, "interrupted")));
    }

    @Test
    void aManifestWrittenAndReadBackIsTheSame() throws Exception {
        RunManifest m = everything();
        m.write(tmp);
        RunManifest back = RunManifest.read(tmp);
        assertEquals(m, back);
        assertEquals("auto", JsonFields.MAPPER.readTree(tmp.resolve("run.json").toFile()).get("partitions").asText(),
                "Spark's partitions: auto when not given");
        RunManifest local = m.withExecution(new RunManifest.Execution("local", "local[2]", 2, null, null))
                .withStatus(RunManifest.Status.COMPLETED);
        assertEquals(local, RunManifest.of(local.toJson()));
        JsonNode j = local.toJson();
        assertEquals(2, j.get("threads").asInt());
        assertTrue(!j.has("partitions") && !j.has("sparkVersion"), j.toString());
    }

    @Test
    void theFinalBlockIsTheLastRowsCellsThenTheNamedNumbers() {
        MetricsRow last = MetricsSchema.MEAN_FIELD_EXACT.newRow().set(Metric.ITERATION, 40.0).set(Metric.TIME_S, 2.0)
                .set(Metric.GAP, 0.125).set(Metric.W2_COUPLED, 0.5);
        RunManifest.Final f = RunManifest.Final.of(last, 40).with("w2_rate", 0.25);
        assertEquals(List.of("iteration", "time_s", "gap", "w2_coupled", "secondsPerIteration", "w2_rate"),
                new ArrayList<>(f.values().keySet()));
        assertEquals(0.05, f.get("secondsPerIteration"));
        assertNull(f.get("drift_norm"), "empty cells are not in the block");
        assertEquals(0.0, RunManifest.Final.of(last, 0).get("secondsPerIteration"));
        RunManifest.Final sd = RunManifest.Final.cells(last).with("SD", 0.75).withSecondsPerIteration(40);
        assertEquals(List.of("iteration", "time_s", "gap", "w2_coupled", "SD", "secondsPerIteration"),
                new ArrayList<>(sd.values().keySet()), "a value may come before the time per iteration");
        assertThrows(IllegalArgumentException.class, () -> RunManifest.Final.of(
                MetricsSchema.TABULAR.newRow().set(Metric.ITERATION, 1.0), 1), "time_s is needed");
        assertThrows(IllegalArgumentException.class, () -> f.with("gap", 1));
        double[] theta = {1, 2};
        RunManifest.Final t = f.withTheta(theta);
        theta[0] = 9;
        assertArrayEquals(new double[] {1, 2}, t.theta(), "θ is copied");
        assertEquals(t, RunManifest.Final.of(t.toJson()));
    }

    @Test
    void aRunDirectoryWritesTheManifestWithWhatTheJobRecorded() throws Exception {
        Path dir = tmp.resolve("run");
        RunDirectory run = RunDirectory.create(dir, RunManifest.start("t", "meanfield", 1, null, "/c/t.yaml", config(),
                null));
        assertEquals(RunManifest.Status.RUNNING, RunManifest.read(dir).status());
        run.setProblem(new RunManifest.Problem("T1", 2, null, null, null, null, null, null));
        run.setFinal(new RunManifest.Final(java.util.Map.of("gap", 0.5), null));
        run.setProblem(new RunManifest.Problem(null, null, 3, null, null, null, null, 1.5));
        run.completed();
        RunManifest m = RunManifest.read(dir);
        assertEquals(RunManifest.Status.COMPLETED, m.status());
        assertNotNull(m.endTime());
        assertEquals(new RunManifest.Problem("T1", 2, 3, null, null, null, null, 1.5), m.problem());
        assertEquals(0.5, m.fin().get("gap"));
        assertEquals(config(), m.config());

        java.util.Map<String, Double> missing = new java.util.HashMap<>();
        missing.put("gap", null);
        assertThrows(IllegalArgumentException.class, () -> new RunManifest.Final(missing, null),
                "a final value that is missing is refused");
    }

    @Test
    void aFailedRunRecordsItsErrorAndAResumeClearsIt() throws Exception {
        Path dir = tmp.resolve("run");
        RunDirectory run = RunDirectory.create(dir, RunManifest.start("t", "meanfield", 1, null, null, config(), null));
        run.failed(new NumericalDivergenceException(17, "value V", "is NaN"));
        RunManifest m = RunManifest.read(dir);
        assertEquals(RunManifest.Status.FAILED, m.status());
        assertEquals("NumericalDivergenceException", m.error().type());
        assertEquals(17L, m.error().iteration());
        assertEquals("value V", m.error().quantity());
        assertEquals(RunDirectory.ERROR_LOG, m.error().log());
        RunDirectory.reopen(dir, 10);
        RunManifest r = RunManifest.read(dir);
        assertEquals(RunManifest.Status.RUNNING, r.status());
        assertNull(r.error());
        assertNull(r.endTime());
        assertEquals(1, r.resumes().size());
        assertEquals(10, r.resumes().get(0).fromIteration());
        assertEquals("failed", r.resumes().get(0).previousStatus());
    }

    /** Reads a resource into a run directory, and checks that the typed manifest keeps every key and value. */
    private RunManifest readsBackTheSame(String resource) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(resource));
        try (var in = RunManifestTest.class.getResourceAsStream(resource)) {
            Files.copy(in, dir.resolve("run.json"));
        }
        RunManifest m = RunManifest.read(dir);
        JsonNode original = JsonFields.MAPPER.readTree(dir.resolve("run.json").toFile());
        assertEquals(original, JsonFields.MAPPER.readTree(m.toJson().toString()), resource);
        m.write(dir);
        assertEquals(original, JsonFields.MAPPER.readTree(dir.resolve("run.json").toFile()), resource + " rewritten");
        return m;
    }

    @Test
    void runJsonOfACompletedMeanFieldRunKeepsItsKeysAndValues() throws Exception {
        RunManifest m = readsBackTheSame("run-meanfield.json");
        assertEquals(RunManifest.Status.COMPLETED, m.status());
        assertEquals("meanfield", m.algorithm());
        assertTrue(m.execution().local());
        assertNotNull(m.provenance().kernels());
        assertNotNull(m.fin().get("w2_coupled"), "the coupled cloud's distance");
        assertNotNull(m.fin().get("gap"));
        assertEquals(m.problem().states(), 2);
        assertNotNull(m.problem().softOptimalValue());
    }

    @Test
    void runJsonOfAnActorCriticRunKeepsItsTheta() throws Exception {
        RunManifest m = readsBackTheSame("run-variance.json");
        assertEquals("variance", m.algorithm());
        assertNotNull(m.fin().theta());
        assertNotNull(m.fin().get("SD"));
        assertNotNull(m.problem().policyParameters());
    }

    @Test
    void runJsonOfAResumedRunKeepsItsResumes() throws Exception {
        RunManifest m = readsBackTheSame("run-resumed.json");
        assertEquals(RunManifest.Status.COMPLETED, m.status());
        assertEquals(1, m.resumes().size());
        assertEquals("interrupted", m.resumes().get(0).previousStatus());
        assertTrue(m.resumes().get(0).fromIteration() > 0);
    }
}
