package org.pgflow.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pgflow.meanfield.BlockFiles;
import org.pgflow.meanfield.BlockOps;
import org.pgflow.meanfield.BlockSummaries;
import org.pgflow.meanfield.BlockSummary;
import org.pgflow.meanfield.CloudTotals;
import org.pgflow.meanfield.MeanFieldSetup;
import org.pgflow.meanfield.ParticleBlock;
import org.pgflow.meanfield.Points;

/**
 * The in-JVM particle engine: the blocks in a list, processed by a {@link WorkerPool}. Per iteration the
 * summaries of all blocks are computed in parallel and combined in block order, and every block is stepped in
 * place (no lineage to keep: the parameter arrays are allocated once, at the start). It calls the same
 * {@link BlockOps} as the Spark engine and combines in the same order, so the two give the same bits, for any
 * number of threads or partitions.
 */
public final class LocalParticleEngine implements ParticleEngine {
    /**
     * Particle-point activations per iteration below which the blocks run on the calling thread: handing tiny
     * blocks to other threads costs more than they take (results are the same bits either way).
     */
    static final long PARALLEL_MIN_WORK = 1 << 15;

    private final WorkerPool pool;
    private final SnapshotWriter snapshots;
    private MeanFieldSetup setup;
    private List<ParticleBlock> blocks = new ArrayList<>();

    /** A sequential engine without snapshots (tests). */
    public LocalParticleEngine() {
        this(WorkerPool.SEQUENTIAL, null);
    }

    /**
     * @param pool      worker threads (not closed by this engine)
     * @param snapshots Parquet snapshot writer, or null when the run writes none
     */
    public LocalParticleEngine(WorkerPool pool, SnapshotWriter snapshots) {
        this.pool = pool;
        this.snapshots = snapshots;
    }

    /** The pool for a pass over all particles on {@code points} points (the calling thread alone when tiny). */
    private WorkerPool poolFor(long points) {
        long work = setup.numParticles() * Math.max(1, points) * setup.layout().units() * (setup.coupled() ? 2 : 1);
        return work < PARALLEL_MIN_WORK ? WorkerPool.SEQUENTIAL : pool;
    }

    @Override
    public void init(MeanFieldSetup s) {
        this.setup = s;
        blocks = new ArrayList<>(pool.map(s.numBlocks(), b -> BlockOps.init(s, b)));
    }

    @Override
    public CloudTotals summarize(long iteration, long[] sampleIds) {
        BlockSummaries acc = new BlockSummaries();
        for (BlockSummary s : poolFor(setup.points().size()).map(blocks.size(),
                b -> BlockOps.summarize(setup, blocks.get(b), sampleIds))) {
            acc.add(s);
        }
        return acc.total();
    }

    @Override
    public void step(long iteration, double[] weight, double[] coupledWeight) {
        List<ParticleBlock> current = blocks;
        blocks = new ArrayList<>(poolFor(setup.points().size()).map(current.size(),
                b -> BlockOps.step(setup, current.get(b), iteration, weight, coupledWeight, true)));
    }

    @Override
    public void stepAt(long iteration, Points points, double[] weight) {
        List<ParticleBlock> current = blocks;
        blocks = new ArrayList<>(poolFor(points.size()).map(current.size(),
                b -> BlockOps.stepAt(setup, current.get(b), iteration, points, weight, true)));
    }

    @Override
    public void step(long iteration, double sigma, double[] weight, double[] coupledWeight) {
        List<ParticleBlock> current = blocks;
        blocks = new ArrayList<>(pool.map(current.size(),
                b -> BlockOps.step(setup, current.get(b), iteration, sigma, weight, coupledWeight, true)));
    }

    @Override
    public void stepAt(long iteration, double sigma, Points points, double[] weight) {
        List<ParticleBlock> current = blocks;
        blocks = new ArrayList<>(pool.map(current.size(),
                b -> BlockOps.stepAt(setup, current.get(b), iteration, sigma, points, weight, true)));
    }

    @Override
    public void snapshot(long iteration, Path directory) {
        if (snapshots == null) {
            throw new IllegalStateException("this engine was built without a snapshot writer");
        }
        snapshots.write(directory, List.copyOf(blocks));
    }

    @Override
    public List<BlockFiles.Written> save(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        List<ParticleBlock> current = blocks;
        return pool.map(current.size(), b -> BlockFiles.write(directory, current.get(b)));
    }

    @Override
    public void restore(MeanFieldSetup s, Path directory, List<BlockFiles.Written> files) {
        this.setup = s;
        if (files.size() != s.numBlocks()) {
            throw new IllegalArgumentException("checkpoint has " + files.size() + " blocks, the run " + s.numBlocks());
        }
        blocks = new ArrayList<>(pool.map(files.size(), b -> BlockFiles.read(directory, files.get(b), s)));
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
