package org.pgflow.bench;

import org.pgflow.mdp.Portfolio;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.policy.LinearSoftmaxPolicy;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.variance.ActorCriticModel;
import org.pgflow.variance.ActorCriticState;
import org.pgflow.train.VarianceLoop;
import org.pgflow.variance.EpisodeSums;

/**
 * Benchmark: single-thread (one core) throughput of {@link VarianceLoop#simulateBlock} (simulation + increments
 * of (4) and (6)) on T7 and on the portfolio.
 * Run: {@code java -cp target/classes:target/test-classes:$(cat target/classpath.txt) org.pgflow.bench.EpisodeThroughput}.
 */
public final class EpisodeThroughput {
    private EpisodeThroughput() {
    }

    private static double episodesPerSecond(ActorCriticModel m, double[] theta, int episodes) {
        ActorCriticState s = ActorCriticState.initial(theta, m.criticDimension());
        VarianceLoop.simulateBlock(m, s, 1, 0, episodes / 4); // warm-up
        long t0 = System.nanoTime();
        EpisodeSums sums = VarianceLoop.simulateBlock(m, s, 2, 0, episodes);
        double dt = (System.nanoTime() - t0) / 1e9;
        if (sums.count() != episodes) {
            throw new IllegalStateException(sums.count() + " episodes simulated, " + episodes + " asked");
        }
        System.out.printf("throughput %s: %.0f episodes/s/core (%.1f steps/episode, %d episodes in %.2f s)%n",
                m.environment().getClass().getSimpleName(), episodes / dt, sums.steps() / (double) episodes,
                episodes, dt);
        return episodes / dt;
    }

    /** @param args none */
    public static void main(String[] args) {
        SspEnvironment t7 = SspEnvironment.of(RiskyChain.t7());
        episodesPerSecond(ActorCriticModel.of(t7, TabularSoftmaxPolicy.of(9, 2), t7, 0.3, 1000), new double[9],
                400_000);
        Portfolio p = Portfolio.balanced();
        episodesPerSecond(ActorCriticModel.of(p, LinearSoftmaxPolicy.logistic(p), p, 2, 1000), new double[8],
                100_000);
    }
}
