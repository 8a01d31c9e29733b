package org.pgflow.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The Spark session as the rest of pgflow sees it: an opaque handle that the command line opens, passes to the
 * jobs ({@link MeanFieldJob}, {@link VarianceJob}, {@link Reports}) and closes, so that only this package
 * imports Spark (docs/architecture.md §1–2).
 */
public final class SparkRuntime implements AutoCloseable {
    private final SparkSession session;

    private SparkRuntime(SparkSession session) {
        this.session = session;
    }

    /**
     * Creates (or joins) the session, configured by {@link SparkSessions#create}.
     *
     * @param master  master URL
     * @param appName application name
     * @return the handle; close it to stop the session
     */
    public static SparkRuntime open(String master, String appName) {
        return new SparkRuntime(SparkSessions.create(master, appName));
    }

    /** @return Spark's version string */
    public String version() {
        return session.version();
    }

    /** @return the master URL the session runs on */
    public String master() {
        return session.sparkContext().master();
    }

    /** Shows Spark's INFO logging ({@code --verbose}). */
    public void verboseLogging() {
        session.sparkContext().setLogLevel("INFO");
    }

    SparkSession session() {
        return session;
    }

    /** Stops the session. */
    @Override
    public void close() {
        session.stop();
    }
}
