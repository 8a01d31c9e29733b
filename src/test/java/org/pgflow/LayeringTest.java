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
 * DESIGN §3: only {@code org.pgflow.spark} imports Spark (or Scala); kernels and everything else are plain Java.
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
}
