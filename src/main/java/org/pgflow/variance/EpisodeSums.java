package org.pgflow.variance;

import java.io.Serializable;
import org.pgflow.util.InvalidInputException;

/**
 * Combinable sums of per-episode increments (docs/algorithms.md §4.8 variant A): {@code Σ_e ΔĴ_e}, {@code Σ_e Δw_J,e},
 * {@code Σ_e Δw_M,e}, {@code Σ_e Δw̃_J,e}, {@code Σ_e Δθ_e}, the episode count, the total number of steps,
 * and the {@link ReturnMoments} of the returns (Monte Carlo J, Var, η with standard errors).
 *
 * <p>{@link #add} / {@link #combine} follow Spark's {@code aggregate(zero, seqOp, combOp)} contract: both
 * mutate and return {@code this}. A {@code final} class with array fields (not a record) so that Spark's
 * Kryo 4 can serialise it. Sums are plain left-to-right additions, so the same episodes added in the same
 * order (blocks combined in ascending block id) give bit-identical sums. Not thread-safe.
 */
public final class EpisodeSums implements Serializable {
    private static final long serialVersionUID = 1L;

    private long count;
    private long steps;
    private double dJ;
    private final double[] dwJ;
    private final double[] dwM;
    private final double[] dwTilde;
    private final double[] dTheta;
    private final ReturnMoments returns;

    private EpisodeSums(int numParameters, int criticDimension) {
        dwJ = new double[criticDimension];
        dwM = new double[criticDimension];
        dwTilde = new double[criticDimension];
        dTheta = new double[numParameters];
        returns = ReturnMoments.create();
    }

    /**
     * @param numParameters   {@code n_θ}
     * @param criticDimension {@code d}
     * @return the zero element
     */
    public static EpisodeSums create(int numParameters, int criticDimension) {
        return new EpisodeSums(numParameters, criticDimension);
    }

    /**
     * Adds one episode's increments.
     *
     * @param e the increments
     * @return this
     */
    public EpisodeSums add(EpisodeIncrement e) {
        count++;
        steps += e.length();
        dJ += e.dJ();
        addTo(dwJ, e.dwJ());
        addTo(dwM, e.dwM());
        addTo(dwTilde, e.dwTilde());
        addTo(dTheta, e.dTheta());
        returns.add(e.returnValue());
        return this;
    }

    /**
     * Adds another accumulator (unchanged) to this one.
     *
     * @param o the other sums, of the same dimensions
     * @return this
     * @throws InvalidInputException if the dimensions differ
     */
    public EpisodeSums combine(EpisodeSums o) {
        if (o.dTheta.length != dTheta.length || o.dwJ.length != dwJ.length) {
            throw new InvalidInputException("cannot combine sums of dimensions (" + o.dTheta.length + ", "
                    + o.dwJ.length + ") into (" + dTheta.length + ", " + dwJ.length + ")");
        }
        count += o.count;
        steps += o.steps;
        dJ += o.dJ;
        addTo(dwJ, o.dwJ);
        addTo(dwM, o.dwM);
        addTo(dwTilde, o.dwTilde);
        addTo(dTheta, o.dTheta);
        returns.combine(o.returns);
        return this;
    }

    private static void addTo(double[] acc, double[] v) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += v[i];
        }
    }

    /** @return the number of episodes {@code E} */
    public long count() {
        return count;
    }

    /** @return the total number of steps over all episodes */
    public long steps() {
        return steps;
    }

    /** @return {@code Σ ΔĴ} */
    public double sumDJ() {
        return dJ;
    }

    /** @return a copy of {@code Σ Δw_J} */
    public double[] sumDwJ() {
        return dwJ.clone();
    }

    /** @return a copy of {@code Σ Δw_M} */
    public double[] sumDwM() {
        return dwM.clone();
    }

    /** @return a copy of {@code Σ Δw̃_J} */
    public double[] sumDwTilde() {
        return dwTilde.clone();
    }

    /** @return a copy of {@code Σ Δθ} */
    public double[] sumDTheta() {
        return dTheta.clone();
    }

    /** @return a copy of the return moments */
    public ReturnMoments returns() {
        return returns.copy();
    }
}
