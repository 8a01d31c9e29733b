package org.pgflow.estimate;

import java.util.Locale;
import org.pgflow.math.LogSumExp;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.util.InvalidInputException;

/**
 * Tabular baselines on a finite MDP with exact evaluation (docs/algorithms.md §2.13): the state is a logit table
 * {@code θ[s][a]} with {@code π_θ(a|s) = μ_a e^{θ(s,a)} / Σ_b μ_b e^{θ(s,b)}}, {@code ℓ = ln(π/μ)
 * = θ − ln Σ_b μ_b e^{θ(s,b)}}, and one iteration is
 * <pre>
 *   evaluate:     Q_τ, V_τ, d of π_θ (docs/algorithms.md §1.3), and the plain discounted value V_0 (τ = 0)
 *   softmax PG:   θ ← θ + η W,   W(s,a) = ∂V_τ(ρ)/∂θ(s,a) = d(s) π(a|s) (Q_τ(s,a) − τℓ(s,a) − V_τ(s)) / (1−γ)
 *                 (Mei, Xiao, Szepesvári, Schuurmans 2020; W is the exact-mode weight table)
 *   NPG:          θ ← (1 − α) ℓ + (η/(1−γ)) Q_τ,   α = ητ/(1−γ),   η ∈ (0, (1−γ)/τ]
 *                 (entropy-regularised natural PG, Cen, Cheng, Chen, Wei, Chi 2021; η = (1−γ)/τ is soft policy
 *                 iteration π ∝ μ e^{Q/τ}; τ = 0 gives the unregularised NPG θ ← ℓ + η Q/(1−γ), any η > 0)
 * </pre>
 * Signs: every step is an <em>ascent</em> on {@code V_τ(ρ)}. NPG returns normalised logits ({@code θ = ℓ}
 * before the Q term) so they stay bounded; the policy only depends on θ up to a per-state constant.
 *
 * <p>Per-iteration quantities ({@link Metrics}): {@code value = V_τ^π(ρ)}, {@code gap = V*_τ(ρ) − V_τ^π(ρ)}
 * (against the soft optimum of the same τ), {@code max_tv = max_s TV(π(·|s), π*_τ(·|s))},
 * {@code gap0 = V*_0(ρ) − V_0^π(ρ)} (plain discounted value against the ordinary optimum). Under annealing pass
 * {@code τ_k} and the soft optimum of {@code τ_k}. Stateless; arrays returned are new.
 */
public final class TabularBaselines {
    private TabularBaselines() {
    }

    /** The two baseline algorithms; {@link #configName()} is the name used in configs. */
    public enum Method {
        /** Exact softmax policy gradient {@code θ ← θ + ηW}. */
        SOFTMAX_PG("softmax-pg"),
        /** Entropy-regularised natural policy gradient (Cen et al. 2021). */
        NPG("npg");

        private final String configName;

        Method(String configName) {
            this.configName = configName;
        }

        /** @return the config name ({@code softmax-pg}, {@code npg}) */
        public String configName() {
            return configName;
        }

        /**
         * @param key  config key, for the message
         * @param name config name
         * @return the method
         * @throws InvalidInputException naming the key for an unknown name
         */
        public static Method fromConfig(String key, String name) {
            String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
            for (Method m : values()) {
                if (m.configName.equals(n)) {
                    return m;
                }
            }
            throw new InvalidInputException(key + " must be one of [softmax-pg, npg] but was '" + name + "'");
        }
    }

    /**
     * One exact evaluation of the policy of a logit table.
     *
     * @param logits   {@code θ[s][a]} (a copy)
     * @param policy   {@code π_θ[s][a]}
     * @param logRatio {@code ℓ[s][a] = ln(π/μ) = θ − ln Σ_b μ_b e^{θ(s,b)}} (finite)
     * @param soft     evaluation at τ: {@code V_τ, Q_τ, d}
     * @param plain    evaluation at τ = 0 (the plain discounted value {@code V_0}); the same object as
     *                 {@code soft} when τ = 0
     */
    public record Evaluated(double[][] logits, double[][] policy, double[][] logRatio, PolicyEvaluation soft,
                            PolicyEvaluation plain) {
        /** @return τ of the soft evaluation */
        public double tau() {
            return soft.tau();
        }
    }

    /**
     * The quantities written per iteration.
     *
     * @param value {@code V_τ^π(ρ)}
     * @param gap   {@code V*_τ(ρ) − V_τ^π(ρ)} (≥ 0 up to round-off)
     * @param maxTv {@code max_s TV(π(·|s), π*_τ(·|s))}
     * @param gap0  {@code V*_0(ρ) − V_0^π(ρ)} (≥ 0 up to round-off)
     */
    public record Metrics(double value, double gap, double maxTv, double gap0) {
    }

    /** @return the zero logit table {@code [S][A]}, i.e. {@code π = μ} */
    public static double[][] zeroLogits(FiniteMdp mdp) {
        return new double[mdp.numStates()][mdp.numActions()];
    }

    /**
     * Evaluates {@code π_θ} exactly at τ and at 0.
     *
     * @param mdp    the model
     * @param logits {@code θ[s][a]}, finite
     * @param tau    τ ≥ 0
     * @return the evaluation
     */
    public static Evaluated evaluate(FiniteMdp mdp, double[][] logits, double tau) {
        int ns = mdp.numStates();
        double[] mu = mdp.mu();
        double[][] theta = new double[ns][];
        double[][] pi = new double[ns][];
        double[][] ell = new double[ns][];
        for (int s = 0; s < ns; s++) {
            theta[s] = logits[s].clone();
            pi[s] = LogSumExp.softmax(theta[s], mu, new double[theta[s].length]);
            double lse = LogSumExp.of(theta[s], mu);
            ell[s] = new double[theta[s].length];
            for (int a = 0; a < ell[s].length; a++) {
                ell[s][a] = theta[s][a] - lse;
            }
        }
        PolicyEvaluation soft = ExactSolver.evaluate(mdp, pi, tau);
        PolicyEvaluation plain = tau == 0 ? soft : ExactSolver.evaluate(mdp, pi, 0);
        return new Evaluated(theta, pi, ell, soft, plain);
    }

    /**
     * @param e            an evaluation at τ
     * @param softOptimum  the soft optimum at the same τ ({@code ExactSolver.softValueIteration(mdp, τ)})
     * @param plainOptimum the ordinary optimum ({@code ExactSolver.softValueIteration(mdp, 0)})
     * @return value, gap, max_tv and gap0
     * @throws IllegalArgumentException if the soft optimum is for another τ
     */
    public static Metrics metrics(Evaluated e, SoftOptimum softOptimum, SoftOptimum plainOptimum) {
        if (softOptimum.tau() != e.tau() || plainOptimum.tau() != 0) {
            throw new IllegalArgumentException("optima are for tau = " + softOptimum.tau() + " and " + plainOptimum.tau()
                    + " but the evaluation is for tau = " + e.tau() + " and 0");
        }
        double v = e.soft().valueAtInitial();
        return new Metrics(v, softOptimum.valueAtInitial() - v,
                ExactSolver.maxTotalVariation(e.policy(), softOptimum.policy()),
                plainOptimum.valueAtInitial() - e.plain().valueAtInitial());
    }

    /**
     * The exact gradient {@code W(s,a) = ∂V_τ(ρ)/∂θ(s,a) = d(s) π(a|s) (Q − τℓ − V)(s,a) / (1−γ)}.
     *
     * @param mdp the model
     * @param e   the evaluation of θ
     * @return {@code W[s][a]}
     */
    public static double[][] gradient(FiniteMdp mdp, Evaluated e) {
        return ExactSolver.softmaxGradient(mdp, e.policy(), e.soft());
    }

    /**
     * One softmax policy-gradient step {@code θ + η W}.
     *
     * @param mdp the model
     * @param e   the evaluation of θ (at the τ of this iteration)
     * @param eta step η &gt; 0
     * @return the new logits
     */
    public static double[][] softmaxPgStep(FiniteMdp mdp, Evaluated e, double eta) {
        double[][] w = gradient(mdp, e);
        double[][] next = new double[w.length][];
        for (int s = 0; s < w.length; s++) {
            next[s] = new double[w[s].length];
            for (int a = 0; a < w[s].length; a++) {
                next[s][a] = e.logits()[s][a] + eta * w[s][a];
            }
        }
        return next;
    }

    /**
     * One entropy-regularised NPG step {@code (1 − α) ℓ + (η/(1−γ)) Q_τ}, {@code α = ητ/(1−γ)}.
     *
     * @param mdp the model
     * @param e   the evaluation of θ (at the τ of this iteration)
     * @param eta step η ∈ (0, (1−γ)/τ] (any η &gt; 0 when τ = 0)
     * @return the new logits
     * @throws InvalidInputException if η is outside that range
     */
    public static double[][] npgStep(FiniteMdp mdp, Evaluated e, double eta) {
        double g = mdp.gamma();
        double alpha = npgAlpha("eta", eta, e.tau(), g);
        double c = eta / (1 - g);
        double[][] q = e.soft().q();
        double[][] next = new double[q.length][];
        for (int s = 0; s < q.length; s++) {
            next[s] = new double[q[s].length];
            for (int a = 0; a < q[s].length; a++) {
                double keep = alpha == 1 ? 0 : (1 - alpha) * e.logRatio()[s][a];
                next[s][a] = keep + c * q[s][a];
            }
        }
        return next;
    }

    /**
     * One step of either method.
     *
     * @param method the baseline
     * @param mdp    the model
     * @param e      the evaluation of θ
     * @param eta    step η
     * @return the new logits
     */
    public static double[][] step(Method method, FiniteMdp mdp, Evaluated e, double eta) {
        return method == Method.NPG ? npgStep(mdp, e, eta) : softmaxPgStep(mdp, e, eta);
    }

    /**
     * {@code α = ητ/(1−γ)}, validated: {@code η > 0}, and {@code α ≤ 1} (to 1e-12, then clamped to 1).
     */
    private static double npgAlpha(String key, double eta, double tau, double gamma) {
        if (!(eta > 0 && eta < Double.POSITIVE_INFINITY)) {
            throw new InvalidInputException(key + " must be > 0 but was " + eta);
        }
        double alpha = eta * tau / (1 - gamma);
        if (!(alpha <= 1 + 1e-12)) {
            throw new InvalidInputException(key + " = " + eta + " is too large for the regularised natural policy "
                    + "gradient: it needs eta <= (1-gamma)/tau = " + (1 - gamma) / tau + " (tau = " + tau + ", gamma = "
                    + gamma + ")");
        }
        return Math.min(alpha, 1.0);
    }

    /**
     * Validates a step size before a run: {@code η > 0}; for NPG also {@code η ≤ (1−γ)/τ_max} with the
     * largest τ of the schedule ({@code τ_max = 0}: no upper bound).
     *
     * @param method the baseline
     * @param key    the config key of η, for messages
     * @param eta    η
     * @param tauMax the largest τ the run will use
     * @param gamma  γ
     * @throws InvalidInputException naming the key
     */
    public static void checkStepSize(Method method, String key, double eta, double tauMax, double gamma) {
        if (method == Method.NPG) {
            npgAlpha(key, eta, tauMax, gamma);
        } else if (!(eta > 0 && eta < Double.POSITIVE_INFINITY)) {
            throw new InvalidInputException(key + " must be > 0 but was " + eta);
        }
    }

    /** @return the largest NPG step {@code (1−γ)/τ} (soft policy iteration); infinite for τ = 0 */
    public static double npgMaxStep(double tau, double gamma) {
        return tau == 0 ? Double.POSITIVE_INFINITY : (1 - gamma) / tau;
    }
}
