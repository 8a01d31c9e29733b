package org.pgflow.variance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pgflow.TestSupport.assertArray;

import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.pgflow.TestSupport;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.mdp.StateFeatures;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;

/**
 * TD(0) and TD(λ) fixed points of the critics of docs/algorithms.md §4.9 on T6 against the projected Bellman equations written
 * out independently in {@link TdClosedForm} (state–action chain P, visit counts q, weighted visits q̃).
 *
 * <ul>
 *   <li>The closed form reproduces the reference T6 numbers (J(x,u), M(x,u), ∇η) to 1e-8, so its P, q, q̃ are right.</li>
 *   <li>{@link ExactCritic#temporalDifference} equals the closed form to 1e-9 (λ = 0, 0.5, 1; exact and poor
 *       features), and at λ = 1 its fitted values equal the q- and q̃-weighted projections of §4.6.</li>
 *   <li>Monte Carlo: the mean per-episode TD(0) increments of {@link EpisodeIncrement#computeTd0} vanish at the
 *       closed-form fixed point and equal {@code ΦᵀD(r + PΦw − Φw)} (M and weighted analogues) at an arbitrary
 *       critic; the actor increment has the closed-form mean d(w).</li>
 * </ul>
 * Monte Carlo checks are {@code |mean − exact| ≤ 4·SE} over 200 000 i.i.d. episodes (seed printed): false-failure
 * probability 6.3e-5 per coordinate (normal approximation), 66 coordinates here, family-wise ≤ 4.2e-3 (Bonferroni).
 */
class TdFixedPointTest {
    static final long SEED = 20250317L;
    static final double[][] T6_LOGITS = {{0.2, -0.1}, {0.0, 0.3}, {-0.4, 0.1}};
    static final double PENALTY = 0.3;

    /** One-hot state columns: with the score they represent every J(x,u) exactly. */
    static IntFunction<double[]> oneHot(int n) {
        return x -> {
            double[] e = new double[n];
            e[x] = 1;
            return e;
        };
    }

    /** A single constant column: cannot represent the state values, so TD(λ &lt; 1) is biased. */
    static final IntFunction<double[]> CONSTANT = x -> new double[] {1.0};

    /** The same constant column as the model's extra critic features. */
    static final class ConstantFeature implements StateFeatures {
        private static final long serialVersionUID = 1L;

        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public void features(double[] state, double[] out, int offset) {
            out[offset] = 1.0;
        }
    }

    static Ssp t6() {
        return ModelFiles.loadSsp(TestSupport.env("t6.ssp.json"));
    }

    static double[] t6Theta() {
        return TabularSoftmaxPolicy.of(3, 2).fromLogits(T6_LOGITS);
    }

    /** The model with one-hot ({@code exact}) or constant extra columns. */
    static ActorCriticModel model(Ssp ssp, boolean exact, double penalty) {
        SspEnvironment env = SspEnvironment.of(ssp);
        return ActorCriticModel.of(env, TabularSoftmaxPolicy.of(ssp.numStates(), ssp.numActions()),
                exact ? env : new ConstantFeature(), penalty, 100_000);
    }

    static TdClosedForm closedForm(Ssp ssp, double[] theta, boolean exact) {
        double[][] pi = TabularSoftmaxPolicy.of(ssp.numStates(), ssp.numActions()).table(theta);
        return new TdClosedForm(ssp, pi, exact ? oneHot(ssp.numStates()) : CONSTANT);
    }

    @Test
    void closedFormReproducesTheSpecT6Numbers() {
        TdClosedForm cf = closedForm(t6(), t6Theta(), true);
        assertArray(new double[] {2.5299994189, 4.2579170071, 0.5145487941, 2.1519599275, 3.4720475046, 2.1911685580},
                cf.jq, 1e-8, "J(x,u)");
        assertArray(new double[] {11.9495633207, 23.9701180514, 5.5988858318, 10.2203981685, 14.3641529622,
            11.4374776305}, cf.mq, 1e-8, "M(x,u)");
        assertArray(new double[] {0.1895564241, 0.2020405998, -0.2173240810}, cf.gradEta(PENALTY), 1e-8, "grad eta");
        // q(x) = Σ_u q(x,u) and G(x) = Σ_u q̃(x,u) of docs/algorithms.md §5 T6
        double[] qx = {cf.q[0] + cf.q[1], cf.q[2] + cf.q[3], cf.q[4] + cf.q[5]};
        double[] gx = {cf.qt[0] + cf.qt[1], cf.qt[2] + cf.qt[3], cf.qt[4] + cf.qt[5]};
        assertArray(new double[] {1.5818707926, 0.7983239885, 0.9894890382}, qx, 1e-8, "q");
        assertArray(new double[] {1.5515728507, 1.9694647505, 2.5464148575}, gx, 1e-8, "G");
        // with exact features the TD(0) fixed point is J and M themselves
        double[][] w = cf.fixedPoint(0);
        assertArray(cf.jq, cf.fitted(w[0]), 1e-10, "TD(0) fitted J with exact features");
        assertArray(cf.mq, cf.fitted(w[1]), 1e-9, "TD(0) fitted M with exact features");
        assertArray(cf.jq, cf.fitted(w[2]), 1e-10, "weighted TD(0) fitted J with exact features");
    }

    @Test
    void exactTemporalDifferenceEqualsTheClosedForm() {
        for (boolean exact : new boolean[] {true, false}) {
            ActorCriticModel model = model(t6(), exact, PENALTY);
            TdClosedForm cf = closedForm(t6(), t6Theta(), exact);
            for (double lam : new double[] {0, 0.5, 1}) {
                String what = (exact ? "one-hot" : "constant") + " features, lambda " + lam;
                CriticWeights c = ExactCritic.temporalDifference(model, t6Theta(), lam);
                double[][] w = cf.fixedPoint(lam);
                assertArray(w[0], c.wJ(), 1e-9, what + " wJ");
                assertArray(w[1], c.wM(), 1e-9, what + " wM");
                assertArray(w[2], c.wTilde(), 1e-9, what + " wTilde");
                assertTrue(Math.abs(c.jHat() - cf.j0) < 1e-12, what + " jHat");
            }
            // λ = 1: the fixed points are the projections of §4.6 (LSTD(1) = least squares)
            CriticWeights proj = ExactCritic.projections(model, t6Theta());
            CriticWeights one = ExactCritic.temporalDifference(model, t6Theta(), 1.0);
            assertArray(cf.fitted(proj.wJ()), cf.fitted(one.wJ()), 1e-9, "lambda 1 = projection, J");
            assertArray(cf.fitted(proj.wM()), cf.fitted(one.wM()), 1e-9, "lambda 1 = projection, M");
            assertArray(cf.fitted(proj.wTilde()), cf.fitted(one.wTilde()), 1e-9, "lambda 1 = projection, weighted J");
        }
    }

    @Test
    void td0FixedPointDiffersFromTheProjectionWithPoorFeatures() {
        // Non-vacuity of the bias tests: with the constant column the TD(0) critic is not the projection.
        ActorCriticModel model = model(t6(), false, PENALTY);
        TdClosedForm cf = closedForm(t6(), t6Theta(), false);
        double[] proj = cf.fitted(ExactCritic.projections(model, t6Theta()).wJ());
        double[] td = cf.fitted(cf.fixedPoint(0)[0]);
        double diff = 0;
        for (int i = 0; i < proj.length; i++) {
            diff = Math.max(diff, Math.abs(proj[i] - td[i]));
        }
        assertTrue(diff > 0.1, "TD(0) vs projection, max |ΦwTD − ΠJ| = " + diff);
    }

    @Test
    void td0IncrementsHaveTheClosedFormMeanAndVanishAtTheFixedPoint() {
        for (boolean exact : new boolean[] {true, false}) {
            ActorCriticModel model = model(t6(), exact, PENALTY);
            TdClosedForm cf = closedForm(t6(), t6Theta(), exact);
            int d = model.criticDimension();
            double[][] fixed = cf.fixedPoint(0);
            double[] wJ = new double[d];
            double[] wM = new double[d];
            double[] wT = new double[d];
            for (int i = 0; i < d; i++) { // arbitrary critic away from the fixed point
                wJ[i] = 0.4 * Math.sin(i + 1.0);
                wM[i] = 2.5 * Math.cos(i + 0.5);
                wT[i] = -0.6 + 0.3 * i;
            }
            ActorCriticState atFixed = ActorCriticState.of(2, t6Theta(), cf.j0, fixed[0], fixed[1], fixed[2]);
            ActorCriticState away = ActorCriticState.of(2, t6Theta(), 1.7, wJ, wM, wT);
            double[][] expectedAway = cf.td0Increments(wJ, wM, wT);
            String what = exact ? "one-hot" : "constant";
            SampleMeans[] fix = {new SampleMeans(d), new SampleMeans(d), new SampleMeans(d)};
            SampleMeans[] aw = {new SampleMeans(d), new SampleMeans(d), new SampleMeans(d)};
            SampleMeans actor = new SampleMeans(model.numParameters());
            Trajectory tr = model.newTrajectory();
            EpisodeIncrement inc = new EpisodeIncrement(model.numParameters(), d);
            for (int e = 0; e < 200_000; e++) {
                model.simulate(t6Theta(), Streams.of(SEED, Purpose.TEST, exact ? 11 : 12, e), tr);
                inc.computeTd0(tr, atFixed, PENALTY);
                fix[0].add(inc.dwJ());
                fix[1].add(inc.dwM());
                fix[2].add(inc.dwTilde());
                inc.computeTd0(tr, away, PENALTY);
                aw[0].add(inc.dwJ());
                aw[1].add(inc.dwM());
                aw[2].add(inc.dwTilde());
                actor.add(inc.dTheta());
            }
            String[] names = {"dwJ", "dwM", "dwTilde"};
            for (int c = 0; c < 3; c++) {
                fix[c].check(new double[d], 4, what + " TD(0) " + names[c] + " at the closed-form fixed point", SEED);
                aw[c].check(expectedAway[c], 4, what + " TD(0) " + names[c] + " at an arbitrary critic", SEED);
            }
            actor.check(cf.direction(PENALTY, 1.7, wJ, wM, wT), 4, what + " actor increment (6) with the TD critic",
                    SEED);
        }
    }

    @Test
    void exactTemporalDifferenceOnRiskyChainAndRandomSspsSolvesTheClosedForm() {
        // Deterministic cross-check on larger problems (T7 has q̃ = 0 at D_0 and singular weighted equations).
        Ssp[] problems = {RiskyChain.t7(), RandomInstances.garnetSsp(5, 0, 5, 3, 2, 0.2),
            RandomInstances.garnetSsp(5, 1, 6, 2, 3, 0.2)};
        for (Ssp ssp : problems) {
            int np = ssp.numStates() * (ssp.numActions() - 1);
            double[] theta = new double[np];
            for (int i = 0; i < np; i++) {
                theta[i] = 0.8 * Math.sin(1.3 * i + 0.2);
            }
            ActorCriticModel model = model(ssp, true, 0.2);
            TdClosedForm cf = closedForm(ssp, theta, true);
            for (double lam : new double[] {0, 0.7}) {
                CriticWeights c = ExactCritic.temporalDifference(model, theta, lam);
                double[][] w = cf.fixedPoint(lam);
                assertArray(cf.fitted(w[0]), cf.fitted(c.wJ()), 1e-8, ssp.name() + " lambda " + lam + " J");
                assertArray(cf.fitted(w[1]), cf.fitted(c.wM()), 1e-7, ssp.name() + " lambda " + lam + " M");
                assertArray(cf.weightedFit(cf.qt, w[2]), cf.weightedFit(cf.qt, c.wTilde()), 1e-8,
                        ssp.name() + " lambda " + lam + " q̃∘Φw̃");
            }
        }
    }
}
