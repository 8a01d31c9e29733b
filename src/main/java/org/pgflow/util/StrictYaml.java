package org.pgflow.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads YAML into Jackson trees, strictly: exactly one document, no duplicate key at any level, aliases
 * resolved (within {@link #MAX_ALIASES_FOR_COLLECTIONS}, {@link #MAX_NESTING_DEPTH}, {@link #MAX_CODE_POINTS}
 * and {@link #MAX_VALUES} after expansion), {@code .nan}/{@code .inf} read as the doubles they denote, no
 * merge keys and no custom tags. Every error is an {@link InvalidInputException} whose one-line message names
 * the file, the line and column (1-based) and, where it applies, the key path.
 *
 * <p>Built on SnakeYAML's composer (the node graph, with marks) rather than Jackson's YAML parser, which
 * reads an alias as the anchor's name and cannot parse {@code .nan}. Scalars are resolved by SnakeYAML's
 * YAML 1.1 rules, as Jackson's YAML parser does ({@code yes} is true, {@code 010} is 8). Thread-safe.
 */
public final class StrictYaml {
    /** Aliases of lists or mappings per file (aliases of scalars are free): bounds "billion laughs". */
    public static final int MAX_ALIASES_FOR_COLLECTIONS = 20;
    /** Nesting depth of lists and mappings. */
    public static final int MAX_NESTING_DEPTH = 20;
    /** Size of a file in code points. */
    public static final int MAX_CODE_POINTS = 1 << 20;
    /** Lists, mappings and scalars after aliases are expanded. */
    public static final int MAX_VALUES = 100_000;

    private StrictYaml() {
    }

    /**
     * Reads a YAML file whose single document is a mapping (an empty file is an empty mapping).
     *
     * @param file the file
     * @param what what it is, for messages (e.g. {@code "config file"})
     * @return the mapping
     * @throws InvalidInputException if the file is missing, unreadable, not valid YAML, has a duplicate key or
     *                               more than one document, exceeds a bound, or is not a mapping
     */
    public static ObjectNode readMapping(Path file, String what) {
        String where = what + " " + file;
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(where + " does not exist or is not a file");
        }
        String text;
        try {
            if (Files.size(file) > 4L * MAX_CODE_POINTS) {
                throw new InvalidInputException(where + " is too large (" + Files.size(file) + " bytes; a YAML file may have "
                        + MAX_CODE_POINTS + " characters)");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InvalidInputException(where + " cannot be read as UTF-8 text (an invalid byte sequence)");
        } catch (IOException e) {
            throw new InvalidInputException(where + " cannot be read: " + oneLine(String.valueOf(e.getMessage())));
        }
        JsonNode n = read(text, where);
        if (n == null || n.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            throw new InvalidInputException(where + " must be a YAML mapping (key: value lines) at the top level but is "
                    + (n.isArray() ? "a list" : "the scalar " + abbreviate(n.toString())));
        }
        return (ObjectNode) n;
    }

    /**
     * Reads one YAML value, e.g. the right-hand side of {@code --set key=value}.
     *
     * @param text  the text
     * @param where what it is, for messages (e.g. {@code "--set meanfield.tau value '.nan'"})
     * @return the value (null node for an empty or null value)
     * @throws InvalidInputException if the text is not one valid YAML value
     */
    public static JsonNode readValue(String text, String where) {
        JsonNode n = read(text, where);
        return n == null ? JsonNodeFactory.instance.nullNode() : n;
    }

    private static JsonNode read(String text, String where) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowRecursiveKeys(false);
        ParserImpl parser = null;
        try {
            parser = new ParserImpl(new StreamReader(new StringReader(text)), options);
            Composer composer = new Composer(parser, new Resolver(), options);
            if (!composer.checkNode()) {
                return null;
            }
            Node root = composer.getNode();
            if (composer.checkNode()) {
                throw new InvalidInputException(where + at(parser.peekEvent().getStartMark())
                        + "a second YAML document starts here; only one is allowed (remove this '---' and what follows)");
            }
            return new Converter(where, options).convert(root, "");
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            String context = e.getContext() != null && e.getProblem() != null && e.getContextMark() != null
                    ? " (" + e.getContext() + " started at line " + (e.getContextMark().getLine() + 1) + ", column "
                    + (e.getContextMark().getColumn() + 1) + ")" : "";
            throw new InvalidInputException(where + (m == null ? ": " : at(m)) + "not valid YAML: " + oneLine(problem + context));
        } catch (ReaderException e) { // a character that YAML does not allow, at a code point offset
            throw new InvalidInputException(where + at(text, e.getPosition()) + "not valid YAML: special characters "
                    + "are not allowed (U+" + String.format("%04X", e.getCodePoint()) + ")");
        } catch (YAMLException e) { // a bound (aliases, depth, size): no mark, so say where the parser stopped
            throw new InvalidInputException(where + near(parser) + "not valid YAML: " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static String near(ParserImpl parser) {
        try {
            Mark m = parser == null ? null : parser.peekEvent().getStartMark();
            return m == null ? ": " : ", near line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": ";
        } catch (YAMLException e) {
            return ": ";
        }
    }

    /** Line and column of a code point offset. */
    private static String at(String text, int codePoints) {
        int line = 1;
        int column = 1;
        for (int i = 0, k = 0; i < text.length() && k < codePoints; i += Character.charCount(text.codePointAt(i)), k++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return ", line " + line + ", column " + column + ": ";
    }

    private static String at(Mark m) {
        return ", line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": ";
    }

    /** One line for a message (the exception escapes what is left). */
    private static String oneLine(String s) {
        return s.replace("\n", " ").replaceAll(" {2,}", " ").strip();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** The node graph (with shared nodes for aliases) to a tree, checking keys, tags and the bounds. */
    private static final class Converter extends SafeConstructor {
        private static final Set<Tag> NUMERIC_OR_BOOL = Set.of(Tag.INT, Tag.FLOAT, Tag.BOOL);
        private final String where;
        private final Map<Node, Boolean> open = new IdentityHashMap<>();
        private int values;

        Converter(String where, LoaderOptions options) {
            super(options);
            this.where = where;
        }

        JsonNode convert(Node n, String path) {
            if (++values > MAX_VALUES) {
                throw new InvalidInputException(where + at(n.getStartMark()) + "more than " + MAX_VALUES
                        + " values after expanding aliases");
            }
            if (open.put(n, Boolean.TRUE) != null) {
                throw new InvalidInputException(where + at(n.getStartMark()) + "recursive alias at '" + path + "'");
            }
            try {
                if (n instanceof ScalarNode s) {
                    return scalar(s, path);
                }
                if (n instanceof SequenceNode s) {
                    requireTag(n, Tag.SEQ, path);
                    ArrayNode a = JsonNodeFactory.instance.arrayNode();
                    for (Node item : s.getValue()) {
                        a.add(convert(item, path + "[" + a.size() + "]"));
                    }
                    return a;
                }
                MappingNode m = (MappingNode) n;
                requireTag(n, Tag.MAP, path);
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                Map<String, Mark> first = new HashMap<>();
                for (NodeTuple t : m.getValue()) {
                    Node k = t.getKeyNode();
                    if (!(k instanceof ScalarNode ks) || !(ks.getTag().equals(Tag.STR) || ks.getTag().equals(Tag.INT)
                            || ks.getTag().equals(Tag.BOOL) || ks.getTag().equals(Tag.NULL) || ks.getTag().equals(Tag.FLOAT))) {
                        throw new InvalidInputException(where + at(k.getStartMark()) + (k.getTag().equals(Tag.MERGE)
                                ? "merge keys ('<<') are not supported: write the keys out"
                                : "a key must be a plain name" + (path.isEmpty() ? "" : " (in '" + path + "')")));
                    }
                    String key = ks.getValue();
                    String keyPath = path.isEmpty() ? key : path + "." + key;
                    Mark before = first.putIfAbsent(key, k.getStartMark());
                    if (before != null) {
                        throw new InvalidInputException(where + at(k.getStartMark()) + "duplicate key '" + keyPath
                                + "' (first at line " + (before.getLine() + 1) + ", column " + (before.getColumn() + 1)
                                + "); each key may appear once");
                    }
                    o.set(key, convert(t.getValueNode(), keyPath));
                }
                return o;
            } finally {
                open.remove(n);
            }
        }

        private void requireTag(Node n, Tag tag, String path) {
            if (!n.getTag().equals(tag)) {
                String t = n.getTag().getValue();
                throw new InvalidInputException(where + at(n.getStartMark()) + "unsupported YAML tag "
                        + (t.startsWith(Tag.PREFIX) ? "!!" + t.substring(Tag.PREFIX.length()) : t)
                        + (path.isEmpty() ? "" : " on '" + path + "'"));
            }
        }

        private JsonNode scalar(ScalarNode s, String path) {
            Tag tag = s.getTag();
            if (tag.equals(Tag.NULL)) {
                return JsonNodeFactory.instance.nullNode();
            }
            if (tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP)) {
                return JsonNodeFactory.instance.textNode(s.getValue());
            }
            if (!NUMERIC_OR_BOOL.contains(tag)) {
                requireTag(s, Tag.STR, path);
            }
            Object v;
            try {
                v = constructObject(s);
            } catch (YAMLException | NumberFormatException e) {
                throw new InvalidInputException(where + at(s.getStartMark()) + (path.isEmpty() ? "" : path + ": ")
                        + "'" + abbreviate(s.getValue()) + "' is not a valid " + tag.getValue().replace(Tag.PREFIX, ""));
            }
            if (v instanceof Boolean b) {
                return JsonNodeFactory.instance.booleanNode(b);
            }
            if (v instanceof Integer i) {
                return JsonNodeFactory.instance.numberNode(i);
            }
            if (v instanceof Long l) {
                return JsonNodeFactory.instance.numberNode(l);
            }
            if (v instanceof BigInteger b) {
                return JsonNodeFactory.instance.numberNode(b);
            }
            return JsonNodeFactory.instance.numberNode(((Number) v).doubleValue());
        }
    }
}
