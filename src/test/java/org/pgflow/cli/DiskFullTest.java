package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgflow.io.CheckpointStore;
import org.pgflow.io.WriteFaults;
import org.pgflow.util.JsonFields;

/**
 * A disk that fills up mid-run (an injected "No space left on device", {@link WriteFaults}): the run ends with
 * {@code status: failed} and the error in run.json, one line on stderr naming the error log, the stack trace in
 * {@code error.log} (on stderr only with {@code --verbose}), a complete last checkpoint and no half-written
 * one; a copy resumed once the disk has room again ends with the same bits as an uninterrupted run.
 */
class DiskFullTest {
    @TempDir
    Path tmp;

    @AfterEach
    void disarm() {
        WriteFaults.disarm();
    }

    private Path config(String name, String text) throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, text);
        return f;
    }

    /** Runs; the fault (if any) is armed just before and disarmed after. */
    private CliTest.Run run(Path cfg, Path out, String fault, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", cfg.toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        if (fault != null) {
            WriteFaults.arm(fault);
        }
        try {
            return CliTest.run(args.toArray(new String[0]));
        } finally {
            WriteFaults.disarm();
        }
    }

    /** What a run that failed on a full disk must leave. */
    private static void assertFailedCleanly(CliTest.Run r, Path out, long lastCheckpoint, CheckpointStore.Expected blocks)
            throws IOException {
        assertEquals(Main.EXIT_FAILURE, r.status(), r.err());
        String line = Trees.oneLine(r);
        assertTrue(line.contains("No space left on device"), line);
        assertTrue(line.endsWith("(stack trace in " + out.resolve("error.log") + ")"), line);
        JsonNode m = JsonFields.MAPPER.readTree(out.resolve("run.json").toFile());
        assertEquals("failed", m.get("status").asText(), m.toString());
        assertTrue(m.get("error").get("message").asText().contains("No space left on device"), m.toString());
        assertEquals("error.log", m.get("error").get("log").asText());
        String log = Files.readString(out.resolve("error.log"));
        assertTrue(log.contains("No space left on device") && log.contains("\tat org.pgflow.io."), log);
        assertEquals(lastCheckpoint, CheckpointStore.load(out, null, blocks).iteration(),
                "the last complete checkpoint verifies");
        try (Stream<Path> s = Files.list(out.resolve("checkpoint"))) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp")).toList(),
                    "no half-written checkpoint is left");
        }
    }

    /** Resumes a copy of a failed run (the disk has room again) and compares with the uninterrupted run. */
    private void assertResumedCopyEquals(Path failed, Path full, long from) throws IOException {
        Path copy = tmp.resolve(failed.getFileName() + "-resumed");
        Trees.copy(failed, copy);
        CliTest.Run r = CliTest.run("run", "--resume", copy.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("at iteration " + from), r.err());
        EnginesTest.assertSameRun(full, copy, "resumed after the disk filled up");
        JsonNode m = JsonFields.MAPPER.readTree(copy.resolve("run.json").toFile());
        assertEquals("completed", m.get("status").asText());
        assertFalse(m.has("error"), "the error of the failed attempt is cleared on completion");
        assertEquals("failed", m.get("resumes").get(0).get("previousStatus").asText());
    }

    @Test
    void aCheckpointThatCannotBeWrittenFailsTheRunAndTheCopyResumes() throws IOException {
        Path cfg = config("exact", EnginesTest.EXACT); // 230 particles in 8 blocks, checkpoints at 5 and 10 of 12
        Path full = tmp.resolve("full");
        assertEquals(0, run(cfg, full, null).status());
        Path failed = tmp.resolve("disk-full-at-checkpoint");
        CliTest.Run r = run(cfg, failed, "checkpoint:2");
        assertFailedCleanly(r, failed, 5, new CheckpointStore.Expected(230, 8));
        assertTrue(r.err().contains("cannot write checkpoint iter-000000010"), r.err());
        assertTrue(Files.isDirectory(failed.resolve("checkpoint/iter-000000005")));
        assertFalse(Files.exists(failed.resolve("checkpoint/iter-000000010")));
        assertResumedCopyEquals(failed, full, 5);
    }

    @Test
    void aMetricsRowThatCannotBeWrittenFailsTheRunAndTheCopyResumes() throws IOException {
        Path cfg = config("variance", EnginesTest.VARIANCE); // checkpoints at 4 and 8 of 9
        Path full = tmp.resolve("full");
        assertEquals(0, run(cfg, full, null).status());
        Path failed = tmp.resolve("disk-full-in-metrics");
        CliTest.Run r = run(cfg, failed, "metrics:7"); // the row of iteration 6
        assertFailedCleanly(r, failed, 4, null);
        assertTrue(r.err().contains("cannot write " + failed.resolve("metrics.csv")), r.err());
        assertEquals(1 + 6, Files.readAllLines(failed.resolve("metrics.csv")).size(), "rows 0..5 were written");
        assertResumedCopyEquals(failed, full, 4);
    }

    @Test
    void verbosePrintsTheStackTraceAfterTheLine() throws IOException {
        Path cfg = config("variance", EnginesTest.VARIANCE);
        Path failed = tmp.resolve("verbose");
        CliTest.Run r = run(cfg, failed, "metrics:3", "--verbose");
        assertEquals(Main.EXIT_FAILURE, r.status(), r.err());
        List<String> lines = Trees.messages(r.err());
        assertTrue(lines.get(0).startsWith("pgflow: cannot write ") && lines.get(0).contains("No space left on device"),
                r.err());
        assertTrue(r.err().contains("\tat org.pgflow.io.MetricsCsv.write"), r.err());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("pgflow: ")).count(), r.err());
        assertTrue(Files.readString(failed.resolve("error.log")).contains("\tat org.pgflow.io.MetricsCsv.write"));
    }
}
