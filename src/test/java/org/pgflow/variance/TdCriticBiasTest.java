package org.pgflow.variance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pgflow.TestSupport.assertArray;

import org.junit.jupiter.api.Test;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.train.VarianceLoop;
import org.pgflow.variance.ActorCriticModel.CriticTarget;

/**
 * The actor direction implied by the TD(0) and LSTD(λ) critics on T6 (λ_pen = 0.3), at fixed θ:
 * {@code d(w) = Σ_i g_i [q_i((1+2λĴ)φ_iᵀw_J − λφ_iᵀw_M) − 2λ q̃_i φ_iᵀw̃]} (the exact mean of (6) given the critic,
 * written out in {@link TdClosedForm}), against the exact ∇η.
 * <ul>
 *   <li>Exactly representable features (score ⊕ one-hot state): TD and LSTD are unbiased, {@code |mean d − ∇η| ≤ 4·SE}.</li>
 *   <li>Poor features (score ⊕ constant): the measured bias {@code mean d − ∇η} equals the closed-form TD-fixed-point
 *       bias {@code d(w*_TD) − ∇η} within 4·SE, and that bias is large (≥ 20 % of ‖∇η‖, ≥ 10·SE in some coordinate),
 *       so the check is not vacuous.</li>
 *   <li>{@link CriticBias#of} (the {@code critic_bias} metric) equals the closed form to 1e-10.</li>
 * </ul>
 * LSTD: 50 independent critic batches of 10 000 episodes (streams {@code (seed, EPISODE_CRITIC, k = batch, e)}),
 * SE = sd over batches/√50 (the O(1/E) ratio bias of A⁻¹b in the direction is ≈ 0.1 SE: ≤ 1.9 SE in an experiment
 * with 2 000 batches of 1 000 episodes, scaling as √R/√E). TD(0): 30 independent runs (seeds
 * {@code SEED + run}) of 1 500 iterations × 20 episodes with constant step α = 0.2 at frozen θ through
 * {@link VarianceLoop#simulateBlock} and {@link ActorCriticUpdates#incremental}; the critic is the Polyak average of
 * the last 750 iterates. For linear stochastic approximation with fresh episodes the mean iterate follows the
 * deterministic recursion {@code E w_{k+1} = (I − αĀ) E w_k + α b̄}, so its distance to the fixed point after 750
 * iterations is below {@code (1 − 0.2·0.195)^750 ≈ 1e-13} relative (smallest eigenvalue 0.195 of Ā on T6).
 * False-failure probability at 4·SE per coordinate: 2.1e-4 (t, 49 d.o.f., 12 LSTD coordinates) and 4.0e-4 (t, 29
 * d.o.f., 6 TD coordinates); family-wise ≤ 5e-3 (Bonferroni) — seeds fixed and printed.
 */
class TdCriticBiasTest {
    private static final long SEED = 99100L;
    private static final double PEN = TdFixedPointTest.PENALTY;

    private static double[] direction(TdClosedForm cf, CriticWeights c) {
        return cf.direction(PEN, c.jHat(), c.wJ(), c.wM(), c.wTilde());
    }

    /** The critic of one LSTD batch. */
    private static CriticWeights lstdBatch(ActorCriticModel m, double[] theta, int batch, int episodes) {
        ActorCriticState s = ActorCriticState.of(batch, theta, 0, new double[m.criticDimension()],
                new double[m.criticDimension()], new double[m.criticDimension()]);
        return VarianceLoop.simulateCriticBlock(m, s, SEED, 0, episodes).solve(1e-8);
    }

    /** Polyak average of the second half of a TD(0) run at frozen θ. */
    static CriticWeights td0Run(ActorCriticModel m, double[] theta, long seed, int iterations, int episodes,
                                double alpha) {
        int d = m.criticDimension();
        StepSchedule constant = StepSchedule.of(alpha, 1.0, 1.0, 0.0, 0.0);
        ActorCriticState s = ActorCriticState.initial(theta, d);
        double jAvg = 0;
        double[] wJ = new double[d];
        double[] wM = new double[d];
        double[] wT = new double[d];
        int averaged = 0;
        for (int k = 0; k < iterations; k++) {
            EpisodeSums sums = VarianceLoop.simulateBlock(m, s, seed, 0, episodes);
            ActorCriticState next = ActorCriticUpdates.incremental(s, sums, constant, Double.POSITIVE_INFINITY);
            s = ActorCriticState.of(k + 1, theta, next.jHat(), next.wJ(), next.wM(), next.wTilde());
            if (k >= iterations / 2) {
                averaged++;
                jAvg += (s.jHat() - jAvg) / averaged;
                double[] a = s.wJ();
                double[] b = s.wM();
                double[] c = s.wTilde();
                for (int i = 0; i < d; i++) {
                    wJ[i] += (a[i] - wJ[i]) / averaged;
                    wM[i] += (b[i] - wM[i]) / averaged;
                    wT[i] += (c[i] - wT[i]) / averaged;
                }
            }
        }
        return new CriticWeights(jAvg, wJ, wM, wT);
    }

    private static void checkDirection(SampleMeans measured, double[] target, double[] grad, boolean exact,
                                       String what) {
        measured.check(target, 4, what + (exact ? " (unbiased: target = grad eta)" : " (target = TD fixed point)"),
                SEED);
        if (!exact) {
            double[] mean = measured.mean();
            double maxZ = 0;
            double bias = 0;
            double norm = 0;
            for (int i = 0; i < grad.length; i++) {
                maxZ = Math.max(maxZ, Math.abs(mean[i] - grad[i]) / measured.se(i));
                bias += (target[i] - grad[i]) * (target[i] - grad[i]);
                norm += grad[i] * grad[i];
            }
            assertTrue(maxZ > 10, what + ": measured bias only " + maxZ + " SE from zero, seed " + SEED);
            assertTrue(Math.sqrt(bias / norm) > 0.2, what + ": closed-form relative bias " + Math.sqrt(bias / norm));
        }
    }

    @Test
    void lstdActorDirectionIsUnbiasedWithExactFeaturesAndHasTheTdBiasWithPoorOnes() {
        double[] theta = TdFixedPointTest.t6Theta();
        for (boolean exact : new boolean[] {true, false}) {
            ActorCriticModel base = TdFixedPointTest.model(TdFixedPointTest.t6(), exact, PEN);
            TdClosedForm cf = TdFixedPointTest.closedForm(TdFixedPointTest.t6(), theta, exact);
            double[] grad = cf.gradEta(PEN);
            for (double lam : new double[] {0.0, 0.5}) {
                ActorCriticModel m = base.withCritic(CriticTarget.LSTD, lam);
                SampleMeans dir = new SampleMeans(m.numParameters());
                for (int b = 0; b < 50; b++) {
                    dir.add(direction(cf, lstdBatch(m, theta, b, 10_000)));
                }
                double[][] w = cf.fixedPoint(lam);
                double[] target = exact ? grad : cf.direction(PEN, cf.j0, w[0], w[1], w[2]);
                checkDirection(dir, target, grad, exact, (exact ? "one-hot" : "constant") + " LSTD(" + lam + ")");
            }
        }
    }

    @Test
    void td0ActorDirectionIsUnbiasedWithExactFeaturesAndHasTheTdBiasWithPoorOnes() {
        double[] theta = TdFixedPointTest.t6Theta();
        for (boolean exact : new boolean[] {true, false}) {
            ActorCriticModel m = TdFixedPointTest.model(TdFixedPointTest.t6(), exact, PEN)
                    .withCritic(CriticTarget.TD0, 0);
            TdClosedForm cf = TdFixedPointTest.closedForm(TdFixedPointTest.t6(), theta, exact);
            double[] grad = cf.gradEta(PEN);
            SampleMeans dir = new SampleMeans(m.numParameters());
            for (int run = 0; run < 30; run++) {
                dir.add(direction(cf, td0Run(m, theta, SEED + run, 1500, 20, 0.2)));
            }
            double[][] w = cf.fixedPoint(0);
            double[] target = exact ? grad : cf.direction(PEN, cf.j0, w[0], w[1], w[2]);
            checkDirection(dir, target, grad, exact, (exact ? "one-hot" : "constant") + " TD(0)");
        }
    }

    @Test
    void criticBiasMetricEqualsTheClosedForm() {
        double[] theta = TdFixedPointTest.t6Theta();
        for (boolean exact : new boolean[] {true, false}) {
            ActorCriticModel m = TdFixedPointTest.model(TdFixedPointTest.t6(), exact, PEN);
            TdClosedForm cf = TdFixedPointTest.closedForm(TdFixedPointTest.t6(), theta, exact);
            int d = m.criticDimension();
            double[] wJ = new double[d];
            double[] wM = new double[d];
            double[] wT = new double[d];
            for (int i = 0; i < d; i++) {
                wJ[i] = Math.sin(i + 0.1);
                wM[i] = 4 * Math.cos(i);
                wT[i] = 0.5 - 0.2 * i;
            }
            ActorCriticState s = ActorCriticState.of(3, theta, 2.9, wJ, wM, wT);
            CriticBias.Result r = CriticBias.of(m, s);
            double[] grad = cf.gradEta(PEN);
            double[] dir = cf.direction(PEN, 2.9, wJ, wM, wT);
            assertArray(grad, r.gradient(), 1e-10, "exact gradient");
            assertArray(dir, r.direction(), 1e-10, "implied direction");
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < grad.length; i++) {
                diff += (dir[i] - grad[i]) * (dir[i] - grad[i]);
                norm += grad[i] * grad[i];
            }
            assertTrue(Math.abs(r.relative() - Math.sqrt(diff / norm)) < 1e-10, "relative bias " + r.relative());
            assertTrue(Math.abs(CriticBias.column(m, s) - r.relative()) == 0, "column");
            // at the projections the bias vanishes (Proposition 8), at the TD fixed point it is the TD bias
            CriticWeights proj = ExactCritic.projections(m, theta);
            assertTrue(CriticBias.of(m, proj.applyTo(s)).relative() < 1e-9, "bias at the projections");
            double[][] w = cf.fixedPoint(0);
            double[] td = cf.direction(PEN, cf.j0, w[0], w[1], w[2]);
            CriticWeights tdw = ExactCritic.temporalDifference(m, theta, 0);
            assertArray(td, CriticBias.of(m, tdw.applyTo(s)).direction(), 1e-9, "direction at the TD fixed point");
        }
        // general policy families: the exact gradient in the policy's own parametrisation equals the tabular one
        Ssp t7 = RiskyChain.t7();
        SspEnvironment env = SspEnvironment.of(t7);
        TabularSoftmaxPolicy pol = TabularSoftmaxPolicy.of(9, 2);
        ActorCriticModel m7 = ActorCriticModel.of(env, pol, env, 0.5, 1000);
        double[] th7 = {0.3, -1, 0.2, 0, 0.5, 0, 0, -0.4, 1};
        assertArray(pol.restrict(ExactCritic.moments(m7, th7).gradEta()), ExactCritic.gradient(m7, th7), 1e-12,
                "T7 gradient");
        assertTrue(CriticBias.column(m7, ActorCriticState.initial(new double[9], m7.criticDimension()).withCritic(0,
                new double[m7.criticDimension()], new double[m7.criticDimension()], new double[m7.criticDimension()]))
                == 1.0, "zero critic: direction 0, bias 1");
    }
}
