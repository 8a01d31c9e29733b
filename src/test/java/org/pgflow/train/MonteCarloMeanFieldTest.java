package org.pgflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.pgflow.TestSupport;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.RunConfig;
import org.pgflow.estimate.BoundedOracleSolution;
import org.pgflow.estimate.ExactSolver;
import org.pgflow.math.Quadrature;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.env.BoundedOracle;
import org.pgflow.meanfield.NeuronLayout;
import org.pgflow.meanfield.ParticleBlock;
import org.pgflow.meanfield.ParticleSummary;
import org.pgflow.meanfield.Points;
import org.pgflow.policy.MeanFieldActionDistribution;
import org.pgflow.policy.MeanFieldPolicy;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;

/** The mean-field method in Monte Carlo mode: convergence on T3, and the bias of a subsampled measure summary. */
class MonteCarloMeanFieldTest {

    /**
     * Exact value of the mean-field policy on T3 (docs/algorithms.md §3.6): transitions do not depend on (s, a) and
     * d_ρ = U[−1, 1], so {@code V^π(ρ) = E_{s∼U}[Σ_a π(a|s)(r(s,a) − τℓ(s,a))]/(1−γ)}, by 64-node Gauss–Legendre
     * in s (the actions are the environment's grid).
     */
    static double exactT3Value(BoundedOracle env, ParticleSummary summary, double tau) {
        MeanFieldActionDistribution pol = new MeanFieldActionDistribution(env, summary);
        Quadrature rule = Quadrature.uniform(64, -1, 1);
        int na = env.numActions();
        double[] pi = new double[na];
        double[] ell = new double[na];
        double total = 0;
        for (int j = 0; j < rule.size(); j++) {
            double s = rule.node(j);
            pol.evaluate(new double[] {s}, pi, ell);
            double v = 0;
            for (int a = 0; a < na; a++) {
                v += pi[a] * (BoundedOracle.reward(s, env.action(a)) - tau * ell[a]);
            }
            total += rule.weight(j) * v;
        }
        return total / (1 - env.gamma());
    }

    static ParticleSummary summaryOf(List<ParticleBlock> blocks, NeuronLayout layout) {
        List<double[]> rows = new ArrayList<>();
        for (ParticleBlock b : blocks) {
            for (int i = 0; i < b.count(); i++) {
                rows.add(b.particle(i));
            }
        }
        return ParticleSummary.ofRows(layout, rows.toArray(new double[0][]));
    }

    /**
     * docs/algorithms.md §5 T3 in Monte Carlo mode on the single-JVM engines: from ν_0 = N(0, I) (value ≈ 0, the uniform
     * policy's) the exact value of π_ν after 60 iterations (t = 6) with σ = 0.1 must be within 0.1 of the grid
     * problem's soft optimum V*(ρ) ≈ 0.914 (the remaining gap is the entropic bias at this σ plus finite-N and
     * Monte Carlo error; seed 5).
     */
    @Test
    void t3ApproachesTheSoftOptimum() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("algorithm", "meanfield");
        n.put("seed", 5);
        n.put("iterations", 60);
        n.putObject("environment").put("type", "bounded-oracle").put("gridSize", 15);
        n.putObject("meanfield").put("particles", 100).put("outputScale", 2.0).put("tau", 0.2).put("sigma", 0.1)
                .put("dt", 0.1).put("evaluation", "montecarlo").put("rolloutStates", 150).put("monitorRollouts", 20)
                .put("summaryParticles", 100).put("knnEvery", 0);
        RunConfig cfg = RunConfig.from(ConfigTree.of(n), null);
        BoundedOracle env = BoundedOracle.of(15, 0.9);
        double optimum = BoundedOracleSolution.of(0.9, 0.2, 15).optimalValueAtInitial();
        MonteCarloMeanFieldTrainer.Problem pb = new MonteCarloMeanFieldTrainer.Problem(env, null, optimum);
        MonteCarloMeanFieldTrainer.Settings mc = new MonteCarloMeanFieldTrainer.Settings(100, 150, 0, 20, 0, 16);
        NeuronLayout layout = new NeuronLayout(1, env.inputDim(), 2.0);
        try (LocalParticleEngine engine = new LocalParticleEngine()) {
            List<Double[]> rows = new ArrayList<>();
            MonteCarloMeanFieldTrainer.run(pb, cfg.meanfield(), mc, 5, 60, engine, RolloutEngine.LOCAL, r -> rows.add(r.cells()),
                    (k, t, o, g) -> { }, null);
            double v = exactT3Value(env, summaryOf(engine.blocks(), layout), 0.2);
            assertTrue(optimum - v < 0.1 && optimum - v > -1e-9, "exact value " + v + " vs V* " + optimum + " (seed 5)");
            assertEquals(61, rows.size());
        }
    }

    /**
     * The bias of a subsampled measure summary (see meanfield.summaryParticles). F̂ from m of N particles is
     * unbiased for F, but V(π_{F̂}) is a non-linear function of F̂, so E[V(π_{F̂})] − V(π_F) = c/m + o(1/m) with
     * c = ½ tr(∇²V · N·Cov(f)) (delta method; sampling without replacement multiplies by (N − m)/(N − 1)). Measured
     * on T1 with a 4000-particle cloud: the bias at m = 10 is clearly non-zero, and m·bias(m)·(N−1)/(N−m) agrees
     * between m = 10 and m = 40 within 4 SE (40,000 subsamples each; false-failure probability ≈ 1e-4; seed 3).
     */
    @Test
    void subsampledSummaryBiasIsOfOrderOneOverM() {
        FiniteMdp t1 = ModelFiles.loadMdp(TestSupport.env("t1.mdp.json"));
        NeuronLayout layout = new NeuronLayout(1, 5, 4.0);
        int big = 4000;
        RandomGenerator rng = Streams.of(3, Purpose.TEST, 0, 0);
        double[][] cloud = new double[big][layout.dim()];
        for (double[] row : cloud) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        Points points = Points.allStateActions(t1);
        double full = valueOf(t1, ParticleSummary.ofRows(layout, cloud), points);
        double[] scaled = new double[2];
        double[] se = new double[2];
        int[] ms = {10, 40};
        for (int q = 0; q < 2; q++) {
            int m = ms[q];
            int reps = 40_000;
            double sum = 0;
            double sumSq = 0;
            for (int r = 0; r < reps; r++) {
                long[] ids = Streams.subset(Streams.of(3, Purpose.TEST, m, r), big, m);
                double[][] rows = new double[m][];
                for (int i = 0; i < m; i++) {
                    rows[i] = cloud[(int) ids[i]];
                }
                double d = valueOf(t1, ParticleSummary.ofRows(layout, rows), points) - full;
                sum += d;
                sumSq += d * d;
            }
            double mean = sum / reps;
            double sd = Math.sqrt((sumSq / reps - mean * mean) * reps / (reps - 1));
            double fpc = (big - 1.0) / (big - m);
            scaled[q] = m * mean * fpc;
            se[q] = m * sd / Math.sqrt(reps) * fpc;
            System.out.printf("summary of m = %d particles: bias of V(rho) = %.5f ± %.5f (m·bias = %.4f)%n", m, mean,
                    sd / Math.sqrt(reps), scaled[q]);
        }
        assertTrue(Math.abs(scaled[0]) > 4 * se[0], "bias at m = 10 is measurable: " + scaled[0] + " ± " + se[0]);
        double diff = scaled[0] - scaled[1];
        assertTrue(Math.abs(diff) <= 4 * Math.hypot(se[0], se[1]),
                "m·bias(m) at m = 10 and 40: " + scaled[0] + " ± " + se[0] + " vs " + scaled[1] + " ± " + se[1]);
    }

    private static double valueOf(FiniteMdp mdp, ParticleSummary summary, Points points) {
        double[] f = new double[points.size()];
        summary.outputs(points, f);
        double[][] pi = MeanFieldPolicy.probabilities(f, mdp.numStates(), mdp.mu());
        return ExactSolver.evaluate(mdp, pi, 0.5).valueAtInitial();
    }
}
