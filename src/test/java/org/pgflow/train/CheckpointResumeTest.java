package org.pgflow.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgflow.TestSupport;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.RunConfig;
import org.pgflow.io.CheckpointStore;
import org.pgflow.io.RunDirectory;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.meanfield.ParticleBlock;
import org.pgflow.run.Problems;
import org.pgflow.run.VarianceJob;

/**
 * Checkpoint and resume: a run that dies after a checkpoint and is resumed from it ends in exactly the same
 * state, with exactly the same metrics, as an uninterrupted run (streams are addressed by iteration and id, so
 * nothing but the state needs saving).
 */
class CheckpointResumeTest {
    @TempDir
    Path tmp;

    /** Thrown by a metrics sink to emulate a driver dying mid-run. */
    static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    static RunConfig meanField() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("algorithm", "meanfield");
        n.put("seed", 8);
        n.put("iterations", 30);
        n.put("checkpointEvery", 10);
        n.putObject("environment").put("type", "finite").put("file", TestSupport.env("t1.mdp.json").toString());
        n.putObject("meanfield").put("particles", 120).put("blockSize", 32).put("coupled", true).put("knnEvery", 7)
                .put("knnSample", 50);
        return RunConfig.from(ConfigTree.of(n), null);
    }

    @Test
    void meanFieldResumeEqualsAnUninterruptedRun() {
        RunConfig cfg = meanField();
        FiniteMdp t1 = ModelFiles.loadMdp(TestSupport.env("t1.mdp.json"));
        List<Double[]> full = new ArrayList<>();
        List<ParticleBlock> fullBlocks;
        try (LocalParticleEngine e = new LocalParticleEngine()) {
            MeanFieldTrainer.run(t1, cfg.meanfield(), cfg.seed(), 30, e, r -> full.add(r.cells()), (k, t, o, g) -> { }, null);
            fullBlocks = e.blocks();
        }
        CheckpointStore store = new CheckpointStore(tmp);
        List<Double[]> rows = new ArrayList<>();
        assertThrows(Killed.class, () -> {
            try (LocalParticleEngine e = new LocalParticleEngine()) {
                MeanFieldTrainer.run(t1, cfg.meanfield(), cfg.seed(), 30, e, row -> {
                    if (row.get(Metric.ITERATION) == 25) {
                        throw new Killed();
                    }
                    rows.add(row.cells());
                }, (k, t, o, g) -> { }, null, new Checkpoints(10, store, null));
            }
        });
        Checkpoints.Resume resume = CheckpointStore.load(tmp, new CheckpointStore.Expected(cfg.meanfield().particles(),
                (int) ((cfg.meanfield().particles() + cfg.meanfield().blockSize() - 1) / cfg.meanfield().blockSize())));
        assertEquals(20, resume.iteration(), "last complete checkpoint");
        assertTrue(Files.isDirectory(tmp.resolve("checkpoint/iter-000000020")) && Files.isDirectory(tmp.resolve("checkpoint/iter-000000010")),
                "the latest checkpoint and the one before it are kept");
        List<Double[]> resumed = new ArrayList<>(rows.subList(0, 20));
        try (LocalParticleEngine e = new LocalParticleEngine()) {
            MeanFieldTrainer.run(t1, cfg.meanfield(), cfg.seed(), 30, e, r -> resumed.add(r.cells()), (k, t, o, g) -> { }, null,
                    new Checkpoints(10, store, resume));
            List<ParticleBlock> blocks = e.blocks();
            for (int b = 0; b < blocks.size(); b++) {
                assertArrayEquals(fullBlocks.get(b).theta(), blocks.get(b).theta(), "block " + b);
                assertArrayEquals(fullBlocks.get(b).coupled(), blocks.get(b).coupled(), "coupled block " + b);
            }
        }
        assertEquals(full.size(), resumed.size());
        int time = MeanFieldTrainer.COLUMNS.indexOf("time_s");
        for (int k = 0; k < full.size(); k++) {
            for (int c = 0; c < full.get(k).length; c++) {
                if (c != time) {
                    assertEquals(full.get(k)[c], resumed.get(k)[c], "row " + k + " " + MeanFieldTrainer.COLUMNS.get(c));
                }
            }
        }
    }

    @Test
    void varianceResumeEqualsAnUninterruptedRun() throws Exception {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("algorithm", "variance");
        n.put("seed", 3);
        n.put("iterations", 40);
        n.put("checkpointEvery", 15);
        n.putObject("environment").put("type", "risky-chain");
        n.putObject("variance").put("lambda", 0.5).put("episodes", 30).put("blockSize", 8).put("evalEpisodes", 100);
        RunConfig cfg = RunConfig.from(ConfigTree.of(n), null);
        VarianceTrainer.Problem pb = Problems.actorCritic(cfg);
        Path a = tmp.resolve("a");
        VarianceTrainer.Result full = VarianceJob.run(cfg, pb, EpisodeEngine.LOCAL, RunDirectory.create(a, manifest(cfg)),
                org.pgflow.io.Progress.on(new java.io.PrintWriter(java.io.Writer.nullWriter()), "eta"), Checkpoints.NONE);

        Path b = tmp.resolve("b");
        RunDirectory run = RunDirectory.create(b, manifest(cfg));
        EpisodeEngine dying = new EpisodeEngine() {
            @Override
            public org.pgflow.variance.EpisodeSums actorBatch(org.pgflow.variance.ActorCriticModel m,
                    org.pgflow.variance.ActorCriticState s, long seed, long episodes, int blockSize) {
                if (s.iteration() == 35) {
                    throw new Killed();
                }
                return EpisodeEngine.LOCAL.actorBatch(m, s, seed, episodes, blockSize);
            }

            @Override
            public org.pgflow.variance.NormalEquations criticBatch(org.pgflow.variance.ActorCriticModel m,
                    org.pgflow.variance.ActorCriticState s, long seed, long episodes, int blockSize) {
                return EpisodeEngine.LOCAL.criticBatch(m, s, seed, episodes, blockSize);
            }
        };
        org.pgflow.io.Progress quiet = org.pgflow.io.Progress.on(new java.io.PrintWriter(java.io.Writer.nullWriter()), "eta");
        assertThrows(Killed.class, () -> VarianceJob.run(cfg, pb, dying, run, quiet, new Checkpoints(15, new CheckpointStore(b), null)));
        Checkpoints.Resume resume = CheckpointStore.load(b, null);
        assertEquals(30, resume.iteration());
        VarianceTrainer.Result resumed = VarianceJob.run(cfg, pb, EpisodeEngine.LOCAL, RunDirectory.reopen(b, 30), quiet,
                new Checkpoints(15, new CheckpointStore(b), resume));
        assertEquals(full.state(), resumed.state(), "final actor-critic state (bitwise)");
        List<String> ma = Files.readAllLines(a.resolve("metrics.csv"));
        List<String> mb = Files.readAllLines(b.resolve("metrics.csv"));
        assertEquals(ma.size(), mb.size());
        for (int i = 0; i < ma.size(); i++) {
            assertEquals(dropTime(ma.get(i)), dropTime(mb.get(i)), "metrics line " + i);
        }
    }

    private static String dropTime(String line) {
        String[] c = line.split(",", -1);
        c[1] = "";
        return String.join(",", c);
    }

    /** The manifest of a run of {@code cfg} outside a launcher. */
    private static org.pgflow.io.RunManifest manifest(RunConfig cfg) {
        return org.pgflow.io.RunManifest.start(cfg.name(), cfg.algorithm().key(), cfg.seed(), null, null, cfg.resolved(), null);
    }
}
