package org.pgflow.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pgflow.config.RunConfig;
import org.pgflow.config.TabularUpdate;
import org.pgflow.estimate.TabularBaselines;
import org.pgflow.io.MetricsCsv;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.train.Checkpoints;
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
     * @return the last metrics row ({@link TabularTrainer#COLUMNS})
     */
    public static Double[] run(RunConfig cfg, Problem problem, RunDirectory run, Progress progress,
                               Checkpoints checkpoints) {
        FiniteMdp mdp = problem.mdp();
        ObjectNode m = run.manifest();
        m.put("problem", mdp.name());
        m.put("states", mdp.numStates());
        m.put("actions", mdp.numActions());
        m.put("update", cfg.tabular().update().key());
        try (MetricsCsv metrics = checkpoints.resume() != null
                ? run.metricsContinued(TabularTrainer.COLUMNS, checkpoints.start()) : run.metrics(TabularTrainer.COLUMNS)) {
            TabularTrainer.Result r = TabularTrainer.run(mdp, problem.method(), problem.stepSize(), cfg.tabular().tau(),
                    cfg.iterations(), metrics::write, progress::tick, checkpoints);
            run.writePolicy(TabularPolicy.toJson(r.policy()));
            ObjectNode fin = m.putObject("final");
            for (int c = 0; c < TabularTrainer.COLUMNS.size(); c++) {
                if (r.lastRow()[c] != null) {
                    fin.put(TabularTrainer.COLUMNS.get(c), r.lastRow()[c]);
                }
            }
            m.put("softOptimalValue", r.optimum());
            fin.put("secondsPerIteration", cfg.iterations() > 0 ? r.lastRow()[1] / cfg.iterations() : 0.0);
            return r.lastRow();
        }
    }
}
