package org.pgflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics families: their headers spelled out, lookups by column, and rows set by column. */
class MetricsSchemaTest {
    @Test
    void everyFamilyHasTheHeaderOfItsMetricsCsv() {
        assertEquals("iteration,time_s,objective,value,gap,max_tv,kl_gauss,kl_knn,objective_knn,drift_norm,"
                + "theta_mean_norm,theta_sq_mean,w2_coupled,value_coupled,gap_coupled,tau,sigma,gap_tau,gap0",
                MetricsSchema.MEAN_FIELD_EXACT.header());
        assertEquals("iteration,time_s,objective,value_mc,value_se,env_return,env_return_se,kl_gauss,kl_knn,"
                + "objective_knn,drift_norm,theta_mean_norm,theta_sq_mean,value,gap,rollout_steps,summary_particles,"
                + "tau,sigma,gap_tau,gap0", MetricsSchema.MEAN_FIELD_MONTE_CARLO.header());
        assertEquals("iteration,time_s,objective,J,J_se,Var,Var_se,eta,eta_se,episodes,steps,exact_J,exact_Var,"
                + "exact_eta,kl_gauss,kl_knn,objective_knn,drift_norm,theta_mean_norm,theta_sq_mean,sigma,SD,SD_se",
                MetricsSchema.MEAN_FIELD_VARIANCE.header());
        assertEquals("iteration,time_s,objective,value,gap,max_tv,gap_tau,gap0,tau", MetricsSchema.TABULAR.header());
        assertEquals("iteration,time_s,objective,J,J_se,Var,Var_se,eta,eta_se,episodes,steps,exact_J,exact_Var,"
                + "exact_eta,grad_norm,theta_norm,critic_bias", MetricsSchema.ACTOR_CRITIC.header());
    }

    @Test
    void theLoopsDeclareTheirColumnsThroughTheSchema() {
        assertEquals(MetricsSchema.MEAN_FIELD_EXACT.names(), MeanFieldTrainer.COLUMNS);
        assertEquals(MetricsSchema.MEAN_FIELD_MONTE_CARLO.names(), MonteCarloMeanFieldTrainer.COLUMNS);
        assertEquals(MetricsSchema.TABULAR.names(), TabularTrainer.COLUMNS);
        // still listed by name in the loop itself: the family must name the same columns
        assertEquals(MetricsSchema.MEAN_FIELD_VARIANCE.names(), EpisodicMeanFieldTrainer.COLUMNS);
    }

    @Test
    void everyColumnBelongsToSomeFamilyAndFamiliesAreFoundByTheirNames() {
        EnumSet<Metric> used = EnumSet.noneOf(Metric.class);
        for (MetricsSchema s : MetricsSchema.values()) {
            used.addAll(s.columns());
            assertEquals(List.of(Metric.ITERATION, Metric.TIME_S, Metric.OBJECTIVE), s.columns().subList(0, 3), s.name());
            assertSame(s, MetricsSchema.of(Arrays.asList(s.header().split(","))));
            for (int i = 0; i < s.columns().size(); i++) {
                assertEquals(i, s.indexOf(s.columns().get(i)));
            }
        }
        assertEquals(EnumSet.allOf(Metric.class), used);
        assertThrows(IllegalArgumentException.class, () -> MetricsSchema.of(List.of("iteration", "time_s")));
    }

    @Test
    void aRowIsSetAndReadByColumnAndRefusesColumnsOfOtherFamilies() {
        MetricsRow r = MetricsSchema.TABULAR.newRow();
        assertNull(r.get(Metric.GAP), "a new row is empty");
        r.set(Metric.GAP, 0.25).setFinite(Metric.GAP0, Double.NaN).set(Metric.ITERATION, 3.0);
        assertEquals(0.25, r.get(Metric.GAP));
        assertNull(r.get(Metric.GAP0), "a value that is not finite leaves the cell empty");
        Double[] cells = r.cells();
        assertEquals(3.0, cells[0]);
        assertEquals(0.25, cells[MetricsSchema.TABULAR.indexOf(Metric.GAP)]);
        cells[0] = 99.0;
        assertEquals(3.0, r.get(Metric.ITERATION), "cells() is a copy");
        assertEquals(r, MetricsRow.of(MetricsSchema.TABULAR, r.cells()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.set(Metric.J, 1.0));
        assertTrue(e.getMessage().contains("J"), e.getMessage());
        assertFalse(MetricsSchema.TABULAR.has(Metric.DRIFT_NORM));
        assertThrows(IllegalArgumentException.class, () -> MetricsRow.of(MetricsSchema.TABULAR, new Double[3]));
    }
}
