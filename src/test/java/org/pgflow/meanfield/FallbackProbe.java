package org.pgflow.meanfield;

/** Run in a JVM without {@code --add-modules=jdk.incubator.vector} by {@link NeuronKernelsAgreementTest}. */
final class FallbackProbe {
    private FallbackProbe() {
    }

    public static void main(String[] args) {
        System.out.println("backend=" + NeuronKernels.backend().name());
        System.out.println("vectorAvailable=" + NeuronKernels.vectorAvailable());
        try {
            NeuronKernels.backend("vector");
            System.out.println("forced vector: no error");
        } catch (IllegalStateException e) {
            System.out.println("forced vector: " + e);
        }
        NeuronLayout layout = new NeuronLayout(1, 2, 1.0);
        Points pts = Points.ofDense(new double[][] {{1, 0}, {0, 1}});
        double[] theta = {0.5, 0.5, 0.1, 0.2, 0.3, 0.4, 0, 0};   // 2 particles, D = 4
        double[] out = new double[2];
        NeuronKernels.accumulateOutputs(theta, 2, layout, pts, out);
        // Particle i: z = w_{j,i} at the one-hot point j (b = 0), so out[j] = tanh(0.5)·Σ_i tanh(w_{j,i}).
        double e0 = Math.tanh(0.5) * Math.tanh(0.1) + Math.tanh(0.5) * Math.tanh(0.2);
        double e1 = Math.tanh(0.5) * Math.tanh(0.3) + Math.tanh(0.5) * Math.tanh(0.4);
        System.out.println(Math.abs(out[0] - e0) < 1e-15 && Math.abs(out[1] - e1) < 1e-15 ? "sum ok" : "sum wrong " + out[0]);
    }
}
