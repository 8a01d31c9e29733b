package org.pgflow.mdp;

import java.io.Serializable;
import java.util.random.RandomGenerator;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * The portfolio domain of docs/algorithms.md §5 T9, "our fully specified instance" (after Tamar, Di Castro &amp; Mannor
 * 2012). State at step {@code k}: {@code (k, L, F[1..N], ξ)} with liquid cash {@code L}, face value
 * {@code F[j]} due in {@code j} steps and interest regime {@code ξ ∈ {low, high}}; start {@code L = 1},
 * {@code F = 0}, {@code ξ = low}. Step {@code k = 0..T−1}:
 * <ol>
 *   <li>if {@code u = 1} and {@code k + N ≤ T − 1}: {@code I = α_inv L}, {@code L ← L − I}, new face value
 *       {@code I·r_nl(ξ_k)} (gross rate locked at purchase); otherwise nothing;</li>
 *   <li>{@code L ← r_l L};</li>
 *   <li>{@code F[1]} is paid into {@code L} w.p. {@code 1 − p_risk} and lost otherwise; shift
 *       {@code F[j] ← F[j+1]}, {@code F[N] ←} the new face value (or 0);</li>
 *   <li>{@code ξ} switches w.p. {@code p_switch}.</li>
 * </ol>
 * The reward is 0 except at step {@code T−1}, which pays the cash-out {@code B = L_T − 1} and enters the
 * terminal state (we fold the reference final absorbing cash-out step into the reward of the last decision, so an
 * episode has exactly {@code T} decisions and {@code Var(B) = Var(L_T)}).
 *
 * <p>Every step draws exactly two uniforms (default, then switch) after the caller's action draw, whatever
 * happens, so streams stay aligned across policies (common random numbers).
 *
 * <p>State vector layout ({@link #stateSize()} = {@code N + 3}): {@code [k, L, F[1], …, F[N], ξ]} with
 * {@code ξ = 1} for high; terminal iff {@code k = T}. Features ({@link #dimension()} = {@code N + 4}):
 * {@code φ(x) = (L/W, F[1..N]/W, 1{ξ=high}, k/T, 1)}, {@code W = L + Σ F}. Mean-field input
 * ({@link #inputDim()} = {@code N + 5}): {@code x(x, u) = φ(x) ++ (u = 1 ? 1 : −1)}, the binary action encoding
 * of the simulated environments (as CartPole's). Immutable, thread-safe.
 */
public final class Portfolio implements EpisodicEnvironment, StateFeatures, InputEmbedding {
    private static final long serialVersionUID = 1L;

    /**
     * Parameters of the domain; the compact constructor validates every field and names it on failure.
     *
     * @param horizon           {@code T ≥ 1} decisions per episode
     * @param maturity          {@code N ≥ 1} steps to maturity of the non-liquid asset
     * @param liquidRate        gross liquid rate {@code r_l > 0}
     * @param lowRate           gross non-liquid rate in the low regime {@code r_nl^low > 0}
     * @param highRate          gross non-liquid rate in the high regime {@code r_nl^high > 0}
     * @param switchProbability {@code p_switch ∈ [0, 1]}
     * @param riskProbability   default probability at maturity {@code p_risk ∈ [0, 1]}
     * @param investFraction    {@code α_inv ∈ [0, 1)} (below 1 so that {@code L > 0} and {@code W > 0})
     */
    public record Parameters(int horizon, int maturity, double liquidRate, double lowRate, double highRate,
                             double switchProbability, double riskProbability, double investFraction)
            implements Serializable {
        /** Validates every field. */
        public Parameters {
            Checks.inRange("horizon", horizon, 1, 1_000_000);
            Checks.inRange("maturity", maturity, 1, 1_000_000);
            Checks.positive("liquidRate", liquidRate);
            Checks.positive("lowRate", lowRate);
            Checks.positive("highRate", highRate);
            Checks.inClosed("switchProbability", switchProbability, 0, 1);
            Checks.inClosed("riskProbability", riskProbability, 0, 1);
            Checks.inHalfOpen("investFraction", investFraction, 0, 1);
        }

        /**
         * @return the "balanced" set of docs/algorithms.md §5 T9 (the default): T = 50, N = 4, r_l = 1.001,
         *         r_nl = 1.02 / 1.10, p_switch = 0.1, p_risk = 0.05, α_inv = 0.2
         */
        public static Parameters balanced() {
            return new Parameters(50, 4, 1.001, 1.02, 1.10, 0.1, 0.05, 0.2);
        }

        /** @return the "recalled" set of docs/algorithms.md §5 T9 [U]: as balanced but r_nl = 1.1 / 2 */
        public static Parameters recalled() {
            return new Parameters(50, 4, 1.001, 1.1, 2.0, 0.1, 0.05, 0.2);
        }

        /** @return a copy with the given low and high gross rates */
        public Parameters withRates(double low, double high) {
            return new Parameters(horizon, maturity, liquidRate, low, high, switchProbability, riskProbability,
                    investFraction);
        }

        /** @return a copy with the given default probability */
        public Parameters withRiskProbability(double p) {
            return new Parameters(horizon, maturity, liquidRate, lowRate, highRate, switchProbability, p,
                    investFraction);
        }
    }

    // Primitive fields only (no record field): Spark's Kryo 4 cannot serialise records, and a broadcast
    // ActorCriticModel holding this environment may be Kryo-serialised.
    private final int n;
    private final int t;
    private final double liquidRate;
    private final double lowRate;
    private final double highRate;
    private final double switchProbability;
    private final double riskProbability;
    private final double investFraction;

    private Portfolio(Parameters params) {
        this.n = params.maturity();
        this.t = params.horizon();
        this.liquidRate = params.liquidRate();
        this.lowRate = params.lowRate();
        this.highRate = params.highRate();
        this.switchProbability = params.switchProbability();
        this.riskProbability = params.riskProbability();
        this.investFraction = params.investFraction();
    }

    /** @return the domain with the given (validated) parameters */
    public static Portfolio of(Parameters params) {
        if (params == null) {
            throw new InvalidInputException("portfolio parameters must be given but were null");
        }
        return new Portfolio(params);
    }

    /** @return the domain with the balanced parameters of docs/algorithms.md §5 T9 */
    public static Portfolio balanced() {
        return of(Parameters.balanced());
    }

    /** @return the parameters */
    public Parameters parameters() {
        return new Parameters(t, n, liquidRate, lowRate, highRate, switchProbability, riskProbability, investFraction);
    }

    /** @return whether the regime of a state vector is high */
    public boolean isHighRegime(double[] state) {
        return state[n + 2] != 0;
    }

    /** @return the step index {@code k} of a state vector */
    public int stepIndex(double[] state) {
        return (int) state[0];
    }

    @Override
    public int numActions() {
        return 2;
    }

    @Override
    public int stateSize() {
        return n + 3;
    }

    @Override
    public void reset(double[] state, RandomGenerator rng) {
        java.util.Arrays.fill(state, 0, n + 3, 0.0);
        state[1] = 1.0;
    }

    @Override
    public double step(double[] state, int action, RandomGenerator rng) {
        int k = (int) state[0];
        boolean high = state[n + 2] != 0;
        double cash = state[1];
        double newFace = 0;
        if (action == 1 && k + n <= t - 1) {
            double invest = investFraction * cash;
            cash -= invest;
            newFace = invest * (high ? highRate : lowRate);
        }
        cash *= liquidRate;
        boolean paid = rng.nextDouble() >= riskProbability;
        if (paid) {
            cash += state[2];
        }
        System.arraycopy(state, 3, state, 2, n - 1);
        state[n + 1] = newFace;
        if (rng.nextDouble() < switchProbability) {
            high = !high;
        }
        state[n + 2] = high ? 1 : 0;
        state[1] = cash;
        state[0] = k + 1;
        return k + 1 == t ? cash - 1.0 : 0.0;
    }

    @Override
    public boolean isTerminal(double[] state) {
        return (int) state[0] >= t;
    }

    @Override
    public int dimension() {
        return n + 4;
    }

    @Override
    public void features(double[] state, double[] out, int o) {
        double w = state[1];
        for (int j = 0; j < n; j++) {
            w += state[2 + j];
        }
        out[o] = state[1] / w;
        for (int j = 0; j < n; j++) {
            out[o + 1 + j] = state[2 + j] / w;
        }
        out[o + n + 1] = state[n + 2] != 0 ? 1 : 0;
        out[o + n + 2] = state[0] / t;
        out[o + n + 3] = 1.0;
    }

    @Override
    public int inputDim() {
        return n + 5;
    }

    @Override
    public void embed(double[] state, int action, double[] x) {
        features(state, x, 0);
        x[n + 4] = action == 1 ? 1.0 : -1.0;
    }
}
