package org.pgflow.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgflow.io.RunDirectory;
import org.pgflow.io.RunManifest;
import org.pgflow.train.Metric;
import org.pgflow.train.MetricsSchema;

/** study.csv from the cells' run.json: status, grid values and the final numbers, missing cells included. */
class StudySummaryTest {
    @TempDir
    Path tmp;

    @Test
    void oneRowPerCellWithTheFinalNumbersOfItsManifest() throws Exception {
        StudyPlan plan = new StudyPlan("s", List.of("variance.lambda"), List.of(
                new StudyPlan.Cell("lambda=0", Map.of("variance.lambda", "0"), null),
                new StudyPlan.Cell("lambda=1", Map.of("variance.lambda", "1"), null),
                new StudyPlan.Cell("lambda=2", Map.of("variance.lambda", "2"), null)));
        RunDirectory done = RunDirectory.create(StudyPlan.cellDirectory(tmp, plan.cells().get(0)),
                RunManifest.start("s-lambda=0", "variance", 1, null, null, null, null));
        done.setFinal(RunManifest.Final.of(MetricsSchema.ACTOR_CRITIC.newRow().set(Metric.ITERATION, 10.0)
                .set(Metric.TIME_S, 0.5).set(Metric.J, 1e-5), 10).with("SD", 0.1).withTheta(new double[] {1, 2}));
        done.completed();
        RunDirectory.create(StudyPlan.cellDirectory(tmp, plan.cells().get(1)),
                RunManifest.start("s-lambda=1", "variance", 1, null, null, null, null)).failed(new IllegalStateException("x"));
        List<Map<String, String>> rows = StudySummary.rows(plan, tmp);
        Map<String, String> first = new LinkedHashMap<>();
        first.put("cell", "lambda=0");
        first.put("variance.lambda", "0");
        first.put("status", "completed");
        first.put("iteration", "10.0");
        first.put("time_s", "0.5");
        first.put("J", "1.0E-5");
        first.put("secondsPerIteration", "0.05");
        first.put("SD", "0.1");
        assertEquals(first, rows.get(0));
        assertEquals("failed", rows.get(1).get("status"));
        assertEquals("missing", rows.get(2).get("status"));
        StudySummary.write(tmp.resolve("study.csv"), plan.keys(), rows);
        assertEquals("cell,variance.lambda,status,iteration,time_s,J,secondsPerIteration,SD\n"
                + "lambda=0,0,completed,10.0,0.5,1.0E-5,0.05,0.1\n"
                + "lambda=1,1,failed,,,,,\n"
                + "lambda=2,2,missing,,,,,\n", Files.readString(tmp.resolve("study.csv")));
    }
}
