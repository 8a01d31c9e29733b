package org.pgflow.variance;

import java.util.Arrays;

/**
 * A mutable, reusable record of one episode (docs/algorithms.md §4.7): states {@code x_t}, actions {@code u_t}, rewards
 * {@code r_t}, scores {@code g_t = ∇_θ ln π(u_t|x_t)}, the extra critic columns {@code e(x_t)}, and after
 * {@link #finish()} the reward-to-go {@code B_t = Σ_{s≥t} r_s} and the past reward
 * {@code R_{<t} = Σ_{s<t} r_s}. Buffers grow on demand and are reused across episodes, so one instance per
 * thread (per Spark task) avoids allocation in the episode loop. Not thread-safe.
 */
public final class Trajectory {
    private final int stateSize;
    private final int numParameters;
    private final int extraSize;
    private int length;
    private int capacity;
    private double[] states;
    private int[] actions;
    private double[] rewards;
    private double[] scores;
    private double[] extra;
    private double[] rewardToGo;
    private double[] pastReward;

    /**
     * @param stateSize     length of a state vector
     * @param numParameters {@code n_θ}
     * @param extraSize     number of extra critic columns (0 for none)
     */
    public Trajectory(int stateSize, int numParameters, int extraSize) {
        this.stateSize = stateSize;
        this.numParameters = numParameters;
        this.extraSize = extraSize;
        allocate(64);
    }

    private void allocate(int cap) {
        capacity = cap;
        states = states == null ? new double[cap * stateSize] : Arrays.copyOf(states, cap * stateSize);
        actions = actions == null ? new int[cap] : Arrays.copyOf(actions, cap);
        rewards = rewards == null ? new double[cap] : Arrays.copyOf(rewards, cap);
        scores = scores == null ? new double[cap * numParameters] : Arrays.copyOf(scores, cap * numParameters);
        extra = extra == null ? new double[cap * extraSize] : Arrays.copyOf(extra, cap * extraSize);
        rewardToGo = new double[cap];
        pastReward = new double[cap];
    }

    /** Empties the record (keeps the buffers). */
    public void clear() {
        length = 0;
    }

    /** Appends a step slot and returns its index; the caller fills it through the raw arrays. */
    int append() {
        if (length == capacity) {
            allocate(2 * capacity);
        }
        return length++;
    }

    /** Computes {@code B_t} (backward) and {@code R_{<t}} (forward) once all steps are in. */
    public void finish() {
        double past = 0;
        for (int t = 0; t < length; t++) {
            pastReward[t] = past;
            past += rewards[t];
        }
        double togo = 0;
        for (int t = length - 1; t >= 0; t--) {
            togo += rewards[t];
            rewardToGo[t] = togo;
        }
    }

    /** @return the number of steps {@code T} */
    public int length() {
        return length;
    }

    /** @return the return {@code B = B_0} (0 for an empty episode) */
    public double returnValue() {
        return length == 0 ? 0.0 : rewardToGo[0];
    }

    /** @return the state vector length */
    public int stateSize() {
        return stateSize;
    }

    /** @return {@code n_θ} */
    public int numParameters() {
        return numParameters;
    }

    /** @return the number of extra critic columns */
    public int extraSize() {
        return extraSize;
    }

    /** @return entry {@code i} of the state {@code x_t} */
    public double state(int t, int i) {
        return states[t * stateSize + i];
    }

    /** @return the action {@code u_t} */
    public int action(int t) {
        return actions[t];
    }

    /** @return the reward {@code r_t} */
    public double reward(int t) {
        return rewards[t];
    }

    /** @return {@code B_t} (after {@link #finish()}) */
    public double rewardToGo(int t) {
        return rewardToGo[t];
    }

    /** @return {@code R_{<t}} (after {@link #finish()}) */
    public double pastReward(int t) {
        return pastReward[t];
    }

    /** @return component {@code i} of the score {@code g_t} */
    public double score(int t, int i) {
        return scores[t * numParameters + i];
    }

    // Raw access for the kernels of this package (row t starts at t * width).
    double[] statesRaw() {
        return states;
    }

    int[] actionsRaw() {
        return actions;
    }

    double[] rewardsRaw() {
        return rewards;
    }

    double[] scoresRaw() {
        return scores;
    }

    double[] extraRaw() {
        return extra;
    }

    double[] rewardToGoRaw() {
        return rewardToGo;
    }

    double[] pastRewardRaw() {
        return pastReward;
    }
}
