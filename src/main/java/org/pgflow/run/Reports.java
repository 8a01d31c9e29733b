package org.pgflow.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.RunConfig;
import org.pgflow.estimate.ExactSolver;
import org.pgflow.io.RunManifest;
import org.pgflow.io.RunReport;

/**
 * Writes a run's report ({@link RunReport}) with what needs the run's problem: the particle snapshots (read with
 * the Parquet library, whichever engine wrote them), the soft optimum, and the mean action of the final policy.
 */
public final class Reports {
    private Reports() {
    }

    /**
     * Writes {@code plots/} and {@code report.html} of a run directory.
     *
     * @param runDir the run directory (finished, failed or in progress)
     * @return the plot files written
     */
    public static List<Path> write(Path runDir) {
        RunReport.SnapshotReader reader = org.pgflow.io.ParticleSnapshots::read;
        return RunReport.write(runDir, reader, () -> optimalPolicy(runDir), () -> {
            try {
                Path p = meanAction(runDir, reader);
                return p != null ? List.of(p) : List.of();
            } catch (RuntimeException e) {
                return List.of(); // a report shows what it can
            }
        });
    }

    /**
     * For Monte Carlo runs on continuous-state environments: the final policy's mean action
     * {@code E_π[a|s] = Σ_a π(a|s) a} over slices of the state space (plots/mean-action.png), with the soft-optimal
     * mean action where it is known (T3). Reads the last particle snapshot.
     */
    static Path meanAction(Path runDir, RunReport.SnapshotReader reader) {
        try {
            RunConfig cfg = config(runDir, "meanfield");
            if (cfg == null) {
                return null;
            }
            MeanFieldJob.Problem pb = MeanFieldJob.problem(cfg);
            if (pb.mc() == null || pb.mdp() != null) {
                return null;
            }
            org.pgflow.mdp.SimEnvironment env = pb.mc().env();
            Path last = org.pgflow.io.ParticleSnapshots.latest(runDir.resolve("particles"));
            if (last == null) {
                return null;
            }
            org.pgflow.meanfield.NeuronLayout layout = new org.pgflow.meanfield.NeuronLayout(cfg.meanfield().units(),
                    env.inputDim(), cfg.meanfield().outputScale());
            org.pgflow.policy.MeanFieldActionDistribution pol = new org.pgflow.policy.MeanFieldActionDistribution(env,
                    org.pgflow.meanfield.ParticleSummary.ofRows(layout, reader.read(last, 5000)));
            java.util.function.IntToDoubleFunction value;
            String xLabel;
            double lo;
            double hi;
            double[] slices;
            String sliceName;
            if (env instanceof org.pgflow.mdp.env.BoundedOracle o) {
                value = o::action;
                xLabel = "state s";
                lo = -1;
                hi = 1;
                slices = null;
                sliceName = null;
            } else if (env instanceof org.pgflow.mdp.env.LinearQuadratic q) {
                value = a -> q.grid().coordinate(a, 0);
                xLabel = "state s";
                lo = -3;
                hi = 3;
                slices = null;
                sliceName = null;
            } else if (env instanceof org.pgflow.mdp.env.Pendulum pd) {
                value = pd::torque;
                xLabel = "angle θ";
                lo = -Math.PI;
                hi = Math.PI;
                slices = new double[] {-4, 0, 4};
                sliceName = "θ̇";
            } else if (env instanceof org.pgflow.mdp.env.MountainCarContinuous mc) {
                value = mc::force;
                xLabel = "position";
                lo = -1.2;
                hi = 0.6;
                slices = new double[] {-0.03, 0, 0.03};
                sliceName = "velocity";
            } else {
                return null;
            }
            int n = 121;
            double[] xs = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = lo + (hi - lo) * i / (n - 1);
            }
            double[] pi = new double[env.numActions()];
            List<org.pgflow.io.Plots.Series> series = new java.util.ArrayList<>();
            for (double slice : slices == null ? new double[] {Double.NaN} : slices) {
                double[] ys = new double[n];
                for (int i = 0; i < n; i++) {
                    double[] s = env.stateDim() == 1 ? new double[] {xs[i]} : new double[] {xs[i], slice};
                    pol.probabilities(s, pi);
                    double e = 0;
                    for (int a = 0; a < pi.length; a++) {
                        e += pi[a] * value.applyAsDouble(a);
                    }
                    ys[i] = e;
                }
                series.add(org.pgflow.io.Plots.Series.line(slices == null ? "E_π[a|s] (final)"
                        : "E_π[a|s], " + sliceName + " = " + slice, xs, ys));
            }
            if (env instanceof org.pgflow.mdp.env.BoundedOracle && cfg.meanfield().tau() > 0) {
                org.pgflow.estimate.BoundedOracleSolution sol = org.pgflow.estimate.BoundedOracleSolution.of(env.gamma(),
                        cfg.meanfield().tau(), ((org.pgflow.config.EnvironmentSpec.GridTask) cfg.environment()).gridSize());
                double[] ys = new double[n];
                for (int i = 0; i < n; i++) {
                    ys[i] = sol.optimalMeanAction(xs[i]);
                }
                series.add(org.pgflow.io.Plots.Series.line("E_π*[a|s] (soft optimum)", xs, ys));
            }
            return org.pgflow.io.Plots.xy(runDir.resolve("plots/mean-action.png"), "Mean action of the final policy ("
                    + env.name() + ")", xLabel, "mean action", false, false, series);
        } catch (IOException e) {
            return null;
        }
    }


    /**
     * The resolved config of a run, from its run.json.
     *
     * @param runDir     the run directory
     * @param algorithms the algorithms wanted
     * @return the config, or null when the run is of another algorithm or its run.json has no config
     * @throws IOException when run.json cannot be read
     */
    private static RunConfig config(Path runDir, String... algorithms) throws IOException {
        RunManifest m = RunManifest.read(runDir);
        if (m.config() == null || !List.of(algorithms).contains(m.algorithm())) {
            return null;
        }
        return RunConfig.from(ConfigTree.of(m.config()), null);
    }

    /** The soft-optimal policy of a mean-field run's finite MDP, from its resolved config; null if unavailable. */
    static double[][] optimalPolicy(Path runDir) {
        try {
            RunConfig cfg = config(runDir, "meanfield", "tabular");
            if (cfg == null) {
                return null;
            }
            org.pgflow.mdp.FiniteMdp mdp = MeanFieldJob.problem(cfg).mdp();
            // The soft optimum of the last iteration's τ (annealing moves it).
            double tau = cfg.tabular() != null ? cfg.tabular().tau().at(cfg.iterations(), 1)
                    : cfg.meanfield().tauAt(cfg.iterations());
            return mdp == null ? null : ExactSolver.softValueIteration(mdp, tau).policy();
        } catch (IOException | RuntimeException e) {
            return null; // a report shows what it can
        }
    }
}
