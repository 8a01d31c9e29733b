package org.pgflow.meanfield;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code VectorKernels.primeOperatorCaches} must run every lane-wise operator the vector kernels use: an operator
 * left out is first looked up in the Vector API's cache after C2 has compiled the lookup, and the class-check trap
 * that follows can push a whole loop over C2's trap limit (see the method's comment). Reads the source, so a new
 * operator in a loop without a line in the priming fails here by name.
 */
class VectorPrimingTest {
    /** Lane-wise shorthand methods and the operator each one applies. */
    private static final Map<String, String> SHORTHAND = Map.ofEntries(
            Map.entry("add", "ADD"), Map.entry("sub", "SUB"), Map.entry("mul", "MUL"), Map.entry("div", "DIV"),
            Map.entry("min", "MIN"), Map.entry("max", "MAX"), Map.entry("neg", "NEG"), Map.entry("abs", "ABS"),
            Map.entry("fma", "FMA"), Map.entry("sqrt", "SQRT"), Map.entry("pow", "POW"), Map.entry("not", "NOT"));

    /** Comparisons go through {@code VectorSupport.compare} with their own lambda, not through an operator cache. */
    private static final Set<String> NOT_CACHED = Set.of("EQ", "NE", "LT", "LE", "GT", "GE");

    @Test
    void everyOperatorOfTheVectorLoopsIsPrimed() throws IOException {
        Path source = Path.of("src", "main", "java", "org", "pgflow", "meanfield", "VectorKernels.java");
        assertTrue(Files.isRegularFile(source), "run from the project root: " + Path.of("").toAbsolutePath());
        String text = Files.readString(source);
        int start = text.indexOf("static void primeOperatorCaches()");
        assertTrue(start >= 0, "primeOperatorCaches not found in " + source);
        int end = text.indexOf("\n    }\n", start);
        String priming = text.substring(start, end);
        String rest = text.substring(0, start) + text.substring(end);

        Set<String> primed = operators(priming);
        Set<String> used = operators(rest);
        used.removeAll(NOT_CACHED);
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(primed);
        assertTrue(missing.isEmpty(), "operators used by the vector loops but not run in primeOperatorCaches: "
                + missing + " (primed: " + primed + ")");
        // The check itself sees the operators: the loops use these, whatever else they use.
        assertTrue(used.containsAll(Set.of("ADD", "MUL", "DIV", "FMA", "LSHR", "XOR")), "operators found: " + used);
    }

    private static Set<String> operators(String code) {
        Set<String> ops = new TreeSet<>();
        Matcher named = Pattern.compile("VectorOperators\\.([A-Z][A-Z0-9_]*)\\b").matcher(code);
        while (named.find()) {
            ops.add(named.group(1));
        }
        Matcher call = Pattern.compile("\\.([a-z]+)\\(").matcher(code);
        while (call.find()) {
            String op = SHORTHAND.get(call.group(1));
            if (op != null) {
                ops.add(op);
            }
        }
        return ops;
    }
}
