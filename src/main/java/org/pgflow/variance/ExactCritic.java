package org.pgflow.variance;

import org.pgflow.mdp.EpisodicEnvironment;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.util.InvalidInputException;

/**
 * Exact critics and exact expected updates on a finite SSP (SPEC §4.6–4.8, "exact mode"), for tests and for
 * the exact-critic loop. With {@code q(x,u) = q(x)π(u|x)}, {@code q̃(x,u) = G(x)π(u|x)} from
 * {@link SspMoments}, {@code Q = diag(q)}, {@code Q̃ = diag(q̃)} and the critic feature matrix {@code Φ}
 * (rows {@code φ(x,u) = (∇ln π(u|x), e(x))}):
 * <pre>
 *   projections:  w_J* = (ΦᵀQΦ)⁺ ΦᵀQ J(·,·),  w_M* = (ΦᵀQΦ)⁺ ΦᵀQ M(·,·),  w̃_J* = (ΦᵀQ̃Φ)⁺ ΦᵀQ̃ J(·,·),  Ĵ* = J(x0)
 *   ODE (8):      E[ΔĴ] = J(x0) − Ĵ,  E[Δw_J] = ΦᵀQ(J − Φw_J),  E[Δw_M] = ΦᵀQ(M − Φw_M),  E[Δw̃_J] = ΦᵀQ̃(J − Φw̃_J)
 *   actor (6):    E[Δθ] = Σ_{x,u} π(u|x) g(x,u) [ q(x)((1+2λĴ) φᵀw_J − λ φᵀw_M) − 2λ G(x) φᵀw̃_J ]
 * </pre>
 * At the projections {@code E[Δθ] = ∇η} (Proposition 8). {@code ⁺} is the Moore–Penrose inverse, which copes
 * with rank deficiency and with the zero weights of Assumption 6 ({@code q̃(x0,·) = 0}). Stateless.
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

        Table(ActorCriticModel model, double[] theta) {
            EpisodicEnvironment env = model.environment();
            if (!(env instanceof SspEnvironment se)) {
                throw new InvalidInputException("the exact critic needs a finite SSP environment but got "
                        + env.getClass().getSimpleName());
            }
            Ssp ssp = se.ssp();
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
        double[] theta = state.thetaView();
        Table t = new Table(model, theta);
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
     * @param model the model (SSP environment)
     * @param theta policy parameters
     * @return exact moments and gradients of the policy {@code π_θ}
     */
    public static SspMoments.Result moments(ActorCriticModel model, double[] theta) {
        return new Table(model, theta).moments;
    }
}
