package org.pgflow.config;

/**
 * Where a run executes ({@code engine:} in a config, {@code --engine} on the command line).
 */
public enum EngineKind implements Choice {
    /** The in-JVM engine on an embedded master ({@code local…}), the Spark engine when the master names a cluster. */
    AUTO,
    /** The in-JVM engine: a pool of worker threads in this JVM, no Spark at all. */
    LOCAL,
    /** The RDD engine on a SparkSession, also for an embedded {@code local[*]} master. */
    SPARK;

    /**
     * The engine a run on {@code master} takes.
     *
     * @param master the Spark master URL the run is given
     * @return {@link #LOCAL} or {@link #SPARK}
     */
    public EngineKind resolve(String master) {
        if (this != AUTO) {
            return this;
        }
        return master.startsWith("local") ? LOCAL : SPARK;
    }

    /**
     * @param text the config or flag value
     * @return the kind
     * @throws IllegalArgumentException for anything else
     */
    public static EngineKind of(String text) {
        return Choice.of(EngineKind.class, text);
    }
}
