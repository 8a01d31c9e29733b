package org.pgflow.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.pgflow.meanfield.BlockOps;
import org.pgflow.meanfield.KernelBackend;
import org.pgflow.meanfield.MeanFieldSetup;
import org.pgflow.meanfield.NeuronKernels;
import org.pgflow.meanfield.ParticleBlock;

/**
 * One mean-field iteration of the particle work (summary pass of every block, then the Euler–Maruyama step of
 * every block: what a Spark executor does per iteration, minus scheduling) against the machine's floor, in
 * one thread and interleaved round by round, so that load from other processes hits both alike and the
 * ratio stays meaningful on a shared machine.
 *
 * <p>Floor = two passes of {@code z = b + w_s + w_a} (the one-hot dot products) and the JDK's vectorised
 * {@code lanewise(TANH)} (SVML) over the N × 100 (particle, point) pairs, summing the results so nothing is
 * dead code. Iteration = {@code BlockOps.summarize} + {@code BlockOps.step} over all blocks with the kernels
 * this JVM selected, with the activation memo off and on; the step runs in place, as on the in-JVM engine (the
 * Spark engine's step, which returns new arrays, costs 2–3× more in one thread: a block's worth of fresh arrays
 * per call).
 *
 * <pre>
 *   java --add-modules=jdk.incubator.vector -cp "target/pgflow.jar:$(cat target/classpath.txt)" \
 *       org.pgflow.bench.IterationVsFloor 100000 7
 * </pre>
 * Arguments: N (particles, default 10⁵), rounds (default 7). Prints one line per round and the medians.
 */
public final class IterationVsFloor {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private IterationVsFloor() {
    }

    public static void main(String[] args) {
        long n = args.length > 0 ? (long) Double.parseDouble(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        KernelBackend kernels = NeuronKernels.backend();
        MeanFieldSetup off = OneHotProblem.setup(n, 0);
        MeanFieldSetup on = OneHotProblem.setup(n, Long.MAX_VALUE);
        double[] w = OneHotProblem.weights(3);
        List<ParticleBlock> blocksOff = init(off);
        List<ParticleBlock> blocksOn = init(on);
        System.out.printf(Locale.ROOT, "N=%d kernels=%s lanes=%d rounds=%d (first round is warm-up)%n", n, kernels.name(),
                S.length(), rounds);
        System.out.println("round  floor_s  summary_s  step_s  iter_nomemo_s  iter_memo_s  nomemo/floor  memo/floor");
        List<double[]> rows = new ArrayList<>();
        double sink = 0;
        for (int r = 0; r <= rounds; r++) {
            long t0 = System.nanoTime();
            sink += floorPass(blocksOff) + floorPass(blocksOff);
            long t1 = System.nanoTime();
            // Without memo: summary then step, timed separately.
            for (ParticleBlock b : blocksOff) {
                sink += BlockOps.summarize(off, b, null).outputSums[0];
            }
            long t2 = System.nanoTime();
            List<ParticleBlock> next = new ArrayList<>(blocksOff.size());
            for (ParticleBlock b : blocksOff) {
                next.add(BlockOps.step(off, b, r, w, null, true));
            }
            blocksOff = next;
            long t3 = System.nanoTime();
            List<ParticleBlock> nextOn = new ArrayList<>(blocksOn.size());
            for (ParticleBlock b : blocksOn) {
                sink += BlockOps.summarize(on, b, null).outputSums[0];
            }
            for (ParticleBlock b : blocksOn) {
                nextOn.add(BlockOps.step(on, b, r, w, null, true));
            }
            blocksOn = nextOn;
            long t4 = System.nanoTime();
            double floor = (t1 - t0) / 1e9;
            double summary = (t2 - t1) / 1e9;
            double step = (t3 - t2) / 1e9;
            double memo = (t4 - t3) / 1e9;
            double[] row = {floor, summary, step, summary + step, memo, (summary + step) / floor, memo / floor};
            if (r > 0) {
                rows.add(row);
            }
            System.out.printf(Locale.ROOT, "%5d  %7.3f  %9.3f  %6.3f  %13.3f  %11.3f  %12.2f  %10.2f%n", r, row[0], row[1],
                    row[2], row[3], row[4], row[5], row[6]);
        }
        String[] names = {"floor_s", "summary_s", "step_s", "iter_nomemo_s", "iter_memo_s", "nomemo/floor", "memo/floor"};
        StringBuilder med = new StringBuilder("median");
        StringBuilder lo = new StringBuilder("min");
        StringBuilder hi = new StringBuilder("max");
        for (int c = 0; c < names.length; c++) {
            double[] col = new double[rows.size()];
            for (int i = 0; i < col.length; i++) {
                col[i] = rows.get(i)[c];
            }
            Arrays.sort(col);
            med.append(String.format(Locale.ROOT, " %s=%.3f", names[c], col[col.length / 2]));
            lo.append(String.format(Locale.ROOT, " %s=%.3f", names[c], col[0]));
            hi.append(String.format(Locale.ROOT, " %s=%.3f", names[c], col[col.length - 1]));
        }
        System.out.println(med);
        System.out.println(lo);
        System.out.println(hi);
        System.out.printf(Locale.ROOT, "floor per activation: %.3f ns  (sink %.3g)%n",
                rows.stream().mapToDouble(x -> x[0]).sorted().toArray()[rows.size() / 2] / (2.0 * n * 100) * 1e9, sink);
    }

    private static List<ParticleBlock> init(MeanFieldSetup s) {
        List<ParticleBlock> blocks = new ArrayList<>();
        for (int b = 0; b < s.numBlocks(); b++) {
            blocks.add(BlockOps.init(s, b));
        }
        return blocks;
    }

    /** {@code Σ_{p,i} tanh(b_i + w_{s(p),i} + w_{a(p),i})} with SVML tanh: one floor pass. */
    static double floorPass(List<ParticleBlock> blocks) {
        double total = 0;
        double[] lanes = new double[S.length()];
        for (ParticleBlock blk : blocks) {
            double[] theta = blk.theta();
            int count = blk.count();
            int bound = S.loopBound(count);
            int bRow = 21 * count;   // layout K = 1, d_x = 20: c = 0, w = 1..20, b = 21
            for (int s = 0; s < OneHotProblem.STATES; s++) {
                for (int a = 0; a < OneHotProblem.ACTIONS; a++) {
                    total += floorRow(theta, bRow, (1 + s) * count, (1 + OneHotProblem.STATES + a) * count, bound, lanes);
                }
            }
        }
        return total;
    }

    /** One point's row: a small method with no vector parameters, so C2 inlines all of the Vector API in it. */
    private static double floorRow(double[] theta, int bRow, int sRow, int aRow, int bound, double[] lanes) {
        DoubleVector acc = DoubleVector.zero(S);
        for (int i = 0; i < bound; i += S.length()) {
            DoubleVector z = DoubleVector.fromArray(S, theta, bRow + i)
                    .add(DoubleVector.fromArray(S, theta, sRow + i))
                    .add(DoubleVector.fromArray(S, theta, aRow + i));
            acc = acc.add(z.lanewise(VectorOperators.TANH));
        }
        acc.intoArray(lanes, 0);
        double sum = 0;
        for (double x : lanes) {
            sum += x;
        }
        return sum;
    }
}
