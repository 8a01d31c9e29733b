package org.pgflow.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.pgflow.math.LogSumExp;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.JsonFields;

/**
 * Tabular policy files ({@code *.policy.json}, docs/architecture.md §7.2: {@code {"probabilities": [[π(a|s)]]}}) and
 * tabular-softmax helpers. A policy is a plain {@code double[S][A]} matrix of probability masses.
 */
public final class TabularPolicy {
    private TabularPolicy() {
    }

    /**
     * Loads and validates a policy file against the expected shape.
     *
     * @param file       the policy file
     * @param numStates  expected number of rows
     * @param numActions expected number of columns
     * @return the probabilities {@code [S][A]}
     * @throws InvalidInputException on a missing field, wrong shape, negative or non-finite entry, or a row
     *                               whose sum is not 1 ± 1e-9
     */
    public static double[][] load(Path file, int numStates, int numActions) {
        JsonNode root = JsonFields.readObject(file, "policy file");
        JsonFields.rejectUnknownFields(root, java.util.List.of("probabilities"));
        try {
            double[][] pi = JsonFields.matrix(JsonFields.require(root, "probabilities"), "probabilities",
                    numStates, "states of the model", numActions, "actions of the model");
            for (int s = 0; s < numStates; s++) {
                validateRow("probabilities[" + s + "]", pi[s]);
            }
            return pi;
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file + ": " + e.getMessage());
        }
    }

    private static void validateRow(String path, double[] row) {
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            if (!Double.isFinite(row[i])) {
                throw new InvalidInputException(path + "[" + i + "] must be finite but was " + row[i]);
            }
            if (row[i] < 0) {
                throw new InvalidInputException(path + "[" + i + "] is a probability and must be >= 0 but was " + row[i]);
            }
            sum += row[i];
        }
        if (!(Math.abs(sum - 1) <= 1e-9)) {
            throw new InvalidInputException(path + " must sum to 1 ± 1e-9 but sums to " + sum);
        }
    }

    /** @return {@code {"probabilities": [[...]]}} */
    public static ObjectNode toJson(double[][] pi) {
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        ArrayNode rows = o.putArray("probabilities");
        for (double[] row : pi) {
            ArrayNode r = rows.addArray();
            for (double v : row) {
                r.add(v);
            }
        }
        return o;
    }

    /**
     * Tabular softmax with reference measure: {@code π[s][a] = μ_a e^{θ[s][a]} / Σ_b μ_b e^{θ[s][b]}}.
     *
     * @param theta logits {@code [S][A]}
     * @param mu    positive weights {@code [A]}
     * @return the probabilities (new array)
     */
    public static double[][] softmax(double[][] theta, double[] mu) {
        double[][] pi = new double[theta.length][];
        for (int s = 0; s < theta.length; s++) {
            pi[s] = LogSumExp.softmax(theta[s], mu, new double[theta[s].length]);
        }
        return pi;
    }

    /** @return the uniform policy {@code [S][A]} */
    public static double[][] uniform(int numStates, int numActions) {
        double[][] pi = new double[numStates][numActions];
        for (double[] row : pi) {
            java.util.Arrays.fill(row, 1.0 / numActions);
        }
        return pi;
    }
}
