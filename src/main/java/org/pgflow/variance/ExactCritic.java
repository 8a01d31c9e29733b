package org.pgflow.variance;

import org.pgflow.math.Dense;
import org.pgflow.mdp.EpisodicEnvironment;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.util.InvalidInputException;

/**
 * Exact critics and exact expected updates on a finite SSP (docs/algorithms.md §4.6–4.8, "exact mode"), for tests and for
 * the exact-critic loop. With {@code q(x,u) = q(x)π(u|x)}, {@code q̃(x,u) = G(x)π(u|x)} from
 * {@link SspMoments}, {@code Q = diag(q)}, {@code Q̃ = diag(q̃)} and the critic feature matrix {@code Φ}
 * (rows {@code φ(x,u) = (∇ln π(u|x), e(x))}):
 * <pre>
 *   projections:  w_J* = (ΦᵀQΦ)⁺ ΦᵀQ J(·,·),  w_M* = (ΦᵀQΦ)⁺ ΦᵀQ M(·,·),  w̃_J* = (ΦᵀQ̃Φ)⁺ ΦᵀQ̃ J(·,·),  Ĵ* = J(x0)
 *   ODE (8):      E[ΔĴ] = J(x0) − Ĵ,  E[Δw_J] = ΦᵀQ(J − Φw_J),  E[Δw_M] = ΦᵀQ(M − Φw_M),  E[Δw̃_J] = ΦᵀQ̃(J − Φw̃_J)
 *   actor (6):    E[Δθ] = Σ_{x,u} π(u|x) g(x,u) [ q(x)((1+2λĴ) φᵀw_J − λ φᵀw_M) − 2λ G(x) φᵀw̃_J ]
 * </pre>
 * At the projections {@code E[Δθ] = ∇η} (Proposition 8). {@code ⁺} is the Moore–Penrose inverse, which copes
 * with rank deficiency and with the zero weights of Assumption 6 ({@code q̃(x0,·) = 0}).
 *
 * <p>{@link #temporalDifference} gives the fixed points of the TD(0) / LSTD(λ) critics of §4.9 (the limits of
 * {@link EpisodeIncrement#computeTd0} and of the LSTD sums of {@link NormalEquations}), with {@code P} the
 * state–action transition matrix {@code P[(x,u)][(y,v)] = P(y|x,u) π(v|y)}, {@code K = (I − λP)⁻¹}:
 * <pre>
 *   ΦᵀQK(I − P)Φ w_J = ΦᵀQK r
 *   ΦᵀQK(I − P)Φ w_M = ΦᵀQK (r² + 2 r∘P Ĵ^λ),   Ĵ^λ = K((1−λ)Φw_J + λ r)
 *   ΦᵀQ̃K(I − P)Φ w̃_J = ΦᵀQ̃K r
 * </pre>
 * (λ = 0: TD(0); λ = 1: the projections). {@link #gradient} is the exact {@code ∇η} in the policy's own
 * parametrisation, {@code Σ_{x,u} π(u|x) ∇ln π(u|x) c(x,u)} with the coefficients of {@link SspMoments}.
 * Stateless.
 */
public final class ExactCritic {
    private ExactCritic() {
    }

    /**
     * Expected per-episode increments at frozen parameters.
     *
     * @param dJ      {@code E[ΔĴ]}
     * @param dwJ     {@code E[Δw_J]}
     * @param dwM     {@code E[Δw_M]}
     * @param dwTilde {@code E[Δw̃_J]}
     * @param dTheta  {@code E[Δθ]}
     */
    public record ExpectedIncrements(double dJ, double[] dwJ, double[] dwM, double[] dwTilde, double[] dTheta) {
    }

    /** Everything evaluated over all (x,u). */
    private static final class Table {
        final int n;
        final int m;
        final int d;
        final int np;
        final double[][] pi;
        final double[][][] phi; // [x][u][d]
        final SspMoments.Result moments;
        final Ssp ssp;

        Table(ActorCriticModel model, double[] theta) {
            EpisodicEnvironment env = model.environment();
            if (!(env instanceof SspEnvironment se)) {
                throw new InvalidInputException("the exact critic needs a finite SSP environment but got "
                        + env.getClass().getSimpleName());
            }
            ssp = se.ssp();
            n = ssp.numStates();
            m = ssp.numActions();
            np = model.numParameters();
            d = model.criticDimension();
            pi = new double[n][m];
            phi = new double[n][m][d];
            double[] state = new double[1];
            double[] scratch = new double[model.policy().scratchSize()];
            double[] score = new double[np];
            for (int x = 0; x < n; x++) {
                state[0] = x;
                model.policy().probabilities(theta, state, pi[x], scratch);
                for (int u = 0; u < m; u++) {
                    model.policy().gradLogProbability(theta, state, u, pi[x], score, scratch);
                    System.arraycopy(score, 0, phi[x][u], 0, np);
                    if (model.extraFeatures() != null) {
                        model.extraFeatures().features(state, phi[x][u], np);
                    }
                }
            }
            moments = SspMoments.compute(ssp, pi, model.lambda());
        }

        double dot(int x, int u, double[] w) {
            double s = 0;
            for (int i = 0; i < d; i++) {
                s += phi[x][u][i] * w[i];
            }
            return s;
        }
    }

    /**
     * The exact projections of §4.6.
     *
     * @param model the model (environment must be an {@link SspEnvironment})
     * @param theta policy parameters
     * @return {@code (J(x0), w_J*, w_M*, w̃_J*)}
     */
    public static CriticWeights projections(ActorCriticModel model, double[] theta) {
        Table t = new Table(model, theta);
        int d = t.d;
        double[][] a = new double[d][d];
        double[][] aT = new double[d][d];
        double[] bJ = new double[d];
        double[] bM = new double[d];
        double[] bT = new double[d];
        for (int x = 0; x < t.n; x++) {
            for (int u = 0; u < t.m; u++) {
                double wq = t.moments.q()[x] * t.pi[x][u];
                double wg = t.moments.g()[x] * t.pi[x][u];
                double[] f = t.phi[x][u];
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        a[i][j] += wq * f[i] * f[j];
                        aT[i][j] += wg * f[i] * f[j];
                    }
                    bJ[i] += wq * f[i] * t.moments.jq()[x][u];
                    bM[i] += wq * f[i] * t.moments.mq()[x][u];
                    bT[i] += wg * f[i] * t.moments.jq()[x][u];
                }
            }
        }
        return new CriticWeights(t.moments.j()[startOf(model)],
                SymmetricSolver.pinvSolve(a, bJ), SymmetricSolver.pinvSolve(a, bM), SymmetricSolver.pinvSolve(aT, bT));
    }

    private static int startOf(ActorCriticModel model) {
        return ((SspEnvironment) model.environment()).ssp().start();
    }

    /**
     * The exact expected increments (ODE (8) right-hand sides and the mean actor direction) at a frozen state.
     *
     * @param model the model (SSP environment)
     * @param state θ and the critic
     * @return the expectations of one episode's increments
     */
    public static ExpectedIncrements expected(ActorCriticModel model, ActorCriticState state) {
        return expected(model, state, new Table(model, state.thetaView()));
    }

    /**
     * The actor direction implied by the critic of {@code state} ({@code E[Δθ]}) and the exact {@code ∇η}, from
     * one evaluation of the policy (what {@link CriticBias} needs per metrics row).
     *
     * @param model the model (SSP environment)
     * @param state θ and the critic
     * @return {@code {E[Δθ], ∇η}}
     */
    static double[][] directionAndGradient(ActorCriticModel model, ActorCriticState state) {
        Table t = new Table(model, state.thetaView());
        return new double[][] {expected(model, state, t).dTheta(), gradient(t)};
    }

    private static ExpectedIncrements expected(ActorCriticModel model, ActorCriticState state, Table t) {
        int d = t.d;
        double lambda = model.lambda();
        double[] wJ = state.wJView();
        double[] wM = state.wMView();
        double[] wT = state.wTildeView();
        double[] dwJ = new double[d];
        double[] dwM = new double[d];
        double[] dwT = new double[d];
        double[] dTheta = new double[t.np];
        double a = 1 + 2 * lambda * state.jHat();
        for (int x = 0; x < t.n; x++) {
            for (int u = 0; u < t.m; u++) {
                double q = t.moments.q()[x] * t.pi[x][u];
                double g = t.moments.g()[x] * t.pi[x][u];
                double vJ = t.dot(x, u, wJ);
                double vM = t.dot(x, u, wM);
                double vT = t.dot(x, u, wT);
                double[] f = t.phi[x][u];
                double cJ = q * (t.moments.jq()[x][u] - vJ);
                double cM = q * (t.moments.mq()[x][u] - vM);
                double cT = g * (t.moments.jq()[x][u] - vT);
                double c = q * (a * vJ - lambda * vM) - 2 * lambda * g * vT;
                for (int i = 0; i < d; i++) {
                    dwJ[i] += cJ * f[i];
                    dwM[i] += cM * f[i];
                    dwT[i] += cT * f[i];
                }
                for (int i = 0; i < t.np; i++) {
                    dTheta[i] += c * f[i];
                }
            }
        }
        double dJ = t.moments.j()[startOf(model)] - state.jHat();
        return new ExpectedIncrements(dJ, dwJ, dwM, dwT, dTheta);
    }

    /**
     * The fixed points of the TD(0) ({@code traceDecay = 0}) and LSTD(λ) critics (class comment), solved in the
     * minimum-norm sense.
     *
     * @param model      the model (SSP environment)
     * @param theta      policy parameters
     * @param traceDecay {@code λ ∈ [0, 1]}
     * @return {@code (J(x0), w_J, w_M, w̃_J)}
     */
    public static CriticWeights temporalDifference(ActorCriticModel model, double[] theta, double traceDecay) {
        if (!(traceDecay >= 0 && traceDecay <= 1)) {
            throw new InvalidInputException("trace decay must be in [0, 1] but was " + traceDecay);
        }
        Table t = new Table(model, theta);
        int n = t.n;
        int m = t.m;
        int big = n * m;
        int d = t.d;
        double[][] p = new double[big][big];
        double[] r = new double[big];
        double[] q = new double[big];
        double[] qt = new double[big];
        double[][] phi = new double[big][];
        for (int x = 0; x < n; x++) {
            for (int u = 0; u < m; u++) {
                int i = x * m + u;
                r[i] = t.ssp.r(x, u);
                q[i] = t.moments.q()[x] * t.pi[x][u];
                qt[i] = t.moments.g()[x] * t.pi[x][u];
                phi[i] = t.phi[x][u];
                for (int y = 0; y < n; y++) {
                    for (int v = 0; v < m; v++) {
                        p[i][y * m + v] = t.ssp.p(x, u, y) * t.pi[y][v];
                    }
                }
            }
        }
        double[][] lhs = Dense.identityMinus(traceDecay, p);
        // Y = (I − P)Φ, then KY and K r column by column
        double[][] kY = new double[big][d];
        for (int c = 0; c < d; c++) {
            double[] col = new double[big];
            for (int i = 0; i < big; i++) {
                double s = phi[i][c];
                for (int j = 0; j < big; j++) {
                    s -= p[i][j] * phi[j][c];
                }
                col[i] = s;
            }
            double[] kc = Dense.solve(lhs, col);
            for (int i = 0; i < big; i++) {
                kY[i][c] = kc[i];
            }
        }
        double[] kr = Dense.solve(lhs, r);
        double[][] a = weighted(phi, q, kY, d);
        double[][] aT = weighted(phi, qt, kY, d);
        double[] wJ = SymmetricSolver.minimumNormSolve(a, weighted(phi, q, kr, d));
        double[] wT = SymmetricSolver.minimumNormSolve(aT, weighted(phi, qt, kr, d));
        double[] jLam = new double[big];
        for (int i = 0; i < big; i++) {
            double v = 0;
            for (int c = 0; c < d; c++) {
                v += phi[i][c] * wJ[c];
            }
            jLam[i] = (1 - traceDecay) * v + traceDecay * r[i];
        }
        jLam = Dense.solve(lhs, jLam);
        double[] rho = new double[big];
        for (int i = 0; i < big; i++) {
            double pj = 0;
            for (int j = 0; j < big; j++) {
                pj += p[i][j] * jLam[j];
            }
            rho[i] = r[i] * r[i] + 2 * r[i] * pj;
        }
        double[] wM = SymmetricSolver.minimumNormSolve(a, weighted(phi, q, Dense.solve(lhs, rho), d));
        return new CriticWeights(t.moments.j()[startOf(model)], wJ, wM, wT);
    }

    /** {@code Φᵀ diag(w) Y} for a matrix {@code Y} (rows over (x,u)). */
    private static double[][] weighted(double[][] phi, double[] w, double[][] y, int d) {
        double[][] out = new double[d][y[0].length];
        for (int i = 0; i < phi.length; i++) {
            if (w[i] == 0) {
                continue;
            }
            for (int a = 0; a < d; a++) {
                double c = w[i] * phi[i][a];
                if (c == 0) {
                    continue;
                }
                for (int b = 0; b < y[i].length; b++) {
                    out[a][b] += c * y[i][b];
                }
            }
        }
        return out;
    }

    /** {@code Φᵀ diag(w) y} for a vector {@code y}. */
    private static double[] weighted(double[][] phi, double[] w, double[] y, int d) {
        double[] out = new double[d];
        for (int i = 0; i < phi.length; i++) {
            for (int a = 0; a < d; a++) {
                out[a] += w[i] * phi[i][a] * y[i];
            }
        }
        return out;
    }

    /**
     * The exact gradient of {@code η} in the policy's parametrisation (any policy family on a finite SSP):
     * {@code ∇η = Σ_{x,u} π(u|x) ∇_θ ln π(u|x) c(x,u)}. For tabular softmax it equals
     * {@code restrict(moments.gradEta())}.
     *
     * @param model the model (SSP environment)
     * @param theta policy parameters
     * @return {@code ∇η} (length {@code n_θ})
     */
    public static double[] gradient(ActorCriticModel model, double[] theta) {
        return gradient(new Table(model, theta));
    }

    private static double[] gradient(Table t) {
        double[] g = new double[t.np];
        double[][] c = t.moments.coefficients();
        for (int x = 0; x < t.n; x++) {
            for (int u = 0; u < t.m; u++) {
                double w = t.pi[x][u] * c[x][u];
                for (int i = 0; i < t.np; i++) {
                    g[i] += w * t.phi[x][u][i];
                }
            }
        }
        return g;
    }

    /**
     * @param model the model (SSP environment)
     * @param theta policy parameters
     * @return exact moments and gradients of the policy {@code π_θ}
     */
    public static SspMoments.Result moments(ActorCriticModel model, double[] theta) {
        return new Table(model, theta).moments;
    }
}
