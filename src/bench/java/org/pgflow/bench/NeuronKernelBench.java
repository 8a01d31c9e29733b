package org.pgflow.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.pgflow.meanfield.BlockOps;
import org.pgflow.meanfield.KernelBackend;
import org.pgflow.meanfield.MeanFieldSetup;
import org.pgflow.meanfield.NeuronKernels;
import org.pgflow.meanfield.NeuronLayout;
import org.pgflow.meanfield.ParticleBlock;
import org.pgflow.meanfield.Points;

/**
 * JMH benchmarks of the neuron kernels on one block of {@code count} particles of the benchmark problem
 * (one-hot 10×10, K = 1, P = 100). Divide the reported time by {@code count} for ns per particle, and by
 * {@code count·P} for ns per activation. {@code tanhPass} / {@code svmlTanhPass} are the machine's floor per
 * pass; {@code step} is a whole Euler–Maruyama step of the block (drift, noise, update) with the kernels
 * the JVM selected ({@code -Dpgflow.kernels}), i.e. measured only for the row whose {@code kernels} matches.
 * <pre>
 *   mvn -B -Pbench -DskipTests package
 *   java --add-modules=jdk.incubator.vector -cp "target/pgflow.jar:$(cat target/classpath.txt)" \
 *       org.openjdk.jmh.Main NeuronKernelBench -rf json -rff target/jmh.json
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
public class NeuronKernelBench {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"4096"})
    public int count;

    private KernelBackend backend;
    private NeuronLayout layout;
    private Points points;
    private MeanFieldSetup setup;
    private ParticleBlock block;
    private double[] theta;
    private double[] out;
    private double[] drift;
    private double[] memo;
    private double[] weight;
    private double[] z;
    private double[] h;
    private double[] sum;
    private double[] sumOuter;

    @Setup
    public void setUp() {
        backend = NeuronKernels.backend(kernels);
        layout = OneHotProblem.layout();
        points = OneHotProblem.points();
        setup = OneHotProblem.setup(count, 0);
        block = BlockOps.init(setup, 0);
        theta = block.theta();
        out = new double[points.size()];
        drift = new double[theta.length];
        memo = new double[points.size() * count];
        weight = OneHotProblem.weights(3);
        backend.outputs(theta, count, layout, points, out, memo);
        SplittableRandom rnd = new SplittableRandom(5);
        z = new double[count * points.size()];
        for (int i = 0; i < z.length; i++) {
            z[i] = rnd.nextGaussian() * 2;
        }
        h = new double[z.length];
        sum = new double[layout.dim()];
        sumOuter = new double[layout.dim() * (layout.dim() + 1) / 2];
    }

    /** One tanh pass over count·P values with the kernels' tanh. */
    @Benchmark
    public double tanhPass() {
        backend.tanh(z, h, z.length);
        return h[h.length - 1];
    }

    /** The same pass with the JDK's SVML {@code lanewise(TANH)} (the library floor; not reproducible, see VectorKernels). */
    @Benchmark
    public double svmlTanhPass() {
        int bound = S.loopBound(z.length);
        for (int i = 0; i < bound; i += S.length()) {
            DoubleVector.fromArray(S, z, i).lanewise(VectorOperators.TANH).intoArray(h, i);
        }
        return h[0];
    }

    @Benchmark
    public double outputs() {
        Arrays.fill(out, 0);
        backend.outputs(theta, count, layout, points, out, null);
        return out[0];
    }

    @Benchmark
    public double outputsRecordingMemo() {
        Arrays.fill(out, 0);
        backend.outputs(theta, count, layout, points, out, memo);
        return out[0];
    }

    @Benchmark
    public double driftRecomputing() {
        backend.drift(theta, count, layout, points, weight, drift, null);
        return drift[0];
    }

    @Benchmark
    public double driftFromMemo() {
        backend.drift(theta, count, layout, points, weight, drift, memo);
        return drift[0];
    }

    @Benchmark
    public double moments() {
        backend.moments(theta, count, layout.dim(), sum, sumOuter);
        return sumOuter[0];
    }

    /** A whole step of the block (drift with the JVM's kernels, noise streams, update), no memo. */
    @Benchmark
    public ParticleBlock step() {
        return BlockOps.step(setup, block, 1, weight, null);
    }

    /** The block's particle noise (D = 22 coordinates per particle) with the backend's counter-based generator. */
    @Benchmark
    public double noise() {
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            keys[i] = org.pgflow.random.Streams.seedOf(1, org.pgflow.random.Purpose.PARTICLE_NOISE, 1, i);
        }
        int dim = layout.dim();
        for (int j = 0; j < dim; j += 2) {
            backend.gaussianRows(keys, count, j / 2, 0.3, drift, j * count, j + 1 < dim ? (j + 1) * count : -1);
        }
        return drift[0];
    }

    /** The same noise the first releases drew: one {@code L64X128MixRandom} per particle and D {@code nextGaussian}. */
    @Benchmark
    public double noiseBeforeL64X128() {
        int dim = layout.dim();
        for (int i = 0; i < count; i++) {
            java.util.random.RandomGenerator rng = org.pgflow.random.Streams.of(1,
                    org.pgflow.random.Purpose.PARTICLE_NOISE, 1, i);
            for (int j = 0; j < dim; j++) {
                drift[j * count + i] = 0.3 * rng.nextGaussian();
            }
        }
        return drift[0];
    }
}
