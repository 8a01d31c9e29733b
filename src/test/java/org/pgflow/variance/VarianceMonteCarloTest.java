package org.pgflow.variance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pgflow.TestSupport;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;

/**
 * Monte Carlo checks on docs/algorithms.md §5 T6 at frozen parameters: the per-episode increments of the incremental critic
 * (equations (4)) and of the actor (6) have the expectations of ODE (8) and of §4.7; the per-episode
 * estimators of ∇J and ∇M (Proposition 3 and the likelihood-ratio form) are unbiased; MC J and Var match
 * the reference exact values.
 *
 * <p>Every comparison is {@code |mean − exact| ≤ 4·SE} (SE = sample sd/√n over i.i.d. episodes; for Var the
 * delta-method SE). The 4·SE two-sided false-failure probability is 6.3e-5 per coordinate under the normal
 * approximation; with 36 coordinates in this class the family-wise probability is below 2.3e-3 (Bonferroni).
 * Seeds are fixed and printed in every message.
 */
class VarianceMonteCarloTest {
    private static final long SEED = 20240601L;
    private static final int EPISODES = 200_000;
    private static final double K = 4.0;
    private static final double[][] T6_LOGITS = {{0.2, -0.1}, {0.0, 0.3}, {-0.4, 0.1}};

    /** Welford mean and variance per coordinate. */
    static final class MeanSe {
        private final double[] mean;
        private final double[] m2;
        private long n;

        MeanSe(int d) {
            mean = new double[d];
            m2 = new double[d];
        }

        void add(double[] x) {
            n++;
            for (int i = 0; i < mean.length; i++) {
                double delta = x[i] - mean[i];
                mean[i] += delta / n;
                m2[i] += delta * (x[i] - mean[i]);
            }
        }

        void check(double[] exact, String what) {
            for (int i = 0; i < mean.length; i++) {
                double se = Math.sqrt(m2[i] / (n - 1) / n);
                double err = Math.abs(mean[i] - exact[i]);
                assertTrue(err <= K * se + 1e-12, what + "[" + i + "]: MC " + mean[i] + " vs exact " + exact[i]
                        + " (|diff| = " + err + " > " + K + "·SE = " + K * se + ", n = " + n + ", seed = " + SEED + ")");
            }
        }
    }

    private static ActorCriticModel t6Model() {
        Ssp t6 = ModelFiles.loadSsp(TestSupport.env("t6.ssp.json"));
        SspEnvironment env = SspEnvironment.of(t6);
        return ActorCriticModel.of(env, TabularSoftmaxPolicy.of(3, 2), env, 0.3, 100_000);
    }

    @Test
    void incrementalCriticAndActorIncrementsMatchOdeRightHandSides() {
        ActorCriticModel model = t6Model();
        double[] theta = TabularSoftmaxPolicy.of(3, 2).fromLogits(T6_LOGITS);
        int d = model.criticDimension();
        double[] wJ = new double[d];
        double[] wM = new double[d];
        double[] wT = new double[d];
        for (int i = 0; i < d; i++) { // arbitrary critic, away from the fixed points
            wJ[i] = 0.5 * Math.sin(i + 1.0);
            wM[i] = 3.0 * Math.cos(i + 0.5);
            wT[i] = -0.7 + 0.2 * i;
        }
        ActorCriticState state = ActorCriticState.of(7, theta, 2.0, wJ, wM, wT);
        ExactCritic.ExpectedIncrements exact = ExactCritic.expected(model, state);
        MeanSe sJ = new MeanSe(1);
        MeanSe sWJ = new MeanSe(d);
        MeanSe sWM = new MeanSe(d);
        MeanSe sWT = new MeanSe(d);
        MeanSe sTh = new MeanSe(model.numParameters());
        Trajectory tr = model.newTrajectory();
        EpisodeIncrement inc = new EpisodeIncrement(model.numParameters(), d);
        for (int e = 0; e < EPISODES; e++) {
            model.simulate(theta, Streams.of(SEED, Purpose.TEST, 1, e), tr);
            inc.compute(tr, state, model.lambda());
            sJ.add(new double[] {inc.dJ()});
            sWJ.add(inc.dwJ());
            sWM.add(inc.dwM());
            sWT.add(inc.dwTilde());
            sTh.add(inc.dTheta());
        }
        sJ.check(new double[] {exact.dJ()}, "E[dJhat] = J(x0) - Jhat");
        sWJ.check(exact.dwJ(), "E[dwJ] = PhiT Q (J - Phi wJ)");
        sWM.check(exact.dwM(), "E[dwM] = PhiT Q (M - Phi wM)");
        sWT.check(exact.dwTilde(), "E[dwTilde] = PhiT Qtilde (J - Phi wTilde)");
        sTh.check(exact.dTheta(), "E[dTheta] (eq. 6)");
    }

    @Test
    void perEpisodeGradientEstimatorsAreUnbiased() {
        ActorCriticModel model = t6Model();
        TabularSoftmaxPolicy policy = TabularSoftmaxPolicy.of(3, 2);
        double[] theta = policy.fromLogits(T6_LOGITS);
        SspMoments.Result exact = ExactCritic.moments(model, theta);
        double[] gradJ = policy.restrict(exact.gradJ());
        double[] gradM = policy.restrict(exact.gradM());
        int np = model.numParameters();
        MeanSe lrJ = new MeanSe(np);
        MeanSe lrM = new MeanSe(np);
        MeanSe p3J = new MeanSe(np);
        MeanSe p3M = new MeanSe(np);
        ReturnMoments returns = ReturnMoments.create();
        double[] a = new double[np];
        double[] b = new double[np];
        Trajectory tr = model.newTrajectory();
        for (int e = 0; e < EPISODES; e++) {
            model.simulate(theta, Streams.of(SEED, Purpose.TEST, 2, e), tr);
            returns.add(tr.returnValue());
            GradientEstimators.likelihoodRatio(tr, a, b);
            lrJ.add(a);
            lrM.add(b);
            GradientEstimators.proposition3(tr, exact.jq(), exact.mq(), a, b);
            p3J.add(a);
            p3M.add(b);
        }
        lrJ.check(gradJ, "likelihood-ratio grad J");
        lrM.check(gradM, "likelihood-ratio grad M");
        p3J.check(gradJ, "Proposition 3 grad J");
        p3M.check(gradM, "Proposition 3 grad M");
        // docs/algorithms.md §5 T6 exact J = 3.2653276789, Var = 6.4026354878
        MonteCarloEstimate j = returns.j();
        MonteCarloEstimate v = returns.var();
        assertTrue(Math.abs(j.value() - 3.2653276789) <= K * j.stdErr(), "MC J " + j + ", seed " + SEED);
        assertTrue(Math.abs(v.value() - 6.4026354878) <= K * v.stdErr(), "MC Var " + v + ", seed " + SEED);
    }
}
