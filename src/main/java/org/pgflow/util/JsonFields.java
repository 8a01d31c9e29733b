package org.pgflow.util;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Typed extraction of fields from a JSON tree with messages that name the field path and index:
 * {@code "transitions[1] has 2 entries but 3 were expected (actions)"}. NaN and Infinity literals are
 * accepted by the parser so that they can be rejected here with a clear message rather than a parse error.
 */
public final class JsonFields {
    /** Shared mapper: lenient about NaN/Infinity tokens, strict otherwise. Thread-safe once configured. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private JsonFields() {
    }

    /** The reader of input files: as {@link #MAPPER}, and a key that appears twice in an object is an error. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * Reads a JSON file into a tree: exactly one JSON object, no key twice in an object, nothing after it.
     *
     * @param file path of the file
     * @param what what the file is, for messages (e.g. {@code "MDP file"})
     * @return the root node, an object
     * @throws InvalidInputException if the file is missing, unreadable, not JSON, not an object, has a
     *                               duplicate key or content after the object; JSON errors give line and column
     */
    public static JsonNode readObject(Path file, String what) {
        String where = what + " " + file;
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(where + " does not exist or is not a file");
        }
        JsonNode root;
        try (JsonParser p = STRICT.createParser(file.toFile())) {
            root = STRICT.readTree(p);
            if (root != null && !root.isMissingNode() && p.nextToken() != null) {
                throw new InvalidInputException(where + at(p.currentTokenLocation())
                        + "unexpected content after the end of the JSON " + (root.isObject() ? "object" : "value"));
            }
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage().split("\n")[0];
            msg = msg.replaceFirst("^Duplicate field", "duplicate field").replaceAll(" for `[^`]*`", "");
            throw new InvalidInputException(where + (e.getLocation() == null ? ": " : at(e.getLocation())) + "not valid JSON: " + msg);
        } catch (IOException e) {
            throw new InvalidInputException(where + " cannot be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidInputException(where + " is empty: it must contain a JSON object {...}");
        }
        if (!root.isObject()) {
            throw new InvalidInputException(where + " must contain a JSON object {...} but has " + (root.isArray()
                    ? "an array" : "the value " + abbreviate(root)));
        }
        return root;
    }

    private static String at(JsonLocation l) {
        return l.getLineNr() > 0 ? ", line " + l.getLineNr() + ", column " + l.getColumnNr() + ": " : ": ";
    }

    /**
     * @param obj      an object
     * @param accepted its accepted field names
     * @throws InvalidInputException naming the first field not in {@code accepted}
     */
    public static void rejectUnknownFields(JsonNode obj, java.util.List<String> accepted) {
        for (java.util.Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!accepted.contains(f)) {
                throw new InvalidInputException("unknown field '" + f + "' (accepted: " + String.join(", ", accepted) + ")");
            }
        }
    }

    /** @return the text of an optional string field, or null when absent or null */
    public static String optionalString(JsonNode obj, String field) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new InvalidInputException("field '" + field + "' must be a string but was " + abbreviate(n));
        }
        return n.asText();
    }

    /** @return the field, never null; throws when absent or null */
    public static JsonNode require(JsonNode obj, String field) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            throw new InvalidInputException("missing field '" + field + "'");
        }
        return n;
    }

    /** @return the integer value of a required field */
    public static int requireInt(JsonNode obj, String field) {
        JsonNode n = require(obj, field);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new InvalidInputException("field '" + field + "' must be an integer but was " + abbreviate(n));
        }
        return n.intValue();
    }

    /** @return the number value of a node, which must be numeric (NaN/Infinity are returned, not rejected) */
    public static double number(JsonNode n, String path) {
        if (n == null || !n.isNumber()) {
            throw new InvalidInputException(path + " must be a number but was " + abbreviate(n));
        }
        return n.doubleValue();
    }

    /** @return the double value of a required field */
    public static double requireDouble(JsonNode obj, String field) {
        return number(require(obj, field), field);
    }

    /**
     * @param n      the node, must be an array of {@code length} numbers
     * @param path   field path for messages
     * @param length expected length, or -1 for any
     * @param lengthName what determines the expected length (for messages)
     * @return the numbers
     */
    public static double[] vector(JsonNode n, String path, int length, String lengthName) {
        if (n == null || !n.isArray()) {
            throw new InvalidInputException(path + " must be an array but was " + abbreviate(n));
        }
        if (length >= 0 && n.size() != length) {
            throw new InvalidInputException(path + " has " + n.size() + " entries but " + length
                    + " were expected (" + lengthName + ")");
        }
        double[] v = new double[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = number(n.get(i), path + "[" + i + "]");
        }
        return v;
    }

    /** @return a rectangular matrix of shape rows × cols (cols = -1: any, but all rows equal) */
    public static double[][] matrix(JsonNode n, String path, int rows, String rowsName, int cols, String colsName) {
        if (n == null || !n.isArray()) {
            throw new InvalidInputException(path + " must be an array but was " + abbreviate(n));
        }
        if (rows >= 0 && n.size() != rows) {
            throw new InvalidInputException(path + " has " + n.size() + " entries but " + rows
                    + " were expected (" + rowsName + ")");
        }
        double[][] m = new double[n.size()][];
        for (int i = 0; i < m.length; i++) {
            int c = cols >= 0 ? cols : (i == 0 ? -1 : m[0].length);
            m[i] = vector(n.get(i), path + "[" + i + "]", c, cols >= 0 ? colsName : "length of " + path + "[0]");
        }
        return m;
    }

    /** @return a rank-3 array of shape d0 × d1 × d2 */
    public static double[][][] tensor3(JsonNode n, String path, int d0, String n0, int d1, String n1, int d2, String n2) {
        if (n == null || !n.isArray()) {
            throw new InvalidInputException(path + " must be an array but was " + abbreviate(n));
        }
        if (n.size() != d0) {
            throw new InvalidInputException(path + " has " + n.size() + " entries but " + d0 + " were expected (" + n0 + ")");
        }
        double[][][] t = new double[d0][][];
        for (int i = 0; i < d0; i++) {
            t[i] = matrix(n.get(i), path + "[" + i + "]", d1, n1, d2, n2);
        }
        return t;
    }

    private static String abbreviate(JsonNode n) {
        if (n == null) {
            return "missing";
        }
        String s = n.toString();
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
