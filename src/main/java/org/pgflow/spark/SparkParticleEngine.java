package org.pgflow.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.pgflow.meanfield.BlockFiles;
import org.pgflow.meanfield.BlockOps;
import org.pgflow.meanfield.BlockSummaries;
import org.pgflow.meanfield.CloudTotals;
import org.pgflow.meanfield.MeanFieldSetup;
import org.pgflow.meanfield.ParticleBlock;
import org.pgflow.meanfield.WeightTable;
import org.pgflow.train.ParticleEngine;

/**
 * The particle cloud as a cached {@code RDD<ParticleBlock>} (docs/architecture.md §4). Per iteration: one job of one stage
 * ({@link Jobs#foldPartitions}) collects the blocks' summaries (combined on the driver in block order, so the
 * result does not depend on the partitioning); the step is a lazy {@code map} with the weight table broadcast,
 * materialised by the next iteration's aggregate. The previous RDD is unpersisted once its successor is cached;
 * every {@code checkpointEvery} iterations the RDD is checkpointed, which truncates the lineage, and the
 * broadcasts that only the truncated lineage needed are destroyed (until then a lost partition may have to be
 * recomputed through them). Task functions are small static classes holding only the setup and a broadcast.
 */
public final class SparkParticleEngine implements ParticleEngine {
    private final SparkSession spark;
    private final JavaSparkContext jsc;
    private final int partitions;
    private final long checkpointEvery;
    private MeanFieldSetup setup;
    private JavaRDD<ParticleBlock> current;
    private JavaRDD<ParticleBlock> previous;
    private final List<Broadcast<WeightTable>> lineageBroadcasts = new ArrayList<>();

    /**
     * @param spark           the session (a checkpoint directory must be set when checkpointing is used)
     * @param partitions      number of RDD partitions
     * @param checkpointEvery lineage truncation period in iterations
     */
    public SparkParticleEngine(SparkSession spark, int partitions, long checkpointEvery) {
        this.spark = spark;
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.partitions = partitions;
        this.checkpointEvery = checkpointEvery;
        FaultInjection.propagate(jsc);
    }

    @Override
    public void init(MeanFieldSetup s) {
        this.setup = s;
        List<Integer> ids = IntStream.range(0, s.numBlocks()).boxed().toList();
        current = jsc.parallelize(ids, Math.min(partitions, ids.size())).map(new InitBlock(s))
                .persist(StorageLevel.MEMORY_ONLY());
    }

    @Override
    public CloudTotals summarize(long iteration, long[] sampleIds) {
        current.setName("particles@" + iteration);
        BlockSummaries all = new BlockSummaries();
        for (BlockSummaries part : Jobs.foldPartitions(current, new BlockSummaries(), new SummarizeInto(setup, sampleIds),
                BlockSummaries.class)) {
            all.combine(part);
        }
        if (previous != null) {
            previous.unpersist(false);
            previous = null;
        }
        if (current.isCheckpointed() && lineageBroadcasts.size() > 1) {
            // The checkpoint cut the lineage below `current`, so the tables of earlier steps are no longer
            // needed. The last table stays: `current`'s own map function holds it and is serialised with every
            // task that reads `current` (a destroyed broadcast cannot be serialised).
            Broadcast<WeightTable> own = lineageBroadcasts.remove(lineageBroadcasts.size() - 1);
            for (Broadcast<WeightTable> b : lineageBroadcasts) {
                b.destroy();
            }
            lineageBroadcasts.clear();
            lineageBroadcasts.add(own);
        }
        return all.total();
    }

    @Override
    public void step(long iteration, double[] weight, double[] coupledWeight) {
        advance(iteration, jsc.broadcast(new WeightTable(iteration, weight, coupledWeight, null)));
    }

    private void advance(long iteration, Broadcast<WeightTable> table) {
        lineageBroadcasts.add(table);
        JavaRDD<ParticleBlock> next = Jobs.map(current, new StepBlock(setup, table))
                .persist(StorageLevel.MEMORY_ONLY());
        if ((iteration + 1) % checkpointEvery == 0 && jsc.getCheckpointDir().isPresent()) {
            next.checkpoint();
        }
        previous = current;
        current = next;
    }

    @Override
    public void stepAt(long iteration, org.pgflow.meanfield.Points points, double[] weight) {
        Broadcast<WeightTable> table = jsc.broadcast(new WeightTable(iteration, weight, null, points));
        advance(iteration, table);
    }

    @Override
    public void step(long iteration, double sigma, double[] weight, double[] coupledWeight) {
        advance(iteration, jsc.broadcast(new WeightTable(iteration, sigma, weight, coupledWeight, null)));
    }

    @Override
    public void stepAt(long iteration, double sigma, org.pgflow.meanfield.Points points, double[] weight) {
        advance(iteration, jsc.broadcast(new WeightTable(iteration, sigma, weight, null, points)));
    }

    @Override
    public void snapshot(long iteration, Path directory) {
        StructType schema = new StructType()
                .add("id", DataTypes.LongType, false)
                .add("theta", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        Dataset<Row> df = spark.createDataFrame(current.flatMap(new ToRows()), schema);
        // Overwrite: a resumed run may redo a snapshot the killed run had already written.
        df.write().mode(org.apache.spark.sql.SaveMode.Overwrite).parquet(directory.toAbsolutePath().toString());
    }

    /**
     * Each task writes its blocks' files into {@code directory} (which executors must see: a local master, or
     * storage shared by the cluster's hosts) and returns their lengths and checksums.
     */
    @Override
    public List<BlockFiles.Written> save(Path directory) {
        try {
            java.nio.file.Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + directory, e);
        }
        SparkEpisodeEngine.OrderedParts all = SparkEpisodeEngine.OrderedParts.merged(Jobs.foldPartitions(current,
                new SparkEpisodeEngine.OrderedParts(), new SaveBlock(directory.toAbsolutePath().toString()),
                SparkEpisodeEngine.OrderedParts.class));
        List<BlockFiles.Written> out = new ArrayList<>();
        for (long[] w : all.<long[]>inOrder()) {
            out.add(new BlockFiles.Written((int) w[0], BlockFiles.name((int) w[0]), w[1], w[2]));
        }
        return out;
    }

    @Override
    public void restore(MeanFieldSetup s, Path directory, List<BlockFiles.Written> files) {
        this.setup = s;
        List<Integer> ids = IntStream.range(0, s.numBlocks()).boxed().toList();
        current = jsc.parallelize(ids, Math.min(partitions, ids.size()))
                .map(new LoadBlock(s, directory.toAbsolutePath().toString(), files.toArray(new BlockFiles.Written[0])))
                .persist(StorageLevel.MEMORY_ONLY());
    }

    @Override
    public List<ParticleBlock> blocks() {
        List<ParticleBlock> list = new ArrayList<>(current.collect());
        list.sort((a, b) -> Integer.compare(a.blockId(), b.blockId()));
        return list;
    }

    @Override
    public void close() {
        if (current != null) {
            current.unpersist(false);
        }
        if (previous != null) {
            previous.unpersist(false);
        }
        for (Broadcast<WeightTable> b : lineageBroadcasts) {
            b.destroy();
        }
        lineageBroadcasts.clear();
    }

    /** Block id → initial block. */
    static final class InitBlock implements Function<Integer, ParticleBlock> {
        private static final long serialVersionUID = 1L;
        private final MeanFieldSetup setup;

        InitBlock(MeanFieldSetup setup) {
            this.setup = setup;
        }

        @Override
        public ParticleBlock call(Integer b) {
            return BlockOps.init(setup, b);
        }
    }

    /** Writes one block's checkpoint file; collects (block id, bytes, CRC-32C). */
    static final class SaveBlock implements Function2<SparkEpisodeEngine.OrderedParts, ParticleBlock,
            SparkEpisodeEngine.OrderedParts> {
        private static final long serialVersionUID = 1L;
        private final String directory;

        SaveBlock(String directory) {
            this.directory = directory;
        }

        @Override
        public SparkEpisodeEngine.OrderedParts call(SparkEpisodeEngine.OrderedParts acc, ParticleBlock block) {
            BlockFiles.Written w = BlockFiles.write(Path.of(directory), block);
            return acc.add(block.blockId(), new long[] {w.blockId(), w.bytes(), w.crc32c()});
        }
    }

    /** Block id → the block read (and verified) from its checkpoint file. */
    static final class LoadBlock implements Function<Integer, ParticleBlock> {
        private static final long serialVersionUID = 1L;
        private final MeanFieldSetup setup;
        private final String directory;
        private final BlockFiles.Written[] files;

        LoadBlock(MeanFieldSetup setup, String directory, BlockFiles.Written[] files) {
            this.setup = setup;
            this.directory = directory;
            this.files = files;
        }

        @Override
        public ParticleBlock call(Integer b) {
            return BlockFiles.read(Path.of(directory), files[b], setup);
        }
    }

    /** Folds one block's summary into the partition's collection. */
    static final class SummarizeInto implements Function2<BlockSummaries, ParticleBlock, BlockSummaries> {
        private static final long serialVersionUID = 1L;
        private final MeanFieldSetup setup;
        private final long[] sampleIds;

        SummarizeInto(MeanFieldSetup setup, long[] sampleIds) {
            this.setup = setup;
            this.sampleIds = sampleIds;
        }

        @Override
        public BlockSummaries call(BlockSummaries acc, ParticleBlock block) {
            FaultInjection.maybeFail("particle summary");
            return acc.add(BlockOps.summarize(setup, block, sampleIds));
        }
    }

    /** One Euler–Maruyama step of a block with the broadcast weight table. */
    static final class StepBlock implements Function<ParticleBlock, ParticleBlock> {
        private static final long serialVersionUID = 1L;
        private final MeanFieldSetup setup;
        private final Broadcast<WeightTable> table;

        StepBlock(MeanFieldSetup setup, Broadcast<WeightTable> table) {
            this.setup = setup;
            this.table = table;
        }

        @Override
        public ParticleBlock call(ParticleBlock block) {
            FaultInjection.maybeFail("particle step");
            WeightTable w = table.value();
            double sigma = w.sigmaOr(setup.sigma());
            return w.points == null ? BlockOps.step(setup, block, w.iteration, sigma, w.weight, w.coupledWeight, false)
                    : BlockOps.stepAt(setup, block, w.iteration, sigma, w.points, w.weight, false);
        }
    }

    /** Block → one row per particle: (id, theta[] in the flat layout of docs/algorithms.md §2.1). */
    static final class ToRows implements FlatMapFunction<ParticleBlock, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Row> call(ParticleBlock block) {
            Row[] rows = new Row[block.count()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = RowFactory.create(block.firstId() + i, block.particle(i));
            }
            return Arrays.asList(rows).iterator();
        }
    }
}
