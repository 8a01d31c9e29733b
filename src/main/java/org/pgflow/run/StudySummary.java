package org.pgflow.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.pgflow.io.AtomicFiles;
import org.pgflow.io.RunManifest;

/**
 * A study's {@code study.csv} (docs/architecture.md §6): one row per cell, in grid order — the cell id, its grid
 * values, the status of its run and every number of the {@code final} block of its run.json. Columns: {@code cell},
 * the grid keys, {@code status}, then the final numbers in the order they first appear; a cell without a value is
 * an empty cell.
 */
public final class StudySummary {
    private StudySummary() {
    }

    /**
     * The rows of a study's cells as they stand on disk.
     *
     * @param plan the study
     * @param dir  the study directory
     * @return one row per cell, column name → text
     */
    public static List<Map<String, String>> rows(StudyPlan plan, Path dir) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (StudyPlan.Cell c : plan.cells()) {
            rows.add(row(c, RunManifest.readIfPresent(StudyPlan.cellDirectory(dir, c))));
        }
        return rows;
    }

    /**
     * @param c        the cell
     * @param manifest its run's manifest, or null when it has none ({@code status: missing})
     * @return its row: cell, grid values, status, the numbers of the final block
     */
    static Map<String, String> row(StudyPlan.Cell c, RunManifest manifest) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("cell", c.id());
        r.putAll(c.values());
        r.put("status", manifest == null ? "missing" : manifest.status().text());
        if (manifest != null && manifest.fin() != null) {
            manifest.fin().values().forEach((k, v) -> r.put(k, String.valueOf(v)));
        }
        return r;
    }

    /**
     * Writes {@code study.csv} atomically.
     *
     * @param file the file
     * @param keys the grid keys
     * @param rows the rows of {@link #rows}
     */
    public static void write(Path file, List<String> keys, List<Map<String, String>> rows) {
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        columns.add("cell");
        columns.addAll(keys);
        columns.add("status");
        for (Map<String, String> r : rows) {
            columns.addAll(r.keySet());
        }
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, String> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(r.getOrDefault(c, ""));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
