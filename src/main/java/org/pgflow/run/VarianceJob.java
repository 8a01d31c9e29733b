package org.pgflow.run;

import java.util.List;
import org.pgflow.config.RunConfig;
import org.pgflow.io.AtomicFiles;
import org.pgflow.io.MetricsCsv;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.io.RunManifest;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.train.Checkpoints;
import org.pgflow.train.EpisodeEngine;
import org.pgflow.train.VarianceTrainer;

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
        run.setProblem(new RunManifest.Problem(problem.ssp() != null ? problem.ssp().name() : "portfolio", null, null,
                null, null, problem.model().numParameters(), problem.model().criticDimension(), null));
        StringBuilder returns = new StringBuilder("return\n");
        VarianceTrainer.Result r;
        try (MetricsCsv metrics = checkpoints.resume() != null
                ? run.metricsContinued(VarianceTrainer.SCHEMA, checkpoints.start())
                : run.metrics(VarianceTrainer.SCHEMA)) {
            r = VarianceTrainer.run(problem, cfg.seed(), cfg.iterations(), cfg.variance().evalEpisodes(), engine,
                    metrics::write, progress::tick, checkpoints, b -> returns.append(b).append('\n'));
            AtomicFiles.writeString(run.path().resolve("returns.csv"), returns.toString());
        }
        run.setFinal(RunManifest.Final.cells(r.last()).with("SD", r.evaluation().standardDeviation())
                .withSecondsPerIteration(cfg.iterations()).withTheta(r.state().theta()));
        if (problem.ssp() != null) {
            run.writePolicy(TabularPolicy.toJson(((TabularSoftmaxPolicy) problem.model().policy()).table(r.state().theta())));
        }
        return r;
    }
}
