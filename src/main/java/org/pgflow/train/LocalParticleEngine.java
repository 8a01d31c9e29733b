package org.pgflow.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pgflow.meanfield.BlockOps;
import org.pgflow.meanfield.BlockSummaries;
import org.pgflow.meanfield.CloudTotals;
import org.pgflow.meanfield.MeanFieldSetup;
import org.pgflow.meanfield.ParticleBlock;

/** The single-JVM engine: blocks in a list, processed sequentially. For tests and small runs. */
public final class LocalParticleEngine implements ParticleEngine {
    private MeanFieldSetup setup;
    private List<ParticleBlock> blocks = new ArrayList<>();

    @Override
    public void init(MeanFieldSetup s) {
        this.setup = s;
        blocks = new ArrayList<>();
        for (int b = 0; b < s.numBlocks(); b++) {
            blocks.add(BlockOps.init(s, b));
        }
    }

    @Override
    public CloudTotals summarize(long iteration, long[] sampleIds) {
        BlockSummaries acc = new BlockSummaries();
        for (ParticleBlock b : blocks) {
            acc.add(BlockOps.summarize(setup, b, sampleIds));
        }
        return acc.total();
    }

    @Override
    public void step(long iteration, double[] weight, double[] coupledWeight) {
        List<ParticleBlock> next = new ArrayList<>(blocks.size());
        for (ParticleBlock b : blocks) {
            next.add(BlockOps.step(setup, b, iteration, weight, coupledWeight));
        }
        blocks = next;
    }

    @Override
    public void stepAt(long iteration, org.pgflow.meanfield.Points points, double[] weight) {
        List<ParticleBlock> next = new ArrayList<>(blocks.size());
        for (ParticleBlock b : blocks) {
            next.add(BlockOps.stepAt(setup, b, iteration, points, weight));
        }
        blocks = next;
    }

    @Override
    public void snapshot(long iteration, Path directory) {
        throw new UnsupportedOperationException("Parquet particle snapshots are written by the Spark engine");
    }

    @Override
    public void save(Path directory) {
        try {
            java.nio.file.Files.createDirectories(directory);
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(new java.io.BufferedOutputStream(
                    java.nio.file.Files.newOutputStream(directory.resolve("blocks.bin"))))) {
                out.writeObject(new ArrayList<>(blocks));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot save particles to " + directory, e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(MeanFieldSetup s, Path directory) {
        this.setup = s;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.BufferedInputStream(
                java.nio.file.Files.newInputStream(directory.resolve("blocks.bin"))))) {
            blocks = (List<ParticleBlock>) in.readObject();
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot restore particles from " + directory, e);
        }
    }

    @Override
    public List<ParticleBlock> blocks() {
        return List.copyOf(blocks);
    }

    @Override
    public void close() {
        blocks = new ArrayList<>();
    }
}
