package org.pgflow.variance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.Ssp;
import org.pgflow.policy.TabularSoftmaxPolicy;

/**
 * The reference of the critic study (conf/studies/critics-*.yaml, notebooks/04-critics.ipynb): the η that exact
 * tabular gradient ascent reaches on the study's finite SSPs from the learner's start θ = 0, in the learner's
 * parametrisation (tabular softmax with one reference logit per state) and box {@code [−b, b]} (b = 20). A
 * measurement, not a regression test (skipped unless {@code -Dpgflow.criticStudy=true}). Per problem it prints
 * <ul>
 *   <li>{@code eta0}: η of the uniform policy;</li>
 *   <li>{@code etaStar}: converged projected ascent on the exact ∇η of §4.5 (step adapted: doubled after an
 *       increase of η, halved and retried after a decrease; stopped when the projected gradient is below 1e-10 or
 *       after 100 000 steps), the local optimum the actor–critic should find;</li>
 *   <li>{@code etaK}: exact ascent with the learner's own actor schedule {@code β_k = β₀(1 + k/k₀)^{−0.9}} for the
 *       study's K iterations (600, 1500, 2000) — what a noise-free, bias-free critic would reach with the same steps;</li>
 *   <li>{@code pgNorm}: the projected gradient norm at the end of the converged ascent.</li>
 * </ul>
 * One JSON object per line (the notebook's {@code REFERENCE} table), keyed by the problem and the seed (the
 * random SSP of a run is drawn from the run's seed: {@code random-ssp} with {@code instance: 0}).
 *
 * <pre>
 *   mvn -B -o test -Dtest=ExactAscentReference -Dpgflow.criticStudy=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "pgflow.criticStudy", matches = "true")
class ExactAscentReference {
    static final double BOUND = 20;

    record Outcome(double eta0, double etaStar, long[] iterations, double[] etaK, double pgNorm, int steps) {
    }

    static double eta(Ssp ssp, TabularSoftmaxPolicy pol, double[] th, double lambda) {
        return SspMoments.compute(ssp, pol.table(th), lambda).eta();
    }

    static double[] grad(Ssp ssp, TabularSoftmaxPolicy pol, double[] th, double lambda) {
        return pol.restrict(SspMoments.compute(ssp, pol.table(th), lambda).gradEta());
    }

    static double[] project(double[] th) {
        double[] out = th.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(-BOUND, Math.min(BOUND, out[i]));
        }
        return out;
    }

    static double projectedNorm(double[] th, double[] g) {
        double n2 = 0;
        for (int i = 0; i < th.length; i++) {
            double step = Math.max(-BOUND, Math.min(BOUND, th[i] + g[i])) - th[i];
            n2 += step * step;
        }
        return Math.sqrt(n2);
    }

    static Outcome ascend(Ssp ssp, double lambda, double beta0, double k0, long[] iterations) {
        TabularSoftmaxPolicy pol = TabularSoftmaxPolicy.of(ssp.numStates(), ssp.numActions());
        int np = pol.numParameters();
        double eta0 = eta(ssp, pol, new double[np], lambda);
        // the learner's schedule, exact gradient; η recorded after each of the given iteration counts
        double[] th = new double[np];
        StepSchedule sched = StepSchedule.of(1, beta0, k0);
        double[] etaK = new double[iterations.length];
        long last = iterations[iterations.length - 1];
        for (long k = 0, j = 0; k < last; k++) {
            double[] g = grad(ssp, pol, th, lambda);
            double b = sched.beta(k);
            for (int i = 0; i < np; i++) {
                th[i] += b * g[i];
            }
            th = project(th);
            while (j < iterations.length && iterations[(int) j] == k + 1) {
                etaK[(int) j++] = eta(ssp, pol, th, lambda);
            }
        }
        // converged ascent with an adapted step
        th = new double[np];
        double e = eta0;
        double s = 0.5;
        int steps = 0;
        double pg = Double.NaN;
        for (; steps < 100_000; steps++) {
            double[] g = grad(ssp, pol, th, lambda);
            pg = projectedNorm(th, g);
            if (pg < 1e-10) {
                break;
            }
            double[] cand = null;
            double ec = Double.NEGATIVE_INFINITY;
            while (s >= 1e-12) {
                cand = th.clone();
                for (int i = 0; i < np; i++) {
                    cand[i] += s * g[i];
                }
                cand = project(cand);
                ec = eta(ssp, pol, cand, lambda);
                if (ec >= e) {
                    break;
                }
                s /= 2;
            }
            if (s < 1e-12) {
                break;
            }
            th = cand;
            e = ec;
            s = Math.min(s * 2, 1e4);
        }
        return new Outcome(eta0, e, iterations, etaK, pg, steps);
    }

    static String json(String problem, long seed, double lambda, Outcome o) {
        StringBuilder k = new StringBuilder();
        for (int i = 0; i < o.iterations().length; i++) {
            k.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "\"%d\": %.10f", o.iterations()[i], o.etaK()[i]));
        }
        return String.format(Locale.ROOT, "{\"problem\": \"%s\", \"seed\": %d, \"lambda\": %s, \"eta0\": %.10f, "
                        + "\"etaStar\": %.10f, \"etaK\": {%s}, \"pgNorm\": %.3e, \"steps\": %d}",
                problem, seed, lambda, o.eta0(), o.etaStar(), k, o.pgNorm(), o.steps());
    }

    @Test
    void exactAscentOnTheStudyProblems() {
        List<String> out = new ArrayList<>();
        // conf/studies/critics-t7.yaml: RiskyChain (L = 3, p = 0.5, R = 2.4), λ ∈ {0.1, 0.5}, β₀ = 1, k₀ = 200
        long[] its = {600, 1500, 2000};
        for (double lam : new double[] {0.1, 0.5}) {
            out.add(json("risky-chain", 0, lam, ascend(RiskyChain.t7(), lam, 1.0, 200, its)));
        }
        // conf/studies/critics-random-ssp.yaml: random-ssp n = 10, m = 3, branching 3, terminalMin 0.1, λ = 0.3
        for (long seed = 1; seed <= 5; seed++) {
            Ssp g = RandomInstances.garnetSsp(seed, 0, 10, 3, 3, 0.1);
            out.add(json("random-ssp", seed, 0.3, ascend(g, 0.3, 1.0, 200, its)));
        }
        out.forEach(System.out::println);
        assertTrue(out.size() == 7);
    }
}
