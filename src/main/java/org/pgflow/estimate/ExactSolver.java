package org.pgflow.estimate;

import org.pgflow.math.Dense;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * Exact algorithms for finite entropy-regularised MDPs (docs/algorithms.md §1.2–1.3), the ground-truth engine:
 * soft value iteration, exact policy evaluation by LU solve, the normalised occupancy, the tabular-softmax
 * gradient and the value-gap identity.
 *
 * <pre>
 *   soft VI:     Q = r + γPV,  V ← m + τ ln Σ_a μ_a exp((Q_a − m)/τ),  until ‖ΔV‖∞ ≤ ε = 1e-13
 *   evaluation:  (I − γP_π) V = c_π,  c_π[s] = Σ_a π (r − τ ln(π/μ)),  Q = r + γPV
 *   occupancy:   (I − γP_π)ᵀ d = (1−γ) ρ,  Σ_s d = 1
 *   gradient:    ∂V(ρ)/∂θ[s][a] = d[s] π[s][a] (Q − τℓ − V)[s][a] / (1−γ)
 *   gap:         V*(ρ) − V^π(ρ) = τ/(1−γ) Σ_s d[s] KL(π(·|s) ‖ π*(·|s))
 * </pre>
 * Stateless and thread-safe.
 */
public final class ExactSolver {
    /** Sup-norm stopping tolerance of soft value iteration (docs/algorithms.md §1.3). */
    public static final double VI_TOLERANCE = 1e-13;
    private static final int VI_MAX_SWEEPS = 10_000_000;

    private ExactSolver() {
    }

    /**
     * Soft value iteration, log-sum-exp stabilised; τ = 0 gives ordinary value iteration.
     *
     * @param mdp the model
     * @param tau entropy strength, ≥ 0
     * @return the soft optimum; {@code ‖V − V*‖∞ ≤ γ·1e-13/(1−γ)}
     * @throws InvalidInputException if τ is negative or not finite
     */
    public static SoftOptimum softValueIteration(FiniteMdp mdp, double tau) {
        Checks.nonNegative("tau", tau);
        int ns = mdp.numStates();
        int na = mdp.numActions();
        double[] mu = mdp.mu();
        double[] v = new double[ns];
        double[][] q = new double[ns][na];
        int sweeps = 0;
        while (true) {
            qFromV(mdp, v, q);
            double[] next = new double[ns];
            double delta = 0;
            for (int s = 0; s < ns; s++) {
                next[s] = softMax(q[s], mu, tau);
                delta = Math.max(delta, Math.abs(next[s] - v[s]));
            }
            v = next;
            sweeps++;
            if (!(delta > VI_TOLERANCE)) {
                if (Double.isNaN(delta)) {
                    throw new IllegalStateException("soft value iteration produced NaN");
                }
                break;
            }
            if (sweeps >= VI_MAX_SWEEPS) {
                throw new IllegalStateException("soft value iteration did not converge in " + sweeps + " sweeps");
            }
        }
        qFromV(mdp, v, q);
        double[][] policy = new double[ns][na];
        for (int s = 0; s < ns; s++) {
            greedyOrSoft(q[s], mu, tau, policy[s]);
        }
        return new SoftOptimum(tau, v, q, policy, dot(mdp.rho(), v), sweeps);
    }

    /** τ ln Σ_a μ_a exp(Q_a/τ), or max_a Q_a when τ = 0. */
    private static double softMax(double[] qs, double[] mu, double tau) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : qs) {
            m = Math.max(m, x);
        }
        if (tau == 0) {
            return m;
        }
        double sum = 0;
        for (int a = 0; a < qs.length; a++) {
            sum += mu[a] * Math.exp((qs[a] - m) / tau);
        }
        return m + tau * Math.log(sum);
    }

    private static void greedyOrSoft(double[] qs, double[] mu, double tau, double[] out) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : qs) {
            m = Math.max(m, x);
        }
        double sum = 0;
        for (int a = 0; a < qs.length; a++) {
            // τ = 0: uniform over the maximisers (ties within round-off of the converged Q).
            out[a] = tau == 0 ? (qs[a] >= m - 1e-12 * Math.max(1, Math.abs(m)) ? 1 : 0)
                    : mu[a] * Math.exp((qs[a] - m) / tau);
            sum += out[a];
        }
        for (int a = 0; a < qs.length; a++) {
            out[a] /= sum;
        }
    }

    /** Q = r + γ P V into {@code q}. */
    static void qFromV(FiniteMdp mdp, double[] v, double[][] q) {
        int ns = mdp.numStates();
        int na = mdp.numActions();
        double g = mdp.gamma();
        for (int s = 0; s < ns; s++) {
            for (int a = 0; a < na; a++) {
                double ev = 0;
                for (int y = 0; y < ns; y++) {
                    ev += mdp.p(s, a, y) * v[y];
                }
                q[s][a] = mdp.r(s, a) + g * ev;
            }
        }
    }

    /**
     * Exact evaluation of a policy: V and Q by an LU solve of {@code (I − γP_π)V = c_π}, and the normalised
     * occupancy from the transposed system.
     *
     * @param mdp    the model
     * @param policy {@code π[s][a]}, rows are probability vectors (not re-validated)
     * @param tau    entropy strength ≥ 0
     * @return the evaluation
     */
    public static PolicyEvaluation evaluate(FiniteMdp mdp, double[][] policy, double tau) {
        int ns = mdp.numStates();
        int na = mdp.numActions();
        double g = mdp.gamma();
        double[][] pPi = new double[ns][ns];
        double[] c = new double[ns];
        double[][] ell = new double[ns][na];
        for (int s = 0; s < ns; s++) {
            for (int a = 0; a < na; a++) {
                double pa = policy[s][a];
                ell[s][a] = Math.log(pa / mdp.mu(a));
                if (pa > 0) { // 0·ln 0 := 0
                    c[s] += pa * (mdp.r(s, a) - tau * ell[s][a]);
                    for (int y = 0; y < ns; y++) {
                        pPi[s][y] += pa * mdp.p(s, a, y);
                    }
                }
            }
        }
        double[][] m = Dense.identityMinus(g, pPi);
        double[] v = Dense.solve(m, c);
        double[][] q = new double[ns][na];
        qFromV(mdp, v, q);
        double[] rhs = mdp.rho();
        for (int s = 0; s < ns; s++) {
            rhs[s] *= 1 - g;
        }
        double[] d = Dense.solveTransposed(m, rhs);
        return new PolicyEvaluation(tau, v, q, ell, d, dot(mdp.rho(), v));
    }

    /**
     * The exact gradient of {@code V_τ(ρ)} with respect to tabular-softmax logits
     * {@code π ∝ μ e^θ}: {@code d[s] π[s][a] (Q − τℓ − V)[s][a] / (1−γ)}.
     *
     * @param mdp    the model
     * @param policy the policy (the softmax of the logits)
     * @param ev     its exact evaluation
     * @return {@code ∂V(ρ)/∂θ[s][a]}
     */
    public static double[][] softmaxGradient(FiniteMdp mdp, double[][] policy, PolicyEvaluation ev) {
        int ns = mdp.numStates();
        int na = mdp.numActions();
        double[][] grad = new double[ns][na];
        double scale = 1.0 / (1 - mdp.gamma());
        for (int s = 0; s < ns; s++) {
            for (int a = 0; a < na; a++) {
                double pa = policy[s][a];
                if (pa > 0) {
                    double adv = ev.q()[s][a] - ev.tau() * ev.logRatio()[s][a] - ev.v()[s];
                    grad[s][a] = scale * ev.occupancy()[s] * pa * adv;
                }
            }
        }
        return grad;
    }

    /**
     * The right-hand side of the value-gap identity, {@code τ/(1−γ) Σ_s d[s] KL(π(·|s) ‖ π*(·|s))}, which
     * equals {@code V*_τ(ρ) − V_τ^π(ρ)} (docs/algorithms.md §1.2).
     *
     * @param mdp     the model
     * @param policy  π
     * @param ev      exact evaluation of π
     * @param optimum the soft optimum (τ > 0)
     * @return the gap computed from the identity
     */
    public static double gapFromIdentity(FiniteMdp mdp, double[][] policy, PolicyEvaluation ev, SoftOptimum optimum) {
        double sum = 0;
        for (int s = 0; s < mdp.numStates(); s++) {
            sum += ev.occupancy()[s] * kl(policy[s], optimum.policy()[s]);
        }
        return optimum.tau() / (1 - mdp.gamma()) * sum;
    }

    /** @return {@code KL(p ‖ q) = Σ p ln(p/q)} with {@code 0 ln 0 = 0} */
    public static double kl(double[] p, double[] q) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                s += p[i] * Math.log(p[i] / q[i]);
            }
        }
        return s;
    }

    /** @return {@code max_s TV(π(·|s), π'(·|s))} */
    public static double maxTotalVariation(double[][] p, double[][] q) {
        double m = 0;
        for (int s = 0; s < p.length; s++) {
            double tv = 0;
            for (int a = 0; a < p[s].length; a++) {
                tv += Math.abs(p[s][a] - q[s][a]);
            }
            m = Math.max(m, tv / 2);
        }
        return m;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
