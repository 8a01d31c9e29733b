package org.pgflow.util;

import com.fasterxml.jackson.core.JsonParser;
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

    /**
     * Reads a JSON file into a tree.
     *
     * @param file path of the file
     * @param what what the file is, for messages (e.g. {@code "MDP file"})
     * @return the root node, an object
     * @throws InvalidInputException if the file is missing, unreadable, not JSON or not an object
     */
    public static JsonNode readObject(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(what + " " + file + " does not exist or is not a file");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
            throw new InvalidInputException(what + " " + file + " is not valid JSON: " + msg);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(what + " " + file + " must contain a JSON object");
        }
        return root;
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
            throw new InvalidInputException("field '" + field + "' must be an integer but was " + n);
        }
        return n.intValue();
    }

    /** @return the number value of a node, which must be numeric (NaN/Infinity are returned, not rejected) */
    public static double number(JsonNode n, String path) {
        if (n == null || !n.isNumber()) {
            throw new InvalidInputException(path + " must be a number but was " + n);
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
