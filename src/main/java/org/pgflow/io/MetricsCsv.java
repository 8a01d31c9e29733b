package org.pgflow.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pgflow.train.MetricsRow;
import org.pgflow.train.MetricsSchema;

/**
 * {@code metrics.csv}: the header of a run family's {@link MetricsSchema} and one {@link MetricsRow} per
 * iteration, flushed row by row so that a report can read a run in progress. {@code null} cells are written
 * empty; numbers with {@link Double#toString} (shortest representation that reads back to the same double);
 * integral values without a decimal point.
 */
public final class MetricsCsv implements AutoCloseable {
    private final BufferedWriter out;
    private final MetricsSchema schema;
    private final Path file;

    /**
     * @param file   the file to create (must not exist)
     * @param schema the run family, whose columns make the header
     */
    public MetricsCsv(Path file, MetricsSchema schema) {
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
            this.schema = schema;
            this.file = file;
            out.write(schema.header());
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + AtomicFiles.reason(e), e);
        }
    }

    private MetricsCsv(BufferedWriter out, MetricsSchema schema, Path file) {
        this.out = out;
        this.schema = schema;
        this.file = file;
    }

    /** @return the run family of the file */
    public MetricsSchema schema() {
        return schema;
    }

    /**
     * Reopens an existing metrics.csv to continue a resumed run: keeps the header and the first {@code rows}
     * data rows (those of iterations before the checkpoint), drops the rest, and appends from there.
     *
     * @param file    the file
     * @param schema  the run family (its header must be the file's)
     * @param rows    data rows to keep
     * @return the writer
     */
    public static MetricsCsv continueAt(Path file, MetricsSchema schema, long rows) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(schema.header())) {
                throw new IllegalStateException(file + " does not have the expected header");
            }
            if (lines.size() - 1 < rows) {
                throw new IllegalStateException(file + " has " + (lines.size() - 1) + " rows, the checkpoint needs " + rows);
            }
            StringBuilder keep = new StringBuilder();
            for (int i = 0; i <= rows; i++) {
                keep.append(lines.get(i)).append('\n');
            }
            AtomicFiles.writeString(file, keep.toString());
            return new MetricsCsv(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND), schema, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reopen " + file + ": " + AtomicFiles.reason(e), e);
        }
    }

    /**
     * Checks, without changing anything, that a resumed run can continue {@code file} at {@code rows}: it exists,
     * its header is the family's and it holds at least {@code rows} data rows (what {@link #continueAt} needs).
     *
     * @param file    metrics.csv of the run
     * @param schema  the run family
     * @param rows    data rows the checkpoint says were written
     * @throws org.pgflow.util.InvalidInputException naming the file otherwise
     */
    public static void verifyContinuable(Path file, MetricsSchema schema, long rows) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new org.pgflow.util.InvalidInputException(file + " cannot be read (" + AtomicFiles.reason(e)
                    + "): the resumed run continues it");
        }
        if (lines.isEmpty() || !lines.get(0).equals(schema.header())) {
            throw new org.pgflow.util.InvalidInputException(file + " does not start with the header of this run ("
                    + schema.header() + ")");
        }
        if (lines.size() - 1 < rows) {
            throw new org.pgflow.util.InvalidInputException(file + " has " + (lines.size() - 1)
                    + " data rows but the checkpoint needs the first " + rows);
        }
    }

    /**
     * Writes one row.
     *
     * @param row a row of this file's family
     * @throws IllegalArgumentException for a row of another family
     */
    public void write(MetricsRow row) {
        if (row.schema() != schema) {
            throw new IllegalArgumentException("a row of " + row.schema() + " cannot go into the metrics of " + schema);
        }
        String line = line(row);
        try {
            WriteFaults.check("metrics");
            out.write(line);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + AtomicFiles.reason(e), e);
        }
    }

    /** @return the CSV line of a row, with its line end */
    static String line(MetricsRow row) {
        StringBuilder sb = new StringBuilder();
        Double[] cells = row.cells();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            Double v = cells[i];
            if (v != null) {
                double d = v;
                if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    sb.append((long) d);
                } else {
                    sb.append(d);
                }
            }
        }
        return sb.append('\n').toString();
    }

    /**
     * Reads a metrics.csv: its family from the header, then every data row (an empty cell is null).
     *
     * @param file the file
     * @return the rows, in file order
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when the header is no family's or a row has the wrong number of cells
     */
    public static List<MetricsRow> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + " has no header");
        }
        MetricsSchema schema = MetricsSchema.of(Arrays.asList(lines.get(0).split(",", -1)));
        List<MetricsRow> rows = new ArrayList<>();
        for (int l = 1; l < lines.size(); l++) {
            String[] text = lines.get(l).split(",", -1);
            Double[] cells = new Double[text.length];
            for (int i = 0; i < text.length; i++) {
                cells[i] = text[i].isEmpty() ? null : Double.valueOf(text[i]);
            }
            try {
                rows.add(MetricsRow.of(schema, cells));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (l + 1) + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    /** Flushes written rows to the file. */
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + AtomicFiles.reason(e), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + AtomicFiles.reason(e), e);
        }
    }
}
