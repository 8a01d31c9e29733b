package org.pgflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** A run's {@code metrics.csv}: first column iteration, second time_s (wall clock), then the metrics. */
record Metrics(Path file, List<String> header, List<String[]> rows) {
    static final int TIME_COLUMN = 1;

    static Metrics read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) {
                return new Metrics(file, List.of(), List.of());
            }
            List<String> header = List.of(lines.get(0).split(",", -1));
            List<String[]> rows = lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
            return new Metrics(file, header, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of data rows in the file right now (0 when absent): for watching a running run. */
    static int countRows(Path file) {
        try {
            if (!Files.exists(file)) {
                return 0;
            }
            long lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
            return (int) Math.max(0, lines - 1);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Steady per-iteration wall time from time_s: rows 1 .. n-2 (iteration 0 contains start-up, the last row of some
     * algorithms a final evaluation).
     */
    double secondsPerIteration() {
        if (rows.size() < 4) {
            return Double.NaN;
        }
        String[] a = rows.get(1);
        String[] b = rows.get(rows.size() - 2);
        double di = Double.parseDouble(b[0]) - Double.parseDouble(a[0]);
        return (Double.parseDouble(b[TIME_COLUMN]) - Double.parseDouble(a[TIME_COLUMN])) / di;
    }

    /**
     * Asserts the same header, the same iterations and, in every column except time_s, the same values: the same
     * text, which for Java's shortest round-trip formatting of doubles means the same bits.
     */
    static void assertSameExceptTime(Metrics expected, Metrics actual, String what) {
        assertEquals(expected.header(), actual.header(), what + ": metrics.csv header");
        assertEquals("time_s", expected.header().get(TIME_COLUMN), what + ": second column of metrics.csv");
        if (expected.rows().isEmpty()) {
            fail(what + ": no rows in " + expected.file());
        }
        assertEquals(expected.rows().size(), actual.rows().size(),
                what + ": number of rows of " + expected.file() + " and " + actual.file());
        int mismatches = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < expected.rows().size(); i++) {
            String[] e = expected.rows().get(i);
            String[] a = actual.rows().get(i);
            if (e.length != a.length) {
                fail(what + ": row " + i + " has " + e.length + " fields in " + expected.file() + ", " + a.length + " in "
                        + actual.file());
            }
            for (int c = 0; c < e.length; c++) {
                if (c == TIME_COLUMN || e[c].equals(a[c])) {
                    continue;
                }
                if (mismatches++ < 10) {
                    sb.append(String.format("  iteration %s, %s: %s vs %s%s%n", e[0], expected.header().get(c), e[c], a[c],
                            relative(e[c], a[c])));
                }
            }
        }
        if (mismatches > 0) {
            fail(what + ": " + mismatches + " values differ between " + expected.file() + " and " + actual.file()
                    + " (first ones):\n" + sb);
        }
    }

    /** A study's study.csv without its wall-time columns, row by row. */
    static java.util.List<String> studyWithoutTime(Path studyDir) {
        java.util.List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(studyDir.resolve("study.csv"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        java.util.List<String> header = java.util.List.of(lines.get(0).split(",", -1));
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < cells.length; c++) {
                if (!header.get(c).equals("time_s") && !header.get(c).equals("secondsPerIteration")) {
                    b.append(cells[c]).append(',');
                }
            }
            out.add(b.toString());
        }
        return out;
    }

    private static String relative(String x, String y) {
        try {
            double a = Double.parseDouble(x);
            double b = Double.parseDouble(y);
            return " (relative difference " + Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)) + ")";
        } catch (NumberFormatException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return file + " " + header + " " + rows.size() + " rows" + (rows.isEmpty() ? "" : ", last " + Arrays.toString(rows.get(rows.size() - 1)));
    }
}
