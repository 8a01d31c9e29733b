package org.pgflow.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.pgflow.util.InvalidInputException;
import org.pgflow.util.JsonFields;

/**
 * Whole-file writes that are atomic: the content goes to a temporary file in the same directory, which is then
 * renamed over the target, so a reader never sees a half-written file. A target that is a directory, or whose
 * parent path runs through a regular file, is refused as invalid input ({@link InvalidInputException}, exit 2:
 * e.g. {@code solve --out} naming a directory); any other failure (permissions, a full disk) is an
 * {@link UncheckedIOException} whose message names the file and the operating system's reason.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes {@code text} to {@code target} atomically, creating parent directories. */
    public static void writeString(Path target, String text) {
        if (Files.isDirectory(target)) {
            throw new InvalidInputException("cannot write " + target + ": it is a directory, not a file");
        }
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw new InvalidInputException("cannot write " + target + ": " + e.getFile() + " is not a directory");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + reason(e), e);
        }
        try {
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
            throw new UncheckedIOException("cannot write " + target + ": " + reason(e), e);
        }
    }

    /**
     * The operating system's reason of an I/O failure in a few words, e.g. "permission denied (/a/b)" or
     * "No space left on device".
     *
     * @param e the failure
     * @return its reason, one line
     */
    public static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied (" + a.getFile() + ")";
        }
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file or directory (" + n.getFile() + ")";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason() + (f.getFile() != null ? " (" + f.getFile() + ")" : "");
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
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
