package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgflow.TestSupport;
import org.pgflow.io.AtomicFiles;
import org.pgflow.io.RunDirectory;
import org.pgflow.util.JsonFields;

/**
 * {@code run --resume} refuses a damaged checkpoint with exit 2, one line naming the offending file, and leaves
 * the run directory byte for byte as it was (every file hashed before and after): a block file missing,
 * truncated or with a bit flipped; the actor–critic state damaged; {@code latest.json} missing, empty or
 * garbage; {@code manifest.json} missing, garbage, or with a block count that does not match the run's
 * particles; {@code metrics.csv} shorter than the checkpoint. {@code --resume-from} then restarts from the
 * previous checkpoint and ends with the same bits as an uninterrupted run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointVerificationTest {
    @TempDir
    static Path tmp;

    /** 50 particles in 4 blocks, checkpoints at 4 and 8 (the newest two kept). */
    static final String MEANFIELD = """
            algorithm: meanfield
            seed: 4
            iterations: 10
            checkpointEvery: 4
            environment:
              type: finite
              file: %s
            meanfield:
              particles: 50
              blockSize: 16
              coupled: true
              knnEvery: 0
            """.formatted(TestSupport.env("t1.mdp.json"));

    static final String VARIANCE = """
            algorithm: variance
            seed: 2
            iterations: 9
            checkpointEvery: 4
            environment:
              type: risky-chain
            variance:
              lambda: 0.5
              episodes: 30
              blockSize: 16
              evalEpisodes: 50
            """;

    /** Uninterrupted runs, and the same runs as a killed run would leave them (status interrupted). */
    Path meanfieldFull;
    Path meanfieldKilled;
    Path varianceKilled;

    @BeforeAll
    void runs() throws IOException {
        meanfieldFull = run("meanfield", MEANFIELD);
        meanfieldKilled = killedCopy(meanfieldFull, "meanfield-killed");
        varianceKilled = killedCopy(run("variance", VARIANCE), "variance-killed");
    }

    private Path run(String label, String text) throws IOException {
        Path cfg = tmp.resolve(label + ".yaml");
        Files.writeString(cfg, text);
        Path out = tmp.resolve(label);
        CliTest.Run r = CliTest.run("run", cfg.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        return out;
    }

    /** A copy of a finished run that looks as if its driver had been killed after the last iteration. */
    private Path killedCopy(Path run, String label) throws IOException {
        Path copy = tmp.resolve(label);
        Trees.copy(run, copy);
        Path manifest = copy.resolve("run.json");
        ObjectNode m = (ObjectNode) JsonFields.MAPPER.readTree(manifest.toFile());
        m.put("status", "interrupted");
        AtomicFiles.writeJson(manifest, m);
        return copy;
    }

    /** @return the checkpoint directory latest.json names */
    static Path latest(Path run) throws IOException {
        JsonNode l = JsonFields.MAPPER.readTree(run.resolve("checkpoint/latest.json").toFile());
        return run.resolve("checkpoint").resolve(l.get("directory").asText());
    }

    /** A way to damage a run directory; returns the file the refusal must name. */
    interface Damage {
        String apply(Path run) throws IOException;
    }

    static void flipBit(Path f, long at) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.seek(at);
            int b = r.read();
            r.seek(at);
            r.write(b ^ 0x10);
        }
    }

    static void truncate(Path f) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(r.length() / 2);
        }
    }

    static ObjectNode manifest(Path run) throws IOException {
        return (ObjectNode) JsonFields.MAPPER.readTree(latest(run).resolve("manifest.json").toFile());
    }

    static Stream<Arguments> damages() {
        return Stream.of(
                Arguments.of("block file missing", true, (Damage) run -> {
                    Path f = latest(run).resolve("particles/block-0000001.bin");
                    Files.delete(f);
                    return f + " is missing";
                }),
                Arguments.of("block file truncated", true, (Damage) run -> {
                    Path f = latest(run).resolve("particles/block-0000002.bin");
                    truncate(f);
                    return f + " has ";
                }),
                Arguments.of("block file with a bit flipped", true, (Damage) run -> {
                    Path f = latest(run).resolve("particles/block-0000003.bin");
                    flipBit(f, 200);
                    return f + " fails its checksum";
                }),
                Arguments.of("block header with a bit flipped", true, (Damage) run -> {
                    Path f = latest(run).resolve("particles/block-0000000.bin");
                    flipBit(f, 9);
                    return f + " fails its checksum";
                }),
                Arguments.of("latest.json missing", true, (Damage) run -> {
                    Path f = run.resolve("checkpoint/latest.json");
                    Files.delete(f);
                    return f + " is missing";
                }),
                Arguments.of("latest.json empty", true, (Damage) run -> {
                    Path f = run.resolve("checkpoint/latest.json");
                    Files.write(f, new byte[0]);
                    return f + ": not a JSON object (empty file)";
                }),
                Arguments.of("latest.json garbage", true, (Damage) run -> {
                    Path f = run.resolve("checkpoint/latest.json");
                    Files.writeString(f, "{\"iteration\": 8, \"directory\": \"iter-0000");
                    return f + ": not valid JSON";
                }),
                Arguments.of("latest.json naming no checkpoint", true, (Damage) run -> {
                    Path f = run.resolve("checkpoint/latest.json");
                    Files.writeString(f, "{\"iteration\": 8, \"directory\": \"../../etc\"}");
                    return f + ": field 'directory' must name a checkpoint";
                }),
                Arguments.of("manifest.json missing", true, (Damage) run -> {
                    Path f = latest(run).resolve("manifest.json");
                    Files.delete(f);
                    return f + " is missing";
                }),
                Arguments.of("manifest.json garbage", true, (Damage) run -> {
                    Path f = latest(run).resolve("manifest.json");
                    Files.writeString(f, "\u0000\u0001 not json");
                    return f + ": not valid JSON";
                }),
                Arguments.of("manifest.json with more blocks than the run", true, (Damage) run -> {
                    Path f = latest(run).resolve("manifest.json");
                    ObjectNode m = manifest(run);
                    m.put("blocks", 5);
                    AtomicFiles.writeJson(f, m);
                    return f + ": field 'blocks' is 5 but the run (meanfield.particles = 50) has 4 blocks";
                }),
                Arguments.of("manifest.json listing fewer block files", true, (Damage) run -> {
                    Path f = latest(run).resolve("manifest.json");
                    ObjectNode m = manifest(run);
                    ((ArrayNode) m.get("files")).remove(3);
                    AtomicFiles.writeJson(f, m);
                    return f + ": field 'files' must list 4 block files but has 3";
                }),
                Arguments.of("manifest.json with another checksum", true, (Damage) run -> {
                    ObjectNode m = manifest(run);
                    ObjectNode file = (ObjectNode) m.get("files").get(1);
                    file.put("crc32c", Long.toHexString(Long.parseLong(file.get("crc32c").asText(), 16) ^ 1));
                    AtomicFiles.writeJson(latest(run).resolve("manifest.json"), m);
                    return latest(run).resolve("particles/block-0000001.bin") + " fails its checksum";
                }),
                Arguments.of("run.json with more particles than the checkpoint", true, (Damage) run -> {
                    Path f = run.resolve("run.json");
                    ObjectNode m = (ObjectNode) JsonFields.MAPPER.readTree(f.toFile());
                    ((ObjectNode) m.get("config").get("meanfield")).put("particles", 70);
                    AtomicFiles.writeJson(f, m);
                    return latest(run).resolve("manifest.json")
                            + ": field 'blocks' is 4 but the run (meanfield.particles = 70) has 5 blocks";
                }),
                Arguments.of("metrics.csv shorter than the checkpoint", true, (Damage) run -> {
                    Path f = run.resolve("metrics.csv");
                    java.util.List<String> lines = Files.readAllLines(f);
                    Files.write(f, lines.subList(0, 5));
                    return f + " has 4 data rows but the checkpoint needs the first 8";
                }),
                Arguments.of("actor-critic state with a bit flipped", false, (Damage) run -> {
                    Path f = latest(run).resolve("actor-critic.json");
                    flipBit(f, 30);
                    return f + " fails its checksum";
                }),
                Arguments.of("actor-critic state truncated", false, (Damage) run -> {
                    Path f = latest(run).resolve("actor-critic.json");
                    truncate(f);
                    return f + " has ";
                }),
                Arguments.of("actor-critic state missing", false, (Damage) run -> {
                    Path f = latest(run).resolve("actor-critic.json");
                    Files.delete(f);
                    return f + " is missing";
                }),
                Arguments.of("actor-critic manifest garbage", false, (Damage) run -> {
                    Path f = latest(run).resolve("manifest.json");
                    Files.writeString(f, "[1, 2");
                    return f + ": not valid JSON";
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void aDamagedCheckpointIsRefusedAndNothingChanges(String what, boolean meanfield, Damage damage) throws IOException {
        Path run = tmp.resolve("damaged-" + what.replaceAll("\\W+", "-"));
        Trees.copy(meanfield ? meanfieldKilled : varianceKilled, run);
        String expected = damage.apply(run);
        Map<String, String> before = Trees.hashes(run);
        CliTest.Run r = CliTest.run("run", "--resume", run.toString());
        assertEquals(Main.EXIT_INVALID, r.status(), what + ": " + r.err());
        String line = Trees.oneLine(r);
        assertTrue(line.contains(expected), what + ": expected '" + expected + "' in: " + line);
        assertEquals(before, Trees.hashes(run), what + ": the run directory changed");
    }

    @Test
    void theLatestCheckpointIsResumedIntactFromTheSameFiles() throws IOException {
        // The undamaged copy resumes; its checkpoints were all verified, none rewritten at the same iteration.
        Path run = tmp.resolve("intact");
        Trees.copy(meanfieldKilled, run);
        CliTest.Run r = CliTest.run("run", "--resume", run.toString());
        assertEquals(0, r.status(), r.err());
        EnginesTest.assertSameRun(meanfieldFull, run, "resumed from the latest checkpoint");
    }

    @Test
    void resumeFromPicksThePreviousCheckpointWhenTheLatestIsDamaged() throws IOException {
        Path run = tmp.resolve("latest-damaged");
        Trees.copy(meanfieldKilled, run);
        Path latest = latest(run);
        JsonNode pointer = JsonFields.MAPPER.readTree(run.resolve("checkpoint/latest.json").toFile());
        String previous = pointer.get("previous").asText();
        assertEquals("iter-000000008", latest.getFileName().toString());
        assertEquals("iter-000000004", previous);
        flipBit(latest.resolve("particles/block-0000002.bin"), 1000);
        Map<String, String> before = Trees.hashes(run);
        CliTest.Run refused = CliTest.run("run", "--resume", run.toString());
        assertEquals(Main.EXIT_INVALID, refused.status(), refused.err());
        assertTrue(Trees.oneLine(refused).contains("block-0000002.bin fails its checksum"), refused.err());
        assertEquals(before, Trees.hashes(run));

        CliTest.Run r = CliTest.run("run", "--resume", run.toString(), "--resume-from", previous);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("resuming " + run + " at iteration 4"), r.err());
        EnginesTest.assertSameRun(meanfieldFull, run, "resumed from the checkpoint before the damaged one");
        JsonNode m = JsonFields.MAPPER.readTree(run.resolve("run.json").toFile());
        assertEquals("completed", m.get("status").asText());
        assertEquals(4, m.get("resumes").get(0).get("fromIteration").asLong());
        // The damaged checkpoint was written anew on the way, and verifies.
        assertEquals(8, org.pgflow.io.CheckpointStore.load(run, null,
                new org.pgflow.io.CheckpointStore.Expected(50, 4)).iteration());
        CliTest.Run again = CliTest.run("run", "--resume", run.toString());
        assertEquals(Main.EXIT_INVALID, again.status(), "a completed run is not resumed again: " + again.err());
        assertTrue(Trees.oneLine(again).contains("already completed"), again.err());
    }

    @Test
    void aRunInUseIsNotResumed() throws IOException {
        Path run = tmp.resolve("in-use");
        Trees.copy(meanfieldKilled, run);
        Map<String, String> before = Trees.hashes(run);
        try (RunDirectory.Lock held = RunDirectory.lock(run, "test")) {
            CliTest.Run r = CliTest.run("run", "--resume", run.toString());
            assertEquals(Main.EXIT_INVALID, r.status(), r.err());
            assertTrue(Trees.oneLine(r).contains("is in use by another pgflow run"), r.err());
        }
        assertEquals(before, Trees.hashes(run));
    }
}
