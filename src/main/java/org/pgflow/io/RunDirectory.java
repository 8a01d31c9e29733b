package org.pgflow.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.pgflow.train.MetricsSchema;
import org.pgflow.util.InvalidInputException;

/**
 * A run directory (docs/architecture.md §7.3): {@code run.json} (manifest and status), {@code metrics.csv},
 * {@code policy.json}, {@code particles/}, {@code checkpoint/}, {@code plots/}. Always a fresh directory.
 * {@code run.json} is rewritten atomically on every status change, so it always says {@code running},
 * {@code completed} or {@code failed} and never looks complete when the run was not. A failed run's stack trace
 * goes to {@code error.log}. The directory is claimed atomically when created ({@value #LOCK_FILE}) and locked
 * ({@link #lock}) while a process runs in it.
 */
public final class RunDirectory {
    private final Path dir;
    private RunManifest manifest;

    private RunDirectory(Path dir, RunManifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /** The file that claims a run (or study) directory; {@link #lock} holds an operating-system lock on it. */
    public static final String LOCK_FILE = ".pgflow-lock";

    /** The file a failed run's stack trace is appended to ({@link #failed}). */
    public static final String ERROR_LOG = "error.log";

    /**
     * Creates the directory (which must not exist, or be empty) and writes {@code run.json} with status
     * {@code running}. The directory is claimed atomically: its lock file {@value #LOCK_FILE} is created with
     * {@code CREATE_NEW}, so of two runs started on the same directory exactly one gets it and the other is
     * refused before it has written anything.
     *
     * @param dir      the directory
     * @param manifest the manifest of the run ({@link RunManifest#start}); written with status {@code running}
     * @return the run directory
     * @throws InvalidInputException if the directory exists and is not empty, is claimed by another run, or
     *                               cannot be created (a regular file in its path, no permission, ...)
     */
    public static RunDirectory create(Path dir, RunManifest manifest) {
        claim(dir);
        RunDirectory rd = new RunDirectory(dir, manifest.withStatus(RunManifest.Status.RUNNING));
        rd.writeManifest();
        return rd;
    }

    /**
     * Checks, without creating anything, that {@code dir} could become a run directory: it does not exist (and
     * no regular file lies on its path) or is an empty directory. {@link #create} checks again, atomically.
     *
     * @param dir the directory
     * @throws InvalidInputException otherwise
     */
    public static void checkUsable(Path dir) {
        Path p = dir.toAbsolutePath();
        if (Files.exists(p)) {
            requireEmptyDirectory(dir, null);
            return;
        }
        for (Path q = p.getParent(); q != null; q = q.getParent()) {
            if (Files.exists(q)) {
                if (!Files.isDirectory(q)) {
                    throw new InvalidInputException("--out " + dir + " cannot be created: " + q + " is not a directory");
                }
                return;
            }
        }
    }

    /** Creates {@code dir} if needed and claims it through its lock file (CREATE_NEW); it must hold nothing else. */
    private static void claim(Path dir) {
        requireEmptyDirectory(dir, null);
        Path lock = dir.resolve(LOCK_FILE);
        try {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException exists) {
                // created meanwhile by another run, or empty beforehand: the lock file decides
            }
            Files.createFile(lock);
        } catch (FileAlreadyExistsException e) {
            if (lock.equals(Path.of(e.getFile()))) {
                throw new InvalidInputException("--out " + dir + " is already used by another run (" + lock + " exists)");
            }
            throw new InvalidInputException("--out " + dir + " cannot be created: " + e.getFile() + " is not a directory");
        } catch (NotDirectoryException e) {
            throw new InvalidInputException("--out " + dir + " cannot be created: " + e.getFile() + " is not a directory");
        } catch (IOException e) {
            throw new InvalidInputException("--out " + dir + " cannot be created: " + AtomicFiles.reason(e));
        }
        try {
            requireEmptyDirectory(dir, LOCK_FILE);
        } catch (InvalidInputException e) {
            try {
                Files.deleteIfExists(lock);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** @throws InvalidInputException if {@code dir} exists and is not a directory holding nothing but {@code except} */
    private static void requireEmptyDirectory(Path dir, String except) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("--out " + dir + " exists and is not a directory");
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<String> entries = s.map(f -> f.getFileName().toString()).filter(n -> !n.equals(except)).toList();
            if (entries.equals(List.of(LOCK_FILE))) { // claimed by a run that has not written run.json yet
                throw new InvalidInputException("--out " + dir + " is already used by another run ("
                        + dir.resolve(LOCK_FILE) + " exists)");
            }
            if (!entries.isEmpty()) {
                throw new InvalidInputException("--out " + dir + " already exists and is not empty: runs are written "
                        + "to a fresh directory");
            }
        } catch (IOException e) {
            throw new InvalidInputException("--out " + dir + " cannot be read: " + AtomicFiles.reason(e));
        }
    }

    /**
     * An operating-system lock on a run (or study) directory, held by this process while it writes there; a kill
     * releases it. Released by {@link #close}.
     */
    public static final class Lock implements AutoCloseable {
        private final java.nio.channels.FileChannel channel;
        private final java.nio.channels.FileLock lock;

        private Lock(java.nio.channels.FileChannel channel, java.nio.channels.FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                if (lock != null) {
                    lock.release();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // the lock goes with the channel, and the channel with the process
            }
        }
    }

    /**
     * Locks {@code dir} for this process (its {@value #LOCK_FILE}, created when missing): a resume, or a study,
     * started while another pgflow process works in the directory is refused before it changes anything. On a
     * file system without locks the directory is used unlocked.
     *
     * @param dir  the directory (must exist)
     * @param what how to name it in the message, e.g. {@code "--resume"}
     * @return the lock, to be closed when done
     * @throws InvalidInputException when another process (or another run in this JVM) holds it
     */
    public static Lock lock(Path dir, String what) {
        Path f = dir.resolve(LOCK_FILE);
        java.nio.channels.FileChannel ch;
        try {
            ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new InvalidInputException(what + " " + dir + ": cannot open " + f + " (" + AtomicFiles.reason(e) + ")");
        }
        java.nio.channels.FileLock l;
        try {
            l = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException held) {
            l = null;
        } catch (IOException unsupported) {
            return new Lock(ch, null);
        }
        if (l == null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing was locked
            }
            throw new InvalidInputException(what + " " + dir + " is in use by another pgflow run (" + f + " is locked)");
        }
        return new Lock(ch, l);
    }

    /**
     * Reopens the directory of a run to resume it: status back to {@code running}, the resume recorded.
     *
     * @param dir       the run directory
     * @param iteration the checkpoint iteration the run resumes from
     * @return the run directory
     * @throws InvalidInputException if there is no run.json or the run already completed
     */
    public static RunDirectory reopen(Path dir, long iteration) {
        RunManifest m = readForResume(dir);
        if (m.status() == RunManifest.Status.COMPLETED) {
            throw new InvalidInputException("--resume " + dir + ": the run has already completed");
        }
        RunDirectory rd = new RunDirectory(dir, m.resumed(iteration));
        rd.writeManifest();
        return rd;
    }

    /**
     * Reads the manifest of a run directory that is to be resumed.
     *
     * @param dir the run directory
     * @return its manifest
     * @throws InvalidInputException when there is no readable run.json, it is not a run manifest or has no config
     */
    public static RunManifest readForResume(Path dir) {
        RunManifest m;
        try {
            m = RunManifest.read(dir);
        } catch (IOException e) {
            throw new InvalidInputException("--resume " + dir + ": not a run directory (no readable run.json)");
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--resume " + dir + ": unreadable run.json: " + e.getMessage());
        }
        if (m.config() == null) {
            throw new InvalidInputException("--resume " + dir + ": run.json has no config");
        }
        return m;
    }

    /** @return the directory */
    public Path path() {
        return dir;
    }

    /** @return the manifest as it stands (with what the job recorded so far) */
    public synchronized RunManifest current() {
        return manifest;
    }

    /** Records the engine the run executes on (written on the next status change). */
    public synchronized void setExecution(RunManifest.Execution execution) {
        manifest = manifest.withExecution(execution);
    }

    /** Records facts about the problem (added to those recorded before; written on the next status change). */
    public synchronized void setProblem(RunManifest.Problem problem) {
        manifest = manifest.withProblem(problem.orElse(manifest.problem()));
    }

    /** Records the final block (written when the run is marked completed). */
    public synchronized void setFinal(RunManifest.Final fin) {
        manifest = manifest.withFinal(fin);
    }

    /** Opens {@code metrics.csv} of a run family. */
    public MetricsCsv metrics(MetricsSchema schema) {
        return new MetricsCsv(dir.resolve("metrics.csv"), schema);
    }

    /** Reopens {@code metrics.csv} of a resumed run, keeping the first {@code rows} data rows. */
    public MetricsCsv metricsContinued(MetricsSchema schema, long rows) {
        return MetricsCsv.continueAt(dir.resolve("metrics.csv"), schema, rows);
    }

    /** @return {@code particles/} (not created) */
    public Path particles() {
        return dir.resolve("particles");
    }

    /** Writes {@code policy.json} atomically. */
    public void writePolicy(ObjectNode policy) {
        AtomicFiles.writeJson(dir.resolve("policy.json"), policy);
    }

    /** Marks the run interrupted (Ctrl-C, SIGTERM): resumable from its last checkpoint. */
    public synchronized void interrupted() {
        if (manifest.status() == RunManifest.Status.RUNNING) {
            manifest = manifest.ended(RunManifest.Status.INTERRUPTED);
            writeManifest();
        }
    }

    /** @return whether the run was marked interrupted (by a signal) */
    public synchronized boolean wasInterrupted() {
        return manifest.status() == RunManifest.Status.INTERRUPTED;
    }

    /** @return whether the run is still marked running */
    public synchronized boolean running() {
        return manifest.status() == RunManifest.Status.RUNNING;
    }

    /** Marks the run completed. */
    public synchronized void completed() {
        manifest = manifest.ended(RunManifest.Status.COMPLETED);
        writeManifest();
    }

    /**
     * Marks the run failed with the error (and, for divergence, the iteration and the quantity) in
     * {@code run.json}, and appends the full stack trace to {@value #ERROR_LOG}. Never throws: what cannot be
     * written is added to {@code error} as suppressed.
     *
     * @param error what stopped the run
     * @return the error log, or null when it could not be written (or the run was interrupted, not failed)
     */
    public synchronized Path failed(Throwable error) {
        if (manifest.status() == RunManifest.Status.INTERRUPTED) {
            return null; // a job aborted by the JVM's shutdown: the run was interrupted, not broken
        }
        Path log = dir.resolve(ERROR_LOG);
        try {
            java.io.StringWriter trace = new java.io.StringWriter();
            try (java.io.PrintWriter w = new java.io.PrintWriter(trace)) {
                w.println("pgflow run failed at " + Instant.now());
                error.printStackTrace(w);
                w.println();
            }
            Files.writeString(log, trace.toString(), java.nio.charset.StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            error.addSuppressed(e);
            log = null;
        }
        manifest = manifest.failed(RunManifest.Failure.of(error, log != null ? ERROR_LOG : null));
        try {
            writeManifest();
        } catch (RuntimeException w) {
            error.addSuppressed(w);
        }
        return log;
    }

    /** The one place run.json is written. */
    private void writeManifest() {
        manifest.write(dir);
    }
}
