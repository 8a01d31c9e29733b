package org.pgflow.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.pgflow.config.ConfigTree;
import org.pgflow.io.AtomicFiles;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.util.JsonFields;

/**
 * One study cell as a self-contained task: the cell's resolved config in, its whole run directory out (as zip
 * bytes). A study on a cluster runs small cells this way, one cell per Spark task with the whole loop inside the
 * task on the in-JVM engine; the driver unpacks each result into the study's {@code cells/} and writes the
 * reports. The loop is the one {@code pgflow run} executes, so a cell's metrics are the same bits as the same
 * config run alone.
 */
public final class CellRunner {
    private CellRunner() {
    }

    /**
     * What a task needs to run one cell.
     *
     * @param id         cell id (its directory name)
     * @param config     the cell's resolved config as JSON
     * @param configFile the config file it came from (recorded in run.json)
     * @param master     the study's master (recorded in run.json)
     * @param threads    worker threads for the cell
     */
    public record Task(String id, String config, String configFile, String master, int threads) implements Serializable {
        /** @return the task as one JSON string (what travels to the executors) */
        public String toJson() {
            ObjectNode o = JsonFields.MAPPER.createObjectNode();
            o.put("id", id);
            o.put("config", config);
            o.put("configFile", configFile);
            o.put("master", master);
            o.put("threads", threads);
            return o.toString();
        }

        /** @return the task of {@link #toJson} */
        public static Task fromJson(String json) {
            try {
                com.fasterxml.jackson.databind.JsonNode o = JsonFields.MAPPER.readTree(json);
                return new Task(o.get("id").asText(), o.get("config").asText(), o.get("configFile").asText(),
                        o.get("master").asText(), o.get("threads").asInt());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Runs a cell in a fresh temporary directory and returns that run directory zipped. A cell that fails
     * returns its directory too (status failed, with the error).
     *
     * @param task the cell
     * @return the zipped run directory
     */
    public static byte[] runZipped(Task task) {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("pgflow-cell-");
            Path dir = tmp.resolve(task.id());
            ObjectNode cfg = (ObjectNode) JsonFields.MAPPER.readTree(task.config());
            Launcher.Prepared p = Launcher.prepare(ConfigTree.of(cfg), Path.of(task.configFile()));
            try (LocalEngine engine = new LocalEngine(task.threads(), task.master())) {
                RunDirectory run = Launcher.createDirectory(p, dir, engine);
                PrintWriter quiet = new PrintWriter(new StringWriter());
                try {
                    Launcher.execute(p, engine, run, quiet, new Progress(quiet, false, 1e9, "-"), null, false);
                } catch (RuntimeException | Error e) {
                    // the directory records the failure
                }
            }
            return zip(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cell " + task.id() + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                AtomicFiles.deleteTree(tmp);
            }
        }
    }

    /** Zips a directory tree (paths relative to it). */
    static byte[] zip(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (Files.isRegularFile(f)) {
                    z.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, z);
                    z.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Unpacks a zipped run directory into {@code dir} (which must not exist).
     *
     * @param zip the bytes of {@link #runZipped}
     * @param dir target directory
     */
    public static void unzip(byte[] zip, Path dir) {
        try (ZipInputStream z = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            Files.createDirectories(dir);
            Path root = dir.toAbsolutePath().normalize();
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                Path f = root.resolve(e.getName()).normalize();
                if (!f.startsWith(root)) {
                    throw new IOException("zip entry outside the cell directory: " + e.getName());
                }
                Files.createDirectories(f.getParent());
                copy(z, f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the cell into " + dir, e);
        }
    }

    private static void copy(InputStream in, Path f) throws IOException {
        Files.write(f, in.readAllBytes());
    }
}
