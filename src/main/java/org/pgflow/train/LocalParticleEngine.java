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
    public List<ParticleBlock> blocks() {
        return List.copyOf(blocks);
    }

    @Override
    public void close() {
        blocks = new ArrayList<>();
    }
}
