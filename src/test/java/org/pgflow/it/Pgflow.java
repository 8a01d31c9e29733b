package org.pgflow.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@code submit/pgflow run ...} as a subprocess (the way users run it) with a timeout, and keeps the
 * results of runs that several tests compare against (one JVM runs every IT class, so a baseline computed by
 * one class is reused by the others).
 */
final class Pgflow {
    /** Project root: failsafe runs with the module directory as working directory. */
    static final Path ROOT = Path.of("").toAbsolutePath();
    /** Where the ITs put their run directories and the launcher's output. */
    static final Path RUNS = ROOT.resolve("target/it-runs");
    /** Every run is killed (with its process tree) after this long. */
    static final long RUN_TIMEOUT_S = 240;

    private static final Map<String, Result> CACHE = new ConcurrentHashMap<>();
    private static final List<String> TIMINGS = new ArrayList<>();

    private Pgflow() {
    }

    /** What to run: a config, overrides, a master, extra JVM options for the driver. */
    record Spec(String label, String config, List<String> sets, String master, String javaOpts) {
        Spec withSet(String kv) {
            List<String> more = new java.util.ArrayList<>(sets);
            more.add(kv);
            return new Spec(label, config, List.copyOf(more), master, javaOpts);
        }

        Spec withLabel(String l) {
            return new Spec(l, config, sets, master, javaOpts);
        }

        Spec withMaster(String m) {
            return new Spec(label, config, sets, m, javaOpts);
        }

        Spec withJavaOpts(String o) {
            return new Spec(label, config, sets, master, o);
        }

        /** Identity of the computation (what must give identical results), without the label. */
        String key() {
            return config + " " + sets + " @" + master + " " + javaOpts;
        }
    }

    /** A finished (or timed-out) run. */
    record Result(Spec spec, Path dir, int exit, String stdout, String stderr, double wallSeconds, boolean rebuilt) {
        /** A one-line description for assertion messages. */
        String describe() {
            return spec.label() + " (" + spec.master() + ", exit " + exit + ", " + dir + ")";
        }

        /** Fails with the launcher's output unless the run exited with 0. */
        Result assertOk() {
            if (exit != 0) {
                fail(describe() + " failed.\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + tail(stderr, 6000));
            }
            return this;
        }
    }

    /** A run that is still going (see {@link #start}). */
    static final class Running {
        final Spec spec;
        final Path dir;
        final Process process;
        final Path out;
        final Path err;
        final long startNanos;

        Running(Spec spec, Path dir, Process process, Path out, Path err, long startNanos) {
            this.spec = spec;
            this.dir = dir;
            this.process = process;
            this.out = out;
            this.err = err;
            this.startNanos = startNanos;
        }

        /** Waits for the run (killing its process tree after the timeout) and records its wall time. */
        Result await() {
            try {
                if (!process.waitFor(RUN_TIMEOUT_S, TimeUnit.SECONDS)) {
                    destroyTree(process.toHandle());
                    process.waitFor(10, TimeUnit.SECONDS);
                    fail(spec.label() + ": submit/pgflow did not finish within " + RUN_TIMEOUT_S + " s (killed); stderr:\n"
                            + tail(read(err), 4000));
                }
            } catch (InterruptedException e) {
                destroyTree(process.toHandle());
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            double wall = (System.nanoTime() - startNanos) / 1e9;
            String stderr = read(err);
            boolean rebuilt = stderr.contains("building the application jar");
            if (rebuilt) {
                System.out.println("[it] WARNING: " + spec.label() + ": the launcher rebuilt target/pgflow.jar (src/main changed "
                        + "during the IT run); results of different builds may be compared");
            }
            Result r = new Result(spec, dir, process.exitValue(), read(out), stderr, wall, rebuilt);
            recordTiming(r);
            return r;
        }
    }

    /** Starts {@code submit/pgflow run} for the spec in a fresh directory {@code target/it-runs/LABEL}. */
    static Running start(Spec spec) {
        return start(spec, "run");
    }

    /** Runs {@code submit/pgflow study} for a spec whose config is a study file, to completion. */
    static Result runStudy(Spec spec) {
        return start(spec, "study").await();
    }

    private static Running start(Spec spec, String command) {
        try {
            Files.createDirectories(RUNS);
            Path dir = RUNS.resolve(spec.label());
            deleteTree(dir);
            Path out = RUNS.resolve(spec.label() + ".stdout");
            Path err = RUNS.resolve(spec.label() + ".stderr");
            List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("submit/pgflow").toString(), command, spec.config(),
                    "--master", spec.master(), "--out", dir.toString()));
            for (String s : spec.sets()) {
                cmd.add("--set");
                cmd.add(s);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = pb.environment();
            env.remove("PGFLOW_JAVA_OPTS");
            env.remove("_SPARK_AUTH_SECRET");
            env.remove("SPARK_HOME");
            if (spec.javaOpts() != null && !spec.javaOpts().isBlank()) {
                env.put("PGFLOW_JAVA_OPTS", spec.javaOpts());
            }
            long t0 = System.nanoTime();
            return new Running(spec, dir, pb.start(), out, err, t0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs to completion. */
    static Result run(Spec spec) {
        return start(spec).await();
    }

    /**
     * Runs the spec once per JVM and remembers the result (baselines shared by tests and classes). A cached run that
     * failed is not reused.
     */
    static Result cached(Spec spec) {
        Result r = CACHE.get(spec.key());
        if (r == null || r.exit() != 0) {
            r = run(spec);
            CACHE.put(spec.key(), r);
        }
        return r;
    }

    /** Records a finished run's timing (printed now and summarised by {@link #printTimings}). */
    static synchronized void recordTiming(Result r) {
        double perIter = Double.NaN;
        int rows = 0;
        Path metrics = r.dir().resolve("metrics.csv");
        if (Files.exists(metrics)) {
            Metrics m = Metrics.read(metrics);
            rows = m.rows().size();
            perIter = m.secondsPerIteration();
        }
        String line = String.format(Locale.ROOT, "%-28s %-26s exit %d  wall %6.1f s  %4d rows  %8.1f ms/iteration  %s",
                r.spec().label(), r.spec().master(), r.exit(), r.wallSeconds(), rows, perIter * 1e3, r.spec().sets());
        System.out.println("[it] " + line);
        TIMINGS.add(line);
    }

    /** Prints (and writes to target/it-runs/timings.txt) every run of this JVM so far. */
    static synchronized void printTimings(String title, List<String> extra) {
        StringBuilder sb = new StringBuilder("[it] ==== " + title + " ====\n");
        for (String e : extra) {
            sb.append("[it] ").append(e).append('\n');
        }
        for (String t : TIMINGS) {
            sb.append("[it] ").append(t).append('\n');
        }
        System.out.print(sb);
        try {
            Files.createDirectories(RUNS);
            Files.writeString(RUNS.resolve("timings.txt"), sb.toString().replace("[it] ", ""), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("[it] cannot write timings.txt: " + e);
        }
    }

    /** Kills a process and all its descendants (SIGKILL), children first. */
    static void destroyTree(ProcessHandle p) {
        p.descendants().sorted(Comparator.comparingLong(ProcessHandle::pid).reversed()).forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(String s, int max) {
        return s.length() <= max ? s : "...\n" + s.substring(s.length() - max);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts the run directory says {@code completed}. */
    static void assertCompleted(Result r) {
        String json = read(r.dir().resolve("run.json"));
        assertTrue(json.matches("(?s).*\"status\"\\s*:\\s*\"completed\".*"), r.describe() + ": run.json is not completed:\n" + json);
    }
}
