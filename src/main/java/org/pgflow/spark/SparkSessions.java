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
        if (master.startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
