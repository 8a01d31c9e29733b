package org.pgflow.run;

import org.pgflow.config.RunConfig;
import org.pgflow.config.TabularUpdate;
import org.pgflow.estimate.TabularBaselines;
import org.pgflow.io.MetricsCsv;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.io.RunManifest;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.train.Checkpoints;
import org.pgflow.train.MetricsRow;
import org.pgflow.train.TabularTrainer;
import org.pgflow.util.InvalidInputException;

/**
 * Driver of a tabular-baseline run ({@code algorithm: tabular}, docs/algorithms.md §2.13): softmax PG or entropy-regularised
 * NPG on a finite MDP with exact evaluation, in the same run directory as a mean-field run (run.json, metrics.csv,
 * policy.json, checkpoints, report). All work is on the driver.
 */
public final class TabularJob {
    private TabularJob() {
    }

    /**
     * A validated tabular run.
     *
     * @param mdp      the model
     * @param method   the baseline
     * @param stepSize η
     */
    public record Problem(FiniteMdp mdp, TabularBaselines.Method method, double stepSize) {
    }

    /**
     * Resolves the problem; called before anything is written.
     *
     * @param cfg configuration with {@code algorithm: tabular}
     * @return the problem
     * @throws InvalidInputException for an invalid model file or an NPG step above {@code (1−γ)/τ_max}
     */
    public static Problem problem(RunConfig cfg) {
        FiniteMdp mdp = Problems.mdp(cfg);
        RunConfig.TabularSpec t = cfg.tabular();
        TabularBaselines.Method method = t.update() == TabularUpdate.NPG ? TabularBaselines.Method.NPG
                : TabularBaselines.Method.SOFTMAX_PG;
        TabularBaselines.checkStepSize(method, "tabular.stepSize", t.stepSize(), t.tau().max(), mdp.gamma());
        return new Problem(mdp, method, t.stepSize());
    }

    /**
     * Runs (or resumes) the job.
     *
     * @param cfg         configuration
     * @param problem     the problem
     * @param run         the run directory
     * @param progress    progress printer
     * @param checkpoints checkpoint period, sink and resume point
     * @return the last metrics row
     */
    public static MetricsRow run(RunConfig cfg, Problem problem, RunDirectory run, Progress progress,
                                 Checkpoints checkpoints) {
        FiniteMdp mdp = problem.mdp();
        run.setProblem(new RunManifest.Problem(mdp.name(), mdp.numStates(), mdp.numActions(), null,
                cfg.tabular().update().key(), null, null, null));
        try (MetricsCsv metrics = MeanFieldJob.metrics(run, TabularTrainer.SCHEMA, checkpoints)) {
            TabularTrainer.Result r = TabularTrainer.run(mdp, problem.method(), problem.stepSize(), cfg.tabular().tau(),
                    cfg.iterations(), metrics::write, progress::tick, checkpoints);
            run.writePolicy(TabularPolicy.toJson(r.policy()));
            run.setProblem(new RunManifest.Problem(null, null, null, null, null, null, null, r.optimum()));
            run.setFinal(RunManifest.Final.of(r.last(), cfg.iterations()));
            return r.last();
        }
    }
}
