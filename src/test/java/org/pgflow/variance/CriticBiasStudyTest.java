package org.pgflow.variance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.pgflow.mdp.Portfolio;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.policy.LinearSoftmaxPolicy;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.train.VarianceLoop;
import org.pgflow.variance.ActorCriticModel.CriticTarget;

/**
 * A measurement, not a regression test (skipped unless {@code -Dpgflow.criticStudy=true}): the relative bias
 * {@code ‖d(w) − ∇η‖/‖∇η‖} of the actor direction implied by every critic at a fixed θ, over 5 seeds, on T7, a
 * random SSP and the portfolio. {@code d(w)} is the exact mean of (6) given the critic ({@link CriticBias} on the
 * finite SSPs). On the portfolio there is no exact ∇η: {@code d(w) = (1+2λĴ) F w_J − λ F w_M − 2λ F̃ w̃_J} with
 * {@code F = E[Σ_t g_t φ_tᵀ]}, {@code F̃ = E[Σ_t R_{<t} g_t φ_tᵀ]}, and
 * {@code ∇η = (1+2λJ) E[Σ_t g_t B_t] − λ (E[Σ_t g_t B_t²] + 2 E[Σ_t R_{<t} g_t B_t])} (Proposition 3 with Monte Carlo
 * returns), all from one reference batch of 10⁶ episodes (its relative error is printed). Critics: exact
 * projections; least squares, LSTD(0), LSTD(0.5), LSTD(0.9), LSTD(1) from one critic batch of E_c episodes; incremental
 * (variant A) and TD(0) after K iterations × 50 episodes at frozen θ with the default schedule
 * {@code α_k = α_0 (1 + k/200)^{−0.6}}; and the closed-form TD(0)/TD(0.5) fixed points. The garnet has rewards of
 * both signs, so q̃ takes negative values (Assumption 6 fails) and the weighted incremental and TD(0) critics are
 * unstable there (slowly: the negative eigenvalues of ΦᵀQ̃Φ are small); the table shows it.
 *
 * <pre>
 *   mvn -B -o test -Dtest=CriticBiasStudyTest -Dpgflow.criticStudy=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "pgflow.criticStudy", matches = "true")
class CriticBiasStudyTest {
    private static final int SEEDS = 5;
    private static final int SA_ITERATIONS = 2000;
    private static final int SA_EPISODES = 50;

    /** A critic estimate at θ for one seed. */
    interface Critic {
        CriticWeights estimate(ActorCriticModel m, double[] theta, long seed);
    }

    static CriticWeights batch(ActorCriticModel m, double[] theta, long seed, int episodes) {
        ActorCriticState s = ActorCriticState.initial(theta, m.criticDimension());
        return VarianceLoop.simulateCriticBlock(m, s, seed, 0, episodes).solve(1e-8);
    }

    /** Final iterate of the incremental / TD(0) critic after {@code K} iterations at frozen θ. */
    static CriticWeights saRun(ActorCriticModel m, double[] theta, long seed, double alpha0) {
        StepSchedule schedule = StepSchedule.of(alpha0, 1.0, 200);
        ActorCriticState s = ActorCriticState.initial(theta, m.criticDimension());
        for (int k = 0; k < SA_ITERATIONS; k++) {
            EpisodeSums sums = VarianceLoop.simulateBlock(m, s, seed, 0, SA_EPISODES);
            ActorCriticState next = ActorCriticUpdates.incremental(s, sums, schedule, Double.POSITIVE_INFINITY);
            s = ActorCriticState.of(k + 1, theta, next.jHat(), next.wJ(), next.wM(), next.wTilde());
        }
        return new CriticWeights(s.jHat(), s.wJ(), s.wM(), s.wTilde());
    }

    record Named(String name, Critic critic) {
    }

    static List<Named> critics(int criticEpisodes, double alpha0) {
        List<Named> out = new ArrayList<>();
        out.add(new Named("least-squares E=" + criticEpisodes,
                (m, th, s) -> batch(m.withCritic(CriticTarget.RETURNS, 0), th, s, criticEpisodes)));
        for (double lam : new double[] {0, 0.5, 0.9, 1}) {
            out.add(new Named("lstd(" + lam + ") E=" + criticEpisodes,
                    (m, th, s) -> batch(m.withCritic(CriticTarget.LSTD, lam), th, s, criticEpisodes)));
        }
        out.add(new Named("incremental K=" + SA_ITERATIONS + "x" + SA_EPISODES + " a0=" + alpha0,
                (m, th, s) -> saRun(m.withCritic(CriticTarget.RETURNS, 0), th, s, alpha0)));
        out.add(new Named("td0 K=" + SA_ITERATIONS + "x" + SA_EPISODES + " a0=" + alpha0,
                (m, th, s) -> saRun(m.withCritic(CriticTarget.TD0, 0), th, s, alpha0)));
        return out;
    }

    static String row(String problem, String features, String critic, double[] v) {
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double x : v) {
            mean += x / v.length;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double sd = 0;
        for (double x : v) {
            sd += (x - mean) * (x - mean) / Math.max(1, v.length - 1);
        }
        if (!(max < 1e6)) {
            return String.format(Locale.ROOT, "| %-34s | %-9s | %-30s | diverged (max %.1e) | | | |", problem, features,
                    critic, max);
        }
        return String.format(Locale.ROOT, "| %-34s | %-9s | %-30s | %8.4f | %8.4f | %8.4f | %8.4f |", problem, features,
                critic, mean, Math.sqrt(sd), min, max);
    }

    private static void ssp(String name, Ssp ssp, double[] theta, double penalty, double alpha0, List<String> out) {
        SspEnvironment env = SspEnvironment.of(ssp);
        TabularSoftmaxPolicy pol = TabularSoftmaxPolicy.of(ssp.numStates(), ssp.numActions());
        for (boolean exact : new boolean[] {true, false}) {
            ActorCriticModel m = ActorCriticModel.of(env, pol, exact ? env : new TdFixedPointTest.ConstantFeature(),
                    penalty, 1_000_000);
            String f = exact ? "one-hot" : "constant";
            ActorCriticState s0 = ActorCriticState.initial(theta, m.criticDimension());
            out.add(row(name, f, "exact projections", new double[] {
                CriticBias.of(m, ExactCritic.projections(m, theta).applyTo(s0)).relative()}));
            for (double lam : new double[] {0, 0.5}) {
                out.add(row(name, f, "closed-form TD(" + lam + ") fixed point", new double[] {
                    CriticBias.of(m, ExactCritic.temporalDifference(m, theta, lam).applyTo(s0)).relative()}));
            }
            for (int ec : new int[] {1000, 10_000}) {
                for (Named c : critics(ec, alpha0)) {
                    if (ec != 1000 && c.name().startsWith("incremental") || ec != 1000 && c.name().startsWith("td0")) {
                        continue;
                    }
                    double[] v = new double[SEEDS];
                    for (int seed = 1; seed <= SEEDS; seed++) {
                        v[seed - 1] = CriticBias.of(m, c.critic().estimate(m, theta, seed).applyTo(s0)).relative();
                    }
                    out.add(row(name, f, c.name(), v));
                }
            }
        }
    }

    /** Reference sums of the portfolio at fixed θ (class comment). */
    static final class PortfolioReference {
        final double[][] f;
        final double[][] ft;
        final double[] grad;
        final double gradRelSe;
        final double lambda;

        PortfolioReference(ActorCriticModel m, double[] theta, int episodes, int batches) {
            int np = m.numParameters();
            int d = m.criticDimension();
            lambda = m.lambda();
            f = new double[np][d];
            ft = new double[np][d];
            double[][] gb = new double[batches][np];
            double[][] gb2 = new double[batches][np];
            double[][] grb = new double[batches][np];
            double[] jb = new double[batches];
            Trajectory tr = m.newTrajectory();
            double[] phi = new double[d];
            int per = episodes / batches;
            for (int e = 0; e < episodes; e++) {
                int b = e / per;
                m.simulate(theta, Streams.of(424242, Purpose.TEST, 0, e), tr);
                jb[b] += tr.returnValue() / per;
                for (int t = 0; t < tr.length(); t++) {
                    ActorCriticModel.criticFeatures(tr, t, phi);
                    double bt = tr.rewardToGo(t);
                    double rt = tr.pastReward(t);
                    for (int i = 0; i < np; i++) {
                        double g = tr.score(t, i);
                        if (g == 0) {
                            continue;
                        }
                        for (int j = 0; j < d; j++) {
                            f[i][j] += g * phi[j] / episodes;
                            ft[i][j] += rt * g * phi[j] / episodes;
                        }
                        gb[b][i] += g * bt / per;
                        gb2[b][i] += g * bt * bt / per;
                        grb[b][i] += rt * g * bt / per;
                    }
                }
            }
            double[][] gradB = new double[batches][np];
            double[] mean = new double[np];
            for (int b = 0; b < batches; b++) {
                for (int i = 0; i < np; i++) {
                    gradB[b][i] = (1 + 2 * lambda * jb[b]) * gb[b][i] - lambda * (gb2[b][i] + 2 * grb[b][i]);
                    mean[i] += gradB[b][i] / batches;
                }
            }
            double se2 = 0;
            double n2 = 0;
            for (int i = 0; i < np; i++) {
                double v = 0;
                for (int b = 0; b < batches; b++) {
                    v += (gradB[b][i] - mean[i]) * (gradB[b][i] - mean[i]) / (batches - 1);
                }
                se2 += v / batches;
                n2 += mean[i] * mean[i];
            }
            grad = mean;
            gradRelSe = Math.sqrt(se2 / n2);
        }

        double relativeBias(CriticWeights c) {
            double a = 1 + 2 * lambda * c.jHat();
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < grad.length; i++) {
                double dir = 0;
                for (int j = 0; j < f[i].length; j++) {
                    dir += a * f[i][j] * c.wJ()[j] - lambda * f[i][j] * c.wM()[j] - 2 * lambda * ft[i][j] * c.wTilde()[j];
                }
                diff += (dir - grad[i]) * (dir - grad[i]);
                norm += grad[i] * grad[i];
            }
            return Math.sqrt(diff / norm);
        }
    }

    @Test
    void gradientBiasOfEveryCriticAtFixedTheta() {
        List<String> out = new ArrayList<>();
        out.add("| problem (θ, λ)                     | features  | critic                         | mean     | sd       | min      | max      |");
        out.add("|---|---|---|---|---|---|---|");
        ssp("T7 uniform θ=0, λ=0.5", RiskyChain.t7(), new double[9], 0.5, 0.5, out);
        double[] th7 = new double[9];
        for (int i = 0; i < 9; i++) {
            th7[i] = 0.8 * Math.sin(1.3 * i + 0.2);
        }
        ssp("T7 θ_i=0.8 sin(1.3i+0.2), λ=0.2", RiskyChain.t7(), th7, 0.2, 0.5, out);
        Ssp garnet = RandomInstances.garnetSsp(2024, 0, 10, 3, 3, 0.1);
        double[] thg = new double[20];
        for (int i = 0; i < thg.length; i++) {
            thg[i] = 0.5 * Math.sin(1.7 * i + 0.4);
        }
        ssp("garnet(2024,0) n=10 m=3 b=3, λ=0.3", garnet, thg, 0.3, 0.05, out); // α_0 = 0.5 diverges here
        Portfolio p = Portfolio.balanced();
        ActorCriticModel pm = ActorCriticModel.of(p, LinearSoftmaxPolicy.logistic(p), p, 2.0, 1000);
        double[] thp = new double[pm.numParameters()];
        thp[5] = 1.0; // invest more in the high regime
        PortfolioReference ref = new PortfolioReference(pm, thp, 1_000_000, 100);
        String pn = "portfolio θ=e_high, λ=2";
        out.add(row(pn, "state", "reference ∇η relative SE", new double[] {ref.gradRelSe}));
        for (int ec : new int[] {1000, 10_000, 100_000}) {
            for (Named c : critics(ec, 0.02)) {
                if (ec != 1000 && (c.name().startsWith("incremental") || c.name().startsWith("td0"))) {
                    continue;
                }
                double[] v = new double[SEEDS];
                for (int seed = 1; seed <= SEEDS; seed++) {
                    v[seed - 1] = ref.relativeBias(c.critic().estimate(pm, thp, seed));
                }
                out.add(row(pn, "state", c.name(), v));
            }
        }
        out.forEach(System.out::println);
        assertTrue(out.size() > 10);
    }
}
