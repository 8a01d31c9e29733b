package org.pgflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Compares what two runs wrote: metrics.csv, the final particle snapshot, policy.json, run.json's final metrics. */
final class Outputs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SparkSession spark;

    private Outputs() {
    }

    /** Everything the two run directories have in common must be identical (wall-clock fields aside). */
    static void assertSameResults(Pgflow.Result expected, Pgflow.Result actual) {
        String what = actual.spec().label() + " vs " + expected.spec().label()
                + (expected.rebuilt() || actual.rebuilt() ? " [WARNING: the launcher rebuilt the jar between runs]" : "");
        Pgflow.assertCompleted(expected);
        Pgflow.assertCompleted(actual);
        Metrics.assertSameExceptTime(Metrics.read(expected.dir().resolve("metrics.csv")),
                Metrics.read(actual.dir().resolve("metrics.csv")), what);
        assertSameFinal(expected.dir(), actual.dir(), what);
        for (String file : List.of("policy.json", "returns.csv")) {
            Path e = expected.dir().resolve(file);
            assertEquals(Files.exists(e), Files.exists(actual.dir().resolve(file)), what + ": " + file + " present in one run only");
            if (Files.exists(e)) {
                assertEquals(Pgflow.read(e), Pgflow.read(actual.dir().resolve(file)), what + ": " + file + " differs");
            }
        }
        Path ep = finalSnapshot(expected.dir());
        Path ap = finalSnapshot(actual.dir());
        assertEquals(ep == null, ap == null, what + ": particle snapshots in one run only");
        if (ep != null) {
            assertEquals(ep.getFileName().toString(), ap.getFileName().toString(), what + ": last particle snapshot");
            assertSameParticles(ep, ap, what);
        }
    }

    /** run.json "final" without its wall-clock entries. */
    static void assertSameFinal(Path expectedDir, Path actualDir, String what) {
        JsonNode e = json(expectedDir.resolve("run.json")).path("final");
        JsonNode a = json(actualDir.resolve("run.json")).path("final");
        assertTrue(e.isObject(), what + ": no \"final\" in " + expectedDir.resolve("run.json"));
        ObjectNode ec = ((ObjectNode) e).deepCopy();
        ObjectNode ac = a.isObject() ? ((ObjectNode) a).deepCopy() : JSON.createObjectNode();
        for (ObjectNode o : List.of(ec, ac)) {
            o.remove(List.of("time_s", "secondsPerIteration"));
        }
        assertEquals(ec, ac, what + ": run.json \"final\" differs");
    }

    static JsonNode json(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the highest {@code particles/iter-*} directory, or null */
    static Path finalSnapshot(Path runDir) {
        Path particles = runDir.resolve("particles");
        if (!Files.isDirectory(particles)) {
            return null;
        }
        try (Stream<Path> s = Files.list(particles)) {
            return s.filter(p -> p.getFileName().toString().startsWith("iter-")).max(Path::compareTo).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Same particle ids with bit-identical parameter vectors. */
    static void assertSameParticles(Path expected, Path actual, String what) {
        Map<Long, double[]> e = readParticles(expected);
        Map<Long, double[]> a = readParticles(actual);
        assertFalse(e.isEmpty(), what + ": no particles in " + expected);
        assertEquals(e.keySet(), a.keySet(), what + ": particle ids of " + expected + " and " + actual);
        int differ = 0;
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Long, double[]> x : e.entrySet()) {
            double[] y = a.get(x.getKey());
            if (!Arrays.equals(x.getValue(), y)) {
                if (differ++ < 5) {
                    sb.append("  particle ").append(x.getKey()).append(": ").append(Arrays.toString(x.getValue())).append(" vs ")
                            .append(Arrays.toString(y)).append('\n');
                }
            }
        }
        if (differ > 0) {
            fail(what + ": " + differ + " of " + e.size() + " final particles differ (" + expected + " vs " + actual + "):\n" + sb);
        }
        System.out.println("[it] " + what + ": " + e.size() + " final particles identical (" + expected.getFileName() + ")");
    }

    /** Reads a Parquet snapshot (id, theta[]) with a local SparkSession of the test JVM. */
    static Map<Long, double[]> readParticles(Path dir) {
        List<Row> rows = spark().read().parquet(dir.toAbsolutePath().toString()).select("id", "theta").collectAsList();
        Map<Long, double[]> m = new TreeMap<>();
        for (Row r : rows) {
            List<Double> theta = r.getList(1);
            double[] t = new double[theta.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = theta.get(i);
            }
            if (m.put(r.getLong(0), t) != null) {
                fail("duplicate particle id " + r.getLong(0) + " in " + dir);
            }
        }
        return m;
    }

    private static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[1]").appName("pgflow-it-reader")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return spark;
    }
}
