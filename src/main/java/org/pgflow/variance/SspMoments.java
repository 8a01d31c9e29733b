package org.pgflow.variance;

import org.pgflow.math.Dense;
import org.pgflow.mdp.Ssp;
import org.pgflow.util.InvalidInputException;

/**
 * Exact moments of the episodic return of a fixed policy on a finite SSP and the exact gradient of the
 * variance-adjusted objective (docs/algorithms.md §4.3–4.5). With {@code γ = ssp.gamma()}:
 * <pre>
 *   P_π[x][y] = Σ_u π(u|x) P(y|x,u),   r_π[x] = Σ_u π r
 *   J = (I − γP_π)⁻¹ r_π,              J(x,u) = r + γ Σ_y P(y|x,u) J(y)
 *   M = (I − γ²P_π)⁻¹ m_π,             m_π[x] = Σ_u π (r² + 2γ r (PJ)(x,u)),  M(x,u) = r² + 2γ r PJ + γ² PM
 *   Var = M − J∘J,  η = J(x0) − λ Var(x0)
 *   q  = e_{x0}ᵀ (I − γP_π)⁻¹,  q₂ = e_{x0}ᵀ (I − γ²P_π)⁻¹           (expected (discounted) visits)
 *   G  = γ^{[γ<1]} q₂ P^r_π (I − γP_π)⁻¹,  P^r_π[x][y] = Σ_u π r P(y|x,u)   (γ = 1: G = q P^r N)
 *   ∇η = Σ_{x,u} ∇π(u|x) c(x,u),  c = (1+2λJ(x0)) q(x) J(x,u) − λ q₂(x) M(x,u) − 2λ G(x) J(x,u)
 * </pre>
 * For tabular softmax {@code ∂η/∂θ_{x,v} = π(v|x) (c(x,v) − Σ_u π(u|x) c(x,u))}. Stateless.
 */
public final class SspMoments {
    private SspMoments() {
    }

    /**
     * Moments, occupancies and gradient coefficients of one policy.
     *
     * @param lambda variance penalty λ
     * @param j      {@code J(x)}
     * @param m      {@code M(x)}
     * @param var    {@code Var(x) = M − J²}
     * @param jq     {@code J(x,u)}
     * @param mq     {@code M(x,u)}
     * @param varq   {@code Var(x,u) = M(x,u) − J(x,u)²}
     * @param q      expected (γ-discounted) visits from x0
     * @param q2     expected γ²-discounted visits from x0 (equals q when γ = 1)
     * @param g      reward-weighted occupancy {@code G(x)}
     * @param coefficients {@code c(x,u)} with {@code ∇η = Σ ∇π(u|x) c(x,u)}
     * @param eta    {@code η = J(x0) − λ Var(x0)}
     * @param gradEta tabular-softmax gradient {@code ∂η/∂θ[x][u]}
     * @param gradJ  tabular-softmax gradient of {@code J(x0)}
     * @param gradM  tabular-softmax gradient of {@code M(x0)}
     */
    public record Result(double lambda, double[] j, double[] m, double[] var, double[][] jq, double[][] mq,
                         double[][] varq, double[] q, double[] q2, double[] g, double[][] coefficients, double eta,
                         double[][] gradEta, double[][] gradJ, double[][] gradM) {
        /** @return {@code J(x0)} */
        public double j0(Ssp ssp) {
            return j[ssp.start()];
        }
    }

    /**
     * @param ssp    the problem
     * @param policy {@code π[x][u]}, rows are probability vectors
     * @param lambda variance penalty λ ≥ 0
     * @return exact moments and gradients
     * @throws InvalidInputException if the policy is improper (terminal unreachable from some state)
     */
    public static Result compute(Ssp ssp, double[][] policy, double lambda) {
        int n = ssp.numStates();
        int nu = ssp.numActions();
        double gamma = ssp.gamma();
        int stuck = ssp.firstStateNotReachingTerminal(policy);
        if (stuck >= 0 && gamma == 1.0) {
            throw new InvalidInputException("policy is improper: the terminal state is unreachable from state " + stuck);
        }
        double[][] pPi = new double[n][n];
        double[][] pR = new double[n][n];
        double[] rPi = new double[n];
        for (int x = 0; x < n; x++) {
            for (int u = 0; u < nu; u++) {
                double pu = policy[x][u];
                if (pu == 0) {
                    continue;
                }
                double r = ssp.r(x, u);
                rPi[x] += pu * r;
                for (int y = 0; y < n; y++) {
                    pPi[x][y] += pu * ssp.p(x, u, y);
                    pR[x][y] += pu * r * ssp.p(x, u, y);
                }
            }
        }
        double[][] iMinusP = Dense.identityMinus(gamma, pPi);
        double[][] iMinusP2 = Dense.identityMinus(gamma * gamma, pPi);
        double[] j = Dense.solve(iMinusP, rPi);
        double[][] pj = expectNext(ssp, j);
        double[][] jq = new double[n][nu];
        double[] mPi = new double[n];
        for (int x = 0; x < n; x++) {
            for (int u = 0; u < nu; u++) {
                double r = ssp.r(x, u);
                jq[x][u] = r + gamma * pj[x][u];
                mPi[x] += policy[x][u] * (r * r + 2 * gamma * r * pj[x][u]);
            }
        }
        double[] m = Dense.solve(iMinusP2, mPi);
        double[][] pm = expectNext(ssp, m);
        double[][] mq = new double[n][nu];
        double[][] varq = new double[n][nu];
        double[] var = new double[n];
        for (int x = 0; x < n; x++) {
            var[x] = m[x] - j[x] * j[x];
            for (int u = 0; u < nu; u++) {
                double r = ssp.r(x, u);
                mq[x][u] = r * r + 2 * gamma * r * pj[x][u] + gamma * gamma * pm[x][u];
                varq[x][u] = mq[x][u] - jq[x][u] * jq[x][u];
            }
        }
        double[] e0 = new double[n];
        e0[ssp.start()] = 1;
        double[] q = Dense.solveTransposed(iMinusP, e0);
        double[] q2 = gamma == 1.0 ? q : Dense.solveTransposed(iMinusP2, e0);
        // G = γ^{[γ<1]} q₂ P^r (I − γP)⁻¹  ⇔  (I − γP)ᵀ G = γ^{[γ<1]} (q₂ P^r)ᵀ
        double[] rhs = new double[n];
        double gFactor = gamma == 1.0 ? 1.0 : gamma;
        for (int y = 0; y < n; y++) {
            double s = 0;
            for (int x = 0; x < n; x++) {
                s += q2[x] * pR[x][y];
            }
            rhs[y] = gFactor * s;
        }
        double[] g = Dense.solveTransposed(iMinusP, rhs);
        int x0 = ssp.start();
        double eta = j[x0] - lambda * var[x0];
        double[][] c = new double[n][nu];
        double[][] cJ = new double[n][nu];
        double[][] cM = new double[n][nu];
        for (int x = 0; x < n; x++) {
            for (int u = 0; u < nu; u++) {
                cJ[x][u] = q[x] * jq[x][u];
                cM[x][u] = q2[x] * mq[x][u] + 2 * g[x] * jq[x][u];
                c[x][u] = (1 + 2 * lambda * j[x0]) * cJ[x][u] - lambda * cM[x][u];
            }
        }
        return new Result(lambda, j, m, var, jq, mq, varq, q, q2, g, c, eta,
                softmaxGradient(policy, c), softmaxGradient(policy, cJ), softmaxGradient(policy, cM));
    }

    /** {@code Σ_{y<n} P(y|x,u) v(y)} for every (x,u). */
    private static double[][] expectNext(Ssp ssp, double[] v) {
        int n = ssp.numStates();
        int nu = ssp.numActions();
        double[][] out = new double[n][nu];
        for (int x = 0; x < n; x++) {
            for (int u = 0; u < nu; u++) {
                double s = 0;
                for (int y = 0; y < n; y++) {
                    s += ssp.p(x, u, y) * v[y];
                }
                out[x][u] = s;
            }
        }
        return out;
    }

    /**
     * Tabular-softmax chain rule: {@code ∂/∂θ_{x,v} Σ_u π(u|x) c(x,u) = π(v|x)(c(x,v) − Σ_u π(u|x) c(x,u))}.
     *
     * @param policy π
     * @param c      coefficients {@code c(x,u)}
     * @return the gradient with respect to the logits
     */
    public static double[][] softmaxGradient(double[][] policy, double[][] c) {
        double[][] grad = new double[policy.length][];
        for (int x = 0; x < policy.length; x++) {
            double mean = 0;
            for (int u = 0; u < policy[x].length; u++) {
                mean += policy[x][u] * c[x][u];
            }
            grad[x] = new double[policy[x].length];
            for (int u = 0; u < policy[x].length; u++) {
                grad[x][u] = policy[x][u] * (c[x][u] - mean);
            }
        }
        return grad;
    }
}
