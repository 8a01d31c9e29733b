package org.pgflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md §1–2: only {@code org.pgflow.spark} imports Spark (or Scala); kernels and everything else are plain Java.
 * Reads the main sources, so a new import anywhere else fails here with the file and line.
 */
class LayeringTest {
    private static final Pattern SPARK = Pattern.compile("^\\s*import\\s+(static\\s+)?(org\\.apache\\.spark|scala)\\.");

    @Test
    void onlyTheSparkPackageImportsSparkOrScala() throws IOException {
        Path main = Path.of("src", "main", "java", "org", "pgflow");
        assertTrue(Files.isDirectory(main), "run from the project root: " + Path.of("").toAbsolutePath());
        Path sparkPackage = main.resolve("spark");
        List<String> offending;
        long files;
        try (Stream<Path> all = Files.walk(main)) {
            List<Path> sources = all.filter(p -> p.toString().endsWith(".java")).toList();
            files = sources.size();
            offending = sources.stream().filter(p -> !p.startsWith(sparkPackage))
                    .flatMap(p -> lines(p).stream().filter(l -> SPARK.matcher(l).find()).map(l -> p + ": " + l.strip()))
                    .toList();
        }
        assertTrue(files > 50, "found the sources (" + files + " files)");
        assertEquals(List.of(), offending);
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The repository speaks of the product only: no development-process words and no links to documents a user
     * does not have, in the README, the docs, the sources, the configs, the scripts and the pom.
     */
    @Test
    void theRepositoryHasNoProcessWordsOrOutsideLinks() throws IOException {
        Pattern bad = Pattern.compile(
                "(?i)issu[e] [0-9]|th[e] issue asks|performanc[e] issue\\b|thi[s] sessio[n]|thi[s] roun[d]|fina[l] cod[e]|\\.\\./share[d]|\\bSPE[C]\\.md|DESIG[N]\\.md|TOOLIN[G]\\.md|\\bSTYL[E]\\.md");
        List<String> hits = new java.util.ArrayList<>();
        for (String root : List.of("README.md", "docs", "src", "conf", "submit", "notebooks", "pom.xml", ".ci")) {
            Path r = Path.of(root);
            if (!Files.exists(r)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(r)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String name = f.getFileName().toString();
                    if (!(name.endsWith(".java") || name.endsWith(".md") || name.endsWith(".yaml")
                            || name.endsWith(".xml") || name.endsWith(".py") || name.endsWith(".sh")
                            || name.endsWith(".ipynb") || name.endsWith(".tsv") || !name.contains("."))) {
                        continue;
                    }
                    List<String> lines;
                    try {
                        lines = Files.readAllLines(f, java.nio.charset.StandardCharsets.UTF_8);
                    } catch (java.nio.charset.MalformedInputException binary) {
                        continue; // not text
                    }
                    for (int i = 0; i < lines.size(); i++) {
                        if (bad.matcher(lines.get(i)).find()) {
                            hits.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertTrue(hits.isEmpty(), "process words or outside links:\n" + String.join("\n", hits));
    }
}
