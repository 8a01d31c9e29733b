package org.pgflow.train;

import java.util.Arrays;

/**
 * One row of {@code metrics.csv}: a value per column of its {@link MetricsSchema}, set and read by
 * {@link Metric}; {@code null} is an empty cell (a value that does not apply, or is not known yet). Mutable while a
 * loop fills it in; a loop hands a row to its {@link Sink} once it is complete.
 */
public final class MetricsRow {
    private final MetricsSchema schema;
    private final Double[] cells;

    MetricsRow(MetricsSchema schema) {
        this.schema = schema;
        this.cells = new Double[schema.columns().size()];
    }

    /** Receives one metrics row per iteration. */
    @FunctionalInterface
    public interface Sink {
        /** @param row the complete row of an iteration */
        void accept(MetricsRow row);
    }

    /**
     * A row from its cells in column order (what a reader of metrics.csv has).
     *
     * @param schema the family
     * @param cells  one value (or null) per column
     * @return the row
     * @throws IllegalArgumentException when the number of cells differs from the number of columns
     */
    public static MetricsRow of(MetricsSchema schema, Double[] cells) {
        if (cells.length != schema.columns().size()) {
            throw new IllegalArgumentException("a row of " + schema + " has " + schema.columns().size()
                    + " cells but " + cells.length + " were given");
        }
        MetricsRow r = new MetricsRow(schema);
        System.arraycopy(cells, 0, r.cells, 0, cells.length);
        return r;
    }

    /** @return the family */
    public MetricsSchema schema() {
        return schema;
    }

    /**
     * @param c     a column of the family
     * @param value its value, or null for an empty cell
     * @return this row
     * @throws IllegalArgumentException if the family has no such column
     */
    public MetricsRow set(Metric c, Double value) {
        cells[schema.indexOf(c)] = value;
        return this;
    }

    /**
     * Sets a value that may be unknown: a NaN or infinite value leaves the cell empty.
     *
     * @param c     a column of the family
     * @param value its value
     * @return this row
     */
    public MetricsRow setFinite(Metric c, double value) {
        return set(c, Double.isFinite(value) ? value : null);
    }

    /**
     * @param c a column of the family
     * @return its value, or null for an empty cell
     * @throws IllegalArgumentException if the family has no such column
     */
    public Double get(Metric c) {
        return cells[schema.indexOf(c)];
    }

    /** @return a copy of the cells in column order ({@link MetricsSchema#columns}) */
    public Double[] cells() {
        return cells.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricsRow r && r.schema == schema && Arrays.equals(r.cells, cells);
    }

    @Override
    public int hashCode() {
        return 31 * schema.hashCode() + Arrays.hashCode(cells);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(schema.name()).append('{');
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] != null) {
                sb.append(sb.charAt(sb.length() - 1) == '{' ? "" : ", ").append(schema.names().get(i)).append('=')
                        .append(cells[i]);
            }
        }
        return sb.append('}').toString();
    }
}
