package org.pgflow.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.pgflow.config.RunConfig;
import org.pgflow.io.MetricsCsv;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.train.Checkpoints;
import org.pgflow.train.EpisodeEngine;
import org.pgflow.train.VarianceTrainer;
import org.pgflow.variance.ActorCriticState;
import org.pgflow.variance.ReturnMoments;

/**
 * Driver of a variance-adjusted actor–critic run ({@code algorithm: variance}): runs {@link VarianceTrainer} on an
 * {@link Engine}'s episode engine and writes the run directory (metrics.csv, returns.csv, run.json, and policy.json
 * for finite SSPs). The problem is built by {@link Problems#actorCritic}.
 */
public final class VarianceJob {
    /** metrics.csv columns ({@link VarianceTrainer#COLUMNS}). */
    public static final List<String> COLUMNS = VarianceTrainer.COLUMNS;

    private VarianceJob() {
    }

    /** Runs (or resumes) the job on the episode engine of {@code engine}; see the other {@code run}. */
    public static VarianceTrainer.Result run(RunConfig cfg, VarianceTrainer.Problem problem, Engine engine,
                                             RunDirectory run, Progress progress, Checkpoints checkpoints) {
        return run(cfg, problem, engine.episodes(), run, progress, checkpoints);
    }

    /** Runs (or resumes) the job with an arbitrary episode engine (the single-JVM one in tests). */
    public static VarianceTrainer.Result run(RunConfig cfg, VarianceTrainer.Problem problem, EpisodeEngine engine,
                                             RunDirectory run, Progress progress, Checkpoints checkpoints) {
        ObjectNode m = run.manifest();
        m.put("problem", problem.ssp() != null ? problem.ssp().name() : "portfolio");
        m.put("policyParameters", problem.model().numParameters());
        m.put("criticDimension", problem.model().criticDimension());
        StringBuilder returns = new StringBuilder("return\n");
        VarianceTrainer.Result r;
        try (MetricsCsv metrics = checkpoints.resume() != null
                ? run.metricsContinued(COLUMNS, checkpoints.start()) : run.metrics(COLUMNS)) {
            r = VarianceTrainer.run(problem, cfg.seed(), cfg.iterations(), cfg.variance().evalEpisodes(), engine,
                    metrics::write, progress::tick, checkpoints, b -> returns.append(b).append('\n'));
            org.pgflow.io.AtomicFiles.writeString(run.path().resolve("returns.csv"), returns.toString());
        }
        Double[] row = r.lastRow();
        ReturnMoments evaluation = r.evaluation();
        ActorCriticState state = r.state();
        ObjectNode fin = m.putObject("final");
        for (int c = 0; c < COLUMNS.size(); c++) {
            if (row[c] != null) {
                fin.put(COLUMNS.get(c), row[c]);
            }
        }
        fin.put("SD", evaluation.standardDeviation());
        fin.put("secondsPerIteration", cfg.iterations() > 0 ? row[1] / cfg.iterations() : 0.0);
        ArrayNode theta = fin.putArray("theta");
        for (double x : state.theta()) {
            theta.add(x);
        }
        if (problem.ssp() != null) {
            run.writePolicy(TabularPolicy.toJson(((TabularSoftmaxPolicy) problem.model().policy()).table(state.theta())));
        }
        return r;
    }
}
