package org.pgflow.mdp.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;

/**
 * Single steps of the Gymnasium reimplementations against expected values computed independently in
 * Python 3 (plain float64 {@code math}, no NumPy), by transcribing the update formulas of
 * {@code gymnasium/envs/classic_control/{pendulum,cartpole,continuous_mountain_car}.py}:
 * <pre>
 * Pendulum:   u = clip(u,−2,2); cost = angle_normalize(θ)² + 0.1θ̇² + 0.001u²  (angle_normalize via Python's %)
 *             θ̇' = clip(θ̇ + (3·10/2·sin θ + 3u)·0.05, −8, 8); θ' = θ + 0.05θ̇'; reward = −cost
 * CartPole:   temp = (±10 + 0.05θ̇² sin θ)/1.1; θ̈ = (9.8 sin θ − cos θ·temp)/(0.5(4/3 − 0.1cos²θ/1.1));
 *             ẍ = temp − 0.05θ̈ cos θ/1.1; Euler with τ = 0.02; terminal iff |x'| &gt; 2.4 or |θ'| &gt; 12·2π/360
 * MountainCar: v += 0.0015·clip(a) − 0.0025cos(3p); clip v to ±0.07; p += v; clip p to [−1.2, 0.6];
 *             v = 0 if p = −1.2 and v &lt; 0; terminal iff p ≥ 0.45 and v ≥ 0; r = 100·terminal − 0.1a²
 * </pre>
 * The cases exercise the clipping branches (speed limits, the left wall), angle wrapping, and termination
 * on either side of the thresholds. The script's printed {@code repr} values are pasted below; the
 * comparison tolerance is 1e-12 (both sides are float64 evaluations of the same expressions; only the
 * libm of sin/cos may differ by an ulp).
 */
class GymnasiumDynamicsTest {
    private static final double TOL = 1e-12;

    @ParameterizedTest(name = "pendulum θ={0} θ̇={1} u={2}")
    @CsvSource({
        // θ, θ̇, u, θ', θ̇', reward
        "0.5, -0.3, 1.5, 0.5142284576976576, 0.28456915395315224, -0.26125",
        "3.0, 7.9, 2.0, 3.4, 8.0, -15.245",                                            // speed clipped at +8
        "-4.0, -7.95, -2.0, -4.384119906425953, -7.682398128519054, -11.537185146920741", // θ wraps to 2π − 4
        "7.0, 0.0, -0.7, 7.019386997451955, 0.38773994903909187, -0.5143133038432242",  // θ wraps to 7 − 2π
        "0.0, 0.0, 0.0, 0.0, 0.0, 0.0",
        "0.5, -0.3, 3.5, NaN, NaN, NaN"  // torque outside the box: checked against the clipped torque 2.0 below
    })
    void pendulumSteps(double th, double thdot, double u, double th2, double thdot2, double reward) {
        if (u > Pendulum.MAX_TORQUE) {
            // clipping: a torque above the box acts (and costs) exactly like the bound 2.0
            double[] clipped = new double[2];
            double rc = Pendulum.stepContinuous(new double[] {th, thdot}, Pendulum.MAX_TORQUE, clipped);
            double[] next = new double[2];
            double r = Pendulum.stepContinuous(new double[] {th, thdot}, u, next);
            assertEquals(rc, r, 0.0);
            assertEquals(clipped[0], next[0], 0.0);
            assertEquals(clipped[1], next[1], 0.0);
            return;
        }
        double[] next = new double[2];
        double r = Pendulum.stepContinuous(new double[] {th, thdot}, u, next);
        assertEquals(th2, next[0], TOL, "θ'");
        assertEquals(thdot2, next[1], TOL, "θ̇'");
        assertEquals(reward, r, TOL, "reward");
    }

    @ParameterizedTest(name = "cartpole {0},{1},{2},{3} a={4}")
    @CsvSource({
        // x, ẋ, θ, θ̇, a, x', ẋ', θ', θ̇', terminal
        "0.01, -0.02, 0.03, 0.04, 1, 0.009600000000000001, 0.17467919574755525, 0.030799999999999998, -0.2430687179600081, false",
        "0.01, -0.02, 0.03, 0.04, 0, 0.009600000000000001, -0.21553901710278936, 0.030799999999999998, 0.34199522377603914, false",
        "2.39, 1.0, 0.0, 0.0, 1, 2.41, 1.1951219512195121, 0.0, -0.2926829268292683, true",          // cart leaves the track
        "0.0, 0.0, 0.2, 1.0, 0, 0.0, -0.19715116691915335, 0.22, 1.348240687473541, true",           // pole beyond 12°
        "-1.0, -0.5, -0.15, -0.8, 1, -1.01, -0.30317388033504683, -0.16599999999999998, -1.1358587727078644, false"
    })
    void cartPoleSteps(double x, double xd, double th, double thd, int a, double x2, double xd2, double th2, double thd2,
                       boolean terminal) {
        CartPole env = CartPole.of(0.99);
        double[] next = new double[4];
        double r = env.step(new double[] {x, xd, th, thd}, a, null, next);
        assertEquals(x2, next[0], TOL, "x'");
        assertEquals(xd2, next[1], TOL, "ẋ'");
        assertEquals(th2, next[2], TOL, "θ'");
        assertEquals(thd2, next[3], TOL, "θ̇'");
        assertEquals(1.0, r, 0.0, "reward 1 on every step, including the terminating one");
        assertEquals(terminal, env.isTerminal(next), "terminal");
    }

    @ParameterizedTest(name = "mountaincar p={0} v={1} a={2}")
    @CsvSource({
        // p, v, a, p', v', reward, terminal
        "-0.5, 0.0, 0.7, -0.49912684300416926, 0.0008731569958307427, -0.048999999999999995, false",
        "0.44, 0.02, 1.0, 0.46087956137086905, 0.02087956137086907, 99.9, true",      // reaches the goal
        "-1.19, -0.05, -0.3, -1.2, 0.0, -0.009, false",                               // inelastic left wall
        "0.0, 0.069, 0.9, 0.06785000000000001, 0.06785000000000001, -0.08100000000000002, false",
        "-0.3, 0.01, -1.0, -0.29305402492067667, 0.006945975079323339, -0.1, false",
        "0.5, 0.069, 1.0, 0.5700000000000001, 0.07, 99.9, true",                       // speed clipped at 0.07
        "0.5, -0.01, -1.0, 0.48832315699583073, -0.011676843004169258, -0.1, false"    // past the flag but v < 0
    })
    void mountainCarSteps(double p, double v, double a, double p2, double v2, double reward, boolean terminal) {
        double[] next = new double[2];
        double r = MountainCarContinuous.stepContinuous(new double[] {p, v}, a, next);
        assertEquals(p2, next[0], TOL, "p'");
        assertEquals(v2, next[1], TOL, "v'");
        assertEquals(reward, r, TOL, "reward");
        assertEquals(terminal, MountainCarContinuous.of(5, 0.99).isTerminal(next), "terminal");
    }

    /** Reset distributions: supports as in Gymnasium, and embeddings bounded by 1 in absolute value. */
    @Test
    void resetSupportsAndBoundedEmbeddings() {
        RandomGenerator rng = Streams.of(5, Purpose.TEST, 0, 0);
        Pendulum pend = Pendulum.of(9, 0.99);
        CartPole cart = CartPole.of(0.99);
        MountainCarContinuous car = MountainCarContinuous.of(9, 0.99);
        double[] s2 = new double[2];
        double[] s4 = new double[4];
        double[] x = new double[9];
        for (int i = 0; i < 2000; i++) {
            pend.sampleInitial(rng, s2);
            assertTrue(Math.abs(s2[0]) <= Math.PI && Math.abs(s2[1]) <= 1.0);
            for (int a = 0; a < pend.numActions(); a++) {
                pend.embed(s2, a, x);
                assertBounded(x, pend.inputDim());
            }
            cart.sampleInitial(rng, s4);
            for (double v : s4) {
                assertTrue(Math.abs(v) <= 0.05);
            }
            assertTrue(!cart.isTerminal(s4));
            car.sampleInitial(rng, s2);
            assertTrue(s2[0] >= -0.6 && s2[0] <= -0.4 && s2[1] == 0.0);
            car.embed(s2, 0, x);
            assertBounded(x, car.inputDim());
        }
        cart.embed(new double[] {5, -9, 0.5, 40}, 1, x);
        assertBounded(x, cart.inputDim());
        double sum = 0;
        for (int a = 0; a < pend.numActions(); a++) {
            sum += pend.referenceWeight(a);
            assertTrue(Math.abs(pend.torque(a)) < 2.0);
        }
        assertEquals(1.0, sum, 1e-15, "Σμ = 1");
        assertEquals(200, pend.maxEpisodeSteps());
        assertEquals(500, cart.maxEpisodeSteps());
        assertEquals(999, car.maxEpisodeSteps());
    }

    private static void assertBounded(double[] x, int d) {
        for (int j = 0; j < d; j++) {
            assertTrue(Math.abs(x[j]) <= 1.0, "x[" + j + "] = " + x[j]);
        }
    }

    @Test
    void angleNormalizeFollowsPythonFloorModulo() {
        // Python: ((x + pi) % (2*pi)) - pi
        assertEquals(-Math.PI, Pendulum.angleNormalize(Math.PI), 0.0);
        assertEquals(-Math.PI, Pendulum.angleNormalize(-Math.PI), 0.0);
        assertEquals(0.5, Pendulum.angleNormalize(0.5 + 4 * Math.PI), 1e-14);
        assertEquals(-0.5, Pendulum.angleNormalize(-0.5 - 6 * Math.PI), 1e-14);
    }
}
