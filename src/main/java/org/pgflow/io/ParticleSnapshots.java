package org.pgflow.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.pgflow.meanfield.ParticleBlock;
import org.pgflow.train.SnapshotWriter;
import org.pgflow.train.WorkerPool;

/**
 * Particle snapshots as Parquet without Spark: a directory {@code iter-NNNNNNNNN/} of {@code part-NNNNN.parquet}
 * files and a {@code _SUCCESS} marker, one row per particle in id order, with the schema Spark writes for
 * {@code (id: long not null, theta: array<double not null> not null)}:
 * <pre>
 *   message spark_schema {
 *     required int64 id;
 *     required group theta (LIST) { repeated group list { required double element; } }
 *   }
 * </pre>
 * plus Spark's row metadata in the footer, so that Spark ({@code spark.read.parquet}), pandas and pyarrow read
 * it as Spark's own output. Each part file holds the blocks of at most {@link #PARTICLES_PER_FILE} particles
 * (whole blocks), so the files do not depend on the thread count; they are written in parallel. The reader
 * reads both these snapshots and those the Spark engine writes.
 */
public final class ParticleSnapshots {
    /** Particles per part file (whole blocks; a block larger than this gets a file of its own). */
    public static final long PARTICLES_PER_FILE = 1L << 20;

    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message spark_schema {\n"
            + "  required int64 id;\n"
            + "  required group theta (LIST) {\n"
            + "    repeated group list {\n"
            + "      required double element;\n"
            + "    }\n"
            + "  }\n"
            + "}");
    private static final String SPARK_ROW_METADATA = "{\"type\":\"struct\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
            + "{\"name\":\"theta\",\"type\":{\"type\":\"array\",\"elementType\":\"double\",\"containsNull\":false},"
            + "\"nullable\":false,\"metadata\":{}}]}";

    private ParticleSnapshots() {
    }

    /**
     * A writer that uses the pool's threads for the part files.
     *
     * @param pool worker threads
     * @return the writer
     */
    public static SnapshotWriter writer(WorkerPool pool) {
        return (dir, blocks) -> write(dir, blocks, pool);
    }

    /**
     * Writes a snapshot, replacing an existing one of the same name (a resumed run may redo it).
     *
     * @param dir    the snapshot directory
     * @param blocks the blocks in block order
     * @param pool   worker threads for the part files
     */
    public static void write(Path dir, List<ParticleBlock> blocks, WorkerPool pool) {
        List<List<ParticleBlock>> files = new ArrayList<>();
        List<ParticleBlock> current = new ArrayList<>();
        long inFile = 0;
        for (ParticleBlock b : blocks) {
            if (!current.isEmpty() && inFile + b.count() > PARTICLES_PER_FILE) {
                files.add(current);
                current = new ArrayList<>();
                inFile = 0;
            }
            current.add(b);
            inFile += b.count();
        }
        if (!current.isEmpty()) {
            files.add(current);
        }
        try {
            AtomicFiles.deleteTree(dir);
            Files.createDirectories(dir);
            pool.forEach(files.size(), f -> writePart(dir.resolve(String.format("part-%05d.parquet", f)), files.get(f)));
            Files.createFile(dir.resolve("_SUCCESS"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the particle snapshot " + dir, e);
        }
    }

    private static void writePart(Path file, List<ParticleBlock> blocks) {
        try (ParquetWriter<Cursor> w = new Builder(file).withConf(new PlainParquetConfiguration())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withDictionaryEncoding(false).withExtraMetaData(Map.of("org.apache.spark.sql.parquet.row.metadata",
                        SPARK_ROW_METADATA)).build()) {
            Cursor c = new Cursor();
            for (ParticleBlock b : blocks) {
                c.block = b;
                for (c.index = 0; c.index < b.count(); c.index++) {
                    w.write(c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the particle snapshot file " + file, e);
        }
    }

    /**
     * Reads the first {@code max} particles (lowest ids) of a snapshot written by either engine.
     *
     * @param dir the snapshot directory
     * @param max the most rows to return
     * @return one row {@code theta} per particle, in id order
     */
    public static double[][] read(Path dir, int max) {
        List<Path> parts;
        try (Stream<Path> s = Files.list(dir)) {
            parts = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted(Comparator.naturalOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the particle snapshot " + dir, e);
        }
        List<Long> ids = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        boolean ordered = true;
        long last = Long.MIN_VALUE;
        for (Path part : parts) {
            try (ParquetReader<Group> r = new GroupReader(part).build()) {
                for (Group g = r.read(); g != null; g = r.read()) {
                    long id = g.getLong("id", 0);
                    ordered &= id > last;
                    last = id;
                    Group list = g.getGroup("theta", 0);
                    int n = list.getFieldRepetitionCount("list");
                    double[] theta = new double[n];
                    for (int j = 0; j < n; j++) {
                        theta[j] = list.getGroup("list", j).getDouble("element", 0);
                    }
                    ids.add(id);
                    rows.add(theta);
                    if (ordered && rows.size() >= max) {
                        return rows.toArray(new double[0][]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the particle snapshot file " + part, e);
            }
        }
        Integer[] order = new Integer[rows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (!ordered) { // files not in id order: sort everything read
            java.util.Arrays.sort(order, Comparator.comparingLong(ids::get));
        }
        double[][] out = new double[Math.min(max, order.length)][];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(order[i]);
        }
        return out;
    }

    /** The latest complete snapshot ({@code iter-*} with {@code _SUCCESS}) of a particles directory, or null. */
    public static Path latest(Path particles) {
        if (!Files.isDirectory(particles)) {
            return null;
        }
        try (Stream<Path> s = Files.list(particles)) {
            return s.filter(p -> p.getFileName().toString().startsWith("iter-") && Files.isRegularFile(p.resolve("_SUCCESS")))
                    .max(Comparator.naturalOrder()).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + particles, e);
        }
    }

    /** One particle of a block: the row being written (reused). */
    static final class Cursor {
        ParticleBlock block;
        int index;
    }

    /** Writes one particle as a row (id, theta[]). */
    static final class BlockWriteSupport extends WriteSupport<Cursor> {
        private RecordConsumer out;

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration conf) {
            return new WriteContext(SCHEMA, Map.of());
        }

        @Override
        public WriteContext init(ParquetConfiguration conf) {
            return new WriteContext(SCHEMA, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer consumer) {
            this.out = consumer;
        }

        @Override
        public void write(Cursor c) {
            ParticleBlock b = c.block;
            double[] theta = b.theta();
            int count = b.count();
            int dim = b.dim();
            int i = c.index;
            {
                out.startMessage();
                out.startField("id", 0);
                out.addLong(b.firstId() + i);
                out.endField("id", 0);
                out.startField("theta", 1);
                out.startGroup();
                if (dim > 0) {
                    out.startField("list", 0);
                    for (int j = 0; j < dim; j++) {
                        out.startGroup();
                        out.startField("element", 0);
                        out.addDouble(theta[j * count + i]);
                        out.endField("element", 0);
                        out.endGroup();
                    }
                    out.endField("list", 0);
                }
                out.endGroup();
                out.endField("theta", 1);
                out.endMessage();
            }
        }
    }

    /** Writer builder on a local file without Hadoop's file system. */
    static final class Builder extends ParquetWriter.Builder<Cursor, Builder> {
        Builder(Path file) {
            super(new LocalOutputFile(file));
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Cursor> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new BlockWriteSupport();
        }

        @Override
        protected WriteSupport<Cursor> getWriteSupport(ParquetConfiguration conf) {
            return new BlockWriteSupport();
        }
    }

    /** Reader builder on a local file without Hadoop's file system. */
    static final class GroupReader extends ParquetReader.Builder<Group> {
        GroupReader(Path file) {
            super(new LocalInputFile(file), new PlainParquetConfiguration());
        }

        @Override
        protected ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
        }
    }
}
