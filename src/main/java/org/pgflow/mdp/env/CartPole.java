package org.pgflow.mdp.env;

import java.util.random.RandomGenerator;
import org.pgflow.mdp.SimEnvironment;
import org.pgflow.util.Checks;

/**
 * Gymnasium's {@code CartPole-v1}, reimplemented from {@code gymnasium/envs/classic_control/cartpole.py}
 * (Farama-Foundation/Gymnasium; Barto, Sutton &amp; Anderson 1983), Euler integrator (the default):
 * <pre>
 *   state s = (x, ẋ, θ, θ̇); reset: each coordinate ∼ U(−0.05, 0.05)
 *   force = +10 if a = 1 else −10
 *   temp = (force + m_p l θ̇² sin θ)/(m_c + m_p)
 *   θ̈ = (g sin θ − cos θ · temp) / ( l (4/3 − m_p cos²θ/(m_c + m_p)) ),   ẍ = temp − m_p l θ̈ cos θ/(m_c + m_p)
 *   x' = x + τ ẋ, ẋ' = ẋ + τ ẍ, θ' = θ + τ θ̇, θ̇' = θ̇ + τ θ̈          (g = 9.8, m_c = 1, m_p = 0.1, l = 0.5, τ = 0.02)
 *   terminal: x ∉ [−2.4, 2.4] or θ ∉ [−12°, 12°] (θ_thr = 12·2π/360); reward 1 on every step, including the
 *   step that terminates; Gymnasium truncates at 500 steps
 * </pre>
 * Discounted-MDP reading: the terminal condition is a property of the state, which then absorbs with zero
 * reward and no further decisions; Gymnasium's 500-step truncation is not part of the MDP (time is not in
 * the state) and is used only for {@link #maxEpisodeSteps()} (the "return per episode" of monitoring).
 * Actions {0 = left, 1 = right} with μ = (½, ½). Embedding (d_x = 5, in [−1, 1]): the scaled state signed by
 * the push, {@code σ·(x/2.4, ẋ/2, θ/θ_thr, θ̇/3, 1)} with σ = −1 for left, +1 for right and each state coordinate
 * clipped to [−1, 1]. Only {@code F(s,right) − F(s,left)} matters to the policy; with this embedding one neuron
 * gives {@code α tanh c · (tanh(u + b) − tanh(b − u))}, {@code u = ⟨w, x(s,right)⟩}, which is increasing in u: a
 * single particle already holds a linear threshold policy (push towards the side the pole falls to). With the
 * unsigned embedding {@code (state, ±1)} the same difference is a bump in u and a threshold policy needs many
 * particles in concert. Immutable and thread-safe.
 */
public final class CartPole implements SimEnvironment {
    private static final long serialVersionUID = 1L;
    public static final double GRAVITY = 9.8;
    public static final double MASS_CART = 1.0;
    public static final double MASS_POLE = 0.1;
    public static final double TOTAL_MASS = MASS_POLE + MASS_CART;
    /** Half the pole's length. */
    public static final double LENGTH = 0.5;
    public static final double POLEMASS_LENGTH = MASS_POLE * LENGTH;
    public static final double FORCE_MAG = 10.0;
    /** Seconds between state updates (Gymnasium's {@code tau}, unrelated to the entropy strength τ). */
    public static final double DT = 0.02;
    public static final double THETA_THRESHOLD = 12 * 2 * Math.PI / 360;
    public static final double X_THRESHOLD = 2.4;
    /** Gymnasium's TimeLimit for CartPole-v1. */
    public static final int MAX_EPISODE_STEPS = 500;

    private final double gamma;

    private CartPole(double gamma) {
        this.gamma = Checks.inHalfOpen("gamma", gamma, 0.0, 1.0);
    }

    /**
     * @param gamma discount in [0, 1)
     * @return the environment
     */
    public static CartPole of(double gamma) {
        return new CartPole(gamma);
    }

    /**
     * Gymnasium's dynamics for one step (Euler integrator).
     *
     * @param s    (x, ẋ, θ, θ̇)
     * @param a    0 = push left, 1 = push right
     * @param next destination
     */
    public static void dynamics(double[] s, int a, double[] next) {
        double x = s[0];
        double xDot = s[1];
        double theta = s[2];
        double thetaDot = s[3];
        double force = a == 1 ? FORCE_MAG : -FORCE_MAG;
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double temp = (force + POLEMASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sin - cos * temp) / (LENGTH * (4.0 / 3.0 - MASS_POLE * cos * cos / TOTAL_MASS));
        double xAcc = temp - POLEMASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
        next[0] = x + DT * xDot;
        next[1] = xDot + DT * xAcc;
        next[2] = theta + DT * thetaDot;
        next[3] = thetaDot + DT * thetaAcc;
    }

    @Override
    public String name() {
        return "cartpole-v1";
    }

    @Override
    public int stateDim() {
        return 4;
    }

    @Override
    public int numActions() {
        return 2;
    }

    @Override
    public double referenceWeight(int a) {
        return 0.5;
    }

    @Override
    public int inputDim() {
        return 5;
    }

    private static double clip1(double v) {
        return Math.min(Math.max(v, -1.0), 1.0);
    }

    @Override
    public void embed(double[] s, int a, double[] x) {
        double sign = a == 1 ? 1.0 : -1.0;
        x[0] = sign * clip1(s[0] / X_THRESHOLD);
        x[1] = sign * clip1(s[1] / 2.0);
        x[2] = sign * clip1(s[2] / THETA_THRESHOLD);
        x[3] = sign * clip1(s[3] / 3.0);
        x[4] = sign;
    }

    @Override
    public double gamma() {
        return gamma;
    }

    @Override
    public void sampleInitial(RandomGenerator rng, double[] s) {
        for (int i = 0; i < 4; i++) {
            s[i] = rng.nextDouble(-0.05, 0.05);
        }
    }

    /** Reward 1 on every step from a non-terminal state, including the one that terminates (as Gymnasium). */
    @Override
    public double step(double[] s, int a, RandomGenerator rng, double[] next) {
        dynamics(s, a, next);
        return 1.0;
    }

    @Override
    public boolean isTerminal(double[] s) {
        return s[0] < -X_THRESHOLD || s[0] > X_THRESHOLD || s[2] < -THETA_THRESHOLD || s[2] > THETA_THRESHOLD;
    }

    @Override
    public int maxEpisodeSteps() {
        return MAX_EPISODE_STEPS;
    }
}
