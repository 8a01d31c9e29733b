package org.pgflow.variance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pgflow.TestSupport.assertArray;
import static org.pgflow.TestSupport.assertMatrix;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgflow.TestSupport;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.mdp.Ssp;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.util.InvalidInputException;

/** Exact SSP moments and ∇η against docs/algorithms.md §5 T6–T8 and against finite differences on random SSPs. */
class SspMomentsTest {
    private static final double SPEC_TOL = 1e-8;

    @Test
    void t6ReferenceNumbers() {
        Ssp t6 = ModelFiles.loadSsp(TestSupport.env("t6.ssp.json"));
        double[][] theta = {{0.2, -0.1}, {0.0, 0.3}, {-0.4, 0.1}};
        double[][] pi = TabularPolicy.softmax(theta, new double[] {0.5, 0.5});
        SspMoments.Result r = SspMoments.compute(t6, pi, 0.3);
        assertArray(new double[] {3.2653276789, 1.4551473666, 2.6747524521}, r.j(), SPEC_TOL, "J");
        assertArray(new double[] {17.0650003384, 8.2536790100, 12.5424165925}, r.m(), SPEC_TOL, "M");
        assertArray(new double[] {6.4026354878, 6.1362251514, 5.3881159124}, r.var(), SPEC_TOL, "Var");
        assertMatrix(new double[][] {{2.5299994189, 4.2579170071}, {0.5145487941, 2.1519599275}, {3.4720475046, 2.1911685580}},
                r.jq(), SPEC_TOL, "J(x,u)");
        assertMatrix(new double[][] {{11.9495633207, 23.9701180514}, {5.5988858318, 10.2203981685}, {14.3641529622, 11.4374776305}},
                r.mq(), SPEC_TOL, "M(x,u)");
        assertArray(new double[] {1.5818707926, 0.7983239885, 0.9894890382}, r.q(), SPEC_TOL, "q");
        assertArray(new double[] {1.5515728507, 1.9694647505, 2.5464148575}, r.g(), SPEC_TOL, "G");
        assertEquals(1.3445370326, r.eta(), SPEC_TOL, "eta");
        assertMatrix(new double[][] {{-0.1895564241, 0.1895564241}, {-0.2020405998, 0.2020405998}, {0.2173240810, -0.2173240810}},
                r.gradEta(), SPEC_TOL, "grad eta");
    }

    @Test
    void t7UniformPolicy() {
        Ssp t7 = ModelFiles.loadSsp(TestSupport.env("t7-riskychain.ssp.json"));
        double[][] pi = TabularPolicy.uniform(9, 2);
        SspMoments.Result r0 = SspMoments.compute(t7, pi, 0.0);
        assertEquals(3.3, r0.j()[0], SPEC_TOL);
        assertEquals(13.08, r0.m()[0], SPEC_TOL);
        assertEquals(2.19, r0.var()[0], SPEC_TOL);
        assertEquals(3.3, r0.eta(), SPEC_TOL);
        SspMoments.Result r5 = SspMoments.compute(t7, pi, 0.5);
        assertEquals(2.205, r5.eta(), SPEC_TOL);
        for (int i = 0; i < 3; i++) { // decision states D_i = i; W_i, O_i = 3 + i, 6 + i
            assertArray(new double[] {-0.05, 0.05}, r0.gradEta()[i], SPEC_TOL, "grad lambda=0 at D" + i);
            assertArray(new double[] {0.13, -0.13}, r5.gradEta()[i], SPEC_TOL, "grad lambda=0.5 at D" + i);
            assertArray(new double[] {0, 0}, r5.gradEta()[3 + i], SPEC_TOL, "grad at W" + i);
            assertArray(new double[] {0, 0}, r5.gradEta()[6 + i], SPEC_TOL, "grad at O" + i);
        }
        double[][] allRisky = new double[9][];
        double[][] allSafe = new double[9][];
        for (int x = 0; x < 9; x++) {
            allRisky[x] = new double[] {0, 1};
            allSafe[x] = new double[] {1, 0};
        }
        SspMoments.Result risky = SspMoments.compute(t7, allRisky, 0);
        assertEquals(3.6, risky.j()[0], SPEC_TOL);
        assertEquals(4.32, risky.var()[0], SPEC_TOL);
        SspMoments.Result safe = SspMoments.compute(t7, allSafe, 0);
        assertEquals(3.0, safe.j()[0], SPEC_TOL);
        assertEquals(0.0, safe.var()[0], SPEC_TOL);
    }

    @Test
    void t8ClosedForm() {
        Ssp t8 = ModelFiles.loadSsp(TestSupport.env("t8-single-decision.ssp.json"));
        for (double pr : new double[] {0, 0.1, 0.37, 0.5, 0.9, 1}) {
            double[][] pi = {{1 - pr, pr}, {0.5, 0.5}, {0.5, 0.5}};
            for (double lambda : new double[] {0, 0.1, 0.2}) {
                SspMoments.Result r = SspMoments.compute(t8, pi, lambda);
                assertEquals(1 + 0.2 * pr, r.j()[0], SPEC_TOL, "J p_r=" + pr);
                assertEquals(1 + 1.88 * pr, r.m()[0], SPEC_TOL, "M p_r=" + pr);
                assertEquals(1.48 * pr - 0.04 * pr * pr, r.var()[0], SPEC_TOL, "Var p_r=" + pr);
                assertEquals(1 + 0.2 * pr - lambda * (1.48 * pr - 0.04 * pr * pr), r.eta(), SPEC_TOL, "eta");
                // dη/dθ_risky = p_r(1−p_r) dη/dp_r (logit chain rule), dη/dp_r = 0.2 − λ(1.48 − 0.08 p_r)
                assertEquals(pr * (1 - pr) * (0.2 - lambda * (1.48 - 0.08 * pr)), r.gradEta()[0][1], SPEC_TOL, "grad");
            }
        }
    }

    @Test
    void improperPolicyIsRejected() {
        Ssp t8 = ModelFiles.loadSsp(TestSupport.env("t8-single-decision.ssp.json"));
        // A self-loop SSP: state 0, action 1 stays forever.
        Ssp loop = Ssp.of("loop", new double[][][] {{{0, 1}, {1, 0}}}, new double[][] {{1, 1}}, 0, 1.0);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SspMoments.compute(loop, new double[][] {{0, 1}}, 0));
        assertTrue(e.getMessage().contains("improper"), e.getMessage());
        assertEquals(1.0, SspMoments.compute(t8, new double[][] {{1, 0}, {1, 0}, {1, 0}}, 0).j()[0], 1e-15);
    }

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    /**
     * ∇η (and ∇J, ∇M) against central differences of the exact η on random proper SSPs, undiscounted and
     * discounted; M ≥ J² (Var ≥ 0) up to round-off. h = 1e-5; |η| ≲ 50 so round-off ≈ 1e-10·50/1e-5 ≈ 5e-9.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void gradientMatchesFiniteDifferences(long seed) {
        int n = 2 + (int) (seed % 5);
        int m = 2 + (int) (seed % 2);
        Ssp base = RandomInstances.garnetSsp(77, seed, n, m, Math.min(n, 2), 0.1);
        Ssp ssp = seed % 2 == 0 ? base : withGamma(base, 0.8);
        double lambda = 0.1 * (seed % 5);
        String ctx = "seed=" + seed + " n=" + n + " m=" + m + " gamma=" + ssp.gamma() + " lambda=" + lambda;
        RandomGenerator rng = Streams.of(5, Purpose.TEST, 0, seed);
        double[][] theta = new double[n][m];
        for (double[] row : theta) {
            for (int u = 0; u < m; u++) {
                row[u] = rng.nextGaussian();
            }
        }
        double[] mu = new double[m];
        Arrays.fill(mu, 1.0 / m);
        SspMoments.Result r = SspMoments.compute(ssp, TabularPolicy.softmax(theta, mu), lambda);
        for (int x = 0; x < n; x++) {
            assertTrue(r.var()[x] >= -1e-12 * Math.max(1, r.m()[x]), "Var >= 0 at " + x + ", " + ctx);
        }
        double h = 1e-5;
        int x0 = ssp.start();
        for (int x = 0; x < n; x++) {
            for (int u = 0; u < m; u++) {
                double keep = theta[x][u];
                theta[x][u] = keep + h;
                SspMoments.Result up = SspMoments.compute(ssp, TabularPolicy.softmax(theta, mu), lambda);
                theta[x][u] = keep - h;
                SspMoments.Result dn = SspMoments.compute(ssp, TabularPolicy.softmax(theta, mu), lambda);
                theta[x][u] = keep;
                String at = "[" + x + "][" + u + "], " + ctx;
                assertEquals((up.eta() - dn.eta()) / (2 * h), r.gradEta()[x][u], 1e-7, "d eta/d theta" + at);
                assertEquals((up.j()[x0] - dn.j()[x0]) / (2 * h), r.gradJ()[x][u], 1e-7, "dJ/d theta" + at);
                assertEquals((up.m()[x0] - dn.m()[x0]) / (2 * h), r.gradM()[x][u], 1e-7, "dM/d theta" + at);
            }
        }
    }

    private static Ssp withGamma(Ssp s, double gamma) {
        int n = s.numStates();
        int m = s.numActions();
        double[][][] p = new double[n][m][n + 1];
        double[][] r = new double[n][m];
        for (int x = 0; x < n; x++) {
            for (int u = 0; u < m; u++) {
                for (int y = 0; y <= n; y++) {
                    p[x][u][y] = s.p(x, u, y);
                }
                r[x][u] = s.r(x, u);
            }
        }
        return Ssp.of(s.name(), p, r, s.start(), gamma);
    }
}
