package org.pgflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.train.VarianceLoop.CriticMode;
import org.pgflow.train.VarianceLoop.Settings;
import org.pgflow.util.NumericalDivergenceException;
import org.pgflow.variance.ActorCriticModel;
import org.pgflow.variance.ActorCriticState;
import org.pgflow.variance.EpisodeSums;
import org.pgflow.variance.StepSchedule;

/**
 * The single-JVM actor–critic loop on docs/algorithms.md §5 T7/T8 and its reproducibility contract (docs/architecture.md §5).
 *
 * <p>Learning tests: from the uniform policy (θ = 0), λ = 0 must end at the risky optimum
 * (P(risky|D_i) &gt; 0.95) and λ = 0.5 at the safe one (&lt; 0.05); on T8 λ = 0.1 must end risky
 * (P &gt; 0.9) and λ = 0.2 safe (P &lt; 0.1). Settings (E = 50 episodes per iteration, 3000 iterations,
 * α_0 = 0.5, β_0 = 1, k_0 = 200, default exponents 0.6/0.9, critic features ∇ln π + one-hot state) were
 * chosen once and checked on seeds 1–6 before fixing seed 1 here: the worst values over those seeds were
 * 0.985 (T7 λ=0), 0.947 (T8 λ=0.1) and 0.027 (T8 λ=0.2), so these thresholds are not met by luck of one seed.
 */
class VarianceLoopTest {
    private static final long SEED = 1;
    private static final Settings LEARN = new Settings(CriticMode.INCREMENTAL, 50, 50, 64,
            StepSchedule.of(0.5, 1.0, 200), 20, 1e-8);

    private static ActorCriticModel model(Ssp ssp, double lambda) {
        SspEnvironment env = SspEnvironment.of(ssp);
        return ActorCriticModel.of(env, TabularSoftmaxPolicy.of(ssp.numStates(), ssp.numActions()), env, lambda,
                100_000);
    }

    private static double[] riskyProbabilities(ActorCriticModel m, ActorCriticState s, int stages) {
        double[][] pi = ((TabularSoftmaxPolicy) m.policy()).table(s.theta());
        double[] p = new double[stages];
        for (int i = 0; i < stages; i++) {
            p[i] = pi[i][1];
        }
        return p;
    }

    private static ActorCriticState learn(ActorCriticModel m, Settings s, long iterations) {
        return VarianceLoop.run(m, ActorCriticState.initial(new double[m.numParameters()], m.criticDimension()),
                SEED, iterations, s, null);
    }

    @Test
    void t7RiskNeutralLearnerEndsRisky() {
        ActorCriticModel m = model(RiskyChain.t7(), 0.0);
        double[] p = riskyProbabilities(m, learn(m, LEARN, 3000), 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(p[i] > 0.95, "T7 lambda=0: P(risky|D" + i + ") = " + p[i] + ", seed " + SEED);
        }
    }

    @Test
    void t7RiskAverseLearnerEndsSafe() {
        ActorCriticModel m = model(RiskyChain.t7(), 0.5);
        double[] p = riskyProbabilities(m, learn(m, LEARN, 3000), 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(p[i] < 0.05, "T7 lambda=0.5: P(risky|D" + i + ") = " + p[i] + ", seed " + SEED);
        }
    }

    @Test
    void t8SwitchAtLambda0139IsReproducedOnBothSides() {
        ActorCriticModel below = model(RiskyChain.t8(), 0.1);
        double pBelow = riskyProbabilities(below, learn(below, LEARN, 3000), 1)[0];
        assertTrue(pBelow > 0.9, "T8 lambda=0.1 (< 0.1389): P(risky) = " + pBelow + ", seed " + SEED);
        ActorCriticModel above = model(RiskyChain.t8(), 0.2);
        double pAbove = riskyProbabilities(above, learn(above, LEARN, 3000), 1)[0];
        assertTrue(pAbove < 0.1, "T8 lambda=0.2 (> 0.1389): P(risky) = " + pAbove + ", seed " + SEED);
    }

    /** The paper's algorithm: one episode per iteration, incremental critic (checked on seeds 1–3). */
    @Test
    void paperAlgorithmWithOneEpisodePerIterationEndsSafeOnT7() {
        ActorCriticModel m = model(RiskyChain.t7(), 0.5);
        Settings paper = new Settings(CriticMode.INCREMENTAL, 1, 1, 1, StepSchedule.of(0.05, 0.05, 10_000), 20, 1e-8);
        double[] p = riskyProbabilities(m, learn(m, paper, 150_000), 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(p[i] < 0.05, "T7 lambda=0.5, E=1: P(risky|D" + i + ") = " + p[i] + ", seed " + SEED);
        }
    }

    /** Variant B (least squares) and the exact critic reach the same optima (checked on seeds 1–3). */
    @Test
    void leastSquaresAndExactCriticsReachTheSameOptima() {
        for (CriticMode mode : new CriticMode[] {CriticMode.LEAST_SQUARES, CriticMode.EXACT}) {
            Settings s = new Settings(mode, 50, 50, 64, StepSchedule.of(0.5, 1.0, 200), 20, 1e-8);
            ActorCriticModel risky = model(RiskyChain.t7(), 0.0);
            ActorCriticModel safe = model(RiskyChain.t7(), 0.5);
            double[] pr = riskyProbabilities(risky, learn(risky, s, 1000), 3);
            double[] ps = riskyProbabilities(safe, learn(safe, s, 1000), 3);
            for (int i = 0; i < 3; i++) {
                assertTrue(pr[i] > 0.95, mode + " lambda=0: P(risky|D" + i + ") = " + pr[i] + ", seed " + SEED);
                assertTrue(ps[i] < 0.05, mode + " lambda=0.5: P(risky|D" + i + ") = " + ps[i] + ", seed " + SEED);
            }
        }
    }

    private static List<ActorCriticState> trace(ActorCriticModel m, Settings s, long iterations) {
        List<ActorCriticState> out = new ArrayList<>();
        VarianceLoop.run(m, ActorCriticState.initial(new double[m.numParameters()], m.criticDimension()), 42,
                iterations, s, r -> out.add(r.next()));
        return out;
    }

    @Test
    void sameSeedGivesBitIdenticalStates() {
        ActorCriticModel m = model(RiskyChain.t7(), 0.3);
        for (CriticMode mode : CriticMode.values()) {
            Settings s = new Settings(mode, 37, 29, 8, StepSchedule.of(0.5, 1.0, 200), 20, 1e-8);
            assertEquals(trace(m, s, 20), trace(m, s, 20), mode + " same seed 42, same block size");
        }
    }

    /**
     * Block sizes 7, 64 and 1000 (different summation trees) give the same states to 1e-12 relative (max norm)
     * over 15 iterations for the incremental, TD(0) and exact critics. The least-squares and LSTD critics solve a
     * system whose condition number on T7 amplifies round-off (~1e-15 per solve) through the actor step, so over 15
     * iterations their differences reach ~1e-9: there one iteration from the same state is held to 1e-12 and the
     * 15-iteration trace to 1e-6.
     */
    @Test
    void differentBlockSizesAgreeTo1e12Relative() {
        ActorCriticModel m = model(RiskyChain.t7(), 0.3);
        for (CriticMode mode : CriticMode.values()) {
            Settings s = new Settings(mode, 100, 60, 7, StepSchedule.of(0.5, 1.0, 200), 20, 1e-8);
            List<ActorCriticState> a = trace(m, s, 15);
            List<ActorCriticState> b = trace(m, s.withBlockSize(64), 15);
            List<ActorCriticState> c = trace(m, s.withBlockSize(1000), 15);
            for (int k = 0; k < a.size(); k++) {
                boolean batchSolve = mode == CriticMode.LEAST_SQUARES || mode == CriticMode.LSTD;
                double tol = batchSolve && k > 0 ? 1e-6 : 1e-12;
                for (List<ActorCriticState> other : List.of(b, c)) {
                    String ctx = mode + " iteration " + k + ", seed 42";
                    close(a.get(k).theta(), other.get(k).theta(), tol, ctx + " theta");
                    close(a.get(k).wJ(), other.get(k).wJ(), tol, ctx + " wJ");
                    close(a.get(k).wM(), other.get(k).wM(), tol, ctx + " wM");
                    close(a.get(k).wTilde(), other.get(k).wTilde(), tol, ctx + " wTilde");
                    close(new double[] {a.get(k).jHat()}, new double[] {other.get(k).jHat()}, tol, ctx + " jHat");
                }
            }
            // one iteration from the same (later) state: 1e-12 for every mode
            ActorCriticState mid = a.get(9);
            ActorCriticState x = VarianceLoop.iterate(m, mid, 42, s).next();
            ActorCriticState y = VarianceLoop.iterate(m, mid, 42, s.withBlockSize(64)).next();
            close(x.theta(), y.theta(), 1e-12, mode + " one iteration from k=10 theta");
            close(x.wJ(), y.wJ(), 1e-12, mode + " one iteration from k=10 wJ");
        }
    }

    /**
     * Relative closeness in the max norm of the vector: near-zero components of an ill-conditioned solve (the
     * least-squares critic at θ = 0 has directions with tiny weights) only agree to round-off times the norm.
     */
    private static void close(double[] x, double[] y, double tol, String what) {
        double scale = 0;
        for (int i = 0; i < x.length; i++) {
            scale = Math.max(scale, Math.max(Math.abs(x[i]), Math.abs(y[i])));
        }
        for (int i = 0; i < x.length; i++) {
            assertTrue(Math.abs(x[i] - y[i]) <= tol * scale, what + "[" + i + "]: " + x[i] + " vs " + y[i]
                    + " (max norm " + scale + ")");
        }
    }

    @Test
    void blocksCombinedInOrderEqualOneBigBlockAndTheStepIsPure() {
        ActorCriticModel m = model(RiskyChain.t7(), 0.3);
        ActorCriticState s0 = ActorCriticState.initial(new double[m.numParameters()], m.criticDimension());
        EpisodeSums whole = VarianceLoop.simulateBlock(m, s0, 5, 0, 90);
        EpisodeSums parts = VarianceLoop.simulateBlock(m, s0, 5, 0, 30)
                .combine(VarianceLoop.simulateBlock(m, s0, 5, 30, 30))
                .combine(VarianceLoop.simulateBlock(m, s0, 5, 60, 30));
        Settings s = LEARN;
        ActorCriticState a = VarianceLoop.step(s0, whole, s);
        ActorCriticState b = VarianceLoop.step(s0, parts, s);
        close(a.theta(), b.theta(), 1e-12, "theta, seed 5");
        assertEquals(whole.count(), parts.count());
        assertEquals(whole.steps(), parts.steps());
        assertEquals(whole.returns().mean(), parts.returns().mean(), 1e-13);
        assertEquals(VarianceLoop.step(s0, whole, s), VarianceLoop.step(s0, whole, s), "step is pure");
        assertEquals(3, VarianceLoop.numBlocks(90, 30));
        assertEquals(10, VarianceLoop.blockCount(3, 30, 100));
    }

    @Test
    void divergenceNamesIterationAndQuantity() {
        ActorCriticModel m = model(RiskyChain.t7(), 0.0);
        Settings wild = new Settings(CriticMode.INCREMENTAL, 10, 10, 10, StepSchedule.of(1e300, 1.0, 200), 20, 1e-8);
        NumericalDivergenceException e = assertThrows(NumericalDivergenceException.class, () -> learn(m, wild, 50));
        assertTrue(e.getMessage().startsWith("iteration "), e.getMessage());
        assertTrue(e.getMessage().contains("w") || e.getMessage().contains("jHat"), e.getMessage());
    }
}
