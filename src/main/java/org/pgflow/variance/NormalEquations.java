package org.pgflow.variance;

import java.io.Serializable;
import org.pgflow.util.InvalidInputException;

/**
 * Combinable normal equations of the batch critics, summed over all steps of all episodes of the critic batch,
 * with {@code φ_t = χ_t = (g_t, e(x_t))} and {@code φ_T = 0} at {@code x†}. Two kinds:
 *
 * <p><b>Least squares</b> (docs/algorithms.md §4.8 variant B, {@link #create}):
 * <pre>
 *   A = Σ φ_t φ_tᵀ,   b_J = Σ B_t φ_t,   b_M = Σ B_t² φ_t,   Ã = Σ R_{&lt;t} φ_t φ_tᵀ,   b̃ = Σ R_{&lt;t} B_t φ_t
 *   Ĵ = mean B_0,  w_J = (A + εI)⁻¹ b_J,  w_M = (A + εI)⁻¹ b_M,  w̃_J = (Ã + ε̃I)⁻¹ b̃,   ε = ridge·trace/d
 * </pre>
 * As the batch grows, {@code A/E → Φᵀ Q Φ}, {@code b_J/E → Φᵀ Q J(·,·)} etc., so the solution tends to the
 * projections of §4.6.
 *
 * <p><b>LSTD(λ)</b> (docs/algorithms.md §4.9, {@link #createLstd}), traces reset at each episode start,
 * {@code z_t = λ z_{t−1} + φ_t}, {@code z̃_t = λ z̃_{t−1} + R_{&lt;t} φ_t}:
 * <pre>
 *   A = Σ z_t (φ_t − φ_{t+1})ᵀ,  b_J = Σ z_t r_t,        w_J = (A + εI)⁻¹ b_J
 *   b_M(w_J) = Σ z_t (r_t² + 2 r_t Ĵ^λ_{t+1}),            w_M = (A + εI)⁻¹ b_M(w_J)
 *   Ã = Σ z̃_t (φ_t − φ_{t+1})ᵀ, b̃ = Σ z̃_t r_t,        w̃_J = (Ã + ε̃I)⁻¹ b̃
 *   Ĵ^λ_t = (1−λ) φ_tᵀw_J + λ (r_t + Ĵ^λ_{t+1}),  Ĵ^λ_T = 0   (λ-return estimate of J(x_t,u_t))
 * </pre>
 * At λ = 0 these are docs/algorithms.md §4.9 literally ({@code Ĵ^0_{t+1} = φ_{t+1}ᵀw_J}, weighted critic with {@code R_{<t}φ_t}).
 * For λ &gt; 0 two choices of ours [D] make λ = 1 the least-squares critic of §4.8 B <em>exactly</em> (same batch,
 * same solution up to round-off): the M target bootstraps from the λ-return {@code Ĵ^λ_{t+1}} (at λ = 1 it is
 * {@code B_{t+1}}, and {@code r_t² + 2r_tB_{t+1}} telescopes to {@code B_t²}; with {@code φ_{t+1}ᵀw_J} at every λ,
 * LSTD(1) for M would differ from the regression on {@code B_t²} whenever the J critic is not exact), and the
 * weighted trace decays with the same λ. {@code b_M} is affine in {@code w_J}: {@code b_M = c_M + C w_J} with
 * <pre>
 *   c_M = Σ_t z_t r_t² + λ Σ_t r_t y_t,   C = (1−λ) Σ_t y_t φ_tᵀ,   y_0 = 0,  y_{t+1} = λ y_t + 2 r_t z_t
 * </pre>
 * (a forward recursion), so {@code (A, b_J, c_M, C, Ã, b̃)} are plain sums that combine block by block.
 * Expected sums per episode ({@code D = diag q}, {@code D̃ = diag q̃}, {@code P} the state–action transition
 * matrix under π, {@code K = (I − λP)⁻¹}): {@code E[A] = ΦᵀDK(I − P)Φ}, {@code E[b_J] = ΦᵀDKr},
 * {@code E[b_M] = ΦᵀDK(r² + 2r∘P Ĵ^λ)} with {@code Ĵ^λ = K((1−λ)Φw_J + λr)}, {@code E[Ã] = ΦᵀD̃K(I − P)Φ},
 * {@code E[b̃] = ΦᵀD̃Kr}; the solutions tend to these projected Bellman fixed points ({@link
 * ExactCritic#temporalDifference}). A is not symmetric: solved by LU with the same relative ridge.
 *
 * <p>Matrices are stored full ({@code d×d}, row-major). Same {@code add/combine} contract as
 * {@link EpisodeSums}; a final class with primitive and array fields only, for Kryo. Not thread-safe.
 */
public final class NormalEquations implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int d;
    private final boolean lstd;
    private final double traceDecay;
    private final double[] a;
    private final double[] aTilde;
    private final double[] bJ;
    private final double[] bM;
    private final double[] bTilde;
    private final double[] cross;
    private long steps;
    private final ReturnMoments returns;
    private transient double[] phi;
    private transient double[] phiNext;
    private transient double[] trace;
    private transient double[] traceTilde;
    private transient double[] traceM;
    private transient int[] nonZero;

    private NormalEquations(int d, boolean lstd, double traceDecay) {
        this.d = d;
        this.lstd = lstd;
        this.traceDecay = traceDecay;
        a = new double[d * d];
        aTilde = new double[d * d];
        bJ = new double[d];
        bM = new double[d];
        bTilde = new double[d];
        cross = new double[lstd ? d * d : 0];
        returns = ReturnMoments.create();
    }

    /** @return the zero element of the least-squares equations for critic dimension {@code d} */
    public static NormalEquations create(int criticDimension) {
        return new NormalEquations(criticDimension, false, 0.0);
    }

    /**
     * @param criticDimension {@code d}
     * @param traceDecay      LSTD {@code λ ∈ [0, 1]}
     * @return the zero element of the LSTD(λ) sums
     */
    public static NormalEquations createLstd(int criticDimension, double traceDecay) {
        if (!(traceDecay >= 0 && traceDecay <= 1)) {
            throw new InvalidInputException("LSTD trace decay must be in [0, 1] but was " + traceDecay);
        }
        return new NormalEquations(criticDimension, true, traceDecay);
    }

    /** @return the zero element for {@code model}'s critic target (LSTD sums for LSTD, else least squares) */
    public static NormalEquations createFor(ActorCriticModel model) {
        return model.critic() == ActorCriticModel.CriticTarget.LSTD
                ? createLstd(model.criticDimension(), model.traceDecay()) : create(model.criticDimension());
    }

    /** @return whether these are LSTD sums */
    public boolean isLstd() {
        return lstd;
    }

    /** @return the LSTD trace decay (0 for least squares) */
    public double traceDecay() {
        return traceDecay;
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
        if (lstd) {
            return addLstd(tr);
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

    /** LSTD(λ) sums of one episode (class comment); traces start at zero. */
    private NormalEquations addLstd(Trajectory tr) {
        if (trace == null) {
            phiNext = new double[d];
            trace = new double[d];
            traceTilde = new double[d];
            traceM = new double[d];
            nonZero = new int[d];
        }
        double lam = traceDecay;
        java.util.Arrays.fill(trace, 0.0);
        java.util.Arrays.fill(traceTilde, 0.0);
        java.util.Arrays.fill(traceM, 0.0);
        int len = tr.length();
        double[] rewards = tr.rewardsRaw();
        double[] past = tr.pastRewardRaw();
        if (len > 0) {
            ActorCriticModel.criticFeatures(tr, 0, phiNext);
        }
        for (int t = 0; t < len; t++) {
            double[] swap = phi;
            phi = phiNext;
            phiNext = swap;
            if (t + 1 < len) {
                ActorCriticModel.criticFeatures(tr, t + 1, phiNext);
            } else {
                java.util.Arrays.fill(phiNext, 0.0);
            }
            double r = rewards[t];
            double rt = past[t];
            for (int i = 0; i < d; i++) {
                trace[i] = lam * trace[i] + phi[i];
                traceTilde[i] = lam * traceTilde[i] + rt * phi[i];
            }
            // non-zeros of φ_t − φ_{t+1} (features are sparse for tabular problems)
            int nnz = 0;
            for (int j = 0; j < d; j++) {
                if (phi[j] - phiNext[j] != 0) {
                    nonZero[nnz++] = j;
                }
            }
            for (int i = 0; i < d; i++) {
                double zi = trace[i];
                double zti = traceTilde[i];
                int row = i * d;
                if (zi != 0) {
                    for (int k = 0; k < nnz; k++) {
                        int j = nonZero[k];
                        a[row + j] += zi * (phi[j] - phiNext[j]);
                    }
                    bJ[i] += zi * r;
                    bM[i] += zi * r * r;
                }
                if (zti != 0) {
                    for (int k = 0; k < nnz; k++) {
                        int j = nonZero[k];
                        aTilde[row + j] += zti * (phi[j] - phiNext[j]);
                    }
                    bTilde[i] += zti * r;
                }
                double yi = traceM[i];
                if (yi != 0) {
                    if (lam < 1) {
                        double c = (1 - lam) * yi;
                        for (int j = 0; j < d; j++) {
                            if (phi[j] != 0) {
                                cross[row + j] += c * phi[j];
                            }
                        }
                    }
                    if (lam > 0) {
                        bM[i] += lam * r * yi;
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                traceM[i] = lam * traceM[i] + 2 * r * trace[i];
            }
        }
        steps += len;
        returns.add(tr.returnValue());
        return this;
    }

    /**
     * @param o other equations of the same kind and dimension (unchanged)
     * @return this
     */
    public NormalEquations combine(NormalEquations o) {
        if (o.d != d || o.lstd != lstd || Double.compare(o.traceDecay, traceDecay) != 0) {
            throw new InvalidInputException("cannot combine " + describe(o) + " into " + describe(this));
        }
        for (int i = 0; i < a.length; i++) {
            a[i] += o.a[i];
            aTilde[i] += o.aTilde[i];
        }
        for (int i = 0; i < cross.length; i++) {
            cross[i] += o.cross[i];
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

    private static String describe(NormalEquations n) {
        return (n.lstd ? "LSTD(" + n.traceDecay + ") sums" : "least-squares normal equations") + " of dimension " + n.d;
    }

    /**
     * Solves the ridge-regularised equations (least squares or LSTD, class comment).
     *
     * @param ridge relative ridge ({@code ε = ridge · trace/d}), e.g. 1e-8
     * @return the critic
     */
    public CriticWeights solve(double ridge) {
        double[][] am = square(a);
        double[][] at = square(aTilde);
        if (!lstd) {
            return new CriticWeights(returns.mean(), SymmetricSolver.ridgeSolve(am, bJ, ridge),
                    SymmetricSolver.ridgeSolve(am, bM, ridge), SymmetricSolver.ridgeSolve(at, bTilde, ridge));
        }
        double[] wJ = SymmetricSolver.ridgeSolveGeneral(am, bJ, ridge);
        double[] rhsM = bM.clone();
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += cross[i * d + j] * wJ[j];
            }
            rhsM[i] += s;
        }
        return new CriticWeights(returns.mean(), wJ, SymmetricSolver.ridgeSolveGeneral(am, rhsM, ridge),
                SymmetricSolver.ridgeSolveGeneral(at, bTilde, ridge));
    }

    // Sums for tests of this package (copies): A, Ã as d×d, b_J, b_M (c_M for LSTD), b̃, C.
    double[][] matrixA() {
        return square(a);
    }

    double[][] matrixATilde() {
        return square(aTilde);
    }

    double[][] matrixCross() {
        return lstd ? square(cross) : new double[d][d];
    }

    double[] vectorBJ() {
        return bJ.clone();
    }

    double[] vectorBM() {
        return bM.clone();
    }

    double[] vectorBTilde() {
        return bTilde.clone();
    }

    private double[][] square(double[] flat) {
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(flat, i * d, m[i], 0, d);
        }
        return m;
    }
}
