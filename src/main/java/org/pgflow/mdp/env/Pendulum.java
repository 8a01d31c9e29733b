package org.pgflow.mdp.env;

import java.util.random.RandomGenerator;
import org.pgflow.math.Quadrature;

/**
 * Gymnasium's {@code Pendulum-v1}, reimplemented from {@code gymnasium/envs/classic_control/pendulum.py}
 * (Farama-Foundation/Gymnasium), with the default {@code g = 10}:
 * <pre>
 *   state s = (θ, θ̇); reset θ ∼ U(−π, π), θ̇ ∼ U(−1, 1)
 *   u = clip(a, −2, 2)
 *   r = −( angle_normalize(θ)² + 0.1 θ̇² + 0.001 u² ),  angle_normalize(x) = ((x + π) mod 2π) − π  (floor mod)
 *   θ̇' = clip( θ̇ + (3g/(2l) sin θ + 3/(m l²) u) dt , −8, 8 ),   θ' = θ + θ̇' dt   (semi-implicit Euler)
 *   m = l = 1, dt = 0.05, never terminates; Gymnasium truncates episodes at 200 steps
 * </pre>
 * The raw angle θ is kept unwrapped, as Gymnasium does (only the cost and the observation wrap it).
 * Actions: the box [−2, 2] replaced by a Gauss–Legendre grid of J points with weights normalised to a
 * probability (uniform μ on the box, docs/algorithms.md §2.7b). Embedding (d_x = 9, all in [−1, 1]): with
 * {@code o = (cos θ, sin θ, θ̇/8, cos θ · θ̇/8)} (Gymnasium's observation scaled to its bounds, and the product
 * that decides whether a torque along θ̇ adds energy or damps) and {@code v = u/2}, {@code x = (o, v, v·o)}. The
 * products let one neuron tilt the torque distribution by a state-dependent slope ({@code F ≈ v·⟨w, o⟩}), e.g.
 * pumping below the horizontal and damping above it from the single term {@code −v·cos θ·θ̇}; with
 * {@code (cos θ, sin θ, θ̇/8, v)} alone every neuron's preference in u has the same sign in all states.
 * Arithmetic is in double precision; Gymnasium's float32 observation is not reproduced (the internal state
 * is float64 there too). Immutable and thread-safe.
 */
public final class Pendulum extends GridEnvironment {
    private static final long serialVersionUID = 1L;
    /** Maximal angular speed. */
    public static final double MAX_SPEED = 8.0;
    /** Maximal torque (action box [−2, 2]). */
    public static final double MAX_TORQUE = 2.0;
    /** Time step. */
    public static final double DT = 0.05;
    /** Gravity (Gymnasium default). */
    public static final double G = 10.0;
    /** Mass and length. */
    public static final double M = 1.0;
    public static final double L = 1.0;
    /** Gymnasium's TimeLimit for Pendulum-v1. */
    public static final int MAX_EPISODE_STEPS = 200;

    private Pendulum(int gridSize, double gamma) {
        super(gamma, ActionGrid.tensor(Quadrature.uniform(gridSize, -MAX_TORQUE, MAX_TORQUE), 1));
    }

    /**
     * @param gridSize J ≥ 1 Gauss–Legendre torques on [−2, 2]
     * @param gamma    discount in [0, 1)
     * @return the environment
     */
    public static Pendulum of(int gridSize, double gamma) {
        return new Pendulum(gridSize, gamma);
    }

    /** @return the torque of grid action {@code a} */
    public double torque(int a) {
        return grid.coordinate(a, 0);
    }

    /** Gymnasium's {@code angle_normalize}: {@code ((x + π) mod 2π) − π} with Python's floor modulo. */
    public static double angleNormalize(double x) {
        double twoPi = 2 * Math.PI;
        double m = (x + Math.PI) % twoPi; // C fmod, as Python/NumPy compute it before the sign fix-up
        if (m != 0 && m < 0) {
            m += twoPi;
        }
        return m - Math.PI;
    }

    /**
     * One Gymnasium step with a continuous torque (clipped to [−2, 2]).
     *
     * @param s    state (θ, θ̇)
     * @param u    torque
     * @param next destination of (θ', θ̇')
     * @return the reward
     */
    public static double stepContinuous(double[] s, double u, double[] next) {
        double th = s[0];
        double thdot = s[1];
        u = Math.min(Math.max(u, -MAX_TORQUE), MAX_TORQUE);
        double an = angleNormalize(th);
        double costs = an * an + 0.1 * thdot * thdot + 0.001 * (u * u);
        double newthdot = thdot + (3 * G / (2 * L) * Math.sin(th) + 3.0 / (M * L * L) * u) * DT;
        newthdot = Math.min(Math.max(newthdot, -MAX_SPEED), MAX_SPEED);
        next[0] = th + newthdot * DT;
        next[1] = newthdot;
        return -costs;
    }

    @Override
    public String name() {
        return "pendulum-v1";
    }

    @Override
    public int stateDim() {
        return 2;
    }

    @Override
    public int inputDim() {
        return 9;
    }

    @Override
    public void embed(double[] s, int a, double[] x) {
        double v = torque(a) / MAX_TORQUE;
        x[0] = Math.cos(s[0]);
        x[1] = Math.sin(s[0]);
        x[2] = s[1] / MAX_SPEED;
        x[3] = x[0] * x[2];
        x[4] = v;
        x[5] = v * x[0];
        x[6] = v * x[1];
        x[7] = v * x[2];
        x[8] = v * x[3];
    }

    @Override
    public void sampleInitial(RandomGenerator rng, double[] s) {
        s[0] = rng.nextDouble(-Math.PI, Math.PI);
        s[1] = rng.nextDouble(-1.0, 1.0);
    }

    @Override
    public double step(double[] s, int a, RandomGenerator rng, double[] next) {
        return stepContinuous(s, torque(a), next);
    }

    @Override
    public boolean isTerminal(double[] s) {
        return false;
    }

    @Override
    public int maxEpisodeSteps() {
        return MAX_EPISODE_STEPS;
    }
}
