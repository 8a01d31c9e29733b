package org.pgflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The launcher's class-data archive (docs/performance.md, start-up): only a {@code run} or {@code study} records
 * one; it is recorded again when a jar of the class path changes (the JVM silently ignores an archive whose jars
 * differ in size or modification time from when it was recorded); the archive a command maps is valid,
 * which {@code -Xshare:on} turns from a silent fallback into an error; and it is a static archive.
 */
class LauncherIT {
    private static final Path LAUNCH = Pgflow.ROOT.resolve("target/launch");

    @Test
    void archiveIsRecordedByARunAndRecordedAgainWhenAJarChanges() throws Exception {
        Path stem = launchJarStem();
        Set<String> before = archives(stem);
        assertEquals(0, launch(List.of("--help"), null), "--help");
        assertEquals(before, archives(stem), "--help records no archive");

        assertEquals(0, tinyRun("launcher-run-1"), "run");
        Set<String> afterRun = archives(stem);
        assertFalse(afterRun.isEmpty(), "a run records an archive when none matches: " + afterRun);

        Path jar = LAUNCH.resolve(stem + ".jar");
        FileTime old = Files.getLastModifiedTime(jar);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(old.toMillis() + 3_600_000L));
        assertEquals(0, tinyRun("launcher-run-2"), "run after the launch jar changed");
        Set<String> afterTouch = archives(stem);
        Set<String> added = new TreeSet<>(afterTouch);
        added.removeAll(afterRun);
        assertEquals(1, added.size(), "one new archive for the changed jar: " + afterRun + " -> " + afterTouch);

        assertEquals(0, launch(List.of("--version"), "-Xshare:on"),
                "the archive the launcher maps is valid (-Xshare:on fails on an archive it cannot use)");

        for (String name : afterTouch) {
            assertEquals(STATIC_ARCHIVE_MAGIC, magic(LAUNCH.resolve(name)), name + " is a static archive, dumped from "
                    + "a class list by a JVM that ran no pgflow code (an archive recorded at a run's exit keeps the "
                    + "methods the JIT had queued then from ever being compiled)");
        }
    }

    /** The header magic of a static CDS archive ({@code CDS_ARCHIVE_MAGIC}); a dynamic one has 0xf00baba8. */
    private static final int STATIC_ARCHIVE_MAGIC = 0xf00baba2;

    private static int magic(Path archive) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(archive)) {
            assertEquals(4, in.readNBytes(head, 0, 4), "archive header of " + archive);
        }
        return ByteBuffer.wrap(head).order(ByteOrder.nativeOrder()).getInt();
    }

    private static int tinyRun(String label) throws Exception {
        Path dir = Pgflow.RUNS.resolve(label);
        Pgflow.deleteTree(dir);
        return launch(List.of("run", "conf/t1-meanfield.yaml", "--set", "iterations=5", "--set",
                "meanfield.knnEvery=0", "--out", dir.toString()), null);
    }

    private static int launch(List<String> args, String javaOpts) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Pgflow.ROOT.resolve("submit/pgflow").toString());
        cmd.addAll(args);
        Files.createDirectories(Pgflow.RUNS);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Pgflow.ROOT.toFile())
                .redirectOutput(Pgflow.RUNS.resolve("launcher.stdout").toFile())
                .redirectError(Pgflow.RUNS.resolve("launcher.stderr").toFile());
        pb.environment().remove("PGFLOW_CDS");
        pb.environment().remove("PGFLOW_JAVA_OPTS");
        if (javaOpts != null) {
            pb.environment().put("PGFLOW_JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        assertTrue(p.waitFor(Pgflow.RUN_TIMEOUT_S, TimeUnit.SECONDS), "timed out: " + cmd);
        if (p.exitValue() != 0) {
            System.out.println("[it] " + cmd + " exited " + p.exitValue() + ":\n"
                    + Files.readString(Pgflow.RUNS.resolve("launcher.stderr")));
        }
        return p.exitValue();
    }

    /** The launcher's copy of target/pgflow.jar, named by its content (as submit/pgflow names it), without ".jar". */
    private static Path launchJarStem() throws Exception {
        Path jar = Pgflow.ROOT.resolve("target/pgflow.jar");
        assertTrue(Files.exists(jar), "target/pgflow.jar is built before the integration tests");
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(jar));
        return Path.of("pgflow-" + HexFormat.of().formatHex(sha1).substring(0, 16));
    }

    private static Set<String> archives(Path stem) throws IOException {
        if (!Files.isDirectory(LAUNCH)) {
            return new TreeSet<>();
        }
        try (Stream<Path> s = Files.list(LAUNCH)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(stem + "-") && n.endsWith(".jsa"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
