package org.pgflow.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.RunConfig;
import org.pgflow.estimate.ExactSolver;
import org.pgflow.io.RunReport;
import org.pgflow.util.JsonFields;

/** Writes a run's report with Spark supplying what needs it: Parquet snapshots, and the problem's optimum. */
public final class Reports {
    private Reports() {
    }

    /**
     * Writes {@code plots/} and {@code report.html} of a run directory.
     *
     * @param runDir  the run directory (finished, failed or in progress)
     * @param session a session to read snapshots with, or null to skip the particle plot
     * @return the plot files written
     */
    public static List<Path> write(Path runDir, SparkSession session) {
        RunReport.SnapshotReader reader = session == null ? null : (dir, max) -> {
            List<Row> rows = session.read().parquet(dir.toAbsolutePath().toString()).orderBy("id").limit(max).collectAsList();
            double[][] out = new double[rows.size()][];
            for (int i = 0; i < out.length; i++) {
                List<Double> t = rows.get(i).getList(1);
                out[i] = t.stream().mapToDouble(Double::doubleValue).toArray();
            }
            return out;
        };
        return RunReport.write(runDir, reader, () -> optimalPolicy(runDir));
    }

    /** The soft-optimal policy of a mean-field run's finite MDP, from its resolved config; null if unavailable. */
    static double[][] optimalPolicy(Path runDir) {
        try {
            JsonNode m = JsonFields.MAPPER.readTree(runDir.resolve("run.json").toFile());
            if (!m.has("config") || !"meanfield".equals(m.path("algorithm").asText())) {
                return null;
            }
            RunConfig cfg = RunConfig.from(ConfigTree.of((ObjectNode) m.get("config")), null);
            org.pgflow.mdp.FiniteMdp mdp = MeanFieldJob.problem(cfg).mdp();
            return mdp == null ? null : ExactSolver.softValueIteration(mdp, cfg.meanfield().tau()).policy();
        } catch (IOException | RuntimeException e) {
            return null; // a report shows what it can
        }
    }

    /** @return whether the run directory holds particle snapshots (the report then needs a session) */
    public static boolean hasSnapshots(Path runDir) {
        return Files.isDirectory(runDir.resolve("particles"));
    }
}
