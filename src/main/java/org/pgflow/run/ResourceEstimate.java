package org.pgflow.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pgflow.config.Algorithm;
import org.pgflow.config.EngineKind;
import org.pgflow.config.EnvironmentSpec;
import org.pgflow.config.RunConfig;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.meanfield.NeuronLayout;
import org.pgflow.meanfield.Points;
import org.pgflow.train.MeanFieldTrainer;
import org.pgflow.util.InvalidInputException;

/**
 * The memory a run needs, estimated from its configuration before any work is done and before its run
 * directory exists, and compared with what the run will have: a run that cannot fit is refused (exit 2) with one
 * line naming the key that costs most, the estimate, and the setting to change, instead of failing after minutes
 * with an {@link OutOfMemoryError}. The estimate counts the large arrays only and is meant to be within a small
 * factor; it refuses what clearly cannot fit, never what might.
 *
 * <p>What is counted (8 bytes per double):
 * <ul>
 *   <li><b>particles</b> ({@code meanfield.particles}): {@code N·D·c} doubles, {@code D = K·(d_x + 2)} the particle
 *       dimension, {@code c = 2} with the coupled cloud. The in-JVM engine keeps one generation and steps it in
 *       place; the Spark engine keeps up to three live generations (the cached parent, the step being
 *       materialised, the previous one until it is unpersisted).</li>
 *   <li><b>step scratch</b> ({@code meanfield.blockSize}): per worker thread the drift of each cloud and the noise,
 *       {@code (c + 1)·D·blockSize} doubles; and the per-block summaries the driver combines,
 *       {@code blocks·(c·P + D + D(D+1)/2)} doubles for {@code P} input points.</li>
 *   <li><b>activation memo</b> ({@code meanfield.activationCacheMB}, exact mode): up to its budget, at most
 *       {@code N·P·K·c} doubles; {@code auto} is the budget the trainer takes
 *       ({@link RunConfig.MeanFieldSpec#AUTO_ACTIVATION_CACHE_MB} MiB when the kernels gain from it, else 0).</li>
 *   <li><b>MDP tables</b> ({@code environment.states}) of a finite problem with S states and A actions: the
 *       transitions {@code S·A·S} (twice while a random instance is generated), one-hot features {@code S² + A²},
 *       and at the peak the larger of the dense input rows built once ({@code S·A·(S + A)}) and the dense
 *       {@code S×S} systems of the exact policy evaluation run every iteration (3·S²; 4·S² for the exact
 *       moments of an SSP). A random instance is checked before it is generated ({@link #ofModel}).</li>
 *   <li><b>rollouts</b> ({@code meanfield.rolloutStates}, Monte Carlo mode): the sampled states, weight rows and
 *       input points of an iteration, {@code M_s·(d_s + 2A)} doubles and about {@code 2.5·M_s·A·d_x} for the points;
 *       the broadcast particle summary ({@code meanfield.summaryParticles}), {@code 2·m·D} doubles.</li>
 *   <li><b>snapshots</b>: every Parquet writer (one per thread, each part file at most
 *       {@link org.pgflow.io.ParticleSnapshots#PARTICLES_PER_FILE} particles) buffers up to a 128 MiB row group,
 *       counted twice for the page copies.</li>
 *   <li><b>a fixed reserve</b>: 32 MiB for the in-JVM engine, 300 MiB with Spark (the memory Spark reserves
 *       for itself).</li>
 * </ul>
 * On the in-JVM engine, and on Spark with an embedded master, everything lives in this JVM and is compared with
 * {@link #HEAP_SHARE} of {@link Runtime#maxMemory()}. On a cluster the driver holds the tables, summaries and rollouts (compared with
 * the driver's heap) and the executors the particles, scratch and memo (compared with
 * {@code spark.executor.memory × spark.executor.instances}, or {@code × spark.cores.max / spark.executor.cores},
 * when those are set as {@code -Dspark.…} system properties, e.g. in {@code PGFLOW_JAVA_OPTS}; when they are not,
 * the executor side is not checked).
 *
 * <p>A study grid is checked before it is expanded ({@link #checkStudy}): at most {@link #MAX_STUDY_CELLS} cells
 * (every cell is a run directory of its own), each held while the study runs.
 */
public final class ResourceEstimate {
    /** The most cells one study may have: each is a run directory with its metrics, plots and report. */
    public static final long MAX_STUDY_CELLS = 100_000;

    /** Heap a cell of a study takes before it runs (its config trees, validated config and row of study.csv). */
    static final long STUDY_BYTES_PER_CELL = 64L << 10;

    private static final long DOUBLE = 8;
    private static final long LOCAL_RESERVE = 32L << 20;
    private static final long SPARK_RESERVE = 300L << 20;
    private static final long PARQUET_ROW_GROUP = 128L << 20;

    /**
     * The share of the heap the estimate may fill: the collector needs headroom, and G1 gives every array larger
     * than half a region regions of its own (a particle block of 4096 × 22 doubles fills 70% of its 1 MiB
     * region). Measured: 10⁶ particles on the 10×10 random MDP, estimated at 1.2 GiB, fail with -Xmx1300m and
     * run with -Xmx1600m.
     */
    static final double HEAP_SHARE = 0.85;

    /**
     * One contribution to the estimate.
     *
     * @param key    the config key that controls it (named in the message), or null for a fixed reserve
     * @param value  that key's value as the user wrote it
     * @param bytes  the estimate
     * @param detail how it was reckoned, for the message
     */
    public record Part(String key, String value, long bytes, String detail) {
    }

    /**
     * What a run will have.
     *
     * @param bytes       the memory
     * @param description e.g. "the heap is 3.0 GiB"
     * @param remedy      the setting that gives more, e.g. "raise -Xmx (PGFLOW_JAVA_OPTS)"
     */
    public record Budget(long bytes, String description, String remedy) {
        /** @return this JVM's maximum heap, of which {@link #HEAP_SHARE} may be filled */
        public static Budget heap() {
            long max = Runtime.getRuntime().maxMemory();
            return new Budget((long) (max * HEAP_SHARE), "the heap is " + ResourceEstimate.bytes(max)
                    + " (" + Math.round(HEAP_SHARE * 100) + "% of it usable)", "raise -Xmx (PGFLOW_JAVA_OPTS)");
        }
    }

    private final List<Part> parts;

    private ResourceEstimate(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /** @return the contributions, largest first is not guaranteed */
    public List<Part> parts() {
        return parts;
    }

    /** @return the whole estimate in bytes (saturating) */
    public long total() {
        long t = 0;
        for (Part p : parts) {
            t = saturatingAdd(t, p.bytes());
        }
        return t;
    }

    /**
     * Refuses the run when the estimate exceeds the budget.
     *
     * @param budget what the run will have
     * @throws InvalidInputException naming the costliest key, the estimate and the setting to change
     */
    public void require(Budget budget) {
        long total = total();
        if (total <= budget.bytes() || parts.isEmpty()) {
            return;
        }
        Part top = null;
        for (Part p : parts) {
            if (p.key() != null && (top == null || p.bytes() > top.bytes())) {
                top = p;
            }
        }
        if (top == null) {
            throw new InvalidInputException("this run needs about " + bytes(total) + " but " + budget.description()
                    + ": " + budget.remedy());
        }
        StringBuilder m = new StringBuilder();
        m.append(top.key()).append(" = ").append(top.value()).append(" needs about ").append(bytes(top.bytes()));
        if (!top.detail().isEmpty()) {
            m.append(" (").append(top.detail()).append(')');
        }
        if (total - top.bytes() > top.bytes() / 10) {
            m.append(" and the run about ").append(bytes(total)).append(" in all");
        }
        m.append(" but ").append(budget.description()).append(": lower ").append(top.key()).append(" or ")
                .append(budget.remedy());
        throw new InvalidInputException(m.toString());
    }

    /**
     * The tables of a random finite problem ({@code random-finite}, {@code random-ssp}), from the config alone:
     * checked before the instance is generated. Empty for every other environment.
     *
     * @param cfg the configuration
     * @return the estimate
     * @throws InvalidInputException when the transition table would not fit one Java array
     */
    public static ResourceEstimate ofModel(RunConfig cfg) {
        EnvironmentSpec env = cfg.environment();
        List<Part> parts = new ArrayList<>();
        boolean meanfield = cfg.algorithm() == Algorithm.MEANFIELD;
        if (env instanceof EnvironmentSpec.RandomFinite r) {
            parts.add(randomTables(r.states(), r.actions(), false, meanfield));
        } else if (env instanceof EnvironmentSpec.RandomSsp r) {
            parts.add(randomTables(r.states(), r.actions(), true, meanfield));
        }
        return new ResourceEstimate(parts);
    }

    /** The tables of a random instance with S states and A actions, checked to fit one Java array. */
    private static Part randomTables(long s, long a, boolean ssp, boolean meanfield) {
        long successors = ssp ? s + 1 : s;
        long cells = s * a * successors;
        if (cells > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("environment.states = " + s + " with environment.actions = " + a
                    + " makes a transition table of " + cells + " entries (S·A·" + (ssp ? "(S+1)" : "S")
                    + "), more than a Java array holds (" + Integer.MAX_VALUE + "): lower environment.states");
        }
        return tables(s, a, ssp, true, meanfield);
    }

    /**
     * The estimate of a prepared run on an engine: everything that lives in one JVM for the in-JVM engine and
     * for Spark on an embedded master; on a cluster see {@link #check}.
     *
     * @param p      the run
     * @param kind   {@link EngineKind#LOCAL} or {@link EngineKind#SPARK}
     * @param master the master URL
     * @return the estimate of the driver (and, in one JVM, of everything)
     */
    public static ResourceEstimate of(Launcher.Prepared p, EngineKind kind, String master) {
        Sides s = sides(p, kind, master);
        List<Part> all = new ArrayList<>(s.driver);
        if (s.oneJvm) {
            all.addAll(s.executors);
        }
        return new ResourceEstimate(all);
    }

    /**
     * Checks that a prepared run fits where it will run: in this JVM's heap (the in-JVM engine, Spark on an
     * embedded master); on a cluster, the driver's share in this heap and the executors' share in the executors'
     * memory when it is known.
     *
     * @param p      the run
     * @param kind   {@link EngineKind#LOCAL} or {@link EngineKind#SPARK} (resolved)
     * @param master the master URL
     * @throws InvalidInputException when it does not fit
     */
    public static void check(Launcher.Prepared p, EngineKind kind, String master) {
        Sides s = sides(p, kind, master);
        if (s.oneJvm) {
            List<Part> all = new ArrayList<>(s.driver);
            all.addAll(s.executors);
            new ResourceEstimate(all).require(Budget.heap());
            return;
        }
        Budget heap = Budget.heap();
        new ResourceEstimate(s.driver).require(new Budget(heap.bytes(), "the driver's " + heap.description()
                .substring("the ".length()), "raise the driver's -Xmx (PGFLOW_JAVA_OPTS)"));
        Budget executors = executorBudget();
        if (executors != null) {
            new ResourceEstimate(s.executors).require(executors);
        }
    }

    /** The driver's and the executors' parts, and whether they share one JVM. */
    private record Sides(List<Part> driver, List<Part> executors, boolean oneJvm) {
    }

    private static Sides sides(Launcher.Prepared p, EngineKind kind, String master) {
        RunConfig cfg = p.cfg();
        boolean spark = kind == EngineKind.SPARK;
        boolean oneJvm = !spark || master.startsWith("local");
        List<Part> driver = new ArrayList<>();
        List<Part> executors = new ArrayList<>();
        driver.add(new Part(null, null, spark ? SPARK_RESERVE : LOCAL_RESERVE, spark ? "the memory Spark reserves"
                : "the JVM's own"));
        if (p.variance() != null) {
            if (p.variance().ssp() != null) {
                driver.add(tables(p.variance().ssp().numStates(), p.variance().ssp().numActions(), true, false, false));
            }
            return new Sides(driver, executors, oneJvm);
        }
        RunConfig.MeanFieldSpec mf = cfg.meanfield();
        MeanFieldJob.Problem pb = p.meanfield();
        if (pb.tabular() != null) { // a table of logits on the driver
            driver.add(tables(pb.tabular().mdp().numStates(), pb.tabular().mdp().numActions(), false, false, true));
            return new Sides(driver, executors, oneJvm);
        }
        if (pb.episodic() != null) {
            driver.add(tables(pb.episodic().numStates(), pb.episodic().numActions(), true, false, false));
        }
        long inputDim = pb.inputDim();
        long points = pb.mdp() != null ? (long) pb.mdp().numStates() * pb.mdp().numActions()
                : pb.episodic() != null ? (long) pb.episodic().numStates() * pb.episodic().numActions() : 0;
        if (pb.mdp() != null) {
            driver.add(tables(pb.mdp().numStates(), pb.mdp().numActions(), false, false, true));
        }
        long d = mf.units() * (inputDim + 2);
        int clouds = mf.coupled() ? 2 : 1;
        long n = mf.particles();
        int generations = spark ? 3 : 1;
        long perParticle = d * clouds;
        executors.add(new Part("meanfield.particles", Long.toString(n),
                saturatingMul(saturatingMul(n, perParticle * DOUBLE), generations),
                perParticle + " doubles per particle: D = K·(d_x+2) = " + mf.units() + "·(" + inputDim + "+2)"
                        + (clouds == 2 ? ", two clouds" : "") + "; " + (spark
                        ? "up to three live generations on the Spark engine"
                        : "one generation, stepped in place on the in-JVM engine")));
        long threadsNow = threads(cfg, kind, master);
        long perFile = Math.min(n, org.pgflow.io.ParticleSnapshots.PARTICLES_PER_FILE) * (d + 1) * DOUBLE;
        long writers = Math.min(threadsNow, (n + org.pgflow.io.ParticleSnapshots.PARTICLES_PER_FILE - 1)
                / org.pgflow.io.ParticleSnapshots.PARTICLES_PER_FILE);
        executors.add(new Part("meanfield.particles", Long.toString(n),
                saturatingMul(writers, 2 * Math.min(PARQUET_ROW_GROUP, perFile)), writers
                        + " Parquet snapshot writer(s) buffering a row group"));
        long blocks = (n + mf.blockSize() - 1) / mf.blockSize();
        long perBlock = Math.min(mf.blockSize(), n);
        long threads = threadsNow;
        long scratch = saturatingMul(threads, (clouds + 1L) * d * perBlock * DOUBLE);
        long summaries = saturatingMul(blocks, (clouds * points + d + d * (d + 1) / 2) * DOUBLE);
        executors.add(new Part("meanfield.blockSize", Integer.toString(mf.blockSize()), scratch,
                threads + " thread(s) × (c+1)·D·blockSize doubles of drift and noise"));
        driver.add(new Part("meanfield.blockSize", Integer.toString(mf.blockSize()), summaries,
                blocks + " block summaries of " + (clouds * points + d + d * (d + 1) / 2) + " doubles"));
        if (pb.mc() == null && pb.episodic() == null) {
            long budget = memoBudget(mf, pb.mdp());
            long memo = Math.min(budget, saturatingMul(n, points * mf.units() * clouds * DOUBLE));
            if (memo > 0) {
                executors.add(new Part("meanfield.activationCacheMB", mf.activationCacheMB()
                        == RunConfig.MeanFieldSpec.AUTO_ACTIVATION_CACHE ? "auto (" + (budget >> 20) + " MiB)"
                        : Long.toString(mf.activationCacheMB()), memo, "activations of " + points + " points kept "
                        + "between the summary and the drift pass"));
            }
        } else if (pb.mc() != null) {
            long ms = mf.rolloutStates();
            long a = pb.mc().env().numActions();
            long ds = pb.mc().env().stateDim();
            long rollouts = saturatingAdd(saturatingMul(ms, (ds + 2 * a) * DOUBLE),
                    saturatingMul(ms, a * inputDim * 20));
            driver.add(new Part("meanfield.rolloutStates", Long.toString(ms), rollouts,
                    "sampled states, weight rows and input points of " + ms + "·" + a + " (state, action) pairs"));
            long m = Math.min(n, mf.summaryParticles());
            driver.add(new Part("meanfield.summaryParticles", Long.toString(mf.summaryParticles()),
                    2 * m * d * DOUBLE, "the particle summary broadcast to the rollouts"));
        }
        if (mf.knnEvery() > 0) {
            driver.add(new Part("meanfield.knnSample", Integer.toString(mf.knnSample()),
                    Math.min(n, mf.knnSample()) * perParticle * DOUBLE * 2, "the kNN subsample"));
        }
        return new Sides(driver, executors, oneJvm);
    }

    /**
     * The tables of a finite problem (see the class comment).
     *
     * @param generated whether the instance is generated in memory (nested arrays copied into flat ones)
     * @param features  whether one-hot input features and the mean-field input points are built
     */
    private static Part tables(long s, long a, boolean ssp, boolean generated, boolean features) {
        long successors = ssp ? s + 1 : s;
        long transitions = saturatingMul(saturatingMul(s, a), successors);
        long persistent = saturatingAdd(transitions, features ? saturatingAdd(s * s, a * a) : 0);
        long peak = Math.max(generated ? transitions : 0, saturatingMul(ssp ? 4 : 3, s * s));
        if (features) {
            peak = Math.max(peak, saturatingMul(s * a, s + a));
        }
        long bytes = saturatingMul(saturatingAdd(persistent, peak), DOUBLE);
        return new Part("environment.states", Long.toString(s), bytes, "S = " + s + ", A = " + a + ": transitions S·A·"
                + (ssp ? "(S+1)" : "S") + " doubles" + (generated ? " (twice while generated)" : "")
                + " and dense S×S systems of the exact " + (ssp ? "moments" : "policy evaluation"));
    }

    /** The memo budget the trainer takes: the configured MiB, or auto for this model's inputs (0 without points). */
    private static long memoBudget(RunConfig.MeanFieldSpec mf, FiniteMdp mdp) {
        if (mdp == null) {
            return 0;
        }
        NeuronLayout layout = new NeuronLayout(mf.units(), mdp.inputDimension(), mf.outputScale());
        return MeanFieldTrainer.activationCacheBytes(mf, layout, Points.allStateActions(mdp));
    }

    /** Worker threads (in-JVM) or tasks at once (Spark, embedded master; 1 per executor core on a cluster). */
    private static long threads(RunConfig cfg, EngineKind kind, String master) {
        if (kind == EngineKind.LOCAL) {
            return LocalEngine.threads(cfg.execution().threads(), master);
        }
        if (master.startsWith("local")) {
            return LocalEngine.threads(RunConfig.SparkSpec.AUTO, master);
        }
        Long cores = longProperty("spark.executor.cores");
        Long executors = executorCount();
        return cores != null && executors != null ? cores * executors : 1;
    }

    /** The executors' memory on a cluster, when {@code spark.executor.memory} and their number are known. */
    private static Budget executorBudget() {
        String mem = System.getProperty("spark.executor.memory");
        Long count = executorCount();
        if (mem == null || count == null) {
            return null;
        }
        long each = sparkBytes(mem);
        if (each <= 0) {
            return null;
        }
        return new Budget(saturatingMul(each, count), "the executors have " + count + " × " + bytes(each)
                + " (spark.executor.instances × spark.executor.memory)",
                "raise spark.executor.memory or the number of executors");
    }

    private static Long executorCount() {
        Long instances = longProperty("spark.executor.instances");
        if (instances != null) {
            return instances;
        }
        Long max = longProperty("spark.cores.max");
        Long cores = longProperty("spark.executor.cores");
        return max != null && cores != null && cores > 0 ? Math.max(1, max / cores) : null;
    }

    private static Long longProperty(String key) {
        String v = System.getProperty(key);
        if (v == null) {
            return null;
        }
        try {
            long x = Long.parseLong(v.strip());
            return x > 0 ? x : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Spark's size strings ({@code 512m}, {@code 4g}, {@code 1t}; a bare number is MiB, as for
     * {@code spark.executor.memory}).
     *
     * @param text the value
     * @return bytes, or −1 when it cannot be read
     */
    public static long sparkBytes(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(\\d+)\\s*([kmgtp]?)b?\\s*").matcher(text);
        if (!m.matches()) {
            return -1;
        }
        long v = Long.parseLong(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "", "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 50;
        };
        return v >= (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : v << shift;
    }

    /**
     * Refuses a study grid before it is expanded: more than {@link #MAX_STUDY_CELLS} cells, or more cells than
     * the heap holds ({@link #STUDY_BYTES_PER_CELL} each).
     *
     * @param sizes number of values of every grid key, in grid order
     * @param heap  the heap
     * @return the number of cells
     * @throws InvalidInputException naming the grid's keys and sizes
     */
    public static long checkStudy(Map<String, Integer> sizes, Budget heap) {
        long cells = 1;
        StringBuilder product = new StringBuilder();
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            cells = saturatingMul(cells, e.getValue());
            if (product.length() > 0) {
                product.append(" × ");
            }
            product.append("grid.").append(e.getKey()).append(": ").append(e.getValue());
        }
        if (cells > MAX_STUDY_CELLS) {
            throw new InvalidInputException("the study grid has " + cells + " cells (" + product + ") but a study runs at "
                    + "most " + MAX_STUDY_CELLS + " (each cell is a run directory): split the grid into several studies");
        }
        long bytes = saturatingMul(cells, STUDY_BYTES_PER_CELL);
        if (bytes > heap.bytes()) {
            throw new InvalidInputException("the study grid has " + cells + " cells (" + product + "), which need about "
                    + bytes(bytes) + " to hold (" + bytes(STUDY_BYTES_PER_CELL) + " each) but " + heap.description()
                    + ": split the grid into several studies or " + heap.remedy());
        }
        return cells;
    }

    /**
     * The disk a mean-field run on the Spark engine uses for its lineage checkpoints (RDD checkpoints every
     * {@code checkpointEvery} iterations in {@code RUN_DIR/.lineage}, which Spark does not delete while the run
     * goes on; the directory is deleted when the run ends) and for its own checkpoints (the two newest kept), as
     * one line for stderr; null for other runs.
     *
     * @param p    the run
     * @param kind the resolved engine
     * @return the line, or null
     */
    public static String lineageNote(Launcher.Prepared p, EngineKind kind) {
        if (kind != EngineKind.SPARK || p.meanfield() == null) {
            return null;
        }
        RunConfig cfg = p.cfg();
        RunConfig.MeanFieldSpec mf = cfg.meanfield();
        MeanFieldJob.Problem pb = p.meanfield();
        if (pb.tabular() != null) {
            return null;
        }
        long inputDim = pb.inputDim();
        long cloud = saturatingMul(mf.particles(), mf.units() * (inputDim + 2) * (mf.coupled() ? 2 : 1) * DOUBLE);
        long every = cfg.checkpointEvery();
        long count = cfg.iterations() / every;
        return "pgflow: disk: lineage checkpoints of about " + bytes(cloud) + " every " + every + " iterations, up to "
                + bytes(saturatingMul(cloud, count)) + " in RUN_DIR/.lineage by iteration " + cfg.iterations()
                + " (deleted when the run ends), and 2 × " + bytes(cloud) + " of resumable checkpoints";
    }

    /**
     * @param b bytes
     * @return e.g. {@code "176 GiB"}, {@code "3.0 GiB"}, {@code "512 KiB"}
     */
    public static String bytes(long b) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) {
            return b + " bytes";
        }
        return (v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v)) + " " + units[u];
    }

    private static long saturatingMul(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return lo;
        }
        return Long.MAX_VALUE;
    }

    private static long saturatingAdd(long a, long b) {
        long s = a + b;
        return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
    }
}
