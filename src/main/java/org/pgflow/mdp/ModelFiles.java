package org.pgflow.mdp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.JsonFields;

/**
 * Reads and writes the fixed JSON formats of docs/architecture.md §7.2: {@code *.mdp.json} and {@code *.ssp.json}.
 * Shape errors and unknown fields are reported here with the field path; value rules are checked by
 * {@link FiniteMdp#of} and {@link Ssp#of}. Every message is prefixed by the file name. Files are read by
 * {@link JsonFields#readObject}: a key twice, or anything after the object, is an error.
 */
public final class ModelFiles {
    /** The fields of a {@code *.mdp.json} file. */
    public static final List<String> MDP_FIELDS = List.of("name", "states", "actions", "gamma", "transitions", "rewards",
            "initial", "referenceMeasure", "stateFeatures", "actionFeatures");
    /** The fields of a {@code *.ssp.json} file. */
    public static final List<String> SSP_FIELDS = List.of("name", "states", "actions", "transitions", "rewards", "start",
            "gamma");

    private ModelFiles() {
    }

    /**
     * @param file a {@code *.mdp.json} file
     * @return the validated MDP
     * @throws InvalidInputException with the file, field, index and value of the first problem
     */
    public static FiniteMdp loadMdp(Path file) {
        JsonNode root = JsonFields.readObject(file, "MDP file");
        try {
            return parseMdp(root);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file + ": " + e.getMessage());
        }
    }

    /** Parses an MDP from a JSON tree in the {@code *.mdp.json} format. */
    public static FiniteMdp parseMdp(JsonNode root) {
        JsonFields.rejectUnknownFields(root, MDP_FIELDS);
        int s = positiveCount(root, "states");
        int a = positiveCount(root, "actions");
        double gamma = JsonFields.requireDouble(root, "gamma");
        double[][][] p = JsonFields.tensor3(JsonFields.require(root, "transitions"), "transitions",
                s, "states", a, "actions", s, "states");
        double[][] r = JsonFields.matrix(JsonFields.require(root, "rewards"), "rewards", s, "states", a, "actions");
        double[] rho = JsonFields.vector(JsonFields.require(root, "initial"), "initial", s, "states");
        double[] mu = root.hasNonNull("referenceMeasure")
                ? JsonFields.vector(root.get("referenceMeasure"), "referenceMeasure", a, "actions") : null;
        double[][] sf = root.hasNonNull("stateFeatures")
                ? JsonFields.matrix(root.get("stateFeatures"), "stateFeatures", s, "states", -1, null) : null;
        double[][] af = root.hasNonNull("actionFeatures")
                ? JsonFields.matrix(root.get("actionFeatures"), "actionFeatures", a, "actions", -1, null) : null;
        String name = JsonFields.optionalString(root, "name");
        return FiniteMdp.of(name, gamma, p, r, rho, mu, sf, af);
    }

    /**
     * @param file a {@code *.ssp.json} file
     * @return the validated SSP
     * @throws InvalidInputException with the file, field, index and value of the first problem
     */
    public static Ssp loadSsp(Path file) {
        JsonNode root = JsonFields.readObject(file, "SSP file");
        try {
            return parseSsp(root);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file + ": " + e.getMessage());
        }
    }

    /** Parses an SSP from a JSON tree in the {@code *.ssp.json} format. */
    public static Ssp parseSsp(JsonNode root) {
        JsonFields.rejectUnknownFields(root, SSP_FIELDS);
        int n = positiveCount(root, "states");
        int m = positiveCount(root, "actions");
        double[][][] p = JsonFields.tensor3(JsonFields.require(root, "transitions"), "transitions",
                n, "states", m, "actions", n + 1, "states + 1 terminal");
        double[][] r = JsonFields.matrix(JsonFields.require(root, "rewards"), "rewards", n, "states", m, "actions");
        int start = JsonFields.requireInt(root, "start");
        double gamma = root.hasNonNull("gamma") ? JsonFields.number(root.get("gamma"), "gamma") : 1.0;
        String name = JsonFields.optionalString(root, "name");
        return Ssp.of(name, p, r, start, gamma);
    }

    private static int positiveCount(JsonNode root, String field) {
        int v = JsonFields.requireInt(root, field);
        if (v < 1) {
            throw new InvalidInputException("field '" + field + "' must be >= 1 but was " + v);
        }
        return v;
    }

    /** @return the MDP as a JSON tree in the {@code *.mdp.json} format (features included when not one-hot) */
    public static ObjectNode toJson(FiniteMdp mdp) {
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        int s0 = mdp.numStates();
        int a0 = mdp.numActions();
        o.put("name", mdp.name());
        o.put("states", s0);
        o.put("actions", a0);
        o.put("gamma", mdp.gamma());
        ArrayNode tr = o.putArray("transitions");
        ArrayNode rw = o.putArray("rewards");
        for (int s = 0; s < s0; s++) {
            ArrayNode ts = tr.addArray();
            ArrayNode rs = rw.addArray();
            for (int a = 0; a < a0; a++) {
                ArrayNode row = ts.addArray();
                for (int y = 0; y < s0; y++) {
                    row.add(mdp.p(s, a, y));
                }
                rs.add(mdp.r(s, a));
            }
        }
        ArrayNode init = o.putArray("initial");
        for (int s = 0; s < s0; s++) {
            init.add(mdp.rho(s));
        }
        ArrayNode mu = o.putArray("referenceMeasure");
        for (int a = 0; a < a0; a++) {
            mu.add(mdp.mu(a));
        }
        return o;
    }

    /** @return the SSP as a JSON tree in the {@code *.ssp.json} format */
    public static ObjectNode toJson(Ssp ssp) {
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        int n = ssp.numStates();
        int m = ssp.numActions();
        o.put("name", ssp.name());
        o.put("states", n);
        o.put("actions", m);
        ArrayNode tr = o.putArray("transitions");
        ArrayNode rw = o.putArray("rewards");
        for (int x = 0; x < n; x++) {
            ArrayNode tx = tr.addArray();
            ArrayNode rx = rw.addArray();
            for (int u = 0; u < m; u++) {
                ArrayNode row = tx.addArray();
                for (int y = 0; y <= n; y++) {
                    row.add(ssp.p(x, u, y));
                }
                rx.add(ssp.r(x, u));
            }
        }
        o.put("start", ssp.start());
        o.put("gamma", ssp.gamma());
        return o;
    }
}
