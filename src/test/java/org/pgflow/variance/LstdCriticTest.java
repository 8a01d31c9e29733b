package org.pgflow.variance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.mdp.StateFeatures;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.train.EpisodeEngine;
import org.pgflow.train.VarianceLoop;
import org.pgflow.util.InvalidInputException;
import org.pgflow.variance.ActorCriticModel.CriticTarget;

/**
 * The LSTD(λ) critics of docs/algorithms.md §4.9 ({@link NormalEquations#createLstd}) on T6 against the closed forms of
 * {@link TdClosedForm}:
 * <ul>
 *   <li>per-episode sums: {@code E[A] = ΦᵀDK(I−P)Φ}, {@code E[b_J] = ΦᵀDKr}, {@code E[b_M(w)] = ΦᵀDK(r² + 2r∘PĴ^λ)},
 *       weighted {@code E[Ã] = ΦᵀD̃K(I−P)Φ}, {@code E[b̃] = ΦᵀD̃Kr} (λ = 0 one-hot features, λ = 0.6 affine
 *       features), 100 000 episodes each, {@code |mean − exact| ≤ 4.5·SE}: 6.8e-6 per coordinate, 155
 *       coordinates, family-wise ≤ 1.1e-3;</li>
 *   <li>the solved critics (w_J, w_M and the weighted w̃_J) of 40 independent batches of 5 000 episodes against
 *       the closed-form fixed points (λ = 0 and 0.5; exact and constant features), {@code ≤ 4.5·SE} of the mean over
 *       batches: 6.0e-5 per coordinate (t, 39 d.o.f.), 60 coordinates, family-wise ≤ 3.6e-3. The O(1/E) ratio bias
 *       of {@code A⁻¹b} is ≤ 0.3 SE here: measured with 2 000 batches of 1 000 episodes it was ≤ 3.8 SE of that
 *       experiment, and it scales as {@code √R/√E} relative to the SE;</li>
 *   <li>LSTD(1) equals the least-squares critic of §4.8 B on the same large batch to 1e-8 (exact identity up to
 *       round-off);</li>
 *   <li>split/combine algebra and block order.</li>
 * </ul>
 * Seeds are fixed and printed in every message.
 */
class LstdCriticTest {
    private static final long SEED = 77001L;

    /** Columns (1, x/(n−1)): full rank, but not able to represent the state values of T6. */
    static final class AffineFeature implements StateFeatures {
        private static final long serialVersionUID = 1L;
        private final int n;

        AffineFeature(int n) {
            this.n = n;
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public void features(double[] state, double[] out, int offset) {
            out[offset] = 1.0;
            out[offset + 1] = state[0] / (n - 1);
        }
    }

    private static ActorCriticModel model(StateFeatures extra) {
        SspEnvironment env = SspEnvironment.of(TdFixedPointTest.t6());
        return ActorCriticModel.of(env, TabularSoftmaxPolicy.of(3, 2), extra, TdFixedPointTest.PENALTY, 100_000);
    }

    private static void sumsHaveClosedFormMeans(StateFeatures extra, IntFunction<double[]> cols, double lam,
                                                long stream, String what) {
        ActorCriticModel model = model(extra);
        double[] theta = TdFixedPointTest.t6Theta();
        TdClosedForm cf = new TdClosedForm(TdFixedPointTest.t6(), TabularSoftmaxPolicy.of(3, 2).table(theta), cols);
        int d = model.criticDimension();
        double[] w = new double[d];
        for (int i = 0; i < d; i++) {
            w[i] = 1.5 * Math.cos(0.7 * i + 0.3);
        }
        SampleMeans a = new SampleMeans(d * d);
        SampleMeans bJ = new SampleMeans(d);
        SampleMeans bM = new SampleMeans(d);
        SampleMeans aT = new SampleMeans(d * d);
        SampleMeans bT = new SampleMeans(d);
        Trajectory tr = model.newTrajectory();
        for (int e = 0; e < 100_000; e++) {
            model.simulate(theta, Streams.of(SEED, Purpose.TEST, stream, e), tr);
            NormalEquations ne = NormalEquations.createLstd(d, lam).add(tr);
            a.add(ne.matrixA());
            bJ.add(ne.vectorBJ());
            double[] m = ne.vectorBM();
            double[] cw = TdClosedForm.times(ne.matrixCross(), w);
            for (int i = 0; i < d; i++) {
                m[i] += cw[i];
            }
            bM.add(m);
            aT.add(ne.matrixATilde());
            bT.add(ne.vectorBTilde());
        }
        double k = 4.5;
        a.check(SampleMeans.flatten(cf.lstdMatrix(cf.q, lam)), k, what + " E[A] = PhiT D K (I-P) Phi", SEED);
        bJ.check(cf.project(cf.q, cf.k(lam, cf.r)), k, what + " E[bJ] = PhiT D K r", SEED);
        bM.check(cf.lstdMVector(lam, w), k, what + " E[bM(w)] = PhiT D K (r^2 + 2 r P J^lambda)", SEED);
        aT.check(SampleMeans.flatten(cf.lstdMatrix(cf.qt, lam)), k, what + " E[A~] = PhiT D~ K (I-P) Phi", SEED);
        bT.check(cf.project(cf.qt, cf.k(lam, cf.r)), k, what + " E[b~] = PhiT D~ K r", SEED);
    }

    @Test
    void perEpisodeLstdSumsHaveTheClosedFormExpectations() {
        SspEnvironment env = SspEnvironment.of(TdFixedPointTest.t6());
        sumsHaveClosedFormMeans(env, TdFixedPointTest.oneHot(3), 0.0, 21, "one-hot, lambda 0");
        sumsHaveClosedFormMeans(new AffineFeature(3), x -> new double[] {1.0, x / 2.0}, 0.6, 22, "affine, lambda 0.6");
    }

    @Test
    void lstdCriticsOfIndependentBatchesAverageToTheClosedFormFixedPoints() {
        int batches = 40;
        int episodes = 5000;
        for (boolean exact : new boolean[] {true, false}) {
            ActorCriticModel base = TdFixedPointTest.model(TdFixedPointTest.t6(), exact, TdFixedPointTest.PENALTY);
            TdClosedForm cf = TdFixedPointTest.closedForm(TdFixedPointTest.t6(), TdFixedPointTest.t6Theta(), exact);
            int d = base.criticDimension();
            for (double lam : new double[] {0.0, 0.5}) {
                ActorCriticModel m = base.withCritic(CriticTarget.LSTD, lam);
                SampleMeans wJ = new SampleMeans(d);
                SampleMeans wM = new SampleMeans(d);
                SampleMeans wT = new SampleMeans(d);
                for (int b = 0; b < batches; b++) {
                    ActorCriticState s = ActorCriticState.initial(TdFixedPointTest.t6Theta(), d);
                    s = ActorCriticState.of(b, s.theta(), 0, s.wJ(), s.wM(), s.wTilde()); // batch b: streams (k = b, e)
                    CriticWeights c = VarianceLoop.simulateCriticBlock(m, s, SEED, 0, episodes).solve(1e-8);
                    wJ.add(c.wJ());
                    wM.add(c.wM());
                    wT.add(c.wTilde());
                }
                double[][] fixed = cf.fixedPoint(lam);
                String what = (exact ? "one-hot" : "constant") + " features, LSTD(" + lam + ")";
                wJ.check(fixed[0], 4.5, what + " wJ", SEED);
                wM.check(fixed[1], 4.5, what + " wM", SEED);
                wT.check(fixed[2], 4.5, what + " weighted wTilde", SEED);
            }
        }
    }

    private static void close(double[] x, double[] y, double tol, String what) {
        double scale = 0;
        for (int i = 0; i < x.length; i++) {
            scale = Math.max(scale, Math.max(Math.abs(x[i]), Math.abs(y[i])));
        }
        for (int i = 0; i < x.length; i++) {
            assertTrue(Math.abs(x[i] - y[i]) <= tol * scale, what + "[" + i + "]: " + x[i] + " vs " + y[i]
                    + " (max norm " + scale + ", seed " + SEED + ")");
        }
    }

    @Test
    void lstdOneEqualsTheLeastSquaresCriticOnTheSameBatch() {
        Ssp t7 = RiskyChain.t7();
        SspEnvironment e7 = SspEnvironment.of(t7);
        double[] theta7 = {0.4, -0.3, 0.2, 0.1, -0.2, 0.3, 0, 0.5, -0.1};
        Object[][] cases = {
            {TdFixedPointTest.model(TdFixedPointTest.t6(), true, 0.3), TdFixedPointTest.t6Theta(), "T6 one-hot"},
            {TdFixedPointTest.model(TdFixedPointTest.t6(), false, 0.3), TdFixedPointTest.t6Theta(), "T6 constant"},
            {ActorCriticModel.of(e7, TabularSoftmaxPolicy.of(9, 2), e7, 0.3, 1000), theta7, "T7 one-hot"}};
        for (Object[] c : cases) {
            ActorCriticModel m = (ActorCriticModel) c[0];
            double[] theta = (double[]) c[1];
            NormalEquations ls = NormalEquations.create(m.criticDimension());
            NormalEquations lstd = NormalEquations.createLstd(m.criticDimension(), 1.0);
            Trajectory tr = m.newTrajectory();
            for (int e = 0; e < 100_000; e++) {
                m.simulate(theta, Streams.of(SEED, Purpose.TEST, 30, e), tr);
                ls.add(tr);
                lstd.add(tr);
            }
            CriticWeights a = ls.solve(1e-8);
            CriticWeights b = lstd.solve(1e-8);
            assertEquals(a.jHat(), b.jHat(), 0.0, c[2] + " jHat");
            close(a.wJ(), b.wJ(), 1e-8, c[2] + " LSTD(1) wJ vs least squares");
            close(a.wM(), b.wM(), 1e-8, c[2] + " LSTD(1) wM vs least squares");
            close(a.wTilde(), b.wTilde(), 1e-8, c[2] + " LSTD(1) wTilde vs least squares");
        }
    }

    @Test
    void lstdSumsCombineLikeAddAllAndTheEngineCombinesBlocksInOrder() {
        ActorCriticModel m = TdFixedPointTest.model(TdFixedPointTest.t6(), true, 0.3).withCritic(CriticTarget.LSTD, 0.4);
        int d = m.criticDimension();
        ActorCriticState s = ActorCriticState.initial(TdFixedPointTest.t6Theta(), d);
        NormalEquations all = VarianceLoop.simulateCriticBlock(m, s, 4, 0, 300);
        NormalEquations split = VarianceLoop.simulateCriticBlock(m, s, 4, 0, 100)
                .combine(VarianceLoop.simulateCriticBlock(m, s, 4, 100, 150))
                .combine(VarianceLoop.simulateCriticBlock(m, s, 4, 250, 50));
        assertTrue(all.isLstd() && split.isLstd());
        assertEquals(all.count(), split.count());
        assertEquals(all.steps(), split.steps());
        CriticWeights ca = all.solve(1e-8);
        CriticWeights cb = split.solve(1e-8);
        assertArrayEquals(ca.wJ(), cb.wJ(), 1e-10);
        assertArrayEquals(ca.wM(), cb.wM(), 1e-9);
        assertArrayEquals(ca.wTilde(), cb.wTilde(), 1e-10);
        // the engine: blocks of 7 combined in ascending id, bit for bit
        NormalEquations engine = EpisodeEngine.LOCAL.criticBatch(m, s, 4, 100, 7);
        NormalEquations manual = null;
        for (long b = 0; b < VarianceLoop.numBlocks(100, 7); b++) {
            NormalEquations part = VarianceLoop.simulateCriticBlock(m, s, 4, VarianceLoop.blockStart(b, 7),
                    VarianceLoop.blockCount(b, 7, 100));
            manual = manual == null ? part : manual.combine(part);
        }
        assertArrayEquals(SampleMeans.flatten(manual.matrixA()), SampleMeans.flatten(engine.matrixA()), 0.0);
        assertArrayEquals(manual.solve(1e-8).wM(), engine.solve(1e-8).wM(), 0.0);
        // kinds do not mix
        assertThrows(InvalidInputException.class, () -> NormalEquations.create(d).combine(all));
        assertThrows(InvalidInputException.class, () -> NormalEquations.createLstd(d, 0.5).combine(all));
        assertThrows(InvalidInputException.class, () -> NormalEquations.createLstd(d, 1.5));
    }
}
