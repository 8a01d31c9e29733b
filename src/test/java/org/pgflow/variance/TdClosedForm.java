package org.pgflow.variance;

import java.util.function.IntFunction;
import org.pgflow.math.Dense;
import org.pgflow.mdp.Ssp;

/**
 * Closed forms of the TD(0) / LSTD(λ) critics on a finite SSP, written for the tests directly from the model
 * (P, r, x0), the policy table π and the feature map — without {@link ExactCritic}, {@link SspMoments} or any
 * accumulator of the main code. Everything is over state–action pairs {@code i = x·m + u}:
 * <pre>
 *   P[i][j] = P(y|x,u) π(v|y)  (j = y·m + v),  J = (I−P)⁻¹ r,  M = (I−P)⁻¹ (r² + 2 r∘PJ)
 *   q = (I−P)⁻ᵀ μ0 with μ0(x0,u) = π(u|x0)             (expected visits, D = diag q)
 *   q̃ = (I−P)⁻ᵀ Pᵀ(q∘r)                                  (weighted visits Σ_k E[R_{<k} 1{·}], D̃ = diag q̃)
 *   K = (I − λP)⁻¹
 *   TD/LSTD(λ) fixed points:  ΦᵀDK(I−P)Φ w_J = ΦᵀDK r
 *                             ΦᵀDK(I−P)Φ w_M = ΦᵀDK (r² + 2 r∘P Ĵ^λ),  Ĵ^λ = K((1−λ)Φw_J + λr)
 *                             ΦᵀD̃K(I−P)Φ w̃ = ΦᵀD̃K r
 *   ∇η = (1 + 2λ_pen J(x0)) ∇J − λ_pen ∇M,  ∇J = Σ_i q_i g_i J_i,  ∇M = Σ_i (q_i M_i + 2 q̃_i J_i) g_i
 *   implied actor direction d(w) = Σ_i g_i [ q_i ((1+2λ_pen Ĵ) φ_iᵀw_J − λ_pen φ_iᵀw_M) − 2λ_pen q̃_i φ_iᵀw̃ ]
 * </pre>
 * The tabular-softmax score with reference action 0 is written out here:
 * {@code g_{(x,v)}(x,u) = 1{u = v} − π(v|x)} for {@code v ≥ 1}.
 */
final class TdClosedForm {
    final int n;
    final int m;
    final int big;
    final int np;
    final int d;
    final double[][] p;
    final double[] r;
    final double[] q;
    final double[] qt;
    final double[] jq;
    final double[] mq;
    final double[][] phi;
    final double[][] g;
    final double j0;

    /**
     * @param ssp   the problem (γ = 1)
     * @param pi    policy table π[x][u]
     * @param extra state columns e(x) appended to the score (tabular softmax, reference action 0)
     */
    TdClosedForm(Ssp ssp, double[][] pi, IntFunction<double[]> extra) {
        n = ssp.numStates();
        m = ssp.numActions();
        big = n * m;
        np = n * (m - 1);
        int ne = extra.apply(0).length;
        d = np + ne;
        p = new double[big][big];
        r = new double[big];
        phi = new double[big][d];
        g = new double[big][np];
        for (int x = 0; x < n; x++) {
            for (int u = 0; u < m; u++) {
                int i = x * m + u;
                r[i] = ssp.r(x, u);
                for (int y = 0; y < n; y++) {
                    for (int v = 0; v < m; v++) {
                        p[i][y * m + v] = ssp.p(x, u, y) * pi[y][v];
                    }
                }
                for (int v = 1; v < m; v++) {
                    g[i][x * (m - 1) + v - 1] = (u == v ? 1.0 : 0.0) - pi[x][v];
                }
                System.arraycopy(g[i], 0, phi[i], 0, np);
                System.arraycopy(extra.apply(x), 0, phi[i], np, ne);
            }
        }
        double[][] iMinusP = Dense.identityMinus(1.0, p);
        jq = Dense.solve(iMinusP, r);
        double[] pj = times(p, jq);
        double[] rhs = new double[big];
        for (int i = 0; i < big; i++) {
            rhs[i] = r[i] * r[i] + 2 * r[i] * pj[i];
        }
        mq = Dense.solve(iMinusP, rhs);
        double[] mu0 = new double[big];
        int x0 = ssp.start();
        for (int u = 0; u < m; u++) {
            mu0[x0 * m + u] = pi[x0][u];
        }
        q = Dense.solveTransposed(iMinusP, mu0);
        double[] qr = new double[big];
        for (int i = 0; i < big; i++) {
            qr[i] = q[i] * r[i];
        }
        qt = Dense.solveTransposed(iMinusP, timesTransposed(p, qr));
        double s = 0;
        for (int u = 0; u < m; u++) {
            s += pi[x0][u] * jq[x0 * m + u];
        }
        j0 = s;
    }

    static double[] times(double[][] a, double[] v) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < v.length; j++) {
                s += a[i][j] * v[j];
            }
            out[i] = s;
        }
        return out;
    }

    static double[] timesTransposed(double[][] a, double[] v) {
        double[] out = new double[a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < out.length; j++) {
                out[j] += a[i][j] * v[i];
            }
        }
        return out;
    }

    /** @return {@code Φw} over (x,u) */
    double[] fitted(double[] w) {
        return times(phi, w);
    }

    /** @return {@code Φᵀ diag(weight) v} */
    double[] project(double[] weight, double[] v) {
        double[] out = new double[d];
        for (int i = 0; i < big; i++) {
            for (int a = 0; a < d; a++) {
                out[a] += weight[i] * phi[i][a] * v[i];
            }
        }
        return out;
    }

    /** @return {@code K v = (I − λP)⁻¹ v} */
    double[] k(double lambda, double[] v) {
        return Dense.solve(Dense.identityMinus(lambda, p), v);
    }

    /** @return the expected LSTD(λ) matrix per episode {@code Φᵀ diag(weight) K (I − P) Φ} */
    double[][] lstdMatrix(double[] weight, double lambda) {
        double[][] out = new double[d][d];
        for (int c = 0; c < d; c++) {
            double[] col = new double[big];
            for (int i = 0; i < big; i++) {
                col[i] = phi[i][c];
            }
            double[] pc = times(p, col);
            for (int i = 0; i < big; i++) {
                col[i] -= pc[i];
            }
            double[] proj = project(weight, k(lambda, col));
            for (int a = 0; a < d; a++) {
                out[a][c] = proj[a];
            }
        }
        return out;
    }

    /** @return the M pseudo-reward {@code r² + 2 r∘P Ĵ^λ} for a J critic {@code wJ} */
    double[] mReward(double lambda, double[] wJ) {
        double[] fj = fitted(wJ);
        double[] v = new double[big];
        for (int i = 0; i < big; i++) {
            v[i] = (1 - lambda) * fj[i] + lambda * r[i];
        }
        double[] pj = times(p, k(lambda, v));
        double[] rho = new double[big];
        for (int i = 0; i < big; i++) {
            rho[i] = r[i] * r[i] + 2 * r[i] * pj[i];
        }
        return rho;
    }

    /** @return expected per-episode {@code b_M(w_J) = ΦᵀDK(r² + 2 r∘PĴ^λ)} */
    double[] lstdMVector(double lambda, double[] wJ) {
        return project(q, k(lambda, mReward(lambda, wJ)));
    }

    /**
     * @return the TD(λ) fixed points {@code (w_J, w_M, w̃)}; a singular system (zero weights, e.g. q̃ = 0 at a
     *         start state that is never revisited) is solved in the minimum-norm sense
     */
    double[][] fixedPoint(double lambda) {
        double[] wJ = solve(lstdMatrix(q, lambda), project(q, k(lambda, r)));
        double[] wM = solve(lstdMatrix(q, lambda), lstdMVector(lambda, wJ));
        double[] wT = solve(lstdMatrix(qt, lambda), project(qt, k(lambda, r)));
        return new double[][] {wJ, wM, wT};
    }

    private static double[] solve(double[][] a, double[] b) {
        try {
            return Dense.solve(a, b);
        } catch (Dense.SingularMatrixException e) {
            return SymmetricSolver.minimumNormSolve(a, b);
        }
    }

    /** @return {@code weight ∘ Φw}: the fitted values where they matter (rows of zero weight drop out) */
    double[] weightedFit(double[] weight, double[] w) {
        double[] f = fitted(w);
        for (int i = 0; i < big; i++) {
            f[i] *= weight[i];
        }
        return f;
    }

    /** @return the expected TD(0) increments {@code (Δw_J, Δw_M, Δw̃)} per episode at critic {@code w} */
    double[][] td0Increments(double[] wJ, double[] wM, double[] wT) {
        double[] fJ = fitted(wJ);
        double[] fM = fitted(wM);
        double[] fT = fitted(wT);
        double[] pJ = times(p, fJ);
        double[] pM = times(p, fM);
        double[] pT = times(p, fT);
        double[] dJ = new double[big];
        double[] dM = new double[big];
        double[] dT = new double[big];
        for (int i = 0; i < big; i++) {
            dJ[i] = r[i] + pJ[i] - fJ[i];
            dM[i] = r[i] * r[i] + 2 * r[i] * pJ[i] + pM[i] - fM[i];
            dT[i] = r[i] + pT[i] - fT[i];
        }
        return new double[][] {project(q, dJ), project(q, dM), project(qt, dT)};
    }

    /** @return the exact {@code ∇η} (reduced tabular parametrisation) for penalty {@code lambda} */
    double[] gradEta(double lambda) {
        double[] out = new double[np];
        for (int i = 0; i < big; i++) {
            double c = (1 + 2 * lambda * j0) * q[i] * jq[i] - lambda * (q[i] * mq[i] + 2 * qt[i] * jq[i]);
            for (int a = 0; a < np; a++) {
                out[a] += c * g[i][a];
            }
        }
        return out;
    }

    /** @return the actor direction implied by the critic {@code (jHat, wJ, wM, wT)} */
    double[] direction(double lambda, double jHat, double[] wJ, double[] wM, double[] wT) {
        double[] fJ = fitted(wJ);
        double[] fM = fitted(wM);
        double[] fT = fitted(wT);
        double[] out = new double[np];
        for (int i = 0; i < big; i++) {
            double c = q[i] * ((1 + 2 * lambda * jHat) * fJ[i] - lambda * fM[i]) - 2 * lambda * qt[i] * fT[i];
            for (int a = 0; a < np; a++) {
                out[a] += c * g[i][a];
            }
        }
        return out;
    }
}
