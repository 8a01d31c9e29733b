package org.pgflow.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.pgflow.meanfield.BlockFiles;
import org.pgflow.train.Checkpoints;
import org.pgflow.train.ParticleEngine;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.JsonFields;
import org.pgflow.variance.ActorCriticState;

/**
 * The run directory's {@code checkpoint/}. Every checkpoint is written completely into a temporary directory,
 * renamed into place ({@code iter-NNNNNNNNN/}), and only then named by {@code latest.json} (an atomic rename
 * of a temp file); the two newest checkpoints are kept, older ones deleted. A killed run therefore always
 * leaves a complete last checkpoint, and the one before it.
 *
 * <p>A checkpoint is engine-neutral: {@code manifest.json} (format, iteration k, seconds elapsed, the metrics
 * rows that belong to it = k, and for every data file its length and CRC-32C) and either one
 * {@link BlockFiles} file per particle block ({@code particles/block-NNNNNNN.bin}, whichever engine wrote them)
 * or the actor–critic state ({@code actor-critic.json}, doubles in their shortest round-trip form).
 *
 * <p>{@link #load} verifies a checkpoint completely — manifest, block count, every file's length and checksum,
 * and for particles the run's block structure — before anything is touched; a damaged or incomplete
 * checkpoint is refused with the offending file named.
 *
 * <p>A checkpoint that cannot be written (a full disk: {@link WriteFaults} injects one in tests) fails the run
 * with the file system's reason and leaves no temporary directory: the previous checkpoint stays the latest.
 */
public final class CheckpointStore implements Checkpoints.Sink {
    /** Format name in the manifest. */
    static final String FORMAT = "pgflow-checkpoint";
    /** Format version in the manifest. */
    static final int VERSION = 1;
    private final Path dir;

    /** @param runDir the run directory */
    public CheckpointStore(Path runDir) {
        this.dir = runDir.resolve("checkpoint");
    }

    @Override
    public void save(long k, double elapsed, ParticleEngine engine, ActorCriticState state) {
        String name = directoryName(k);
        Path tmp = dir.resolve(".tmp-" + name);
        try {
            Files.createDirectories(dir);
            AtomicFiles.deleteTree(tmp);
            Files.createDirectories(tmp);
            ObjectNode m = JsonFields.MAPPER.createObjectNode();
            m.put("format", FORMAT);
            m.put("version", VERSION);
            m.put("iteration", k);
            m.put("elapsedSeconds", elapsed);
            m.put("metricsRows", k);
            if (engine != null) {
                List<BlockFiles.Written> files = engine.save(tmp.resolve("particles"));
                m.put("kind", "particles");
                m.put("blocks", files.size());
                ArrayNode a = m.putArray("files");
                for (BlockFiles.Written w : files) {
                    ObjectNode f = a.addObject();
                    f.put("block", w.blockId());
                    f.put("name", w.name());
                    f.put("bytes", w.bytes());
                    f.put("crc32c", Long.toHexString(w.crc32c()));
                }
            }
            if (state != null) {
                byte[] json = JsonFields.MAPPER.writeValueAsBytes(toJson(state));
                Files.write(tmp.resolve("actor-critic.json"), json);
                m.put("kind", "actor-critic");
                ObjectNode f = m.putObject("actorCritic");
                f.put("name", "actor-critic.json");
                f.put("bytes", json.length);
                f.put("crc32c", Long.toHexString(crc(json)));
            }
            WriteFaults.check("checkpoint");
            AtomicFiles.writeJson(tmp.resolve("manifest.json"), m);
            Path target = dir.resolve(name);
            AtomicFiles.deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            JsonNode previous = latestOrNull();
            ObjectNode l = JsonFields.MAPPER.createObjectNode();
            l.put("iteration", k);
            l.put("directory", name);
            if (previous != null && !previous.path("directory").asText().equals(name)) {
                l.put("previous", previous.path("directory").asText());
            }
            AtomicFiles.writeJson(dir.resolve("latest.json"), l);
            pruneOlderThan(l.path("previous").asText(name));
        } catch (IOException | RuntimeException e) {
            // A half-written checkpoint never stays behind (latest.json still names the previous, complete one).
            try {
                AtomicFiles.deleteTree(tmp);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot write checkpoint " + name + " in " + dir + ": "
                        + AtomicFiles.reason(io), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Deletes the checkpoints older than {@code keep} (the newest two survive). */
    private void pruneOlderThan(String keep) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("iter-") && n.compareTo(keep) < 0) {
                    AtomicFiles.deleteTree(p);
                }
            }
        }
    }

    private JsonNode latestOrNull() {
        Path l = dir.resolve("latest.json");
        try {
            return Files.isRegularFile(l) ? JsonFields.MAPPER.readTree(l.toFile()) : null;
        } catch (IOException e) {
            return null; // a damaged pointer is simply replaced
        }
    }

    /** @return the directory name of the checkpoint of iteration k */
    public static String directoryName(long k) {
        return String.format("iter-%09d", k);
    }

    /**
     * The verified resume point of a run directory: its latest checkpoint.
     *
     * @param runDir    the run directory
     * @param particles expected particle count N and block count, or null for an actor–critic run
     * @return where to restart
     * @throws InvalidInputException naming the file when the checkpoint is missing, damaged or incomplete
     */
    public static Checkpoints.Resume load(Path runDir, Expected particles) {
        return load(runDir, null, particles);
    }

    /**
     * The verified resume point of a run directory.
     *
     * @param runDir    the run directory
     * @param which     checkpoint directory name ({@code iter-K}), or null for the latest
     * @param particles expected block structure, or null for an actor–critic run
     * @return where to restart
     * @throws InvalidInputException naming the file when the checkpoint is missing, damaged or incomplete
     */
    public static Checkpoints.Resume load(Path runDir, String which, Expected particles) {
        Path dir = runDir.resolve("checkpoint");
        String name = which;
        if (name == null) {
            Path l = dir.resolve("latest.json");
            if (!Files.isRegularFile(l)) {
                throw new InvalidInputException("--resume " + runDir + ": no checkpoint (" + l + " is missing;"
                        + " a run checkpoints every checkpointEvery iterations)");
            }
            JsonNode latest = readJson(l);
            name = latest.path("directory").asText("");
            if (!name.matches("iter-[0-9]{9}")) {
                throw new InvalidInputException(l + ": field 'directory' must name a checkpoint iter-NNNNNNNNN but was '"
                        + name + "'");
            }
        } else if (!which.matches("iter-[0-9]{9}")) {
            throw new InvalidInputException("--resume-from must name a checkpoint directory iter-NNNNNNNNN but was '"
                    + which + "'");
        }
        Path cp = dir.resolve(name);
        if (!Files.isDirectory(cp)) {
            throw new InvalidInputException(cp + ": checkpoint directory is missing");
        }
        Path mf = cp.resolve("manifest.json");
        if (!Files.isRegularFile(mf)) {
            throw new InvalidInputException(mf + " is missing: not a complete checkpoint");
        }
        JsonNode m = readJson(mf);
        if (!FORMAT.equals(m.path("format").asText()) || m.path("version").asInt(-1) != VERSION) {
            throw new InvalidInputException(mf + ": not a " + FORMAT + " manifest of version " + VERSION);
        }
        long k = longField(mf, m, "iteration");
        if (!name.equals(directoryName(k))) {
            throw new InvalidInputException(mf + ": field 'iteration' is " + k + " but the directory is " + name);
        }
        double elapsed = m.path("elapsedSeconds").isNumber() ? m.get("elapsedSeconds").asDouble() : Double.NaN;
        if (!(elapsed >= 0)) {
            throw new InvalidInputException(mf + ": field 'elapsedSeconds' must be a number >= 0 but was "
                    + m.get("elapsedSeconds"));
        }
        String kind = m.path("kind").asText("");
        if (particles != null) {
            if (!kind.equals("particles")) {
                throw new InvalidInputException(mf + ": field 'kind' must be 'particles' for a mean-field run but was '"
                        + kind + "'");
            }
            List<BlockFiles.Written> files = blockFiles(mf, m, particles);
            Path pdir = cp.resolve("particles");
            for (BlockFiles.Written w : files) {
                try {
                    BlockFiles.verified(pdir.resolve(w.name()), w);
                } catch (BlockFiles.DamagedFileException e) {
                    throw new InvalidInputException("damaged checkpoint: " + e.getMessage());
                }
            }
            return new Checkpoints.Resume(k, elapsed, pdir, files, null);
        }
        if (!kind.equals("actor-critic")) {
            throw new InvalidInputException(mf + ": field 'kind' must be 'actor-critic' for a variance run but was '"
                    + kind + "'");
        }
        JsonNode f = m.path("actorCritic");
        Path ac = cp.resolve("actor-critic.json");
        BlockFiles.Written expected = new BlockFiles.Written(0, "actor-critic.json", longField(mf, f, "bytes"),
                crcField(mf, f, "actorCritic.crc32c"));
        byte[] bytes;
        try {
            bytes = BlockFiles.verified(ac, expected).array();
        } catch (BlockFiles.DamagedFileException e) {
            throw new InvalidInputException("damaged checkpoint: " + e.getMessage());
        }
        ActorCriticState state;
        try {
            state = fromJson(JsonFields.MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(ac + ": not a valid actor-critic state (" + e.getMessage() + ")");
        }
        return new Checkpoints.Resume(k, elapsed, null, null, state);
    }

    /**
     * The block structure a mean-field run expects of its checkpoint.
     *
     * @param particles N
     * @param blocks    number of blocks
     */
    public record Expected(long particles, int blocks) {
    }

    private static List<BlockFiles.Written> blockFiles(Path mf, JsonNode m, Expected expected) {
        long blocks = longField(mf, m, "blocks");
        if (blocks != expected.blocks()) {
            throw new InvalidInputException(mf + ": field 'blocks' is " + blocks + " but the run (meanfield.particles = "
                    + expected.particles() + ") has " + expected.blocks() + " blocks");
        }
        JsonNode a = m.get("files");
        if (a == null || !a.isArray() || a.size() != blocks) {
            throw new InvalidInputException(mf + ": field 'files' must list " + blocks + " block files but has "
                    + (a == null || !a.isArray() ? "none" : a.size()));
        }
        List<BlockFiles.Written> out = new ArrayList<>();
        for (int b = 0; b < a.size(); b++) {
            JsonNode f = a.get(b);
            long id = longField(mf, f, "files[" + b + "].block");
            String name = f.path("name").asText("");
            if (id != b || !name.equals(BlockFiles.name(b))) {
                throw new InvalidInputException(mf + ": files[" + b + "] must be block " + b + " in " + BlockFiles.name(b)
                        + " but is block " + id + " in '" + name + "'");
            }
            out.add(new BlockFiles.Written(b, name, longField(mf, f, "files[" + b + "].bytes"),
                    crcField(mf, f, "files[" + b + "].crc32c")));
        }
        return out;
    }

    private static JsonNode readJson(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            JsonNode n = bytes.length == 0 ? null : JsonFields.MAPPER.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new InvalidInputException(file + ": not a JSON object" + (bytes.length == 0 ? " (empty file)" : ""));
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static long longField(Path file, JsonNode obj, String path) {
        String field = path.substring(path.lastIndexOf('.') + 1);
        JsonNode v = obj.get(field);
        if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new InvalidInputException(file + ": field '" + path + "' must be an integer >= 0 but was " + v);
        }
        return v.asLong();
    }

    private static long crcField(Path file, JsonNode obj, String path) {
        String field = path.substring(path.lastIndexOf('.') + 1);
        String v = obj.path(field).asText("");
        if (!v.matches("[0-9a-f]{1,8}")) {
            throw new InvalidInputException(file + ": field '" + path + "' must be a CRC-32C in hex but was '" + v + "'");
        }
        return Long.parseLong(v, 16);
    }

    private static long crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }

    static ObjectNode toJson(ActorCriticState s) {
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        o.put("iteration", s.iteration());
        put(o.putArray("theta"), s.theta());
        o.put("jHat", s.jHat());
        put(o.putArray("wJ"), s.wJ());
        put(o.putArray("wM"), s.wM());
        put(o.putArray("wTilde"), s.wTilde());
        return o;
    }

    static ActorCriticState fromJson(JsonNode o) {
        return ActorCriticState.of(o.get("iteration").asLong(), doubles(o.get("theta")), o.get("jHat").asDouble(),
                doubles(o.get("wJ")), doubles(o.get("wM")), doubles(o.get("wTilde")));
    }

    private static void put(ArrayNode a, double[] v) {
        for (double x : v) {
            a.add(x);
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }
}
