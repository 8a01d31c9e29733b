package org.pgflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgflow.TestSupport;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.RunConfig;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.meanfield.CloudTotals;
import org.pgflow.meanfield.MeanFieldSetup;
import org.pgflow.meanfield.NeuronKernels;
import org.pgflow.meanfield.NeuronLayout;
import org.pgflow.meanfield.ParticleBlock;
import org.pgflow.meanfield.Points;
import org.pgflow.util.NumericalDivergenceException;

/** The trainer with the selected kernels: the activation cache never changes a run, and NaN is reported. */
class KernelsInTrainerTest {
    private static final FiniteMdp T1 = ModelFiles.loadMdp(TestSupport.env("t1.mdp.json"));

    static RunConfig config(long cacheMb) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("algorithm", "meanfield");
        n.put("seed", 21);
        n.put("iterations", 15);
        n.putObject("environment").put("type", "finite").put("file", TestSupport.env("t1.mdp.json").toString());
        n.putObject("meanfield").put("particles", 301).put("blockSize", 64).put("coupled", true).put("knnEvery", 5)
                .put("knnSample", 50).put("activationCacheMB", cacheMb);
        return RunConfig.from(ConfigTree.of(n), null);
    }

    static ObjectNode minimal() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("algorithm", "meanfield");
        n.putObject("environment").put("type", "finite").put("file", TestSupport.env("t1.mdp.json").toString());
        return n;
    }

    static List<Double[]> run(RunConfig cfg, ParticleEngine engine) {
        List<Double[]> rows = new ArrayList<>();
        try (engine) {
            MeanFieldTrainer.run(T1, cfg.meanfield(), cfg.seed(), cfg.iterations(), engine, r -> rows.add(r.cells()), (k, t, o, g) -> { }, null);
        }
        return rows;
    }

    @Test
    void activationCacheDoesNotChangeAnyBit() {
        assertEquals(RunConfig.MeanFieldSpec.AUTO_ACTIVATION_CACHE,
                RunConfig.from(ConfigTree.of(minimal()), null).meanfield().activationCacheMB(), "default is auto");
        RunConfig.MeanFieldSpec spec = RunConfig.from(ConfigTree.of(minimal()), null).meanfield();
        NeuronLayout layout = new NeuronLayout(spec.units(), T1.inputDimension(), spec.outputScale());
        Points points = Points.allStateActions(T1);
        long auto = MeanFieldTrainer.activationCacheBytes(spec, layout, points);
        assertEquals(NeuronKernels.backend().benefitsFromActivationMemo(layout, points) ? 1024L << 20 : 0, auto);
        List<Double[]> off = run(config(0), new LocalParticleEngine());
        List<Double[]> on = run(config(1024), new LocalParticleEngine());
        int time = MeanFieldTrainer.COLUMNS.indexOf("time_s");
        assertEquals(off.size(), on.size());
        for (int k = 0; k < off.size(); k++) {
            for (int c = 0; c < off.get(k).length; c++) {
                if (c != time) {
                    assertEquals(off.get(k)[c], on.get(k)[c], "row " + k + " " + MeanFieldTrainer.COLUMNS.get(c));
                }
            }
        }
    }

    /** A NaN parameter must end the run as divergence with the iteration, never be averaged away. */
    @Test
    void nanParameterIsReportedAsDivergence() {
        RunConfig cfg = config(1024);
        ParticleEngine poisoned = new ParticleEngine() {
            private final LocalParticleEngine inner = new LocalParticleEngine();

            @Override
            public void init(MeanFieldSetup setup) {
                inner.init(setup);
                ParticleBlock b = inner.blocks().get(2);
                b.theta()[5 * b.count() + 7] = Double.NaN;   // test-only: poison one w of particle 2·64 + 7
            }

            @Override
            public CloudTotals summarize(long iteration, long[] sampleIds) {
                return inner.summarize(iteration, sampleIds);
            }

            @Override
            public void step(long iteration, double[] weight, double[] coupledWeight) {
                inner.step(iteration, weight, coupledWeight);
            }

            @Override
            public void stepAt(long iteration, org.pgflow.meanfield.Points points, double[] weight) {
                inner.stepAt(iteration, points, weight);
            }

            @Override
            public void snapshot(long iteration, Path directory) {
            }

            @Override
            public List<org.pgflow.meanfield.BlockFiles.Written> save(Path directory) {
                return inner.save(directory);
            }

            @Override
            public void restore(MeanFieldSetup setup, Path directory, List<org.pgflow.meanfield.BlockFiles.Written> files) {
                inner.restore(setup, directory, files);
            }

            @Override
            public List<ParticleBlock> blocks() {
                return inner.blocks();
            }

            @Override
            public void close() {
                inner.close();
            }
        };
        NumericalDivergenceException e = assertThrows(NumericalDivergenceException.class, () -> run(cfg, poisoned));
        assertEquals(0, e.iteration());
        assertTrue(e.getMessage().contains("F partial sums"), e.getMessage());
    }
}
