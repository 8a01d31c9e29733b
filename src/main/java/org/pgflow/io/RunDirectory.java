package org.pgflow.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.JsonFields;
import org.pgflow.util.NumericalDivergenceException;

/**
 * A run directory (DESIGN §6): {@code run.json} (manifest and status), {@code metrics.csv},
 * {@code policy.json}, {@code particles/}, {@code checkpoint/}, {@code plots/}. Always a fresh directory.
 * {@code run.json} is rewritten atomically on every status change, so it always says {@code running},
 * {@code completed} or {@code failed} and never looks complete when the run was not.
 */
public final class RunDirectory {
    private final Path dir;
    private final ObjectNode manifest;

    private RunDirectory(Path dir, ObjectNode manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * Creates the directory (which must not exist, or be empty) and writes {@code run.json} with status
     * {@code running}.
     *
     * @param dir      the directory
     * @param manifest initial manifest fields (config, seed, versions, ...)
     * @return the run directory
     * @throws InvalidInputException if the directory exists and is not empty
     */
    public static RunDirectory create(Path dir, ObjectNode manifest) {
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new InvalidInputException("--out " + dir + " exists and is not a directory");
                }
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new InvalidInputException("--out " + dir + " already exists and is not empty: runs are written to a fresh directory");
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + dir, e);
        }
        ObjectNode m = manifest.deepCopy();
        m.put("status", "running");
        m.put("startTime", Instant.now().toString());
        RunDirectory rd = new RunDirectory(dir, m);
        rd.writeManifest();
        return rd;
    }

    /**
     * Reopens the directory of a run to resume it: status back to {@code running}, the resume recorded.
     *
     * @param dir       the run directory
     * @param iteration the checkpoint iteration the run resumes from
     * @return the run directory
     * @throws InvalidInputException if there is no run.json or the run already completed
     */
    public static RunDirectory reopen(Path dir, long iteration) {
        Path f = dir.resolve("run.json");
        if (!Files.isRegularFile(f)) {
            throw new InvalidInputException("--resume " + dir + ": not a run directory (no run.json)");
        }
        try {
            ObjectNode m = (ObjectNode) JsonFields.MAPPER.readTree(f.toFile());
            if ("completed".equals(m.path("status").asText())) {
                throw new InvalidInputException("--resume " + dir + ": the run has already completed");
            }
            ObjectNode r = JsonFields.MAPPER.createObjectNode();
            r.put("time", Instant.now().toString());
            r.put("fromIteration", iteration);
            r.put("previousStatus", m.path("status").asText());
            (m.has("resumes") ? (com.fasterxml.jackson.databind.node.ArrayNode) m.get("resumes") : m.putArray("resumes")).add(r);
            m.put("status", "running");
            m.remove("error");
            m.remove("endTime");
            RunDirectory rd = new RunDirectory(dir, m);
            rd.writeManifest();
            return rd;
        } catch (IOException e) {
            throw new InvalidInputException("--resume " + dir + ": unreadable run.json: " + e.getMessage());
        }
    }

    /** @return the directory */
    public Path path() {
        return dir;
    }

    /** @return the manifest being maintained (modifiable; written on the next status change) */
    public ObjectNode manifest() {
        return manifest;
    }

    /** Opens {@code metrics.csv} with the given columns. */
    public MetricsCsv metrics(List<String> columns) {
        return new MetricsCsv(dir.resolve("metrics.csv"), columns);
    }

    /** Reopens {@code metrics.csv} of a resumed run, keeping the first {@code rows} data rows. */
    public MetricsCsv metricsContinued(List<String> columns, long rows) {
        return MetricsCsv.continueAt(dir.resolve("metrics.csv"), columns, rows);
    }

    /** @return {@code particles/} (not created) */
    public Path particles() {
        return dir.resolve("particles");
    }

    /** Writes {@code policy.json} atomically. */
    public void writePolicy(ObjectNode policy) {
        AtomicFiles.writeJson(dir.resolve("policy.json"), policy);
    }

    /** Marks the run interrupted (Ctrl-C, SIGTERM): resumable from its last checkpoint. */
    public synchronized void interrupted() {
        if ("running".equals(manifest.path("status").asText())) {
            manifest.put("status", "interrupted");
            manifest.put("endTime", Instant.now().toString());
            writeManifest();
        }
    }

    /** @return whether the run was marked interrupted (by a signal) */
    public synchronized boolean wasInterrupted() {
        return "interrupted".equals(manifest.path("status").asText());
    }

    /** @return whether the run is still marked running */
    public synchronized boolean running() {
        return "running".equals(manifest.path("status").asText());
    }

    /** Marks the run completed. */
    public synchronized void completed() {
        manifest.put("status", "completed");
        manifest.put("endTime", Instant.now().toString());
        writeManifest();
    }

    /**
     * Marks the run failed with the error (and, for divergence, the iteration and the quantity).
     *
     * @param error what stopped the run
     */
    public synchronized void failed(Throwable error) {
        if ("interrupted".equals(manifest.path("status").asText())) {
            return; // a job aborted by the JVM's shutdown: the run was interrupted, not broken
        }
        manifest.put("status", "failed");
        manifest.put("endTime", Instant.now().toString());
        ObjectNode e = manifest.putObject("error");
        e.put("type", error.getClass().getSimpleName());
        e.put("message", String.valueOf(error.getMessage()));
        if (error instanceof NumericalDivergenceException d) {
            e.put("iteration", d.iteration());
            e.put("quantity", d.quantity());
        }
        writeManifest();
    }

    private void writeManifest() {
        AtomicFiles.writeJson(dir.resolve("run.json"), manifest);
    }

    /** @return a fresh manifest object */
    public static ObjectNode newManifest() {
        return JsonFields.MAPPER.createObjectNode();
    }
}
