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
        EngineKind kind = (override != null ? override : cfg.execution().engine()).resolve(master);
        if (kind == EngineKind.LOCAL) {
            if (!master.startsWith("local")) {
                throw new InvalidInputException("engine: local runs in this JVM and cannot use the cluster master "
                        + master + "; use engine: spark (or auto) with --master " + master);
            }
            return new LocalEngine(LocalEngine.threads(cfg.execution().threads(), master), master);
        }
        try {
            return SparkEngine.open(master, appName, cfg.spark().partitions(), verbose);
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage()).split("\n")[0];
            if (msg.contains("Could not parse Master URL") || msg.contains("Master must either be")) {
                throw new InvalidInputException("--master " + master + " is not a Spark master URL (local[*], local[N], "
                        + "spark://HOST:PORT)");
            }
            throw new IllegalStateException("cannot start Spark on " + master + ": " + msg, e);
        }
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
