package org.pgflow.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A test hook for fault tolerance: with {@code spark.pgflow.test.injectFailures=true} in the driver's conf (e.g.
 * {@code PGFLOW_JAVA_OPTS=-Dspark.pgflow.test.injectFailures=true}), the first attempt of every task of an
 * even-numbered partition throws, so Spark must retry it ({@code spark.task.maxFailures} &gt; 1). Results must not
 * change: every task rebuilds its random streams from (seed, purpose, iteration, id). Off by default; a no-op
 * outside tasks.
 */
public final class FaultInjection {
    /** The Spark conf key (and task-local property) that turns the hook on. */
    public static final String KEY = "spark.pgflow.test.injectFailures";

    private FaultInjection() {
    }

    /** Copies the driver's setting to a local property, which every task of this thread's jobs sees. */
    static void propagate(JavaSparkContext jsc) {
        if (jsc.getConf().getBoolean(KEY, false)) {
            jsc.setLocalProperty(KEY, "true");
        }
    }

    /**
     * Throws on the first attempt of a task of an even partition when the hook is on.
     *
     * @param site what the task was doing (for the message)
     */
    static void maybeFail(String site) {
        TaskContext tc = TaskContext.get();
        if (tc != null && "true".equals(tc.getLocalProperty(KEY)) && tc.attemptNumber() == 0 && tc.partitionId() % 2 == 0) {
            throw new IllegalStateException("injected failure (test hook " + KEY + ") in " + site + ", partition "
                    + tc.partitionId() + ", stage " + tc.stageId());
        }
    }
}
