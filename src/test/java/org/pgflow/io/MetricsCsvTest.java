package org.pgflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgflow.train.Metric;
import org.pgflow.train.MetricsRow;
import org.pgflow.train.MetricsSchema;

/** metrics.csv written and read through the schema: the exact text, and rows that read back equal. */
class MetricsCsvTest {
    @TempDir
    Path tmp;

    @Test
    void rowsRoundTripAndTheTextIsTheFamilysHeaderAndShortestNumbers() throws Exception {
        Path f = tmp.resolve("metrics.csv");
        MetricsRow a = MetricsSchema.TABULAR.newRow().set(Metric.ITERATION, 0.0).set(Metric.TIME_S, 0.125)
                .set(Metric.OBJECTIVE, -1.0 / 3).set(Metric.VALUE, -1.0 / 3).set(Metric.GAP, 1e-17)
                .set(Metric.TAU, 0.5);
        MetricsRow b = MetricsSchema.TABULAR.newRow().set(Metric.ITERATION, 1.0).set(Metric.GAP0, 2.5e15)
                .set(Metric.MAX_TV, -0.0);
        try (MetricsCsv csv = new MetricsCsv(f, MetricsSchema.TABULAR)) {
            csv.write(a);
            csv.write(b);
        }
        assertEquals("iteration,time_s,objective,value,gap,max_tv,gap_tau,gap0,tau\n"
                + "0,0.125,-0.3333333333333333,-0.3333333333333333,1.0E-17,,,,0.5\n"
                + "1,,,,,0,,2.5E15,\n", Files.readString(f));
        List<MetricsRow> back = MetricsCsv.read(f);
        assertEquals(2, back.size());
        assertEquals(a, back.get(0));
        assertEquals(MetricsSchema.TABULAR, back.get(1).schema());
        assertEquals(2.5e15, back.get(1).get(Metric.GAP0));
    }

    @Test
    void positionalCellsGiveTheSameTextAndARowOfAnotherFamilyIsRefused() throws Exception {
        Path byColumn = tmp.resolve("a.csv");
        Path byPosition = tmp.resolve("b.csv");
        MetricsRow r = MetricsSchema.ACTOR_CRITIC.newRow().set(Metric.ITERATION, 7.0).set(Metric.J, 1.5)
                .set(Metric.CRITIC_BIAS, 0.01);
        try (MetricsCsv csv = new MetricsCsv(byColumn, MetricsSchema.ACTOR_CRITIC)) {
            csv.write(r);
            assertThrows(IllegalArgumentException.class, () -> csv.write(MetricsSchema.TABULAR.newRow()));
        }
        try (MetricsCsv csv = new MetricsCsv(byPosition, MetricsSchema.of(MetricsSchema.ACTOR_CRITIC.names()))) {
            csv.write(MetricsRow.of(MetricsSchema.ACTOR_CRITIC, r.cells()));
            assertThrows(IllegalArgumentException.class, () -> MetricsRow.of(csv.schema(), new Double[2]));
        }
        assertEquals(Files.readString(byColumn), Files.readString(byPosition));
    }

    @Test
    void aResumedFileKeepsItsRowsAndTheHeaderMustBeTheFamilys() throws Exception {
        Path f = tmp.resolve("metrics.csv");
        try (MetricsCsv csv = new MetricsCsv(f, MetricsSchema.TABULAR)) {
            for (int k = 0; k < 3; k++) {
                csv.write(MetricsSchema.TABULAR.newRow().set(Metric.ITERATION, (double) k));
            }
        }
        assertThrows(IllegalStateException.class, () -> MetricsCsv.continueAt(f, MetricsSchema.MEAN_FIELD_EXACT, 1));
        try (MetricsCsv csv = MetricsCsv.continueAt(f, MetricsSchema.TABULAR, 2)) {
            csv.write(MetricsSchema.TABULAR.newRow().set(Metric.ITERATION, 9.0));
        }
        List<MetricsRow> rows = MetricsCsv.read(f);
        assertEquals(List.of(0.0, 1.0, 9.0), rows.stream().map(x -> x.get(Metric.ITERATION)).toList());
    }
}
