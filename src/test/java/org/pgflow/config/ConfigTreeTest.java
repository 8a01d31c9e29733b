package org.pgflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgflow.TestSupport;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.StrictYaml;

/** Strict reading of YAML configs, {@code --set} overrides and the typed getters' messages. */
class ConfigTreeTest {
    @TempDir
    Path tmp;

    private ConfigTree load(String yaml) throws Exception {
        Path f = tmp.resolve("c.yaml");
        Files.writeString(f, yaml);
        return ConfigTree.load(f);
    }

    private String error(String yaml) throws Exception {
        Path f = tmp.resolve("c.yaml");
        Files.writeString(f, yaml);
        String m = assertThrows(InvalidInputException.class, () -> ConfigTree.load(f)).getMessage();
        assertTrue(m.startsWith("config file " + f), "names the file: " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
        return m;
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), "expected '" + expected + "' in: " + actual);
    }

    // ---- duplicate keys ----

    @Test
    void duplicateTopLevelKeyNamesBothLines() throws Exception {
        assertContains("line 3, column 1: duplicate key 'seed' (first at line 1, column 1)",
                error("seed: 1\niterations: 2\nseed: 2\n"));
    }

    @Test
    void duplicateNestedKeyNamesItsPath() throws Exception {
        assertContains("line 4, column 3: duplicate key 'meanfield.tau' (first at line 3, column 3)",
                error("algorithm: meanfield\nmeanfield:\n  tau: 0.1\n  tau: 0.2\n"));
    }

    @Test
    void sectionTwiceIsADuplicate() throws Exception {
        assertContains("line 3, column 1: duplicate key 'meanfield' (first at line 1, column 1)",
                error("meanfield:\n  tau: 0.1\nmeanfield:\n  sigma: 0.2\n"));
    }

    @Test
    void duplicateInAFlowMappingAndWithQuotes() throws Exception {
        assertContains("duplicate key 'spark.partitions'", error("spark: {partitions: 1, 'partitions': 2}\n"));
    }

    @Test
    void sameKeyInDifferentSectionsIsFine() throws Exception {
        ConfigTree t = load("meanfield:\n  blockSize: 8\nvariance:\n  blockSize: 16\n");
        assertEquals(8, t.getInt("meanfield.blockSize", 1, 1, 100));
        assertEquals(16, t.getInt("variance.blockSize", 1, 1, 100));
    }

    // ---- documents ----

    @Test
    void secondDocumentIsAnError() throws Exception {
        assertContains("line 2, column 1: a second YAML document starts here; only one is allowed",
                error("seed: 1\n---\nseed: 2\n"));
        assertContains("line 2, column 1: a second YAML document", error("seed: 1\n---\n"));
    }

    @Test
    void leadingMarkerAndDocumentEndAreOneDocument() throws Exception {
        assertEquals(3, load("---\nseed: 3\n...\n").getLong("seed", 1, 0, 10));
    }

    @Test
    void emptyFileIsAnEmptyConfig() throws Exception {
        ConfigTree t = load("# nothing yet\n");
        assertEquals(0.5, t.getDouble("meanfield.tau", 0.5, 0, 1));
        t.rejectUnknown();
    }

    @Test
    void topLevelMustBeAMapping() throws Exception {
        assertContains("must be a YAML mapping (key: value lines) at the top level but is a list", error("- a\n- b\n"));
        assertContains("but is the scalar \"x\"", error("x\n"));
    }

    // ---- aliases ----

    @Test
    void aliasesAreResolved() throws Exception {
        ConfigTree t = load("meanfield:\n  tau: &t 0.25\n  sigma: *t\n");
        assertEquals(0.25, t.getDouble("meanfield.sigma", 1, 0, 10));
        assertEquals(0.25, t.getDouble("meanfield.tau", 1, 0, 10));
    }

    @Test
    void aliasOfACollectionIsCopied() throws Exception {
        ConfigTree t = load("a: &grid [1, 2, 3]\nb: *grid\n");
        assertEquals(List.of(1.0, 2.0, 3.0), java.util.Arrays.stream(t.getDoubleList("b")).boxed().toList());
        t.getDoubleList("a");
        t.rejectUnknown();
    }

    @Test
    void resolvedAliasIsValidatedUnderItsOwnKey() throws Exception {
        ConfigTree t = load("meanfield:\n  tau: &t 2000\n  sigma: *t\n");
        assertEquals(2000, t.getDouble("meanfield.tau", 0, 0, 1e6));
        String m = assertThrows(InvalidInputException.class, () -> t.getDouble("meanfield.sigma", 0, 0, 1e3)).getMessage();
        assertEquals("meanfield.sigma must be in [0.0, 1000.0] but was 2000.0", m);
    }

    @Test
    void undefinedAliasHasLineAndColumn() throws Exception {
        assertContains("line 2, column 10: not valid YAML: found undefined alias t", error("meanfield:\n  sigma: *t\n"));
    }

    @Test
    void aliasesOfCollectionsAreBounded() throws Exception {
        StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        String prev = "a";
        for (int i = 0; i < 9; i++) {
            String name = "l" + i;
            y.append(name).append(": &").append(name).append(" [");
            for (int j = 0; j < 10; j++) {
                y.append(j > 0 ? ", " : "").append('*').append(prev);
            }
            y.append("]\n");
            prev = name;
        }
        assertContains("Number of aliases for non-scalar nodes exceeds the specified max="
                + StrictYaml.MAX_ALIASES_FOR_COLLECTIONS, error(y.toString()));
    }

    @Test
    void expandedSizeIsBounded() throws Exception {
        String big = "x, ".repeat(9999) + "x";
        String refs = "*a, ".repeat(10) + "*a";
        assertContains("more than " + StrictYaml.MAX_VALUES + " values after expanding aliases",
                error("a: &a [" + big + "]\nb: [" + refs + "]\n"));
    }

    @Test
    void recursiveAliasIsAnError() throws Exception {
        assertContains("recursive alias at 'a[0]'", error("a: &a [*a]\n"));
    }

    @Test
    void nestingDepthIsBounded() throws Exception {
        int n = StrictYaml.MAX_NESTING_DEPTH + 5;
        assertContains("Nesting Depth exceeded max " + StrictYaml.MAX_NESTING_DEPTH,
                error("a: " + "[".repeat(n) + "]".repeat(n) + "\n"));
    }

    @Test
    void fileSizeIsBounded() throws Exception {
        assertContains("The incoming YAML document exceeds the limit: " + StrictYaml.MAX_CODE_POINTS + " code points",
                error("a: '" + "x".repeat(StrictYaml.MAX_CODE_POINTS) + "'\n"));
    }

    @Test
    void mergeKeysAndCustomTagsAreRejected() throws Exception {
        assertContains("line 3, column 3: merge keys ('<<') are not supported", error("d: &d {tau: 1}\nmeanfield:\n  <<: *d\n"));
        assertContains("line 1, column 6: unsupported YAML tag !expr on 'tau'", error("tau: !expr 1/2\n"));
    }

    // ---- syntax errors carry line and column ----

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                Arguments.of("seed: 1: 2", "line 1, column 8: not valid YAML: mapping values are not allowed here"),
                Arguments.of("a: [1, 2", "line 2, column 1: not valid YAML: expected ',' or ']', but got <stream end> "
                        + "(while parsing a flow sequence started at line 1, column 4)"),
                Arguments.of("a:\n\t- 1", "line 2, column 1: not valid YAML: found character '\\t(TAB)' that cannot start any token"),
                Arguments.of("a: 'x", "line 2, column 1: not valid YAML: found unexpected end of stream "
                        + "(while scanning a quoted scalar started at line 1, column 4)"),
                Arguments.of("a:\n  - b\n  c: d", "line 3, column 3: not valid YAML: expected <block end>, but found '?' "
                        + "(while parsing a block collection started at line 2, column 3)"));
    }

    @ParameterizedTest
    @MethodSource("syntaxErrors")
    void syntaxErrorsHaveLineAndColumn(String yaml, String expected) throws Exception {
        assertContains(expected, error(yaml + "\n"));
    }

    @Test
    void invalidUtf8IsNamed() throws Exception {
        Path f = tmp.resolve("c.yaml");
        Files.write(f, new byte[] {'a', ':', ' ', (byte) 0xe9, '\n'});
        assertContains("cannot be read as UTF-8 text",
                assertThrows(InvalidInputException.class, () -> ConfigTree.load(f)).getMessage());
    }

    // ---- NaN, infinities, huge numbers, strings where numbers belong ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        ".nan|meanfield.tau must be finite but was NaN",
        ".NaN|meanfield.tau must be finite but was NaN",
        "NaN|meanfield.tau must be finite but was NaN",
        ".inf|meanfield.tau must be finite but was Infinity",
        "-.Inf|meanfield.tau must be finite but was -Infinity",
        "1e400|meanfield.tau must be finite but was Infinity",
        "-1e400|meanfield.tau must be finite but was -Infinity",
        "abc|meanfield.tau must be a number in [0.0, 1.0] but was \"abc\"",
        "\"0.5\"|meanfield.tau must be a number in [0.0, 1.0] but was \"0.5\"",
        "[0.5]|meanfield.tau must be a number in [0.0, 1.0] but was [0.5]",
        "2|meanfield.tau must be in [0.0, 1.0] but was 2.0",
    })
    void nonFiniteAndMistypedNumbersNameTheKey(String value, String expected) throws Exception {
        ConfigTree t = load("meanfield:\n  tau: " + value + "\n");
        assertEquals(expected, assertThrows(InvalidInputException.class, () -> t.getDouble("meanfield.tau", 0.5, 0, 1)).getMessage());
    }

    @Test
    void positiveQuantitiesStateTheirRange() throws Exception {
        ConfigTree t = load("meanfield:\n  dt: 0\n  lambdaU: .nan\n  outputScale: x\n");
        assertEquals("meanfield.dt must be in (0, 10.0] but was 0.0",
                assertThrows(InvalidInputException.class, () -> t.getPositive("meanfield.dt", 1, 10)).getMessage());
        assertEquals("meanfield.lambdaU must be finite but was NaN",
                assertThrows(InvalidInputException.class, () -> t.getPositive("meanfield.lambdaU", 1, 10)).getMessage());
        assertEquals("meanfield.outputScale must be a number in (0, 10.0] but was \"x\"",
                assertThrows(InvalidInputException.class, () -> t.getPositive("meanfield.outputScale", 1, 10)).getMessage());
    }

    @Test
    void integersNameKeyAndValue() throws Exception {
        ConfigTree t = load("a: 99999999999999999999999\nb: .nan\nc: 1.5\nd: 1e3\n");
        for (String[] c : new String[][] {{"a", "99999999999999999999999"}, {"b", "NaN"}, {"c", "1.5"}, {"d", "1000.0"}}) {
            assertEquals(c[0] + " must be an integer in [0, 10] but was " + c[1],
                    assertThrows(InvalidInputException.class, () -> t.getLong(c[0], 1, 0, 10)).getMessage());
        }
    }

    @Test
    void yaml11ScalarsAreReadAsBefore() throws Exception {
        ConfigTree t = load("a: 0x10\nb: 1_000\nc: yes\nd: ~\ne: 2020-01-01\nf: '010'\ng: 1.5e-3\n");
        assertEquals(16, t.getLong("a", 0, 0, 100));
        assertEquals(1000, t.getLong("b", 0, 0, 10_000));
        assertTrue(t.getBoolean("c", false));
        assertNull(t.node("d"));
        assertEquals("2020-01-01", t.getString("e", null));
        assertEquals("010", t.getString("f", null));
        assertEquals(1.5e-3, t.getDouble("g", 0, 0, 1));
    }

    // ---- sections and keys ----

    @Test
    void scalarWhereASectionBelongs() throws Exception {
        ConfigTree t = load("meanfield: 3\n");
        assertEquals("meanfield must be a section (keys such as meanfield.tau indented under it) but was 3",
                assertThrows(InvalidInputException.class, () -> t.getDouble("meanfield.tau", 0.5, 0, 1)).getMessage());
    }

    @Test
    void emptySectionIsAllowedButAnUnknownOneIsNot() throws Exception {
        ConfigTree t = load("meanfield:\nspark: {}\nextra:\n");
        t.getDouble("meanfield.tau", 0.5, 0, 1);
        t.getString("spark.master", "local[*]");
        assertEquals("unknown config key 'extra' (see README 'Running an experiment' and conf/*.yaml for the accepted keys)",
                assertThrows(InvalidInputException.class, t::rejectUnknown).getMessage());
    }

    @Test
    void dottedAndEmptyKeysAreRejected() throws Exception {
        assertContains("key 'meanfield.tau' must be a plain name: nest it instead of writing a dotted key (meanfield: {tau: ...})",
                error("meanfield.tau: 3\n"));
        assertContains("key 'variance.' must be a plain name", error("variance:\n  '': 1\n"));
    }

    // ---- --set ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        ".meanfield.tau=1|key path '.meanfield.tau' must be names separated by single dots (e.g. meanfield.tau), without a leading, trailing or doubled dot",
        "meanfield.tau.=1|key path 'meanfield.tau.' must be names separated by single dots",
        "meanfield..tau=1|key path 'meanfield..tau' must be names separated by single dots",
        "' .tau=1'|key path '.tau' must be names separated by single dots",
        "=1|--set expects key.path=value but got '=1'",
        "meanfield.tau|--set expects key.path=value but got 'meanfield.tau'",
        "meanfield.tau=[1,|--set meanfield.tau value '[1,', line 1, column 4: not valid YAML",
        "meanfield.tau=*t|--set meanfield.tau value '*t', line 1, column 1: not valid YAML: found undefined alias t",
        "meanfield.tau.x=1|key path 'meanfield.tau.x' goes through meanfield.tau, which is not a section but the value 0.5",
    })
    void malformedOverrides(String assignment, String expected) throws Exception {
        ConfigTree t = load("meanfield:\n  tau: 0.5\n");
        assertContains(expected, assertThrows(InvalidInputException.class, () -> t.set(assignment)).getMessage());
    }

    @Test
    void overridesReadYamlValues() throws Exception {
        ConfigTree t = load("meanfield:\n  tau: 0.5\n");
        t.set("meanfield.sigma=.nan");
        assertEquals("meanfield.sigma must be finite but was NaN",
                assertThrows(InvalidInputException.class, () -> t.getDouble("meanfield.sigma", 0.3, 0, 1)).getMessage());
        t.set("spark.master=spark://host:7077");
        assertEquals("spark://host:7077", t.getString("spark.master", null));
        t.set("grid=[1, 2]");
        assertEquals(2, t.getDoubleList("grid").length);
        t.set("meanfield.tau=0.25");
        assertEquals(0.25, t.getDouble("meanfield.tau", 0, 0, 1));
    }

    @Test
    void overrideOfASectionWithAScalarIsCaughtOnRead() throws Exception {
        ConfigTree t = load("meanfield:\n  tau: 0.5\n");
        t.set("meanfield=3");
        assertContains("meanfield must be a section", assertThrows(InvalidInputException.class,
                () -> t.getDouble("meanfield.tau", 0, 0, 1)).getMessage());
    }

    @Test
    void readValueRejectsASecondDocument() {
        assertContains("a second YAML document starts here",
                assertThrows(InvalidInputException.class, () -> StrictYaml.readValue("1\n---\n2", "--set a value")).getMessage());
        JsonNode n = StrictYaml.readValue("{a: 1}", "--set b value");
        assertEquals(1, n.get("a").intValue());
    }

    // ---- names (RunConfig) ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"../../x|../../x", "a/b|a/b", ".hidden|.hidden", "\"my run\"|my run",
        "\"\"|", "\"..\"|..", "\"a\\nb\"|a\\nb"})
    void runNamesArePlainFileNames(String name, String shown) throws Exception {
        ConfigTree t = load("name: " + name + "\nalgorithm: variance\nenvironment:\n  type: risky-chain\n");
        assertEquals("name must be a plain file name (letters, digits and . _ - + =, not starting with '.', at most 100 "
                + "characters) but was '" + (shown == null ? "" : shown) + "'",
                assertThrows(InvalidInputException.class, () -> RunConfig.from(t, null)).getMessage());
    }

    @Test
    void validNamesIncludeStudyCellNames() throws Exception {
        for (String name : List.of("t1-meanfield", "portfolio-frontier-lambda=0.5_seed=1", "a+b", "x".repeat(100))) {
            ConfigTree t = ConfigTree.of(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
            t.set("name", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(name));
            t.set("algorithm=variance");
            t.set("environment.type=risky-chain");
            assertEquals(name, RunConfig.from(t, null).name());
        }
    }

    @Test
    void plainNameFromAnyText() {
        assertEquals("my-run", org.pgflow.util.Checks.plainNameFrom("my run"));
        assertEquals("hidden", org.pgflow.util.Checks.plainNameFrom("..hidden"));
        assertEquals("run", org.pgflow.util.Checks.plainNameFrom(""));
        assertEquals("on", org.pgflow.util.Checks.plainNameFrom("on"));
        assertEquals(100, org.pgflow.util.Checks.plainNameFrom("y".repeat(300)).length());
        for (String s : List.of("a/b", "../../x", "résumé", "t1-meanfield", "a\nb")) {
            String n = org.pgflow.util.Checks.plainNameFrom(s);
            assertEquals(n, org.pgflow.util.Checks.plainName("name", n));
        }
    }

    @Test
    void sparkMasterHasTheFormOfAUrl() {
        for (String ok : List.of("local", "local[*]", "local[4]", "local[2,3]", "local-cluster[2,1,1024]", "yarn",
                "spark://127.0.0.1:7077", "k8s://https://host:443")) {
            assertEquals(ok, RunConfig.checkMaster("--master", ok));
        }
        for (String bad : List.of("", "bogus", "local[0]", "local[x]", "local[ 2]", "spark:/host")) {
            assertContains("--master must be a Spark master URL", assertThrows(InvalidInputException.class,
                    () -> RunConfig.checkMaster("--master", bad)).getMessage());
        }
    }

    /** Every shipped config and study definition still reads under the strict rules. */
    @Test
    void shippedYamlFilesAreStrictlyValid() throws Exception {
        for (String dir : List.of("conf", "conf/studies", "notebooks/studies")) {
            try (var files = Files.list(TestSupport.ROOT.resolve(dir))) {
                for (Path y : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    assertFalse(StrictYaml.readMapping(y, "file").isEmpty(), y.toString());
                }
            }
        }
    }
}
