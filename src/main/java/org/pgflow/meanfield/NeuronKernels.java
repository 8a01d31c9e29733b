package org.pgflow.meanfield;

import java.util.Locale;

/**
 * The two hot kernels of the mean-field method on a block of particles stored coordinate-major (structure of
 * arrays: coordinate {@code j} of particle {@code i} is {@code theta[j·count + i]}), for a set of input
 * points (docs/algorithms.md §2.1–2.4):
 * <pre>
 *   z_k = ⟨w_k, x_p⟩ + b_k,  h_k = tanh z_k,  f(p, θ) = α Σ_k tanh(c_k) h_k
 *   partial sums:  out[p] += Σ_i f(p, θ_i)                                   (F = (1/N) Σ_all f)
 *   drift:         b(θ_i) = Σ_p W_p ∇_θ f(p, θ_i)
 *                  ∂f/∂c_k = α (1 − tanh² c_k) h_k,  ∂f/∂w_kj = α tanh c_k (1 − h_k²) x_j,  ∂f/∂b_k = α tanh c_k (1 − h_k²)
 * </pre>
 *
 * <p><b>Implementations.</b> The work is done by a {@link KernelBackend} chosen once per JVM:
 * <ul>
 *   <li>{@code vector}: {@code jdk.incubator.vector} SIMD kernels ({@code VectorKernels});</li>
 *   <li>{@code scalar}: plain Java ({@code ScalarKernels}), the reference and the fallback.</li>
 * </ul>
 * The system property {@code pgflow.kernels} = {@code auto} (default) | {@code vector} | {@code scalar} selects
 * it. {@code auto} takes the vector kernels when the module {@code jdk.incubator.vector} is in the boot layer
 * ({@code --add-modules=jdk.incubator.vector}, which {@code submit/jvm-flags} and the test JVM pass), the
 * machine is x86-64 (where {@code lanewise(TANH)} is an SVML intrinsic rather than a per-lane Java loop) and
 * the preferred vector holds at least 4 doubles (AVX2 or better); otherwise the scalar kernels. The vector class
 * is only loaded after that check, by name, so this class loads and works without the module. Forcing
 * {@code vector} where it is unavailable fails at first use with an {@link IllegalStateException} naming the
 * reason.
 *
 * <p><b>Reproducibility.</b> Sums run in a fixed order for a given backend and lane count (particles in lanes,
 * lanes reduced, then points ascending), so a block gives the same bits wherever it is evaluated in JVMs that
 * select the same backend on the same kind of CPU. Between backends the results agree to a few ulp per
 * activation (see {@link KernelBackend}). A cluster must therefore start every executor with the same flags
 * (the launcher does).
 *
 * <p><b>NaN contract.</b> Kernels do not check their inputs: a NaN parameter gives NaN activations and hence a
 * NaN partial sum, which the trainer's finiteness check reports as divergence. Nothing drops NaN silently.
 * Stateless; the caller owns the output arrays.
 */
public final class NeuronKernels {
    /** The system property that selects the backend: {@code auto}, {@code vector} or {@code scalar}. */
    public static final String PROPERTY = "pgflow.kernels";

    private NeuronKernels() {
    }

    /** Lazy holder: selection runs at first use, so a failed forced selection names itself in the error. */
    private static final class Active {
        static final KernelBackend BACKEND = backend(System.getProperty(PROPERTY, "auto"));
    }

    /** @return the backend this JVM uses (selected by {@value #PROPERTY} at first use) */
    public static KernelBackend backend() {
        return Active.BACKEND;
    }

    /**
     * A backend by name, for tests and benchmarks that compare them within one JVM.
     *
     * @param name {@code auto}, {@code vector} or {@code scalar} (case-insensitive)
     * @return the backend
     * @throws IllegalArgumentException for another name
     * @throws IllegalStateException    when {@code vector} is asked for but cannot be used here
     */
    public static KernelBackend backend(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "scalar":
                return ScalarKernels.INSTANCE;
            case "vector": {
                String why = vectorUnavailableReason(false);
                if (why != null) {
                    throw new IllegalStateException(PROPERTY + "=vector but the vector kernels cannot be used: " + why);
                }
                return loadVector();
            }
            case "auto":
                return vectorUnavailableReason(true) == null ? loadVector() : ScalarKernels.INSTANCE;
            default:
                throw new IllegalArgumentException(PROPERTY + " must be auto, vector or scalar but was '" + name + "'");
        }
    }

    /** @return whether the vector kernels can be loaded in this JVM (module present) */
    public static boolean vectorAvailable() {
        return vectorUnavailableReason(false) == null;
    }

    /**
     * @param auto also require the conditions under which the vector kernels are faster (x86-64, ≥ 4 lanes)
     * @return null when usable, otherwise why not
     */
    private static String vectorUnavailableReason(boolean auto) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "module jdk.incubator.vector is not in the boot layer (start the JVM with "
                    + "--add-modules=jdk.incubator.vector)";
        }
        KernelBackend v;
        try {
            v = loadVector();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        if (auto) {
            String arch = System.getProperty("os.arch", "");
            if (!(arch.equals("amd64") || arch.equals("x86_64"))) {
                return "os.arch " + arch + " has no SVML tanh intrinsic";
            }
            if (!(lanes(v) >= 4)) {
                return "the preferred vector holds only " + lanes(v) + " doubles";
            }
        }
        return null;
    }

    private static int lanes(KernelBackend v) {
        String n = v.name();
        return Integer.parseInt(n.substring(n.indexOf('-') + 1));
    }

    private static KernelBackend loadVector() {
        try {
            // By name: a symbolic reference would make this class's linking depend on the incubator module.
            Class<?> c = Class.forName("org.pgflow.meanfield.VectorKernels");
            return (KernelBackend) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load the vector kernels: " + e, e);
        }
    }

    /**
     * Adds {@code Σ_i f(p, θ_i)} over the block's particles into {@code out[p]}.
     *
     * @param theta  block parameters, coordinate-major, length {@code D·count}
     * @param count  particles in the block
     * @param layout parameter layout
     * @param points input points (P of them)
     * @param out    partial sums, length P, accumulated into
     */
    public static void accumulateOutputs(double[] theta, int count, NeuronLayout layout, Points points, double[] out) {
        backend().outputs(theta, count, layout, points, out, null);
    }

    /**
     * Computes the drift {@code b(θ_i) = Σ_p W_p ∇_θ f(p, θ_i)} for every particle of the block.
     *
     * @param theta  block parameters, coordinate-major
     * @param count  particles in the block
     * @param layout parameter layout
     * @param points input points
     * @param weight the weight table {@code W_p = ∂G/∂F(p)}, length P
     * @param drift  output, coordinate-major like {@code theta}, overwritten
     */
    public static void drift(double[] theta, int count, NeuronLayout layout, Points points, double[] weight, double[] drift) {
        backend().drift(theta, count, layout, points, weight, drift, null);
    }

    /**
     * {@code f(p, θ)} for a single particle given in the flat layout (row form), for tests and small uses.
     *
     * @param theta  one particle, length D
     * @param layout layout
     * @param x      dense input {@code x_p}
     * @return {@code f}
     */
    public static double output(double[] theta, NeuronLayout layout, double[] x) {
        double f = 0;
        for (int k = 0; k < layout.units(); k++) {
            double z = theta[layout.b(k)];
            for (int j = 0; j < layout.inputDim(); j++) {
                z += theta[layout.w(k, j)] * x[j];
            }
            f += Math.tanh(theta[layout.c(k)]) * Math.tanh(z);
        }
        return layout.alpha() * f;
    }
}
