package org.pgflow.mdp.env;

import java.util.random.RandomGenerator;
import org.pgflow.math.Quadrature;

/**
 * Gymnasium's {@code MountainCarContinuous-v0}, reimplemented from
 * {@code gymnasium/envs/classic_control/continuous_mountain_car.py} (Farama-Foundation/Gymnasium):
 * <pre>
 *   state s = (p, v); reset p ∼ U(−0.6, −0.4), v = 0
 *   f = clip(a, −1, 1);  v' = clip(v + 0.0015 f − 0.0025 cos(3p), −0.07, 0.07)
 *   p' = clip(p + v', −1.2, 0.6);  if p' = −1.2 and v' &lt; 0 then v' = 0           (inelastic left wall)
 *   terminal: p' ≥ 0.45 and v' ≥ 0 (goal_velocity = 0);  r = 100·1{terminal(s')} − 0.1 a²
 *   Gymnasium truncates at 999 steps
 * </pre>
 * Discounted-MDP reading: as {@link CartPole}, the goal is an absorbing terminal state (zero reward
 * afterwards); the 999-step truncation is only {@link #maxEpisodeSteps()}. Actions: the box [−1, 1] as a
 * Gauss–Legendre grid of J points with weights normalised to a probability (uniform μ). Embedding (d_x = 5,
 * in [−1, 1]): with {@code o = ((p + 0.3)/0.9, v/0.07)}, {@code x = (o, a, a·o)}; the product {@code a·v/0.07} lets
 * one neuron express "push along the velocity" (energy pumping).
 * <p>Precision: Gymnasium stores this environment's state as float32 after every step (and its float32/64
 * mixing depends on the NumPy version); we integrate in double precision throughout, so long trajectories
 * differ from Gymnasium's at the float32 round-off level (relative 6e-8 per step). Immutable and thread-safe.
 */
public final class MountainCarContinuous extends GridEnvironment {
    private static final long serialVersionUID = 1L;
    public static final double MIN_ACTION = -1.0;
    public static final double MAX_ACTION = 1.0;
    public static final double MIN_POSITION = -1.2;
    public static final double MAX_POSITION = 0.6;
    public static final double MAX_SPEED = 0.07;
    public static final double GOAL_POSITION = 0.45;
    public static final double GOAL_VELOCITY = 0.0;
    public static final double POWER = 0.0015;
    /** Gymnasium's TimeLimit for MountainCarContinuous-v0. */
    public static final int MAX_EPISODE_STEPS = 999;

    private MountainCarContinuous(int gridSize, double gamma) {
        super(gamma, ActionGrid.tensor(Quadrature.uniform(gridSize, MIN_ACTION, MAX_ACTION), 1));
    }

    /**
     * @param gridSize J ≥ 1 Gauss–Legendre forces on [−1, 1]
     * @param gamma    discount in [0, 1)
     * @return the environment
     */
    public static MountainCarContinuous of(int gridSize, double gamma) {
        return new MountainCarContinuous(gridSize, gamma);
    }

    /** @return the force of grid action {@code a} */
    public double force(int a) {
        return grid.coordinate(a, 0);
    }

    /**
     * One Gymnasium step with a continuous action.
     *
     * @param s      (p, v)
     * @param action raw action (clipped for the force, unclipped in the action cost, as Gymnasium)
     * @param next   destination
     * @return the reward
     */
    public static double stepContinuous(double[] s, double action, double[] next) {
        double position = s[0];
        double velocity = s[1];
        double force = Math.min(Math.max(action, MIN_ACTION), MAX_ACTION);
        velocity += force * POWER - 0.0025 * Math.cos(3 * position);
        if (velocity > MAX_SPEED) {
            velocity = MAX_SPEED;
        }
        if (velocity < -MAX_SPEED) {
            velocity = -MAX_SPEED;
        }
        position += velocity;
        if (position > MAX_POSITION) {
            position = MAX_POSITION;
        }
        if (position < MIN_POSITION) {
            position = MIN_POSITION;
        }
        if (position == MIN_POSITION && velocity < 0) {
            velocity = 0;
        }
        next[0] = position;
        next[1] = velocity;
        double reward = terminal(position, velocity) ? 100.0 : 0.0;
        return reward - action * action * 0.1;
    }

    private static boolean terminal(double position, double velocity) {
        return position >= GOAL_POSITION && velocity >= GOAL_VELOCITY;
    }

    @Override
    public String name() {
        return "mountaincar-continuous-v0";
    }

    @Override
    public int stateDim() {
        return 2;
    }

    @Override
    public int inputDim() {
        return 5;
    }

    @Override
    public void embed(double[] s, int a, double[] x) {
        double f = force(a);
        x[0] = (s[0] + 0.3) / 0.9;
        x[1] = s[1] / MAX_SPEED;
        x[2] = f;
        x[3] = f * x[0];
        x[4] = f * x[1];
    }

    @Override
    public void sampleInitial(RandomGenerator rng, double[] s) {
        s[0] = rng.nextDouble(-0.6, -0.4);
        s[1] = 0.0;
    }

    @Override
    public double step(double[] s, int a, RandomGenerator rng, double[] next) {
        return stepContinuous(s, force(a), next);
    }

    @Override
    public boolean isTerminal(double[] s) {
        return terminal(s[0], s[1]);
    }

    @Override
    public int maxEpisodeSteps() {
        return MAX_EPISODE_STEPS;
    }
}
