package org.pgflow.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession pgflow runs on: Kryo with registration required, no console progress bar (pgflow
 * prints its own progress), the UI off in embedded local mode, and loopback addresses for local masters.
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    /**
     * @param master  master URL ({@code local[*]}, {@code spark://host:port}, ...)
     * @param appName application name
     * @return the session (the caller stops it)
     */
    public static SparkSession create(String master, String appName) {
        SparkConf conf = new SparkConf(true)
                .setMaster(master)
                .setAppName(appName)
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", PgflowKryoRegistrator.class.getName())
                .set("spark.kryo.registrationRequired", "true")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.sql.shuffle.partitions", "8");
        boolean loopback = master.startsWith("local") || master.contains("://127.0.0.1") || master.contains("://localhost");
        if (master.startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        if (loopback) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        if (!master.startsWith("local")) {
            applyDefaults(conf);
            // Executors load pgflow's classes from the application jar the driver serves.
            String jar = applicationJar();
            if (jar != null) {
                conf.setIfMissing("spark.jars", jar);
            }
        }
        String secret = System.getenv("_SPARK_AUTH_SECRET");
        if (secret != null && !master.startsWith("local")) {
            // A secret in the environment (submit/pgflow exports the loopback cluster's) means the cluster
            // authenticates, so the driver must too. A standalone driver needs it in its conf; Spark redacts
            // every key matching spark.redaction.regex (".*secret.*") in logs, the UI and event logs.
            conf.setIfMissing("spark.authenticate", "true");
            conf.setIfMissing("spark.authenticate.secret", secret);
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** Applies {@code conf/spark-defaults.conf} of the pgflow home (if any) without overriding set properties. */
    static void applyDefaults(SparkConf conf) {
        String home = System.getProperty("pgflow.home");
        if (home == null) {
            return;
        }
        java.nio.file.Path f = java.nio.file.Path.of(home, "conf", "spark-defaults.conf");
        if (!java.nio.file.Files.isRegularFile(f)) {
            return;
        }
        try {
            for (String line : java.nio.file.Files.readAllLines(f)) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] kv = t.split("\\s+", 2);
                if (kv.length == 2) {
                    conf.setIfMissing(kv[0], kv[1].strip());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + f, e);
        }
    }

    /** @return the path of the jar holding pgflow's classes, or null when running from a classes directory */
    static String applicationJar() {
        try {
            java.net.URL url = SparkSessions.class.getProtectionDomain().getCodeSource().getLocation();
            String path = java.nio.file.Path.of(url.toURI()).toString();
            return path.endsWith(".jar") ? path : null;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The number of partitions a job's RDDs get: the configured number, or for {@code spark.partitions: auto}
     * the session's default parallelism (one task per core, so an iteration runs in one wave of tasks).
     *
     * @param spark      the session
     * @param configured {@code spark.partitions}, {@link org.pgflow.config.RunConfig.SparkSpec#AUTO} for auto
     * @return at least 1
     */
    public static int partitions(SparkSession spark, int configured) {
        if (configured != org.pgflow.config.RunConfig.SparkSpec.AUTO) {
            return configured;
        }
        return Math.max(1, spark.sparkContext().defaultParallelism());
    }
}
