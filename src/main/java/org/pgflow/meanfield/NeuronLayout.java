package org.pgflow.meanfield;

import java.io.Serializable;
import org.pgflow.util.Checks;

/**
 * The flat parameter layout of one particle (docs/algorithms.md §2.1, mandated):
 * {@code θ = [c_1..c_K, w_{1,1..d_x}, …, w_{K,1..d_x}, b_1..b_K]}, {@code D = K(d_x + 2)}, with the neuron
 * {@code f(s,a,θ) = α Σ_k tanh(c_k) tanh(⟨w_k, x(s,a)⟩ + b_k)}.
 *
 * @param units      K ≥ 1 hidden units per particle
 * @param inputDim   d_x ≥ 1
 * @param alpha      output scale α > 0
 */
public record NeuronLayout(int units, int inputDim, double alpha) implements Serializable {
    /** Validates the layout. */
    public NeuronLayout {
        Checks.inRange("meanfield.units", units, 1, 1024);
        Checks.inRange("input dimension", inputDim, 1, 1 << 20);
        Checks.positive("meanfield.outputScale", alpha);
    }

    /** @return the particle dimension {@code D = K(d_x + 2)} */
    public int dim() {
        return units * (inputDim + 2);
    }

    /** @return index of {@code c_k} */
    public int c(int k) {
        return k;
    }

    /** @return index of {@code w_{k,j}} */
    public int w(int k, int j) {
        return units + k * inputDim + j;
    }

    /** @return index of {@code b_k} */
    public int b(int k) {
        return units + units * inputDim + k;
    }
}
