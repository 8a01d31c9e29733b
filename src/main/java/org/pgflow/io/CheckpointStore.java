package org.pgflow.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.pgflow.train.Checkpoints;
import org.pgflow.train.ParticleEngine;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.JsonFields;
import org.pgflow.variance.ActorCriticState;

/**
 * The run directory's {@code checkpoint/}: every checkpoint is written completely into a temporary directory,
 * renamed into place ({@code iter-NNNNNNNNN/}), and only then named by {@code latest.json} (an atomic
 * rename of a temp file); the previous checkpoint is deleted after that. A killed run therefore always leaves a
 * complete last checkpoint. A checkpoint holds {@code state.json} (iteration k, seconds elapsed, rows of
 * metrics.csv that belong to it = k), and the particle blocks ({@code particles/}, written by the engine) or the
 * actor–critic state ({@code actor-critic.json}, doubles written in their shortest round-trip form).
 */
public final class CheckpointStore implements Checkpoints.Sink {
    private final Path dir;

    /** @param runDir the run directory */
    public CheckpointStore(Path runDir) {
        this.dir = runDir.resolve("checkpoint");
    }

    @Override
    public void save(long k, double elapsed, ParticleEngine engine, ActorCriticState state) {
        String name = String.format("iter-%09d", k);
        Path tmp = dir.resolve(".tmp-" + name);
        try {
            Files.createDirectories(dir);
            AtomicFiles.deleteTree(tmp);
            Files.createDirectories(tmp);
            if (engine != null) {
                engine.save(tmp.resolve("particles"));
            }
            if (state != null) {
                AtomicFiles.writeJson(tmp.resolve("actor-critic.json"), toJson(state));
            }
            ObjectNode s = JsonFields.MAPPER.createObjectNode();
            s.put("iteration", k);
            s.put("elapsedSeconds", elapsed);
            s.put("metricsRows", k);
            AtomicFiles.writeJson(tmp.resolve("state.json"), s);
            Path target = dir.resolve(name);
            AtomicFiles.deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            JsonNode previous = latest();
            ObjectNode l = JsonFields.MAPPER.createObjectNode();
            l.put("iteration", k);
            l.put("directory", name);
            AtomicFiles.writeJson(dir.resolve("latest.json"), l);
            if (previous != null && !previous.path("directory").asText().equals(name)) {
                AtomicFiles.deleteTree(dir.resolve(previous.path("directory").asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + name + " in " + dir, e);
        }
    }

    private JsonNode latest() throws IOException {
        Path l = dir.resolve("latest.json");
        return Files.isRegularFile(l) ? JsonFields.MAPPER.readTree(l.toFile()) : null;
    }

    /**
     * The resume point of a run directory.
     *
     * @param runDir the run directory
     * @return where to restart
     * @throws InvalidInputException when the directory has no complete checkpoint
     */
    public static Checkpoints.Resume load(Path runDir) {
        Path dir = runDir.resolve("checkpoint");
        try {
            Path l = dir.resolve("latest.json");
            if (!Files.isRegularFile(l)) {
                throw new InvalidInputException("--resume " + runDir + ": no checkpoint (checkpoint/latest.json is missing;"
                        + " a run checkpoints every checkpointEvery iterations)");
            }
            Path cp = dir.resolve(JsonFields.MAPPER.readTree(l.toFile()).path("directory").asText());
            JsonNode s = JsonFields.MAPPER.readTree(cp.resolve("state.json").toFile());
            Path particles = cp.resolve("particles");
            Path ac = cp.resolve("actor-critic.json");
            return new Checkpoints.Resume(s.get("iteration").asLong(), s.get("elapsedSeconds").asDouble(),
                    Files.exists(particles) ? particles : null,
                    Files.isRegularFile(ac) ? fromJson(JsonFields.MAPPER.readTree(ac.toFile())) : null);
        } catch (IOException e) {
            throw new InvalidInputException("--resume " + runDir + ": unreadable checkpoint: " + e.getMessage());
        }
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
