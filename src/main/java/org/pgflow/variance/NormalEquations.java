package org.pgflow.variance;

import java.io.Serializable;
import org.pgflow.util.InvalidInputException;

/**
 * Combinable normal equations of the least-squares batch critic (SPEC §4.8 variant B), summed over all steps
 * of all episodes of the critic batch, with {@code φ_t = χ_t = (g_t, e(x_t))}:
 * <pre>
 *   A = Σ φ_t φ_tᵀ,   b_J = Σ B_t φ_t,   b_M = Σ B_t² φ_t,   Ã = Σ R_{&lt;t} φ_t φ_tᵀ,   b̃ = Σ R_{&lt;t} B_t φ_t
 *   Ĵ = mean B_0,  w_J = (A + εI)⁻¹ b_J,  w_M = (A + εI)⁻¹ b_M,  w̃_J = (Ã + ε̃I)⁻¹ b̃,   ε = ridge·trace/d
 * </pre>
 * As the batch grows, {@code A/E → Φᵀ Q Φ}, {@code b_J/E → Φᵀ Q J(·,·)} etc., so the solution tends to the
 * projections of §4.6. Matrices are stored full ({@code d×d}, row-major). Same {@code add/combine}
 * contract as {@link EpisodeSums}; a final class for Kryo. Not thread-safe.
 */
public final class NormalEquations implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int d;
    private final double[] a;
    private final double[] aTilde;
    private final double[] bJ;
    private final double[] bM;
    private final double[] bTilde;
    private long steps;
    private final ReturnMoments returns;
    private transient double[] phi;

    private NormalEquations(int d) {
        this.d = d;
        a = new double[d * d];
        aTilde = new double[d * d];
        bJ = new double[d];
        bM = new double[d];
        bTilde = new double[d];
        returns = ReturnMoments.create();
    }

    /** @return the zero element for critic dimension {@code d} */
    public static NormalEquations create(int criticDimension) {
        return new NormalEquations(criticDimension);
    }

    /**
     * Adds every step of a finished trajectory.
     *
     * @param tr the episode
     * @return this
     */
    public NormalEquations add(Trajectory tr) {
        if (phi == null) {
            phi = new double[d];
        }
        int len = tr.length();
        double[] b = tr.rewardToGoRaw();
        double[] past = tr.pastRewardRaw();
        for (int t = 0; t < len; t++) {
            ActorCriticModel.criticFeatures(tr, t, phi);
            double bt = b[t];
            double rt = past[t];
            for (int i = 0; i < d; i++) {
                double pi = phi[i];
                if (pi == 0) {
                    continue;
                }
                int row = i * d;
                for (int j = 0; j < d; j++) {
                    a[row + j] += pi * phi[j];
                }
                if (rt != 0) {
                    double w = rt * pi;
                    for (int j = 0; j < d; j++) {
                        aTilde[row + j] += w * phi[j];
                    }
                    bTilde[i] += rt * bt * pi;
                }
                bJ[i] += bt * pi;
                bM[i] += bt * bt * pi;
            }
        }
        steps += len;
        returns.add(tr.returnValue());
        return this;
    }

    /**
     * @param o other equations of the same dimension (unchanged)
     * @return this
     */
    public NormalEquations combine(NormalEquations o) {
        if (o.d != d) {
            throw new InvalidInputException("cannot combine normal equations of dimension " + o.d + " into " + d);
        }
        for (int i = 0; i < a.length; i++) {
            a[i] += o.a[i];
            aTilde[i] += o.aTilde[i];
        }
        for (int i = 0; i < d; i++) {
            bJ[i] += o.bJ[i];
            bM[i] += o.bM[i];
            bTilde[i] += o.bTilde[i];
        }
        steps += o.steps;
        returns.combine(o.returns);
        return this;
    }

    /** @return the number of episodes */
    public long count() {
        return returns.count();
    }

    /** @return the total number of steps */
    public long steps() {
        return steps;
    }

    /** @return a copy of the return moments of the critic batch */
    public ReturnMoments returns() {
        return returns.copy();
    }

    /**
     * Solves the ridge-regularised normal equations.
     *
     * @param ridge relative ridge ({@code ε = ridge · trace/d}), e.g. 1e-8
     * @return the critic
     */
    public CriticWeights solve(double ridge) {
        double[][] am = square(a);
        double[][] at = square(aTilde);
        return new CriticWeights(returns.mean(), SymmetricSolver.ridgeSolve(am, bJ, ridge),
                SymmetricSolver.ridgeSolve(am, bM, ridge), SymmetricSolver.ridgeSolve(at, bTilde, ridge));
    }

    private double[][] square(double[] flat) {
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(flat, i * d, m[i], 0, d);
        }
        return m;
    }
}
