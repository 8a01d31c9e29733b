package org.pgflow.bench;

import java.util.SplittableRandom;
import org.pgflow.meanfield.MeanFieldSetup;
import org.pgflow.meanfield.NeuronLayout;
import org.pgflow.meanfield.Points;

/**
 * The benchmark problem without the MDP: one-hot inputs of a 10×10 finite MDP
 * ({@code x(s,a) = e_s ++ e_a}, d_x = 20, P = 100 points), K = 1, α = 4, the Langevin constants of
 * {@code conf/random10x10-meanfield.yaml}, and a fixed random weight table in place of the exact evaluation
 * (which costs microseconds for 100 points and does not scale with N).
 */
final class OneHotProblem {
    static final int STATES = 10;
    static final int ACTIONS = 10;

    private OneHotProblem() {
    }

    static Points points() {
        double[][] rows = new double[STATES * ACTIONS][STATES + ACTIONS];
        for (int s = 0; s < STATES; s++) {
            for (int a = 0; a < ACTIONS; a++) {
                rows[s * ACTIONS + a][s] = 1;
                rows[s * ACTIONS + a][STATES + a] = 1;
            }
        }
        return Points.ofDense(rows);
    }

    static NeuronLayout layout() {
        return new NeuronLayout(1, STATES + ACTIONS, 4.0);
    }

    static MeanFieldSetup setup(long particles, long activationCacheBytes) {
        return new MeanFieldSetup(layout(), points(), particles, 4096, 0.05, 0.3, 1.0, 1, false, 3.0,
                activationCacheBytes);
    }

    /** A weight table of realistic size: {@code |W| ~ d(s)π(a|s)|Adv|/(1−γ)} ≲ 0.1. */
    static double[] weights(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[STATES * ACTIONS];
        for (int p = 0; p < w.length; p++) {
            w[p] = rnd.nextDouble(-0.1, 0.1);
        }
        return w;
    }
}
