package org.pgflow.meanfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pgflow.TestSupport.assertArray;
import static org.pgflow.TestSupport.assertMatrix;

import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgflow.TestSupport;
import org.pgflow.estimate.ExactSolver;
import org.pgflow.estimate.PolicyEvaluation;
import org.pgflow.estimate.WeightTables;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.policy.MeanFieldPolicy;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;

/** The neuron kernels and the exact drift: docs/algorithms.md §5 T5, and the finite-particle identity by central differences. */
class MeanFieldDriftTest {
    private static final FiniteMdp T1 = ModelFiles.loadMdp(TestSupport.env("t1.mdp.json"));

    /** Packs particle rows (flat layout) into a coordinate-major block array. */
    static double[] soa(double[][] rows) {
        int n = rows.length;
        int d = rows[0].length;
        double[] t = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                t[j * n + i] = rows[i][j];
            }
        }
        return t;
    }

    /** Exact drift of every particle of a cloud: returns {π, V(ρ), d, drift rows}. */
    static Object[] exactDrift(FiniteMdp mdp, NeuronLayout layout, double[][] rows, double tau) {
        Points points = Points.allStateActions(mdp);
        int n = rows.length;
        double[] theta = soa(rows);
        double[] sums = new double[points.size()];
        NeuronKernels.accumulateOutputs(theta, n, layout, points, sums);
        for (int p = 0; p < sums.length; p++) {
            sums[p] /= n;
        }
        double[][] pi = MeanFieldPolicy.probabilities(sums, mdp.numStates(), mdp.mu());
        PolicyEvaluation ev = ExactSolver.evaluate(mdp, pi, tau);
        double[] w = WeightTables.exact(mdp, pi, ev);
        double[] drift = new double[theta.length];
        NeuronKernels.drift(theta, n, layout, points, w, drift);
        double[][] b = new double[n][layout.dim()];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < layout.dim(); j++) {
                b[i][j] = drift[j * n + i];
            }
        }
        return new Object[] {pi, ev.valueAtInitial(), ev.occupancy(), b};
    }

    @Test
    void t5DriftOracle() {
        NeuronLayout layout = new NeuronLayout(1, 5, 1.0);
        double[][] rows = {
            {0.5, 0.1, -0.2, 0.3, -0.4, 0.5, 0.05},
            {-0.3, 0.2, 0.1, -0.1, 0.3, -0.2, -0.1}};
        Object[] r = exactDrift(T1, layout, rows, 0.5);
        assertMatrix(new double[][] {{0.3494783571, 0.2834471623, 0.3670744805}, {0.3481577161, 0.2830592219, 0.3687830620}},
                (double[][]) r[0], 1e-8, "pi_nu");
        assertEquals(4.3659711477, (double) r[1], 1e-8, "V(rho)");
        assertArray(new double[] {0.4699944525, 0.5300055475}, (double[]) r[2], 1e-8, "d");
        double[][] b = (double[][]) r[3];
        assertArray(new double[] {-0.2389292416, -0.0269786696, -0.0893631359, 0.0366469217, 0.0572198133, -0.2102085405, -0.1163418055},
                b[0], 1e-8, "b(nu, theta_1)");
        assertArray(new double[] {0.1762158919, -0.0286857100, 0.0185827641, -0.0631293687, -0.1012699234, 0.1542963462, -0.0101029459},
                b[1], 1e-8, "b(nu, theta_2)");
    }

    static LongStream seeds() {
        return LongStream.range(0, 24);
    }

    /**
     * {@code N·∂V(ρ)/∂θ_n = b(ν^N, θ_n)} (docs/algorithms.md §2.4) on seeded random MDPs and clouds, K ∈ {1, 2}, one-hot and
     * dense random features. Central differences with h = 1e-6: truncation O(h²) ≈ 1e-12, round-off
     * ε·|V|/h ≈ 1e-9·|V| ≤ 1e-8 for |V| ≤ 10; tolerance 1e-6 (test problem T5).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void finiteParticleIdentity(long seed) {
        int units = 1 + (int) (seed % 2);
        int ns = 2 + (int) (seed % 3);
        int na = 2 + (int) ((seed / 3) % 2);
        FiniteMdp base = RandomInstances.garnetMdp(31, seed, ns, na, Math.min(2, ns), 0.8);
        RandomGenerator rng = Streams.of(17, Purpose.TEST, 0, seed);
        FiniteMdp mdp = seed % 4 < 2 ? base : withDenseFeatures(base, rng);
        double alpha = 0.5 + 2 * rng.nextDouble();
        NeuronLayout layout = new NeuronLayout(units, mdp.inputDimension(), alpha);
        int n = 2 + (int) (seed % 4);
        double[][] rows = new double[n][layout.dim()];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        double tau = 0.1 + 0.4 * rng.nextDouble();
        double[][] b = (double[][]) exactDrift(mdp, layout, rows, tau)[3];
        double h = 1e-6;
        String ctx = "seed=" + seed + " K=" + units + " S=" + ns + " A=" + na + " N=" + n + " features="
                + (mdp.oneHotFeatures() ? "one-hot" : "dense");
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < layout.dim(); j++) {
                double keep = rows[i][j];
                rows[i][j] = keep + h;
                double up = (double) exactDrift(mdp, layout, rows, tau)[1];
                rows[i][j] = keep - h;
                double down = (double) exactDrift(mdp, layout, rows, tau)[1];
                rows[i][j] = keep;
                assertEquals(b[i][j], n * (up - down) / (2 * h), 1e-6, "particle " + i + " coord " + j + ", " + ctx);
            }
        }
    }

    private static FiniteMdp withDenseFeatures(FiniteMdp m, RandomGenerator rng) {
        double[][][] p = new double[m.numStates()][m.numActions()][];
        double[][] r = new double[m.numStates()][m.numActions()];
        for (int s = 0; s < m.numStates(); s++) {
            for (int a = 0; a < m.numActions(); a++) {
                p[s][a] = m.transitionRow(s, a, new double[m.numStates()]);
                r[s][a] = m.r(s, a);
            }
        }
        double[][] sf = new double[m.numStates()][2];
        double[][] af = new double[m.numActions()][2];
        for (double[] row : sf) {
            row[0] = rng.nextDouble() * 2 - 1;
            row[1] = rng.nextDouble() * 2 - 1;
        }
        for (double[] row : af) {
            row[0] = rng.nextDouble() * 2 - 1;
            row[1] = rng.nextDouble() * 2 - 1;
        }
        return FiniteMdp.of("dense", m.gamma(), p, r, m.rho(), m.mu(), sf, af);
    }
}
