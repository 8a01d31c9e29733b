package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Directory trees in tests: a content hash of every entry (to prove nothing changed), copies. */
final class Trees {
    private Trees() {
    }

    /**
     * Every file and directory under {@code root}: relative path → SHA-256 of its bytes (files) or "dir".
     *
     * @param root a directory
     * @return sorted map
     */
    static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                out.put(rel, Files.isDirectory(p) ? "dir" : sha256(Files.readAllBytes(p)));
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static String sha256(byte[] b) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Copies a directory tree ({@code to} must not exist). */
    static void copy(Path from, Path to) throws IOException {
        EnginesTest.copyTree(from, to);
    }

    /**
     * The lines of a command's stderr that are not progress lines ({@code iter k/K ...}).
     *
     * @param err stderr
     * @return the other lines
     */
    static List<String> messages(String err) {
        return err.lines().filter(l -> !l.startsWith("iter ") && !l.isBlank()).toList();
    }

    /** Asserts exactly one message line on stderr, starting with "pgflow: ", and no stack trace. */
    static String oneLine(CliTest.Run r) {
        List<String> lines = messages(r.err());
        assertEquals(1, lines.size(), "one line on stderr:\n" + r.err());
        assertTrue(lines.get(0).startsWith("pgflow: "), lines.get(0));
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception:")
                && !l.startsWith("pgflow: ")), "no stack trace:\n" + r.err());
        return lines.get(0);
    }
}
