package org.pgflow.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pgflow.config.ConfigTree;
import org.pgflow.io.RunManifest;
import org.pgflow.util.InvalidInputException;

/**
 * A study file read and its grid expanded (docs/architecture.md §6): the keys {@code name}, {@code base} (a run
 * config, relative to the study file), {@code set} (overrides for every cell) and {@code grid} (config key → list of
 * scalars). Cells are the cartesian product in grid order; a cell's id is {@code key=value_key=value…} (last segment
 * of each key) and its config is base + {@code set} + {@code --set} + its grid values + {@code name: NAME-ID}. Every
 * cell is validated ({@link Launcher#prepare}) when the plan is made, before any runs.
 *
 * @param name  the study's name
 * @param keys  the grid's config keys, in order
 * @param cells the cells, in grid order
 */
public record StudyPlan(String name, List<String> keys, List<Cell> cells) {
    /** Freezes the lists. */
    public StudyPlan {
        keys = List.copyOf(keys);
        cells = List.copyOf(cells);
    }

    /**
     * One cell of the grid.
     *
     * @param id       its id (its directory name under {@code cells/})
     * @param values   its grid values by config key, as text
     * @param prepared its validated experiment
     */
    public record Cell(String id, Map<String, String> values, Launcher.Prepared prepared) {
        /** Freezes the values. */
        public Cell {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /**
     * Reads a study file, checks the grid's size ({@link ResourceEstimate#checkStudy}) before it is expanded, and
     * expands and validates every cell.
     *
     * @param studyFile the study YAML
     * @param sets      {@code --set key.path=value} overrides for every cell
     * @return the plan
     * @throws InvalidInputException for an unknown or malformed study key, a grid too large, or an invalid cell
     *                               (named by its id)
     */
    public static StudyPlan load(Path studyFile, List<String> sets) {
        JsonNode study = readStudy(studyFile);
        String name = text(study, "name", studyFile.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        Path base = studyFile.toAbsolutePath().getParent().resolve(text(study, "base", null)).normalize();
        Map<String, List<JsonNode>> grid = grid(study);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        grid.forEach((k, v) -> sizes.put(k, v.size()));
        ResourceEstimate.checkStudy(sizes, ResourceEstimate.Budget.heap()); // before the grid is expanded
        return new StudyPlan(name, new ArrayList<>(grid.keySet()), expand(name, base, study.get("set"), sets, grid));
    }

    /** @return the directory of cell {@code c} in the study directory {@code dir} */
    public static Path cellDirectory(Path dir, Cell c) {
        return dir.resolve("cells").resolve(c.id());
    }

    /**
     * The cells a rerun of the study still has to run: those whose run.json does not say {@code completed}
     * (each skipped cell is named on {@code out}).
     *
     * @param dir the study directory
     * @param out where the skipped cells are named
     * @return the cells to run, in grid order
     */
    public List<Cell> unfinished(Path dir, PrintWriter out) {
        List<Cell> todo = new ArrayList<>();
        for (Cell c : cells) {
            RunManifest m = RunManifest.readIfPresent(cellDirectory(dir, c));
            if (m != null && m.status() == RunManifest.Status.COMPLETED) {
                out.println("cell " + c.id() + ": completed earlier, skipped");
            } else {
                todo.add(c);
            }
        }
        out.flush();
        return todo;
    }

    private static JsonNode readStudy(Path studyFile) {
        if (!Files.isRegularFile(studyFile)) {
            throw new InvalidInputException("study file " + studyFile + " does not exist or is not a file");
        }
        JsonNode n = org.pgflow.util.StrictYaml.readMapping(studyFile, "study file");
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!List.of("name", "base", "set", "grid").contains(k)) {
                throw new InvalidInputException("unknown study key '" + k + "' (accepted: name, base, set, grid)");
            }
        }
        JsonNode set = n.get("set");
        if (set != null && !set.isNull() && !set.isObject()) {
            throw new InvalidInputException("study key 'set' must map config keys to values but was " + set);
        }
        return n;
    }

    private static String text(JsonNode n, String key, String def) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (def == null) {
                throw new InvalidInputException("missing study key '" + key + "'");
            }
            return def;
        }
        if (!v.isTextual()) {
            throw new InvalidInputException("study key '" + key + "' must be a string but was " + v);
        }
        return v.asText();
    }

    private static Map<String, List<JsonNode>> grid(JsonNode study) {
        JsonNode g = study.get("grid");
        if (g == null || !g.isObject() || g.size() == 0) {
            throw new InvalidInputException("study key 'grid' must map config keys to lists of values");
        }
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray() || e.getValue().size() == 0) {
                throw new InvalidInputException("grid." + e.getKey() + " must be a non-empty list but was " + e.getValue());
            }
            Map<String, JsonNode> values = new LinkedHashMap<>();
            for (JsonNode v : e.getValue()) {
                if (!v.isValueNode()) {
                    throw new InvalidInputException("grid." + e.getKey() + " must list scalars but has " + v);
                }
                values.putIfAbsent(v.asText(), v);
            }
            out.put(e.getKey(), new ArrayList<>(values.values()));
        }
        return out;
    }

    private static List<Cell> expand(String name, Path base, JsonNode common, List<String> sets,
                                     Map<String, List<JsonNode>> grid) {
        List<Map<String, JsonNode>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<JsonNode>> e : grid.entrySet()) {
            List<Map<String, JsonNode>> next = new ArrayList<>();
            for (Map<String, JsonNode> c : combos) {
                for (JsonNode v : e.getValue()) {
                    Map<String, JsonNode> m = new LinkedHashMap<>(c);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<Cell> cells = new ArrayList<>();
        for (Map<String, JsonNode> nodes : combos) {
            StringBuilder id = new StringBuilder();
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : nodes.entrySet()) {
                if (id.length() > 0) {
                    id.append('_');
                }
                values.put(e.getKey(), e.getValue().asText());
                String key = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
                id.append(key).append('=').append(e.getValue().asText().replaceAll("[^A-Za-z0-9.+-]", "-"));
            }
            ConfigTree tree = ConfigTree.load(base);
            if (common != null && common.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = common.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    tree.set(e.getKey(), e.getValue());
                }
            }
            for (String s : sets) {
                tree.set(s);
            }
            for (Map.Entry<String, JsonNode> e : nodes.entrySet()) {
                tree.set(e.getKey(), e.getValue());
            }
            tree.set("name", com.fasterxml.jackson.databind.node.TextNode.valueOf(name + "-" + id));
            try {
                cells.add(new Cell(id.toString(), values, Launcher.prepare(tree, base)));
            } catch (InvalidInputException e) {
                throw new InvalidInputException("cell " + id + ": " + e.getMessage());
            }
        }
        return cells;
    }
}
