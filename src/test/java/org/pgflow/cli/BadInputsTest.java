package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgflow.TestSupport;

/**
 * The corpus of malformed inputs in {@code src/test/resources/bad-inputs/} (index: {@code cases.tsv}), each run
 * in-process through {@link Main#execute}: exit status 2, exactly one line on stderr that names the field
 * (and the index and value where they apply), nothing on stdout, and nothing written — neither the {@code --out}
 * path, nor a {@code runs/} entry, nor a file next to the inputs. Every case is rejected before a Spark
 * session starts, so the whole corpus takes seconds.
 *
 * <p>{@code cases.tsv} columns (tab-separated; {@code #} starts a comment line): id, kind ({@code run},
 * {@code run-set}, {@code solve}, {@code moments}, {@code study}), input files (comma-separated, relative to
 * the corpus; {@code ${ENVS}/} is {@code conf/envs/}), extra arguments (space-separated, {@code '...'} groups,
 * {@code -} for none), expected exit status, a substring of the message, and optionally {@code pending: why}
 * for a case whose fix is outside the config and model-file readers (skipped until then). The inputs are
 * copied to a temporary directory with {@code ${ENVS}} and {@code ${DIR}} (the copy) substituted.
 */
class BadInputsTest {
    static final Path CORPUS = TestSupport.ROOT.resolve("src/test/resources/bad-inputs");
    static final Set<String> KINDS = Set.of("run", "run-set", "solve", "moments", "study");

    @TempDir
    static Path copy;

    @TempDir
    Path outputs;

    /** One line of cases.tsv. */
    record Case(String id, String kind, List<String> inputs, List<String> args, int exit, String expect, String pending) {
        @Override
        public String toString() {
            return id;
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(CORPUS.resolve("cases.tsv"), StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length < 6 || f.length > 7) {
                    throw new IllegalStateException("cases.tsv: 6 or 7 tab-separated columns expected: " + line);
                }
                out.add(new Case(f[0], f[1], List.of(f[2].split(",")), f[3].equals("-") ? List.of() : tokens(f[3]),
                        Integer.parseInt(f[4]), f[5], f.length == 7 ? f[6] : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Splits on spaces; single quotes group (and are removed). */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : s.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any || b.length() > 0) {
                    out.add(b.toString());
                }
                b.setLength(0);
                any = false;
            } else {
                b.append(c);
            }
        }
        if (any || b.length() > 0) {
            out.add(b.toString());
        }
        return out;
    }

    @BeforeAll
    static void copyCorpus() throws IOException {
        String envs = TestSupport.ROOT.resolve("conf/envs").toString();
        try (Stream<Path> files = Files.walk(CORPUS)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = copy.resolve(CORPUS.relativize(f).toString());
                Files.createDirectories(to.getParent());
                byte[] bytes = Files.readAllBytes(f);
                String text = new String(bytes, StandardCharsets.UTF_8);
                if (text.contains("${")) {
                    Files.writeString(to, text.replace("${ENVS}", envs).replace("${DIR}", copy.toString()));
                } else {
                    Files.write(to, bytes); // byte for byte: some cases are not valid UTF-8
                }
            }
        }
    }

    private static Path input(String name) {
        return name.startsWith("${ENVS}/") ? TestSupport.env(name.substring("${ENVS}/".length())) : copy.resolve(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectedWithOneLineAndNothingWritten(Case c) throws IOException {
        Assumptions.assumeTrue(c.pending().isEmpty(), c.pending());
        Path out = outputs.resolve(c.id() + (c.kind().equals("solve") || c.kind().equals("moments") ? "-out.json" : "-run"));
        List<String> args = new ArrayList<>();
        switch (c.kind()) {
            case "run", "run-set" -> args.addAll(List.of("run", input(c.inputs().get(0)).toString()));
            case "study" -> args.addAll(List.of("study", input(c.inputs().get(0)).toString()));
            case "solve" -> args.addAll(List.of("solve", "--mdp", input(c.inputs().get(0)).toString()));
            case "moments" -> args.addAll(List.of("moments", "--ssp", input(c.inputs().get(0)).toString(),
                    "--policy", input(c.inputs().get(1)).toString()));
            default -> throw new IllegalStateException(c.id() + ": unknown kind " + c.kind());
        }
        args.addAll(c.args());
        args.addAll(List.of("--out", out.toString()));
        Set<String> runsBefore = listing(Path.of("runs"));
        Set<String> copyBefore = listing(copy);

        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int status = Main.execute(new PrintWriter(stdout, true), new PrintWriter(stderr, true), args.toArray(String[]::new));

        String err = stderr.toString();
        String context = c.id() + " (" + String.join(" ", args) + "): " + err;
        assertEquals(c.exit(), status, context);
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "exactly one line on stderr: " + context);
        assertTrue(lines.get(0).contains(c.expect()), "expected '" + c.expect() + "' in: " + context);
        assertFalse(lines.get(0).contains("Exception"), "no exception class names: " + context);
        assertFalse(lines.get(0).contains("DESIGN") || lines.get(0).contains("SPEC"), "README sections only: " + context);
        assertEquals("", stdout.toString(), context);
        assertFalse(Files.exists(out), "nothing written at --out: " + context);
        assertEquals(runsBefore, listing(Path.of("runs")), "no runs/ entry: " + context);
        assertEquals(copyBefore, listing(copy), "nothing written next to the inputs: " + context);
    }

    private static Set<String> listing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(Path::toString).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The index and the files agree: every case well-formed, every input present, every corpus file used. */
    @Test
    void indexIsConsistent() throws IOException {
        List<Case> all = cases();
        assertTrue(all.size() >= 150, "at least 150 cases, has " + all.size());
        Set<String> ids = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        for (Case c : all) {
            assertTrue(ids.add(c.id()), "duplicate case id " + c.id());
            assertTrue(KINDS.contains(c.kind()), c.id() + ": kind " + c.kind());
            assertTrue(c.exit() == Main.EXIT_INVALID || c.exit() == Main.EXIT_FAILURE, c.id() + ": exit " + c.exit());
            assertFalse(c.expect().isBlank(), c.id() + ": expected substring");
            assertEquals(c.kind().equals("moments") ? 2 : 1, c.inputs().size(), c.id() + ": inputs");
            for (String in : c.inputs()) {
                if (!in.startsWith("${ENVS}/")) {
                    assertTrue(Files.isRegularFile(CORPUS.resolve(in)), c.id() + ": input " + in + " exists");
                    used.add(in);
                }
            }
        }
        try (Stream<Path> files = Files.walk(CORPUS)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = CORPUS.relativize(f).toString();
                if (!rel.equals("cases.tsv") && !rel.startsWith("good/") && !rel.startsWith("study/base/")) {
                    assertTrue(used.contains(rel), rel + " is used by a case");
                }
            }
        }
    }
}
