package org.pgflow.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pgflow.mdp.FiniteMdpSimulator;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.mdp.env.Pendulum;
import org.pgflow.mdp.SimEnvironment;
import org.pgflow.meanfield.NeuronLayout;
import org.pgflow.meanfield.ParticleSummary;

/**
 * The per-state cache of {@link MeanFieldActionDistribution}: a state seen before returns exactly the values a
 * fresh instance computes for it, whatever was asked in between, on a finite MDP (few states, all cached) and on
 * a continuous simulator (more distinct states than the cache holds).
 */
class MeanFieldActionDistributionTest {
    private static void check(SimEnvironment env, double[][] states, long seed) {
        NeuronLayout layout = new NeuronLayout(2, env.inputDim(), 3.0);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] rows = new double[37][layout.dim()];
        for (double[] r : rows) {
            for (int j = 0; j < r.length; j++) {
                r[j] = rnd.nextGaussian();
            }
        }
        ParticleSummary summary = ParticleSummary.ofRows(layout, rows);
        MeanFieldActionDistribution cached = new MeanFieldActionDistribution(env, summary);
        int na = env.numActions();
        for (int q = 0; q < 3 * states.length; q++) {
            double[] s = states[rnd.nextInt(states.length)];
            double[] pi = new double[na];
            double[] ell = new double[na];
            double[] f = new double[na];
            cached.evaluate(s, pi, ell);
            cached.outputs(s, f);
            MeanFieldActionDistribution fresh = new MeanFieldActionDistribution(env, summary);
            double[] pi0 = new double[na];
            double[] ell0 = new double[na];
            double[] f0 = new double[na];
            fresh.evaluate(s, pi0, ell0);
            fresh.outputs(s, f0);
            String what = env.name() + " query " + q + " (seed " + seed + ")";
            assertArrayEquals(pi0, pi, what + ": π");
            assertArrayEquals(ell0, ell, what + ": ℓ");
            assertArrayEquals(f0, f, what + ": F");
        }
    }

    @Test
    void aCachedStateGivesTheBitsOfAFreshEvaluation() {
        FiniteMdpSimulator mdp = FiniteMdpSimulator.of(RandomInstances.garnetMdp(3, 0, 5, 3, 2, 0.9));
        double[][] finite = new double[5][];
        for (int s = 0; s < 5; s++) {
            finite[s] = new double[] {s};
        }
        check(mdp, finite, 11);
        SimEnvironment pendulum = Pendulum.of(9, 0.95);
        SplittableRandom rnd = new SplittableRandom(5);
        double[][] continuous = new double[MeanFieldActionDistribution.CACHED_STATES + 40][];
        for (int i = 0; i < continuous.length; i++) {
            continuous[i] = new double[] {rnd.nextDouble(-Math.PI, Math.PI), rnd.nextDouble(-8, 8)};
        }
        check(pendulum, continuous, 12);
        assertFalse(continuous.length <= MeanFieldActionDistribution.CACHED_STATES, "more states than the cache holds");
    }
}
