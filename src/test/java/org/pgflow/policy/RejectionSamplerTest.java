package org.pgflow.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.pgflow.math.Quadrature;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.stats.RunningMoments;

/**
 * The rejection sampler of docs/algorithms.md §2.7c against the target law π ∝ e^F μ̄, computed exactly (finite μ̄) or by
 * 200-node Gauss–Legendre quadrature (continuous μ̄, analytic integrand: error ≪ 1e-12).
 *
 * <p>Frequencies: {@code |p̂ − p| ≤ 4·sqrt(p(1−p)/n)} (CLT, two-sided 6.3e-5 per assertion); mean number of
 * proposals: {@code |mean − e^B/Z| ≤ 4·SE}. Counts and the union bound are stated per test; seeds are fixed.
 */
class RejectionSamplerTest {
    private static final double Z = 4.0;
    private static final long SEED = 314159L;

    /** 4 action frequencies + 1 proposal count = 5 assertions: false-failure probability ≤ 3.2e-4. */
    @Test
    void finiteActionFrequenciesMatchSoftmax() {
        double[] mu = {0.1, 0.2, 0.3, 0.4};
        double bound = 1.5;
        double[] state = {0.3};
        // F(s,a) = 1.5·tanh(s + a − 1.5) ∈ (−1.5, 1.5)
        RejectionSampler.Logit f = (s, a) -> bound * Math.tanh(s[0] + a[0] - 1.5);
        RejectionSampler sampler = new RejectionSampler(f, bound, (rng, a) -> a[0] = Streams.categorical(mu, rng), 1_000_000);
        double[] pi = new double[4];
        double z = 0;
        for (int a = 0; a < 4; a++) {
            pi[a] = mu[a] * Math.exp(f.value(state, new double[] {a}));
            z += pi[a];
        }
        for (int a = 0; a < 4; a++) {
            pi[a] /= z;
        }
        int n = 200_000;
        long[] counts = new long[4];
        RunningMoments proposals = RunningMoments.create();
        RandomGenerator rng = Streams.of(SEED, Purpose.TEST, 0, 0);
        double[] act = new double[1];
        for (int i = 0; i < n; i++) {
            proposals.accept(sampler.sample(state, rng, act));
            counts[(int) act[0]]++;
        }
        for (int a = 0; a < 4; a++) {
            double se = Math.sqrt(pi[a] * (1 - pi[a]) / n);
            assertEquals(pi[a], counts[a] / (double) n, Z * se, "pi[" + a + "] seed=" + SEED);
        }
        assertEquals(Math.exp(bound) / z, proposals.mean(), Z * proposals.standardError(), "mean proposals = e^B/Z");
    }

    /** 8 bins of U[−1,1] proposals with F = 2·tanh(s + 2a): 8 assertions, ≤ 5.1e-4. */
    @Test
    void continuousActionBinsMatchTargetDensity() {
        double bound = 2.0;
        double[] state = {-0.2};
        RejectionSampler.Logit f = (s, a) -> bound * Math.tanh(s[0] + 2 * a[0]);
        RejectionSampler sampler = new RejectionSampler(f, bound, (rng, a) -> a[0] = rng.nextDouble(-1.0, 1.0), 1_000_000);
        int bins = 8;
        double[] p = new double[bins];
        double total = 0;
        for (int b = 0; b < bins; b++) {
            double lo = -1 + 2.0 * b / bins;
            Quadrature q = Quadrature.uniform(200, lo, lo + 2.0 / bins);
            // ∫_bin e^F dμ̄ = (1/bins)·E_{U(bin)}[e^F]
            p[b] = q.integrate(a -> Math.exp(f.value(state, new double[] {a}))) / bins;
            total += p[b];
        }
        int n = 200_000;
        long[] counts = new long[bins];
        RandomGenerator rng = Streams.of(SEED, Purpose.TEST, 1, 0);
        double[] act = new double[1];
        for (int i = 0; i < n; i++) {
            sampler.sample(state, rng, act);
            counts[Math.min(bins - 1, (int) ((act[0] + 1) / 2 * bins))]++;
        }
        for (int b = 0; b < bins; b++) {
            double pb = p[b] / total;
            double se = Math.sqrt(pb * (1 - pb) / n);
            assertEquals(pb, counts[b] / (double) n, Z * se, "bin " + b + " seed=" + SEED);
        }
    }

    @Test
    void wrongBoundIsDetected() {
        RejectionSampler sampler = new RejectionSampler((s, a) -> 2.0, 1.0, (rng, a) -> a[0] = 0, 10);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> sampler.sample(new double[1], Streams.of(1, Purpose.TEST, 0, 0), new double[1]));
        assertTrue(e.getMessage().contains("bound"), e.getMessage());
        RejectionSampler hopeless = new RejectionSampler((s, a) -> -50.0, 0.0, (rng, a) -> a[0] = 0, 10);
        assertThrows(IllegalStateException.class,
                () -> hopeless.sample(new double[1], Streams.of(1, Purpose.TEST, 0, 0), new double[1]));
    }
}
