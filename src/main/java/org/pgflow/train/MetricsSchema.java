package org.pgflow.train;

import static org.pgflow.train.Metric.CRITIC_BIAS;
import static org.pgflow.train.Metric.DRIFT_NORM;
import static org.pgflow.train.Metric.ENV_RETURN;
import static org.pgflow.train.Metric.ENV_RETURN_SE;
import static org.pgflow.train.Metric.EPISODES;
import static org.pgflow.train.Metric.ETA;
import static org.pgflow.train.Metric.ETA_SE;
import static org.pgflow.train.Metric.EXACT_ETA;
import static org.pgflow.train.Metric.EXACT_J;
import static org.pgflow.train.Metric.EXACT_VAR;
import static org.pgflow.train.Metric.GAP;
import static org.pgflow.train.Metric.GAP0;
import static org.pgflow.train.Metric.GAP_COUPLED;
import static org.pgflow.train.Metric.GAP_TAU;
import static org.pgflow.train.Metric.GRAD_NORM;
import static org.pgflow.train.Metric.ITERATION;
import static org.pgflow.train.Metric.J;
import static org.pgflow.train.Metric.J_SE;
import static org.pgflow.train.Metric.KL_GAUSS;
import static org.pgflow.train.Metric.KL_KNN;
import static org.pgflow.train.Metric.MAX_TV;
import static org.pgflow.train.Metric.OBJECTIVE;
import static org.pgflow.train.Metric.OBJECTIVE_KNN;
import static org.pgflow.train.Metric.ROLLOUT_STEPS;
import static org.pgflow.train.Metric.SD;
import static org.pgflow.train.Metric.SD_SE;
import static org.pgflow.train.Metric.SIGMA;
import static org.pgflow.train.Metric.STEPS;
import static org.pgflow.train.Metric.SUMMARY_PARTICLES;
import static org.pgflow.train.Metric.TAU;
import static org.pgflow.train.Metric.THETA_MEAN_NORM;
import static org.pgflow.train.Metric.THETA_NORM;
import static org.pgflow.train.Metric.THETA_SQ_MEAN;
import static org.pgflow.train.Metric.TIME_S;
import static org.pgflow.train.Metric.VALUE;
import static org.pgflow.train.Metric.VALUE_COUPLED;
import static org.pgflow.train.Metric.VALUE_MC;
import static org.pgflow.train.Metric.VALUE_SE;
import static org.pgflow.train.Metric.VAR;
import static org.pgflow.train.Metric.VAR_SE;
import static org.pgflow.train.Metric.W2_COUPLED;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of {@code metrics.csv} of each run family, declared once (docs/architecture.md §7.3). Every family
 * starts with {@code iteration, time_s, objective}. A {@link MetricsRow} of a family holds one value per column;
 * {@code io/MetricsCsv} writes the header and the rows through it.
 */
public enum MetricsSchema {
    /** Mean-field policy gradient with exact evaluation ({@link MeanFieldTrainer}). */
    MEAN_FIELD_EXACT(ITERATION, TIME_S, OBJECTIVE, VALUE, GAP, MAX_TV, KL_GAUSS, KL_KNN, OBJECTIVE_KNN, DRIFT_NORM,
            THETA_MEAN_NORM, THETA_SQ_MEAN, W2_COUPLED, VALUE_COUPLED, GAP_COUPLED, TAU, SIGMA, GAP_TAU, GAP0),
    /** Mean-field policy gradient with Monte Carlo evaluation ({@link MonteCarloMeanFieldTrainer}). */
    MEAN_FIELD_MONTE_CARLO(ITERATION, TIME_S, OBJECTIVE, VALUE_MC, VALUE_SE, ENV_RETURN, ENV_RETURN_SE, KL_GAUSS,
            KL_KNN, OBJECTIVE_KNN, DRIFT_NORM, THETA_MEAN_NORM, THETA_SQ_MEAN, VALUE, GAP, ROLLOUT_STEPS,
            SUMMARY_PARTICLES, TAU, SIGMA, GAP_TAU, GAP0),
    /** Variance-adjusted mean-field policy gradient on a finite SSP ({@link EpisodicMeanFieldTrainer}). */
    MEAN_FIELD_VARIANCE(ITERATION, TIME_S, OBJECTIVE, J, J_SE, VAR, VAR_SE, ETA, ETA_SE, EPISODES, STEPS, EXACT_J,
            EXACT_VAR, EXACT_ETA, KL_GAUSS, KL_KNN, OBJECTIVE_KNN, DRIFT_NORM, THETA_MEAN_NORM, THETA_SQ_MEAN, SIGMA, SD,
            SD_SE),
    /** Tabular softmax PG and NPG baselines ({@link TabularTrainer}). */
    TABULAR(ITERATION, TIME_S, OBJECTIVE, VALUE, GAP, MAX_TV, GAP_TAU, GAP0, TAU),
    /** The variance-adjusted actor–critic ({@code algorithm: variance}); the last row evaluates the learned policy. */
    ACTOR_CRITIC(ITERATION, TIME_S, OBJECTIVE, J, J_SE, VAR, VAR_SE, ETA, ETA_SE, EPISODES, STEPS, EXACT_J, EXACT_VAR,
            EXACT_ETA, GRAD_NORM, THETA_NORM, CRITIC_BIAS);

    private final List<Metric> columns;
    private final List<String> names;
    private final Map<Metric, Integer> index = new EnumMap<>(Metric.class);

    MetricsSchema(Metric... columns) {
        this.columns = List.of(columns);
        this.names = this.columns.stream().map(Metric::csvName).toList();
        for (int i = 0; i < columns.length; i++) {
            if (index.put(columns[i], i) != null) {
                throw new IllegalStateException(name() + " lists " + columns[i] + " twice");
            }
        }
    }

    /** @return the columns, in order */
    public List<Metric> columns() {
        return columns;
    }

    /** @return the CSV names of the columns, in order */
    public List<String> names() {
        return names;
    }

    /** @return the header line of metrics.csv (without the line end) */
    public String header() {
        return String.join(",", names);
    }

    /** @return whether the family has column {@code c} */
    public boolean has(Metric c) {
        return index.containsKey(c);
    }

    /**
     * @param c a column of this family
     * @return its position (0 = {@code iteration})
     * @throws IllegalArgumentException if the family has no such column
     */
    public int indexOf(Metric c) {
        Integer i = index.get(c);
        if (i == null) {
            throw new IllegalArgumentException("metrics of " + name() + " have no column " + c.csvName());
        }
        return i;
    }

    /** @return a row of this family with every cell empty */
    public MetricsRow newRow() {
        return new MetricsRow(this);
    }

    /**
     * The family whose columns are {@code names}, in order.
     *
     * @param names column names (a header split at commas)
     * @return the family
     * @throws IllegalArgumentException when no family has exactly these columns
     */
    public static MetricsSchema of(List<String> names) {
        for (MetricsSchema s : values()) {
            if (s.names.equals(names)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no metrics family has the columns " + String.join(",", names));
    }
}
