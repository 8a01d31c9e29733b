package org.pgflow.variance;

import static org.pgflow.TestSupport.assertArray;

import org.junit.jupiter.api.Test;
import org.pgflow.TestSupport;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.policy.TabularSoftmaxPolicy;

/**
 * docs/algorithms.md §5 T6 / §4.6 Proposition 8: at the exact critic fixed points (projections with φ = ∇ln π, pseudo-inverse)
 * the exact expected actor direction E[Δθ] of equation (6) equals the exact ∇η. Deterministic (no sampling).
 */
class VarianceExactCriticTest {
    private static final double TOL = 1e-8;
    /** T6 policy of docs/algorithms.md §5: full logits θ = [[0.2,−0.1],[0.0,0.3],[−0.4,0.1]]. */
    private static final double[][] T6_LOGITS = {{0.2, -0.1}, {0.0, 0.3}, {-0.4, 0.1}};

    private static void checkFixedPoint(Ssp ssp, double[] theta, double lambda, boolean extra, String what) {
        SspEnvironment env = SspEnvironment.of(ssp);
        TabularSoftmaxPolicy policy = TabularSoftmaxPolicy.of(ssp.numStates(), ssp.numActions());
        ActorCriticModel model = ActorCriticModel.of(env, policy, extra ? env : null, lambda, 100_000);
        CriticWeights c = ExactCritic.projections(model, theta);
        ActorCriticState s = c.applyTo(ActorCriticState.initial(theta, model.criticDimension()));
        ExactCritic.ExpectedIncrements e = ExactCritic.expected(model, s);
        SspMoments.Result exact = ExactCritic.moments(model, theta);
        assertArray(policy.restrict(exact.gradEta()), e.dTheta(), TOL, what + " E[dTheta] vs grad eta");
        // The projections are the fixed points of ODE (8): the weighted residuals vanish.
        assertArray(new double[model.criticDimension()], e.dwJ(), TOL, what + " ODE wJ");
        assertArray(new double[model.criticDimension()], e.dwM(), TOL, what + " ODE wM");
        assertArray(new double[model.criticDimension()], e.dwTilde(), TOL, what + " ODE wTilde");
    }

    @Test
    void t6ActorDirectionAtCriticFixedPointIsGradEta() {
        Ssp t6 = ModelFiles.loadSsp(TestSupport.env("t6.ssp.json"));
        double[] theta = TabularSoftmaxPolicy.of(3, 2).fromLogits(T6_LOGITS);
        checkFixedPoint(t6, theta, 0.3, false, "T6 phi=score");
        checkFixedPoint(t6, theta, 0.3, true, "T6 phi=score+onehot");
        // the reference reference gradient itself, in the reduced parametrisation (column u=1)
        SspMoments.Result r = SspMoments.compute(t6, TabularSoftmaxPolicy.of(3, 2).table(theta), 0.3);
        assertArray(new double[] {0.1895564241, 0.2020405998, -0.2173240810},
                TabularSoftmaxPolicy.of(3, 2).restrict(r.gradEta()), TOL, "T6 docs/algorithms.md grad eta");
    }

    @Test
    void t7AndRandomSspsActorDirectionAtCriticFixedPointIsGradEta() {
        Ssp t7 = RiskyChain.t7();
        checkFixedPoint(t7, new double[9], 0.5, false, "T7 uniform");
        checkFixedPoint(t7, new double[] {1, -2, 0.5, 0.3, 0, 0, -1, 2, 0}, 0.2, true, "T7 random theta");
        for (long i = 0; i < 8; i++) {
            Ssp g = RandomInstances.garnetSsp(11, i, 4, 3, 2, 0.2);
            double[] theta = new double[8];
            for (int j = 0; j < theta.length; j++) {
                theta[j] = Math.sin(1.7 * j + i);
            }
            checkFixedPoint(g, theta, 0.1 * i, i % 2 == 0, "garnet " + i);
        }
    }

    @Test
    void riskyChainGeneratorMatchesModelFiles() {
        Ssp fromFile = ModelFiles.loadSsp(TestSupport.env("t7-riskychain.ssp.json"));
        Ssp gen = RiskyChain.t7();
        for (int x = 0; x < 9; x++) {
            for (int u = 0; u < 2; u++) {
                org.junit.jupiter.api.Assertions.assertEquals(fromFile.r(x, u), gen.r(x, u), "r " + x + "," + u);
                for (int y = 0; y <= 9; y++) {
                    org.junit.jupiter.api.Assertions.assertEquals(fromFile.p(x, u, y), gen.p(x, u, y),
                            "p " + x + "," + u + "," + y);
                }
            }
        }
        Ssp t8 = ModelFiles.loadSsp(TestSupport.env("t8-single-decision.ssp.json"));
        org.junit.jupiter.api.Assertions.assertEquals(t8.numStates(), RiskyChain.t8().numStates());
    }
}
