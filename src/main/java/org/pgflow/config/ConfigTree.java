package org.pgflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pgflow.util.InvalidInputException;

/**
 * A YAML config as a tree, with {@code --set key.path=value} overrides, typed reads that validate ranges, and
 * detection of unknown keys: every read marks its path as known, and {@link #rejectUnknown()} fails on any
 * leaf that no reader asked for (typos must not pass silently). Every read also records the effective value
 * (defaults included) in {@link #resolved()}, which is what a run directory records. Not thread-safe.
 */
public final class ConfigTree {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final ObjectNode root;
    private final ObjectNode resolved = JsonNodeFactory.instance.objectNode();
    private final Set<String> known = new LinkedHashSet<>();

    private ConfigTree(ObjectNode root) {
        this.root = root;
    }

    /**
     * @param file a YAML file whose top level is a mapping
     * @return the tree
     * @throws InvalidInputException if the file is missing or not a YAML mapping
     */
    public static ConfigTree load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("config file " + file + " does not exist or is not a file");
        }
        try {
            JsonNode n = YAML.readTree(file.toFile());
            if (n == null || n.isMissingNode() || n.isNull()) {
                return new ConfigTree(JsonNodeFactory.instance.objectNode());
            }
            if (!n.isObject()) {
                throw new InvalidInputException("config file " + file + " must be a YAML mapping at the top level");
            }
            return new ConfigTree((ObjectNode) n);
        } catch (IOException e) {
            throw new InvalidInputException("config file " + file + " is not valid YAML: " + firstLine(e));
        }
    }

    /** @return a tree from an already parsed mapping (copied) */
    public static ConfigTree of(ObjectNode node) {
        return new ConfigTree(node.deepCopy());
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage();
        return m == null ? e.toString() : m.split("\n")[0];
    }

    /**
     * Applies {@code key.path=value}; the value is read as a YAML scalar (number, boolean, string).
     *
     * @param assignment the override
     * @throws InvalidInputException if it is not of the form {@code key=value}
     */
    public void set(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new InvalidInputException("--set expects key.path=value but got '" + assignment + "'");
        }
        String path = assignment.substring(0, eq).trim();
        String text = assignment.substring(eq + 1).trim();
        JsonNode value;
        try {
            value = text.isEmpty() ? JsonNodeFactory.instance.textNode("") : YAML.readTree(text);
        } catch (IOException e) {
            throw new InvalidInputException("--set " + path + ": cannot read value '" + text + "'");
        }
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || !child.isObject()) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value);
    }

    /** @return the node at a dotted path, or null */
    public JsonNode node(String path) {
        JsonNode n = root;
        for (String p : path.split("\\.")) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isNull() ? null : n;
    }

    /** @return whether the path is present */
    public boolean has(String path) {
        known.add(path);
        return node(path) != null;
    }

    void record(String path, JsonNode value) {
        known.add(path);
        String[] parts = path.split("\\.");
        ObjectNode n = resolved;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode c = n.get(parts[i]);
            n = c instanceof ObjectNode o ? o : n.putObject(parts[i]);
        }
        n.set(parts[parts.length - 1], value);
    }

    /** Reads a number in {@code [lo, hi]} (NaN-safe), default when absent. */
    public double getDouble(String path, double def, double lo, double hi) {
        JsonNode n = node(path);
        double v = def;
        if (n != null) {
            if (n.isTextual() && isNonNumeric(n.asText())) {
                v = Double.NaN;
            } else if (!n.isNumber()) {
                throw new InvalidInputException(path + " must be a number in [" + lo + ", " + hi + "] but was " + n);
            } else {
                v = n.doubleValue();
            }
        }
        if (!(v >= lo && v <= hi)) {
            throw new InvalidInputException(path + " must be in [" + lo + ", " + hi + "] but was " + v);
        }
        record(path, JsonNodeFactory.instance.numberNode(v));
        return v;
    }

    /** Reads a number in {@code (0, hi]}; for strictly positive quantities. */
    public double getPositive(String path, double def, double hi) {
        try {
            double v = getDouble(path, def, -Double.MAX_VALUE, hi);
            if (v > 0) {
                return v;
            }
        } catch (InvalidInputException e) {
            // fall through to the message that states the real range
        }
        JsonNode n = node(path);
        throw new InvalidInputException(path + " must be in (0, " + hi + "] but was " + (n == null ? def : n.asText()));
    }

    private static boolean isNonNumeric(String s) {
        String t = s.trim().toLowerCase();
        return t.equals(".nan") || t.equals("nan") || t.equals(".inf") || t.equals("-.inf") || t.equals("inf");
    }

    /** Reads an integer in {@code [lo, hi]}, default when absent. */
    public long getLong(String path, long def, long lo, long hi) {
        JsonNode n = node(path);
        long v = def;
        if (n != null) {
            if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                throw new InvalidInputException(path + " must be an integer in [" + lo + ", " + hi + "] but was " + n);
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
            throw new InvalidInputException(path + " must be 'auto' or an integer in [" + lo + ", " + hi + "] but was " + n);
        }
        return getInt(path, 0, lo, hi);
    }

    /** Reads a boolean, default when absent. */
    public boolean getBoolean(String path, boolean def) {
        JsonNode n = node(path);
        boolean v = def;
        if (n != null) {
            if (!n.isBoolean()) {
                throw new InvalidInputException(path + " must be true or false but was " + n);
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
            throw new InvalidInputException(path + " must be one of " + allowed + " but was " + n);
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
            throw new InvalidInputException(path + " must be a string but was " + n);
        }
        String v = n == null ? def : n.asText();
        if (v != null) {
            record(path, JsonNodeFactory.instance.textNode(v));
        } else {
            known.add(path);
        }
        return v;
    }

    /** Reads a list of numbers (absent → null). */
    public double[] getDoubleList(String path) {
        JsonNode n = node(path);
        known.add(path);
        if (n == null) {
            return null;
        }
        if (!n.isArray()) {
            throw new InvalidInputException(path + " must be a list of numbers but was " + n);
        }
        double[] v = new double[n.size()];
        for (int i = 0; i < v.length; i++) {
            if (!n.get(i).isNumber()) {
                throw new InvalidInputException(path + "[" + i + "] must be a number but was " + n.get(i));
            }
            v[i] = n.get(i).doubleValue();
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
                    + " (see DESIGN §5 and conf/*.yaml for the accepted keys)");
        }
    }

    private void collectLeaves(JsonNode n, String prefix, List<String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (known.contains(path)) {
                continue;
            }
            if (e.getValue().isObject() && e.getValue().size() > 0) {
                collectLeaves(e.getValue(), path, out);
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
