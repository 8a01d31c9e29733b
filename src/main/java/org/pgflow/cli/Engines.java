package org.pgflow.cli;

import org.pgflow.config.EngineKind;
import org.pgflow.config.RunConfig;
import org.pgflow.run.Engine;
import org.pgflow.run.LocalEngine;
import org.pgflow.spark.SparkEngine;
import org.pgflow.util.InvalidInputException;

/**
 * Opens the engine a run executes on: {@code engine: auto} (the default) takes the in-JVM engine on an
 * embedded master ({@code local}, {@code local[N]}, {@code local[*]}) and Spark when the master names a
 * cluster; {@code local} and {@code spark} force one. The in-JVM engine starts no Spark at all.
 */
final class Engines {
    private Engines() {
    }

    /**
     * @param cfg      the run's configuration
     * @param override {@code --engine}, or null
     * @param master   the master URL
     * @param appName  Spark application name
     * @param verbose  Spark's INFO logging
     * @return the engine
     */
    static Engine open(RunConfig cfg, EngineKind override, String master, String appName, boolean verbose) {
        EngineKind kind = resolve(cfg, override, master);
        if (kind == EngineKind.LOCAL) {
            if (!master.startsWith("local")) {
                throw new InvalidInputException("engine: local runs in this JVM and cannot use the cluster master "
                        + master + "; use engine: spark (or auto) with --master " + master);
            }
            return new LocalEngine(LocalEngine.threads(cfg.execution().threads(), master), master);
        }
        if (!MASTER.matcher(master).matches()) { // refused before Spark starts (and logs its own stack trace)
            throw notAMaster(master);
        }
        try {
            return SparkEngine.open(master, appName, cfg.spark().partitions(), verbose);
        } catch (Exception e) { // SparkException is checked and comes through Scala undeclared
            if (e instanceof InvalidInputException invalid) {
                throw invalid;
            }
            String msg = String.valueOf(e.getMessage()).split("\n")[0];
            if (msg.contains("Could not parse Master URL") || msg.contains("Master must either be")) {
                throw notAMaster(master);
            }
            throw new IllegalStateException("cannot start Spark on " + master + ": " + msg, e);
        }
    }

    /** Master URLs Spark accepts: embedded ({@code local…}), standalone, YARN, Kubernetes or another scheme. */
    private static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
            "local(\\[(\\*|[1-9]\\d*)(,[1-9]\\d*)?])?|local-cluster\\[\\d+, *\\d+, *\\d+]|yarn"
                    + "|[a-z][a-z0-9+.-]*://\\S+");

    private static InvalidInputException notAMaster(String master) {
        return new InvalidInputException("--master " + master + " is not a Spark master URL (local[*], local[N], "
                + "spark://HOST:PORT)");
    }

    /**
     * The engine a run takes: {@code --engine}, else the config's {@code engine}, resolved against the master.
     *
     * @param cfg      the run's configuration
     * @param override {@code --engine}, or null
     * @param master   the master URL
     * @return {@link EngineKind#LOCAL} or {@link EngineKind#SPARK}
     */
    static EngineKind resolve(RunConfig cfg, EngineKind override, String master) {
        return (override != null ? override : cfg.execution().engine()).resolve(master);
    }

    /**
     * @param text the {@code --engine} value, or null
     * @return the kind, or null
     */
    static EngineKind parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return EngineKind.of(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--engine must be auto, local or spark but was '" + text + "'");
        }
    }
}
