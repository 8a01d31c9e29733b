package org.pgflow.mdp.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pgflow.math.Quadrature;

/**
 * The input embeddings of the control simulators, coordinate by coordinate against their documented formulas,
 * and the property that motivates the signed CartPole embedding: one neuron's preference
 * {@code f(s,right) − f(s,left)} is increasing in {@code ⟨w, x(s,right)⟩}.
 */
class ControlEmbeddingTest {
    private static final double TOL = 1e-15;

    @Test
    void cartPoleStateIsSignedByThePush() {
        CartPole env = CartPole.of(0.99);
        assertEquals(5, env.inputDim());
        double[] s = {1.2, -1.0, 0.1, 6.0}; // θ̇/3 = 2 is clipped to 1
        double[] right = new double[5];
        double[] left = new double[5];
        env.embed(s, 1, right);
        env.embed(s, 0, left);
        double[] expected = {0.5, -0.5, 0.1 / CartPole.THETA_THRESHOLD, 1.0, 1.0};
        for (int j = 0; j < 5; j++) {
            assertEquals(expected[j], right[j], TOL, "x(s,right)[" + j + "]");
            assertEquals(-expected[j], left[j], TOL, "x(s,left)[" + j + "]");
        }
    }

    @Test
    void oneCartPoleNeuronPrefersAPushMonotonically() {
        CartPole env = CartPole.of(0.99);
        double[] w = {0.3, 0.7, 2.0, 1.1, 0.2};
        double[] right = new double[5];
        double[] left = new double[5];
        for (double b : new double[] {-1.5, 0.0, 0.8}) {
            double prevU = Double.NEGATIVE_INFINITY;
            double prevPref = Double.NEGATIVE_INFINITY;
            for (double theta = -0.2; theta <= 0.2; theta += 0.01) {
                double[] s = {0.0, 0.0, theta, 0.0};
                env.embed(s, 1, right);
                env.embed(s, 0, left);
                double u = dot(w, right);
                double pref = Math.tanh(u + b) - Math.tanh(dot(w, left) + b);
                assertTrue(u > prevU && pref > prevPref, "b=" + b + " θ=" + theta + ": preference " + pref
                        + " after " + prevPref);
                prevU = u;
                prevPref = pref;
            }
        }
    }

    @Test
    void pendulumAppendsTorqueTimesFeatures() {
        Pendulum env = Pendulum.of(9, 0.95);
        assertEquals(9, env.inputDim());
        double[] s = {2.5, -3.0};
        double[] x = new double[9];
        for (int a = 0; a < env.numActions(); a++) {
            env.embed(s, a, x);
            double v = Quadrature.uniform(9, -2, 2).node(a) / 2;
            double[] o = {Math.cos(2.5), Math.sin(2.5), -3.0 / 8, Math.cos(2.5) * -3.0 / 8};
            double[] expected = {o[0], o[1], o[2], o[3], v, v * o[0], v * o[1], v * o[2], v * o[3]};
            for (int j = 0; j < 9; j++) {
                assertEquals(expected[j], x[j], TOL, "a=" + a + " x[" + j + "]");
            }
        }
    }

    @Test
    void mountainCarAppendsForceTimesObservation() {
        MountainCarContinuous env = MountainCarContinuous.of(5, 0.99);
        assertEquals(5, env.inputDim());
        double[] s = {-0.75, 0.035};
        double[] x = new double[5];
        for (int a = 0; a < env.numActions(); a++) {
            env.embed(s, a, x);
            double f = Quadrature.uniform(5, -1, 1).node(a);
            double[] expected = {-0.5, 0.5, f, -0.5 * f, 0.5 * f};
            for (int j = 0; j < 5; j++) {
                assertEquals(expected[j], x[j], 1e-12, "a=" + a + " x[" + j + "]");
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
