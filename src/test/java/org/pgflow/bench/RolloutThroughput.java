package org.pgflow.bench;

import java.util.random.RandomGenerator;
import org.pgflow.estimate.MonteCarloEvaluator;
import org.pgflow.mdp.SimEnvironment;
import org.pgflow.mdp.env.CartPole;
import org.pgflow.mdp.env.MountainCarContinuous;
import org.pgflow.mdp.env.Pendulum;
import org.pgflow.policy.TabularActionDistribution;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;

/**
 * Prints single-thread rollout throughput (environment steps per second, policy sampling included) of the
 * geometric all-action Q̂ rollouts under the uniform (π = μ) policy. Not a test; never asserts timing.
 * Run: {@code java -cp target/classes:target/test-classes org.pgflow.bench.RolloutThroughput}.
 */
public final class RolloutThroughput {
    private RolloutThroughput() {
    }

    /** Counts environment steps (a thin delegating wrapper). */
    private static final class Counting implements SimEnvironment {
        private static final long serialVersionUID = 1L;
        private final SimEnvironment env;
        long steps;

        Counting(SimEnvironment env) {
            this.env = env;
        }

        @Override public String name() { return env.name(); }
        @Override public int stateDim() { return env.stateDim(); }
        @Override public int numActions() { return env.numActions(); }
        @Override public double referenceWeight(int a) { return env.referenceWeight(a); }
        @Override public int inputDim() { return env.inputDim(); }
        @Override public void embed(double[] s, int a, double[] x) { env.embed(s, a, x); }
        @Override public double gamma() { return env.gamma(); }
        @Override public void sampleInitial(RandomGenerator rng, double[] s) { env.sampleInitial(rng, s); }
        @Override public boolean isTerminal(double[] s) { return env.isTerminal(s); }
        @Override public int maxEpisodeSteps() { return env.maxEpisodeSteps(); }

        @Override
        public double step(double[] s, int a, RandomGenerator rng, double[] next) {
            steps++;
            return env.step(s, a, rng, next);
        }
    }

    public static void main(String[] args) {
        double gamma = 0.99;
        SimEnvironment[] envs = {Pendulum.of(9, gamma), Pendulum.of(21, gamma), CartPole.of(gamma),
            MountainCarContinuous.of(9, gamma)};
        for (SimEnvironment env : envs) {
            double[] mu = env.referenceWeights();
            Counting counting = new Counting(env);
            MonteCarloEvaluator mc = new MonteCarloEvaluator(counting, TabularActionDistribution.stateless(mu, mu), 0.1, false);
            double[] s = new double[env.stateDim()];
            double[] q = new double[env.numActions()];
            for (int round = 0; round < 3; round++) {
                RandomGenerator rng = Streams.of(1, Purpose.TEST, round, 0);
                counting.steps = 0;
                long states = 0;
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < 1_000_000_000L) {
                    mc.sampleState(rng, s);
                    mc.qAllActions(s, rng, q);
                    states++;
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%-28s J=%-3d round %d: %,.0f states/s, %,.0f Q-rollouts/s, %,.0f env steps/s%n",
                        env.name(), env.numActions(), round, states / sec, states * env.numActions() / sec,
                        counting.steps / sec);
            }
        }
    }
}
