package org.pgflow.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pgflow.train.Metric;
import org.pgflow.train.MetricsRow;
import org.pgflow.util.JsonFields;
import org.pgflow.util.NumericalDivergenceException;

/**
 * The content of a run's {@code run.json} (docs/architecture.md §7.3): what ran, where and on what, its status and
 * timestamps, the problem's facts, the {@code final} block and the error. {@link RunDirectory} writes it (on every
 * status change, atomically); the report, the study summary and {@code --resume} read it with {@link #read}.
 * Immutable: the {@code with*} methods return changed copies. Absent optional parts are null.
 *
 * @param name       the run's name
 * @param algorithm  {@code meanfield}, {@code variance} or {@code tabular}
 * @param seed       master seed
 * @param execution  the engine the run executes on (the last one, for a resumed run)
 * @param configFile the config file it came from
 * @param config     the resolved config tree (defaults included)
 * @param provenance versions and platform
 * @param status     the run's status
 * @param startTime  when the run directory was created
 * @param problem    facts about the problem the job resolved
 * @param fin        the {@code final} block (completed runs)
 * @param endTime    when the run stopped (not while running)
 * @param error      what stopped a failed run
 * @param resumes    one entry per resume, oldest first (never null)
 */
public record RunManifest(String name, String algorithm, Long seed, Execution execution, String configFile,
                          ObjectNode config, Provenance provenance, Status status, Instant startTime, Problem problem,
                          Final fin, Instant endTime, Failure error, List<Resume> resumes) {
    /** The file name in a run directory. */
    public static final String FILE = "run.json";

    /** Validates and copies (the config tree is copied, the resumes frozen). */
    public RunManifest {
        if (status == null) {
            throw new IllegalArgumentException("a run manifest needs a status");
        }
        config = config == null ? null : config.deepCopy();
        problem = problem == null ? Problem.NONE : problem;
        resumes = resumes == null ? List.of() : List.copyOf(resumes);
    }

    /** A run's status. */
    public enum Status {
        /** The run is in progress (or its process was killed). */
        RUNNING("running"),
        /** All iterations ran and everything was written. */
        COMPLETED("completed"),
        /** Stopped by an error ({@link RunManifest#error}). */
        FAILED("failed"),
        /** Stopped by Ctrl-C or SIGTERM; resumable. */
        INTERRUPTED("interrupted");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        /** @return the value in run.json */
        public String text() {
            return text;
        }

        /**
         * @param text a value of run.json's {@code status}
         * @return the status
         * @throws IllegalArgumentException for any other text
         */
        public static Status of(String text) {
            for (Status s : values()) {
                if (s.text.equals(text)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown run status '" + text + "'");
        }
    }

    /**
     * Where a run executes.
     *
     * @param engine       {@code local} or {@code spark}
     * @param master       the master it was given
     * @param threads      worker threads of the in-JVM engine, else null
     * @param partitions   Spark partitions, null for {@code auto} (Spark only)
     * @param sparkVersion Spark's version (Spark only), else null
     */
    public record Execution(String engine, String master, Integer threads, Integer partitions, String sparkVersion) {
        /** @return whether it is the in-JVM engine */
        public boolean local() {
            return "local".equals(engine);
        }
    }

    /**
     * Versions and platform of the process that wrote the run (docs/architecture.md §5: {@code kernels} says which
     * neuron kernels ran).
     *
     * @param pgflowVersion pgflow's version ({@code dev} outside a release jar)
     * @param javaVersion   {@code java.version}
     * @param os            operating system name and version
     * @param arch          {@code os.arch}
     * @param gitCommit     the checkout's commit, or {@code unknown}
     * @param kernels       the neuron kernel backend
     */
    public record Provenance(String pgflowVersion, String javaVersion, String os, String arch, String gitCommit,
                             String kernels) {
    }

    /**
     * Facts about the problem a job resolved (all optional).
     *
     * @param problem          the problem's name
     * @param states           number of states (finite problems)
     * @param actions          number of actions
     * @param objective        {@code variance} for variance-adjusted mean-field runs
     * @param update           the tabular update ({@code pg}, {@code npg})
     * @param policyParameters actor parameters (actor–critic)
     * @param criticDimension  critic features (actor–critic)
     * @param softOptimalValue {@code V*_τ(ρ)} when known
     */
    public record Problem(String problem, Integer states, Integer actions, String objective, String update,
                          Integer policyParameters, Integer criticDimension, Double softOptimalValue) {
        /** No facts. */
        public static final Problem NONE = new Problem(null, null, null, null, null, null, null, null);

        /** @return these facts, with the missing ones taken from {@code other} */
        public Problem orElse(Problem other) {
            return new Problem(problem != null ? problem : other.problem, states != null ? states : other.states,
                    actions != null ? actions : other.actions, objective != null ? objective : other.objective,
                    update != null ? update : other.update,
                    policyParameters != null ? policyParameters : other.policyParameters,
                    criticDimension != null ? criticDimension : other.criticDimension,
                    softOptimalValue != null ? softOptimalValue : other.softOptimalValue);
        }

        void writeTo(ObjectNode o) {
            putIf(o, "problem", problem);
            putIf(o, "states", states);
            putIf(o, "actions", actions);
            putIf(o, "objective", objective);
            putIf(o, "update", update);
            putIf(o, "policyParameters", policyParameters);
            putIf(o, "criticDimension", criticDimension);
            if (softOptimalValue != null) {
                o.put("softOptimalValue", softOptimalValue);
            }
        }

        /**
         * The facts among the fields of {@code o} (other fields are ignored).
         *
         * @param o run.json's object
         * @return the facts
         */
        static Problem of(JsonNode o) {
            return new Problem(text(o, "problem"), integer(o, "states"), integer(o, "actions"), text(o, "objective"),
                    text(o, "update"), integer(o, "policyParameters"), integer(o, "criticDimension"),
                    number(o, "softOptimalValue"));
        }
    }

    /**
     * The {@code final} block: the last metrics row's non-empty cells under their column names, then further named
     * numbers (in the order added), and the actor–critic's final θ.
     *
     * @param values named numbers, in order (copied)
     * @param theta  θ_K of an actor–critic run, else null (copied)
     */
    public record Final(Map<String, Double> values, double[] theta) {
        private static final List<String> NON_FINITE = List.of("NaN", "Infinity", "-Infinity");

        /** Copies. */
        public Final {
            for (Map.Entry<String, Double> e : values.entrySet()) {
                if (e.getValue() == null) {
                    throw new IllegalArgumentException("final." + e.getKey() + " has no value");
                }
            }
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
            theta = theta == null ? null : theta.clone();
        }

        /**
         * The block of a run's last metrics row: its non-empty cells in column order, then
         * {@code secondsPerIteration = time_s / K} (0 for K = 0).
         *
         * @param last       the last metrics row (of iteration K)
         * @param iterations K
         * @return the block
         */
        public static Final of(MetricsRow last, long iterations) {
            return cells(last).withSecondsPerIteration(iterations);
        }

        /**
         * The non-empty cells of a run's last metrics row, in column order (values that come before
         * {@code secondsPerIteration} are added with {@link #with}, then {@link #withSecondsPerIteration}).
         *
         * @param last the last metrics row (of iteration K)
         * @return the block
         */
        public static Final cells(MetricsRow last) {
            LinkedHashMap<String, Double> v = new LinkedHashMap<>();
            for (Metric c : last.schema().columns()) {
                Double x = last.get(c);
                if (x != null) {
                    v.put(c.csvName(), x);
                }
            }
            return new Final(v, null);
        }

        /**
         * @param iterations K
         * @return the block with {@code secondsPerIteration = time_s / K} (0 for K = 0) added at the end
         * @throws IllegalArgumentException when the block has no {@code time_s} or already has the entry
         */
        public Final withSecondsPerIteration(long iterations) {
            Double seconds = values.get(Metric.TIME_S.csvName());
            if (seconds == null) {
                throw new IllegalArgumentException("final has no " + Metric.TIME_S.csvName());
            }
            return with("secondsPerIteration", iterations > 0 ? seconds / iterations : 0.0);
        }

        /**
         * @param key   a name not in the block yet (e.g. {@code w2_rate}, {@code SD})
         * @param value its value
         * @return the block with {@code key} added at the end
         * @throws IllegalArgumentException when the block already has {@code key}
         */
        public Final with(String key, double value) {
            if (values.containsKey(key)) {
                throw new IllegalArgumentException("final." + key + " is already set");
            }
            LinkedHashMap<String, Double> v = new LinkedHashMap<>(values);
            v.put(key, value);
            return new Final(v, theta);
        }

        /** @return the block with θ_K (actor–critic) */
        public Final withTheta(double[] theta) {
            return new Final(values, theta);
        }

        /** @return the value named {@code key}, or null */
        public Double get(String key) {
            return values.get(key);
        }

        /** @return θ_K, or null (a copy) */
        @Override
        public double[] theta() {
            return theta == null ? null : theta.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Final f && f.values.equals(values) && java.util.Arrays.equals(f.theta, theta);
        }

        @Override
        public int hashCode() {
            return 31 * values.hashCode() + java.util.Arrays.hashCode(theta);
        }

        @Override
        public String toString() {
            return "Final" + values + (theta == null ? "" : " theta=" + java.util.Arrays.toString(theta));
        }

        ObjectNode toJson() {
            ObjectNode o = JsonFields.MAPPER.createObjectNode();
            values.forEach(o::put);
            if (theta != null) {
                ArrayNode a = o.putArray("theta");
                for (double x : theta) {
                    a.add(x);
                }
            }
            return o;
        }

        /**
         * @return the block of a {@code final} object: its numbers (NaN and ±∞ also as run.json writes them, as
         *         text) and the array {@code theta}; null for null
         */
        static Final of(JsonNode o) {
            if (o == null || !o.isObject()) {
                return null;
            }
            LinkedHashMap<String, Double> v = new LinkedHashMap<>();
            double[] th = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNumber()) {
                    v.put(e.getKey(), e.getValue().asDouble());
                } else if (e.getValue().isTextual() && NON_FINITE.contains(e.getValue().asText())) {
                    v.put(e.getKey(), Double.valueOf(e.getValue().asText())); // how run.json writes NaN and ±∞
                } else if (e.getKey().equals("theta") && e.getValue().isArray()) {
                    th = new double[e.getValue().size()];
                    for (int i = 0; i < th.length; i++) {
                        th[i] = e.getValue().get(i).asDouble();
                    }
                }
            }
            return new Final(v, th);
        }
    }

    /**
     * What stopped a failed run.
     *
     * @param type      the exception's simple name
     * @param message   its message
     * @param iteration the iteration of a numerical divergence, else null
     * @param quantity  the quantity that diverged, else null
     * @param log       the file with the stack trace (relative to the run directory), or null
     */
    public record Failure(String type, String message, Long iteration, String quantity, String log) {
        /**
         * @param t   the failure
         * @param log the file its stack trace went to, or null
         * @return its record
         */
        public static Failure of(Throwable t, String log) {
            NumericalDivergenceException d = t instanceof NumericalDivergenceException x ? x : null;
            return new Failure(t.getClass().getSimpleName(), String.valueOf(t.getMessage()),
                    d != null ? d.iteration() : null, d != null ? d.quantity() : null, log);
        }

        /** @return run.json's {@code error} object (absent parts left out) */
        public ObjectNode toJson() {
            ObjectNode e = JsonFields.MAPPER.createObjectNode();
            putIf(e, "type", type);
            putIf(e, "message", message);
            putIf(e, "iteration", iteration);
            putIf(e, "quantity", quantity);
            putIf(e, "log", log);
            return e;
        }
    }

    /**
     * A resume of the run.
     *
     * @param time           when it was resumed
     * @param fromIteration  the checkpoint iteration
     * @param previousStatus the status before it
     */
    public record Resume(Instant time, long fromIteration, String previousStatus) {
    }

    /**
     * The manifest of a run about to start: status {@code running}, started now.
     *
     * @param name       name
     * @param algorithm  algorithm
     * @param seed       master seed
     * @param execution  engine
     * @param configFile config file
     * @param config     resolved config
     * @param provenance versions and platform
     * @return the manifest
     */
    public static RunManifest start(String name, String algorithm, long seed, Execution execution, String configFile,
                                    ObjectNode config, Provenance provenance) {
        return new RunManifest(name, algorithm, seed, execution, configFile, config, provenance, Status.RUNNING,
                Instant.now(), Problem.NONE, null, null, null, List.of());
    }

    /** @return the config tree (a copy), or null */
    @Override
    public ObjectNode config() {
        return config == null ? null : config.deepCopy();
    }

    /** @return a copy with status {@code s} */
    public RunManifest withStatus(Status s) {
        return new RunManifest(name, algorithm, seed, execution, configFile, config, provenance, s, startTime,
                problem, fin, endTime, error, resumes);
    }

    /** @return a copy with status {@code s} that ended now ({@code completed}, {@code interrupted}) */
    public RunManifest ended(Status s) {
        return new RunManifest(name, algorithm, seed, execution, configFile, config, provenance, s, startTime,
                problem, fin, Instant.now(), error, resumes);
    }

    /** @return a copy marked failed now with {@code e} */
    public RunManifest failed(Failure e) {
        return new RunManifest(name, algorithm, seed, execution, configFile, config, provenance, Status.FAILED,
                startTime, problem, fin, Instant.now(), e, resumes);
    }

    /** @return a copy running again from {@code iteration}: the resume recorded, no error, no end time */
    public RunManifest resumed(long iteration) {
        List<Resume> r = new ArrayList<>(resumes);
        r.add(new Resume(Instant.now(), iteration, status.text()));
        return new RunManifest(name, algorithm, seed, execution, configFile, config, provenance, Status.RUNNING,
                startTime, problem, fin, null, null, r);
    }

    /** @return a copy on engine {@code e} */
    public RunManifest withExecution(Execution e) {
        return new RunManifest(name, algorithm, seed, e, configFile, config, provenance, status, startTime,
                problem, fin, endTime, error, resumes);
    }

    /** @return a copy with the problem's facts {@code p} */
    public RunManifest withProblem(Problem p) {
        return new RunManifest(name, algorithm, seed, execution, configFile, config, provenance, status, startTime,
                p, fin, endTime, error, resumes);
    }

    /** @return a copy with the final block {@code f} */
    public RunManifest withFinal(Final f) {
        return new RunManifest(name, algorithm, seed, execution, configFile, config, provenance, status, startTime,
                problem, f, endTime, error, resumes);
    }

    /** @return run.json's object: keys in a fixed order, absent parts left out */
    public ObjectNode toJson() {
        ObjectNode m = JsonFields.MAPPER.createObjectNode();
        putIf(m, "name", name);
        putIf(m, "algorithm", algorithm);
        putIf(m, "seed", seed);
        if (execution != null) {
            putIf(m, "engine", execution.engine());
            putIf(m, "master", execution.master());
            if (execution.local()) {
                putIf(m, "threads", execution.threads());
            } else {
                if (execution.partitions() == null) {
                    m.put("partitions", "auto");
                } else {
                    m.put("partitions", execution.partitions());
                }
                putIf(m, "sparkVersion", execution.sparkVersion());
            }
        }
        putIf(m, "configFile", configFile);
        if (config != null) {
            m.set("config", config.deepCopy());
        }
        if (provenance != null) {
            putIf(m, "pgflowVersion", provenance.pgflowVersion());
            putIf(m, "javaVersion", provenance.javaVersion());
            putIf(m, "os", provenance.os());
            putIf(m, "arch", provenance.arch());
            putIf(m, "gitCommit", provenance.gitCommit());
            putIf(m, "kernels", provenance.kernels());
        }
        m.put("status", status.text());
        putIf(m, "startTime", startTime == null ? null : startTime.toString());
        problem.writeTo(m);
        if (fin != null) {
            m.set("final", fin.toJson());
        }
        putIf(m, "endTime", endTime == null ? null : endTime.toString());
        if (error != null) {
            m.set("error", error.toJson());
        }
        if (!resumes.isEmpty()) {
            ArrayNode a = m.putArray("resumes");
            for (Resume r : resumes) {
                ObjectNode o = a.addObject();
                o.put("time", r.time().toString());
                o.put("fromIteration", r.fromIteration());
                o.put("previousStatus", r.previousStatus());
            }
        }
        return m;
    }

    /**
     * The manifest of a run.json object. Fields that are absent stay null; fields it does not know are ignored.
     *
     * @param m the object
     * @return the manifest
     * @throws IllegalArgumentException when {@code status} is missing or unknown, or a timestamp is malformed
     */
    public static RunManifest of(JsonNode m) {
        Execution ex = !m.has("engine") ? null : new Execution(text(m, "engine"), text(m, "master"),
                integer(m, "threads"), integer(m, "partitions"), text(m, "sparkVersion"));
        Provenance pv = !m.has("pgflowVersion") && !m.has("javaVersion") ? null : new Provenance(
                text(m, "pgflowVersion"), text(m, "javaVersion"), text(m, "os"), text(m, "arch"), text(m, "gitCommit"),
                text(m, "kernels"));
        Failure er = null;
        if (m.get("error") instanceof ObjectNode e) {
            er = new Failure(text(e, "type"), text(e, "message"), e.get("iteration") != null && e.get("iteration")
                    .isNumber() ? e.get("iteration").asLong() : null, text(e, "quantity"), text(e, "log"));
        }
        List<Resume> rs = new ArrayList<>();
        if (m.get("resumes") instanceof ArrayNode a) {
            for (JsonNode r : a) {
                rs.add(new Resume(instant(r, "time"), r.path("fromIteration").asLong(), text(r, "previousStatus")));
            }
        }
        String status = text(m, "status");
        if (status == null) {
            throw new IllegalArgumentException("run.json has no status");
        }
        return new RunManifest(text(m, "name"), text(m, "algorithm"), m.path("seed").isNumber()
                ? m.get("seed").asLong() : null, ex, text(m, "configFile"),
                m.get("config") instanceof ObjectNode c ? c : null, pv, Status.of(status), instant(m, "startTime"),
                Problem.of(m), Final.of(m.get("final")), instant(m, "endTime"), er, rs);
    }

    /**
     * Reads {@code run.json} of a run directory.
     *
     * @param runDir the run directory
     * @return the manifest
     * @throws IOException when run.json is missing or unreadable
     * @throws IllegalArgumentException when it is not a run manifest ({@link #of})
     */
    public static RunManifest read(Path runDir) throws IOException {
        Path f = runDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new java.nio.file.NoSuchFileException(f.toString());
        }
        JsonNode m = JsonFields.MAPPER.readTree(f.toFile());
        if (m == null || !m.isObject()) {
            throw new IllegalArgumentException(f + " is not a JSON object");
        }
        return of(m);
    }

    /**
     * Reads {@code run.json} of a run directory if it is there and readable.
     *
     * @param runDir the run directory
     * @return the manifest, or null when run.json is missing or not a run manifest
     */
    public static RunManifest readIfPresent(Path runDir) {
        try {
            return read(runDir);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Writes run.json into {@code runDir} atomically. */
    void write(Path runDir) {
        AtomicFiles.writeJson(runDir.resolve(FILE), toJson());
    }

    private static void putIf(ObjectNode o, String key, Object v) {
        if (v instanceof String s) {
            o.put(key, s);
        } else if (v instanceof Integer i) {
            o.put(key, i);
        } else if (v instanceof Long l) {
            o.put(key, l);
        } else if (v != null) {
            throw new IllegalArgumentException("run.json: unexpected value of " + key + ": " + v);
        }
    }

    private static String text(JsonNode o, String key) {
        JsonNode v = o.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer integer(JsonNode o, String key) {
        JsonNode v = o.get(key);
        return v != null && v.isIntegralNumber() ? v.asInt() : null;
    }

    private static Double number(JsonNode o, String key) {
        JsonNode v = o.get(key);
        return v != null && v.isNumber() ? v.asDouble() : null;
    }

    private static Instant instant(JsonNode o, String key) {
        String t = text(o, key);
        try {
            return t == null ? null : Instant.parse(t);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("run.json: " + key + " is not a time: " + t, e);
        }
    }
}
