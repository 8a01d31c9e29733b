package org.pgflow.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code metrics.csv}: a header line and one row per iteration, flushed row by row so that a report can read a
 * run in progress. {@code null} cells are written empty; numbers with {@link Double#toString} (shortest
 * representation that reads back to the same double); integral columns without a decimal point.
 */
public final class MetricsCsv implements AutoCloseable {
    private final BufferedWriter out;
    private final int columns;
    private final Path file;

    /**
     * @param file    the file to create (must not exist)
     * @param columns column names, in order
     */
    public MetricsCsv(Path file, List<String> columns) {
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
            this.columns = columns.size();
            this.file = file;
            out.write(String.join(",", columns));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + AtomicFiles.reason(e), e);
        }
    }

    private MetricsCsv(BufferedWriter out, int columns, Path file) {
        this.out = out;
        this.columns = columns;
        this.file = file;
    }

    /**
     * Reopens an existing metrics.csv to continue a resumed run: keeps the header and the first {@code rows}
     * data rows (those of iterations before the checkpoint), drops the rest, and appends from there.
     *
     * @param file    the file
     * @param columns expected columns (must equal the header)
     * @param rows    data rows to keep
     * @return the writer
     */
    public static MetricsCsv continueAt(Path file, List<String> columns, long rows) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(String.join(",", columns))) {
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
                    java.nio.file.StandardOpenOption.APPEND), columns.size(), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reopen " + file + ": " + AtomicFiles.reason(e), e);
        }
    }

    /**
     * Checks, without changing anything, that a resumed run can continue {@code file} at {@code rows}: it exists,
     * its header is {@code columns} and it holds at least {@code rows} data rows (what {@link #continueAt} needs).
     *
     * @param file    metrics.csv of the run
     * @param columns expected columns
     * @param rows    data rows the checkpoint says were written
     * @throws org.pgflow.util.InvalidInputException naming the file otherwise
     */
    public static void verifyContinuable(Path file, List<String> columns, long rows) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new org.pgflow.util.InvalidInputException(file + " cannot be read (" + AtomicFiles.reason(e)
                    + "): the resumed run continues it");
        }
        if (lines.isEmpty() || !lines.get(0).equals(String.join(",", columns))) {
            throw new org.pgflow.util.InvalidInputException(file + " does not start with the header of this run ("
                    + String.join(",", columns) + ")");
        }
        if (lines.size() - 1 < rows) {
            throw new org.pgflow.util.InvalidInputException(file + " has " + (lines.size() - 1)
                    + " data rows but the checkpoint needs the first " + rows);
        }
    }

    /** Writes one row (length = number of columns). */
    public void write(Double[] row) {
        if (row.length != columns) {
            throw new IllegalArgumentException("row has " + row.length + " cells, header has " + columns);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            Double v = row[i];
            if (v != null) {
                double d = v;
                if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    sb.append((long) d);
                } else {
                    sb.append(d);
                }
            }
        }
        sb.append('\n');
        try {
            WriteFaults.check("metrics");
            out.write(sb.toString());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + AtomicFiles.reason(e), e);
        }
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
