package org.pgflow.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.pgflow.util.JsonFields;

/**
 * Whole-file writes that are atomic: the content goes to a temporary file in the same directory, which is then
 * renamed over the target, so a reader never sees a half-written file.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes {@code text} to {@code target} atomically, creating parent directories. */
    public static void writeString(Path target, String text) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try { // temp files are created owner-only; results are ordinary readable files
                    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException notPosix) {
                    // keep the default permissions
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code node} as pretty-printed JSON (with a final newline) atomically. */
    public static void writeJson(Path target, JsonNode node) {
        writeString(target, toPrettyJson(node));
    }

    /** @return pretty-printed JSON with a trailing newline */
    public static String toPrettyJson(JsonNode node) {
        try {
            return JsonFields.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes a file or directory tree if it exists (deepest entries first).
     *
     * @param path the file or directory
     * @throws UncheckedIOException if it cannot be walked
     */
    public static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(path)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
