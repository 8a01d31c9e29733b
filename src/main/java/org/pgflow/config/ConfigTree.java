package org.pgflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.StrictYaml;

/**
 * A YAML config as a tree, with {@code --set key.path=value} overrides, typed reads that validate ranges, and
 * detection of unknown keys: every read marks its path as known, and {@link #rejectUnknown()} fails on any
 * leaf that no reader asked for (typos must not pass silently). Every read also records the effective value
 * (defaults included) in {@link #resolved()}, which is what a run directory records. Files are read strictly
 * ({@link StrictYaml}: one document, no duplicate keys, aliases resolved within bounds, errors with line and
 * column); a scalar where a section belongs, a malformed key path, NaN or an infinity is an error that names the
 * key. Not thread-safe.
 */
public final class ConfigTree {
    /** The README section that lists the config keys. */
    static final String README_CONFIG = "Running an experiment";

    private final ObjectNode root;
    private final ObjectNode resolved = JsonNodeFactory.instance.objectNode();
    private final Set<String> known = new LinkedHashSet<>();
    private final Set<String> sections = new LinkedHashSet<>();

    private ConfigTree(ObjectNode root) {
        this.root = root;
    }

    /**
     * @param file a YAML file whose top level is a mapping
     * @return the tree
     * @throws InvalidInputException if the file is missing, not one valid YAML mapping (duplicate keys and a
     *                               second document included: see {@link StrictYaml}), or has a key that is
     *                               empty or contains a '.'
     */
    public static ConfigTree load(Path file) {
        ObjectNode root = StrictYaml.readMapping(file, "config file");
        checkKeys(root, "", "config file " + file);
        return new ConfigTree(root);
    }

    /** @return a tree from an already parsed mapping (copied) */
    public static ConfigTree of(ObjectNode node) {
        return new ConfigTree(node.deepCopy());
    }

    /** Keys are plain names: a dotted key would look like a path but be read as nothing. */
    private static void checkKeys(JsonNode n, String prefix, String where) {
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (key.isBlank() || key.contains(".")) {
                throw new InvalidInputException(where + ": key '" + path + "' must be a plain name"
                        + (key.contains(".") ? ": nest it instead of writing a dotted key (" + key.substring(0, key.indexOf('.'))
                        + ": {" + key.substring(key.indexOf('.') + 1) + ": ...}); see README '" + README_CONFIG + "'" : ""));
            }
            if (e.getValue().isObject()) {
                checkKeys(e.getValue(), path, where);
            }
        }
    }

    /**
     * Applies {@code key.path=value}; the value is read as one YAML value (number, boolean, string, {@code .nan},
     * a flow list...).
     *
     * @param assignment the override
     * @throws InvalidInputException if it is not of the form {@code key.path=value} with a well-formed path and
     *                               value, or if the path goes through a key that holds a value, not a section
     */
    public void set(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new InvalidInputException("--set expects key.path=value but got '" + assignment + "'");
        }
        String path = assignment.substring(0, eq).trim();
        String text = assignment.substring(eq + 1).trim();
        JsonNode value = text.isEmpty() ? JsonNodeFactory.instance.textNode("")
                : StrictYaml.readValue(text, "--set " + path + " value '" + text + "'");
        set(path, value);
    }

    /**
     * Sets the value at a dotted path, creating sections as needed.
     *
     * @param path  e.g. {@code meanfield.tau}
     * @param value the value
     * @throws InvalidInputException if the path has an empty part or goes through a key that holds a value
     */
    public void set(String path, JsonNode value) {
        String[] parts = splitPath(path);
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child != null && !child.isNull() && !child.isObject()) {
                String section = String.join(".", java.util.Arrays.copyOf(parts, i + 1));
                throw new InvalidInputException("key path '" + path + "' goes through " + section
                        + ", which is not a section but the value " + abbreviate(child));
            }
            if (child == null || !child.isObject()) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value);
    }

    private static String[] splitPath(String path) {
        String[] parts = path.split("\\.", -1);
        for (String p : parts) {
            if (p.isBlank()) {
                throw new InvalidInputException("key path '" + path + "' must be names separated by single dots "
                        + "(e.g. meanfield.tau), without a leading, trailing or doubled dot");
            }
        }
        return parts;
    }

    /** @return the value as written in a message: numbers as text (NaN, not "NaN"), others as JSON, cut at 40 */
    private static String abbreviate(JsonNode n) {
        String s = n.isNumber() ? n.asText() : n.toString();
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /**
     * @return the node at a dotted path, or null when it or a section on the way is absent or null
     * @throws InvalidInputException if a section on the way holds a value (e.g. {@code meanfield: 3})
     */
    public JsonNode node(String path) {
        JsonNode n = root;
        int from = 0;
        for (String p : path.split("\\.")) {
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isObject()) {
                String section = path.substring(0, from - 1);
                throw new InvalidInputException(section + " must be a section (keys such as " + path
                        + " indented under it) but was " + abbreviate(n));
            }
            n = n.get(p);
            from += p.length() + 1;
        }
        return n == null || n.isNull() ? null : n;
    }

    /** @return whether the path is present */
    public boolean has(String path) {
        markKnown(path);
        return node(path) != null;
    }

    /** Marks a key as read, and the sections on its path as sections that may be present and empty. */
    private void markKnown(String path) {
        known.add(path);
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            sections.add(path.substring(0, dot));
        }
    }

    void record(String path, JsonNode value) {
        markKnown(path);
        String[] parts = path.split("\\.");
        ObjectNode n = resolved;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode c = n.get(parts[i]);
            n = c instanceof ObjectNode o ? o : n.putObject(parts[i]);
        }
        n.set(parts[parts.length - 1], value);
    }

    /** Reads a number in {@code [lo, hi]}, default when absent; NaN and infinities are rejected. */
    public double getDouble(String path, double def, double lo, double hi) {
        double v = finiteNumber(path, def, "[" + lo + ", " + hi + "]");
        if (!(v >= lo && v <= hi)) {
            throw new InvalidInputException(path + " must be in [" + lo + ", " + hi + "] but was " + v);
        }
        record(path, JsonNodeFactory.instance.numberNode(v));
        return v;
    }

    /** Reads a number in {@code (0, hi]}; for strictly positive quantities. */
    public double getPositive(String path, double def, double hi) {
        double v = finiteNumber(path, def, "(0, " + hi + "]");
        if (!(v > 0 && v <= hi)) {
            throw new InvalidInputException(path + " must be in (0, " + hi + "] but was " + v);
        }
        record(path, JsonNodeFactory.instance.numberNode(v));
        return v;
    }

    /** The number at {@code path} ({@code def} when absent), which must be finite. */
    private double finiteNumber(String path, double def, String range) {
        JsonNode n = node(path);
        if (n == null) {
            return def;
        }
        Double special = n.isTextual() ? nonFinite(n.asText()) : null;
        if (special == null && !n.isNumber()) {
            throw new InvalidInputException(path + " must be a number in " + range + " but was " + abbreviate(n));
        }
        double v = special != null ? special : n.doubleValue();
        if (!Double.isFinite(v)) {
            throw new InvalidInputException(path + " must be finite but was " + v);
        }
        return v;
    }

    /** @return the value of a NaN or infinity written as text ({@code NaN}, {@code inf}...), else null */
    private static Double nonFinite(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "nan", ".nan" -> Double.NaN;
            case "inf", "+inf", ".inf", "+.inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-.inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    /** Reads an integer in {@code [lo, hi]}, default when absent. */
    public long getLong(String path, long def, long lo, long hi) {
        JsonNode n = node(path);
        long v = def;
        if (n != null) {
            if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                throw new InvalidInputException(path + " must be an integer in [" + lo + ", " + hi + "] but was " + abbreviate(n));
            }
            v = n.longValue();
        }
        if (v < lo || v > hi) {
            throw new InvalidInputException(path + " must be in [" + lo + ", " + hi + "] but was " + v);
        }
        record(path, JsonNodeFactory.instance.numberNode(v));
        return v;
    }

    /** Reads an int in {@code [lo, hi]}. */
    public int getInt(String path, int def, int lo, int hi) {
        return (int) getLong(path, def, lo, hi);
    }

    /**
     * Reads an int in {@code [lo, hi]} or the string {@code auto} (returned as 0), {@code auto} when absent.
     */
    public int getIntOrAuto(String path, int lo, int hi) {
        JsonNode n = node(path);
        if (n == null || (n.isTextual() && n.asText().trim().equalsIgnoreCase("auto"))) {
            record(path, JsonNodeFactory.instance.textNode("auto"));
            return 0;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new InvalidInputException(path + " must be 'auto' or an integer in [" + lo + ", " + hi + "] but was " + abbreviate(n));
        }
        return getInt(path, 0, lo, hi);
    }

    /** Reads a boolean, default when absent. */
    public boolean getBoolean(String path, boolean def) {
        JsonNode n = node(path);
        boolean v = def;
        if (n != null) {
            if (!n.isBoolean()) {
                throw new InvalidInputException(path + " must be true or false but was " + abbreviate(n));
            }
            v = n.booleanValue();
        }
        record(path, JsonNodeFactory.instance.booleanNode(v));
        return v;
    }

    /** Reads one of the allowed strings, default when absent (null default = required). */
    public String getChoice(String path, String def, List<String> allowed) {
        JsonNode n = node(path);
        if (n == null && def == null) {
            throw new InvalidInputException("missing key '" + path + "' (one of " + allowed + ")");
        }
        String v = n == null ? def : n.asText();
        if (n != null && !n.isTextual()) {
            throw new InvalidInputException(path + " must be one of " + allowed + " but was " + abbreviate(n));
        }
        if (!allowed.contains(v)) {
            throw new InvalidInputException(path + " must be one of " + allowed + " but was '" + v + "'");
        }
        record(path, JsonNodeFactory.instance.textNode(v));
        return v;
    }

    /** Reads a string, or {@code def} (may be null) when absent. */
    public String getString(String path, String def) {
        JsonNode n = node(path);
        if (n != null && !n.isTextual()) {
            throw new InvalidInputException(path + " must be a string but was " + abbreviate(n));
        }
        String v = n == null ? def : n.asText();
        if (v != null) {
            record(path, JsonNodeFactory.instance.textNode(v));
        } else {
            markKnown(path);
        }
        return v;
    }

    /** Reads a list of numbers (absent → null). */
    public double[] getDoubleList(String path) {
        JsonNode n = node(path);
        markKnown(path);
        if (n == null) {
            return null;
        }
        if (!n.isArray()) {
            throw new InvalidInputException(path + " must be a list of numbers but was " + abbreviate(n));
        }
        double[] v = new double[n.size()];
        for (int i = 0; i < v.length; i++) {
            if (!n.get(i).isNumber()) {
                throw new InvalidInputException(path + "[" + i + "] must be a number but was " + abbreviate(n.get(i)));
            }
            v[i] = n.get(i).doubleValue();
            if (!Double.isFinite(v[i])) {
                throw new InvalidInputException(path + "[" + i + "] must be finite but was " + v[i]);
            }
        }
        record(path, n.deepCopy());
        return v;
    }

    /**
     * @throws InvalidInputException naming every key that no reader asked for
     */
    public void rejectUnknown() {
        List<String> unknown = new ArrayList<>();
        collectLeaves(root, "", unknown);
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("unknown config key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " (see README '" + README_CONFIG + "' and conf/*.yaml for the accepted keys)");
        }
    }

    private void collectLeaves(JsonNode n, String prefix, List<String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (known.contains(path)) {
                continue;
            }
            if (sections.contains(path)) {
                if (v.isObject()) {
                    collectLeaves(v, path, out);
                } else if (!v.isNull()) { // a section that no read went through (reads stop at the first error)
                    throw new InvalidInputException(path + " must be a section (keys indented under it) but was " + abbreviate(v));
                }
            } else if (v.isObject() && v.size() > 0) {
                collectLeaves(v, path, out);
            } else {
                out.add("'" + path + "'");
            }
        }
    }

    /** @return the effective values of every key read (a copy) */
    public ObjectNode resolved() {
        return resolved.deepCopy();
    }
}
