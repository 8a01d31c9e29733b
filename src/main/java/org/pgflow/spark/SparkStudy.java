package org.pgflow.spark;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.pgflow.run.CellRunner;

/**
 * Study cells as the tasks of one Spark job: one cell per task (one partition per cell), the whole loop inside
 * the task on the in-JVM engine ({@link CellRunner}), each cell's run directory shipped back to the driver as
 * zip bytes. A study of many small cells thus scales with the executor cores of the cluster.
 */
public final class SparkStudy {
    private SparkStudy() {
    }

    /**
     * Runs the cells.
     *
     * @param runtime the session
     * @param tasks   the cells
     * @return each cell's zipped run directory, in the order of {@code tasks}
     */
    public static List<byte[]> run(SparkRuntime runtime, List<CellRunner.Task> tasks) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(runtime.session().sparkContext());
        List<String> rows = new java.util.ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            rows.add(i + "\n" + tasks.get(i).toJson());
        }
        SparkEpisodeEngine.OrderedParts all = SparkEpisodeEngine.OrderedParts.merged(Jobs.foldPartitions(
                jsc.parallelize(rows, tasks.size()), new SparkEpisodeEngine.OrderedParts(), new RunCell(),
                SparkEpisodeEngine.OrderedParts.class));
        return all.inOrder();
    }

    /** Runs one cell: "index\nTASK-JSON" → (index, zipped run directory). */
    static final class RunCell implements Function2<SparkEpisodeEngine.OrderedParts, String, SparkEpisodeEngine.OrderedParts> {
        private static final long serialVersionUID = 1L;

        @Override
        public SparkEpisodeEngine.OrderedParts call(SparkEpisodeEngine.OrderedParts acc, String row) {
            int nl = row.indexOf('\n');
            FaultInjection.maybeFail("study cell");
            return acc.add(Long.parseLong(row.substring(0, nl)), CellRunner.runZipped(CellRunner.Task.fromJson(row.substring(nl + 1))));
        }
    }
}
