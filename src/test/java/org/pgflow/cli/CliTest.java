package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgflow.TestSupport;
import org.pgflow.util.JsonFields;

/** The command line end to end through {@link Main#execute}: outputs, exit statuses and messages. */
class CliTest {
    @TempDir
    Path tmp;

    /** Result of one invocation. */
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void solvePrintsTheSoftOptimumOfT1() throws Exception {
        Run r = run("solve", "--mdp", TestSupport.env("t1.mdp.json").toString(), "--tau", "0.5");
        assertEquals(0, r.status(), r.err());
        JsonNode o = JsonFields.MAPPER.readTree(r.out());
        assertEquals(6.2005478146, o.get("valueAtInitial").doubleValue(), 1e-8);
        assertEquals(6.2509576876, o.get("V").get(0).doubleValue(), 1e-8);
        assertEquals(0.7330859525, o.get("policy").get(1).get(1).doubleValue(), 1e-8);
        assertEquals(5.5532717017, o.get("Q").get(0).get(1).doubleValue(), 1e-8);
        assertEquals(4, o.size(), "exactly V, Q, policy, valueAtInitial");
    }

    @Test
    void solveWritesOutFile() throws Exception {
        Path out = tmp.resolve("sol.json");
        Run r = run("solve", "--mdp", TestSupport.env("t2-softchain.mdp.json").toString(), "--tau", "0.1", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.out());
        assertEquals(4.7804104375, JsonFields.MAPPER.readTree(out.toFile()).get("V").get(0).doubleValue(), 1e-8);
    }

    @Test
    void momentsOfT6() throws Exception {
        Run r = run("moments", "--ssp", TestSupport.env("t6.ssp.json").toString(),
                "--policy", TestSupport.env("t6.policy.json").toString(), "--lambda", "0.3");
        assertEquals(0, r.status(), r.err());
        JsonNode o = JsonFields.MAPPER.readTree(r.out());
        for (String k : new String[] {"J", "M", "Var", "JQ", "MQ", "eta", "gradEta"}) {
            assertTrue(o.has(k), k);
        }
        assertEquals(1.3445370326, o.get("eta").doubleValue(), 1e-8);
        assertEquals(6.4026354878, o.get("Var").get(0).doubleValue(), 1e-8);
        assertEquals(-0.2173240810, o.get("gradEta").get(2).get(1).doubleValue(), 1e-8);
    }

    @Test
    void helpOnEveryCommand() {
        for (String[] args : new String[][] {{"--help"}, {"solve", "--help"}, {"moments", "--help"}}) {
            Run r = run(args);
            assertEquals(0, r.status(), String.join(" ", args));
            assertTrue(r.out().contains("Usage:"), r.out());
        }
    }

    static Stream<Arguments> badArguments() {
        String t1 = TestSupport.env("t1.mdp.json").toString();
        return Stream.of(
                Arguments.of(new String[] {}, "command is required"),
                Arguments.of(new String[] {"solve", "--tau", "0.5"}, "--mdp"),
                Arguments.of(new String[] {"solve", "--mdp", t1, "--tau", "abc"}, "--tau"),
                Arguments.of(new String[] {"solve", "--mdp", t1, "--tau", "-1"}, "--tau"),
                Arguments.of(new String[] {"solve", "--mdp", t1, "--tau", "NaN"}, "--tau"),
                Arguments.of(new String[] {"solve", "--mdp", t1, "--tau", "1", "--bogus"}, "--bogus"),
                Arguments.of(new String[] {"solve", "--mdp", "no/such/file.json", "--tau", "1"}, "no/such/file.json"),
                Arguments.of(new String[] {"moments", "--ssp", TestSupport.env("t6.ssp.json").toString(),
                        "--policy", TestSupport.env("t7-uniform.policy.json").toString()}, "probabilities"),
                Arguments.of(new String[] {"moments", "--ssp", TestSupport.env("t6.ssp.json").toString(),
                        "--policy", TestSupport.env("t6.policy.json").toString(), "--lambda", "-0.1"}, "--lambda"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void badArgumentsExitTwoWithOneLine(String[] args, String mentioned) {
        Run r = run(args);
        assertEquals(Main.EXIT_INVALID, r.status(), r.err());
        assertTrue(r.err().contains(mentioned), "message should mention " + mentioned + ": " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertEquals("", r.out());
    }

    private static final String T1_GOOD = """
            {"states": 2, "actions": 3, "gamma": 0.9,
             "transitions": [[[0.8,0.2],[0.2,0.8],[0.5,0.5]],[[0.7,0.3],[0.1,0.9],[0.4,0.6]]],
             "rewards": [[1.0,0.0,0.5],[0.0,1.0,0.2]],
             "initial": [0.5,0.5]}
            """;

    static Stream<Arguments> badMdps() {
        return Stream.of(
                Arguments.of(T1_GOOD.replace("\"gamma\": 0.9,", ""), "missing field 'gamma'"),
                Arguments.of(T1_GOOD.replace("\"gamma\": 0.9", "\"gamma\": 1.0"), "gamma must be in [0.0, 1.0) but was 1.0"),
                Arguments.of(T1_GOOD.replace("\"gamma\": 0.9", "\"gamma\": -0.1"), "gamma must be in [0.0, 1.0) but was -0.1"),
                Arguments.of(T1_GOOD.replace("\"gamma\": 0.9", "\"gamma\": NaN"), "gamma must be in [0.0, 1.0) but was NaN"),
                Arguments.of(T1_GOOD.replace("[0.4,0.6]", "[0.4,0.55]"), "transitions[1][2] must sum to 1"),
                Arguments.of(T1_GOOD.replace("[0.4,0.6]", "[1.4,-0.4]"), "transitions[1][2][1] is a probability and must be >= 0 but was -0.4"),
                Arguments.of(T1_GOOD.replace("[0.4,0.6]", "[Infinity,0.6]"), "transitions[1][2][0] must be finite but was Infinity"),
                Arguments.of(T1_GOOD.replace("[0.4,0.6]]]", "[0.4,0.6],[0.5,0.5]]]"), "transitions[1] has 4 entries but 3 were expected (actions)"),
                Arguments.of(T1_GOOD.replace("[0.0,1.0,0.2]", "[0.0,NaN,0.2]"), "rewards[1][1] must be finite but was NaN"),
                Arguments.of(T1_GOOD.replace("[0.0,1.0,0.2]", "[0.0,1.0]"), "rewards[1] has 2 entries but 3 were expected (actions)"),
                Arguments.of(T1_GOOD.replace("[0.5,0.5]}", "[0.5,0.6]}"), "initial must sum to 1"),
                Arguments.of(T1_GOOD.replace("\"states\": 2", "\"states\": 2.5"), "field 'states' must be an integer but was 2.5"),
                Arguments.of(T1_GOOD.replace("\"initial\"", "\"referenceMeasure\": [0.5, 0, 0.5], \"initial\""),
                        "referenceMeasure[1] must be positive and finite but was 0.0"),
                Arguments.of("{\"states\": 2,", "not valid JSON"));
    }

    @ParameterizedTest
    @MethodSource("badMdps")
    void invalidMdpFilesExitTwoNamingTheField(String json, String expected) throws Exception {
        Path f = tmp.resolve("bad.mdp.json");
        Files.writeString(f, json);
        Run r = run("solve", "--mdp", f.toString(), "--tau", "0.5");
        assertEquals(Main.EXIT_INVALID, r.status(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertTrue(r.err().contains(f.toString()), "names the file: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    private static final String T6_GOOD = """
            {"states": 3, "actions": 2,
             "transitions": [[[0,0.5,0.3,0.2],[0.2,0,0.6,0.2]],[[0.3,0,0.2,0.5],[0,0.4,0.4,0.2]],[[0.1,0.1,0,0.8],[0.5,0.2,0.1,0.2]]],
             "rewards": [[1,2],[-1,0.5],[3,0]], "start": 0}
            """;

    static Stream<Arguments> badSsps() {
        return Stream.of(
                Arguments.of(T6_GOOD.replace(", \"start\": 0", ""), "missing field 'start'"),
                Arguments.of(T6_GOOD.replace("\"start\": 0", "\"start\": 3"), "start must be in [0, 2] but was 3"),
                Arguments.of(T6_GOOD.replace("[0.1,0.1,0,0.8]", "[0.1,0.1,0.8]"), "transitions[2][0] has 3 entries but 4 were expected"),
                Arguments.of(T6_GOOD.replace("[0.1,0.1,0,0.8]", "[0.1,0.1,0,0.7]"), "transitions[2][0] must sum to 1"),
                Arguments.of(T6_GOOD.replace("[0.1,0.1,0,0.8]", "[0.1,0.1,0,0.8]").replace("\"start\": 0", "\"start\": 0, \"gamma\": 1.5"),
                        "gamma must be in (0, 1] but was 1.5"),
                // State 2 loops to itself under both actions: improper.
                Arguments.of(T6_GOOD.replace("[[0.1,0.1,0,0.8],[0.5,0.2,0.1,0.2]]", "[[0,0,1,0],[0,0,1,0]]"),
                        "improper: the terminal state 3 is unreachable from state 2"));
    }

    @ParameterizedTest
    @MethodSource("badSsps")
    void invalidSspFilesExitTwoNamingTheField(String json, String expected) throws Exception {
        Path f = tmp.resolve("bad.ssp.json");
        Files.writeString(f, json);
        Run r = run("moments", "--ssp", f.toString(), "--policy", TestSupport.env("t6.policy.json").toString());
        assertEquals(Main.EXIT_INVALID, r.status(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
    }

    @Test
    void invalidPolicyRow() throws Exception {
        Path f = tmp.resolve("bad.policy.json");
        Files.writeString(f, "{\"probabilities\": [[0.5,0.5],[0.3,0.6],[1,0]]}");
        Run r = run("moments", "--ssp", TestSupport.env("t6.ssp.json").toString(), "--policy", f.toString());
        assertEquals(Main.EXIT_INVALID, r.status());
        assertTrue(r.err().contains("probabilities[1] must sum to 1"), r.err());
    }
}
